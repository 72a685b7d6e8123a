"""Writes the small .h5ad fixtures of ExpressionReadersTest with h5py, in anndata's (>= 0.7) on-disk layout.

The matrix (genes x cells; AnnData stores X as cells x genes):
    g0: 1   0   2  0  0
    g1: 0   0   0  0  0
    g2: 3   1   0  0  5
    g3: 0  0.5  0  4  0
Regenerate with:  python3 make_h5ad.py   (needs h5py and numpy; Debian: python3-h5py)
"""
import h5py
import numpy as np

G = np.array([[1, 0, 2, 0, 0], [0, 0, 0, 0, 0], [3, 1, 0, 0, 5], [0, 0.5, 0, 4, 0]], dtype=np.float32)
X = G.T  # cells x genes
s = h5py.string_dtype()


def frame(group, index, columns):
    group.attrs["_index"] = "_index"
    group.attrs["encoding-type"] = "dataframe"
    group.attrs["encoding-version"] = "0.2.0"
    group.attrs["column-order"] = np.array(list(columns), dtype=object).astype(s) if columns else np.array([], dtype=s)
    group.create_dataset("_index", data=np.array(index, dtype=object), dtype=s)
    for name, values in columns.items():
        if isinstance(values, tuple):  # categorical: (categories, codes)
            cat = group.create_group(name)
            cat.attrs["encoding-type"] = "categorical"
            cat.attrs["encoding-version"] = "0.2.0"
            cat.attrs["ordered"] = False
            cat.create_dataset("categories", data=np.array(values[0], dtype=object), dtype=s)
            cat.create_dataset("codes", data=np.array(values[1], dtype=np.int8))
        elif isinstance(values[0], str):
            group.create_dataset(name, data=np.array(values, dtype=object), dtype=s)
        else:
            group.create_dataset(name, data=np.array(values))


def write(path, kind):
    with h5py.File(path, "w") as f:
        f.attrs["encoding-type"] = "anndata"
        f.attrs["encoding-version"] = "0.1.0"
        if kind == "dense":
            f.create_dataset("X", data=X)
        else:
            m = X if kind == "csr" else X.T  # csc of X = csr of X.T
            indptr, indices, data = [0], [], []
            for row in m:
                nz = np.nonzero(row)[0]
                indices.extend(nz)
                data.extend(row[nz])
                indptr.append(len(indices))
            g = f.create_group("X")
            g.attrs["encoding-type"] = kind + "_matrix"
            g.attrs["encoding-version"] = "0.1.0"
            g.attrs["shape"] = np.array(X.shape, dtype=np.int64)
            g.create_dataset("data", data=np.array(data, dtype=np.float32))
            g.create_dataset("indices", data=np.array(indices, dtype=np.int32))
            g.create_dataset("indptr", data=np.array(indptr, dtype=np.int64))
        frame(f.create_group("obs"), ["c0", "c1", "c2", "c3", "c4"],
              {"type": (["A", "B"], [0, 0, 1, 1, 0]), "batch": ["x", "y", "x", "y", "x"], "n_genes": [2, 2, 1, 1, 1]})
        frame(f.create_group("var"), ["GA", "GB", "GC", "GD"],
              {"gene_ids": ["ENSG1.1", "ENSG2.3", "ENSG3.1", "ENSG4.2"]})


for kind in ("csr", "csc", "dense"):
    write(f"tiny_{kind}.h5ad", kind)
