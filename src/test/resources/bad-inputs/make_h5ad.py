"""Writes the .h5ad files of the bad-inputs cases with h5py, in AnnData's on-disk layouts.

Regenerate with:  /usr/bin/python3 make_h5ad.py   (needs h5py and numpy; Debian: python3-h5py)
The matrix is 3 genes x 4 cells (AnnData stores X as cells x genes).
"""
import h5py
import numpy as np

s = h5py.string_dtype()
X = np.array([[2, 0, 1], [0, 4, 0], [1, 0, 0], [0, 0, 3]], dtype=np.float32)   # cells x genes


def frame(group, index, legacy=False):
    group.attrs["_index"] = "_index"
    group.attrs["encoding-type"] = "dataframe"
    group.attrs["encoding-version"] = "0.1.0" if legacy else "0.2.0"
    group.create_dataset("_index", data=np.array(index, dtype=object), dtype=s)


def categorical(obs, name, categories, codes):
    """anndata >= 0.8: a group with codes and categories."""
    g = obs.create_group(name)
    g.attrs["encoding-type"] = "categorical"
    g.attrs["encoding-version"] = "0.2.0"
    g.attrs["ordered"] = False
    g.create_dataset("categories", data=np.array(categories, dtype=object), dtype=s)
    g.create_dataset("codes", data=np.array(codes, dtype=np.int8))


def legacy_categorical(obs, name, categories, codes):
    """anndata <= 0.7: the codes are the column; a 'categories' attribute refers to obs/__categories/<name>."""
    cats = obs.require_group("__categories")
    c = cats.create_dataset(name, data=np.array(categories, dtype=object), dtype=s)
    d = obs.create_dataset(name, data=np.array(codes, dtype=np.int8))
    d.attrs["categories"] = c.ref


def csr(f, indptr):
    g = f.create_group("X")
    g.attrs["encoding-type"] = "csr_matrix"
    g.attrs["encoding-version"] = "0.1.0"
    g.attrs["shape"] = np.array(X.shape, dtype=np.int64)
    indices, data = [], []
    for row in X:
        nz = np.nonzero(row)[0]
        indices.extend(nz)
        data.extend(row[nz])
    g.create_dataset("data", data=np.array(data, dtype=np.float32))
    g.create_dataset("indices", data=np.array(indices, dtype=np.int32))
    g.create_dataset("indptr", data=np.array(indptr, dtype=np.int64))


def write(path, obs_writer, indptr=None):
    with h5py.File(path, "w") as f:
        f.attrs["encoding-type"] = "anndata"
        f.attrs["encoding-version"] = "0.1.0"
        if indptr is None:
            f.create_dataset("X", data=X)
        else:
            csr(f, indptr)
        obs = f.create_group("obs")
        frame(obs, ["c1", "c2", "c3", "c4"])
        obs_writer(obs)
        frame(f.create_group("var"), ["G1", "G2", "G3"])


# rows 0..3 hold 2, 1, 1, 1 entries: the true indptr is [0, 2, 3, 4, 5]; row 1 ends before it starts here
write("2-h5ad-csr-indptr-decreasing/x.h5ad", lambda obs: categorical(obs, "type", ["A", "B"], [0, 0, 1, 1]),
      indptr=[0, 3, 2, 4, 5])
# codes 0, 1, 1, 2 mean A, B, B, C; read as numbers they would be populations "type=0", "type=1", "type=2"
write("2-h5ad-anndata07-categorical/x.h5ad", lambda obs: legacy_categorical(obs, "type", ["A", "B", "C"], [0, 1, 1, 2]))
write("4-h5ad-category-with-tab/x.h5ad", lambda obs: categorical(obs, "type", ["a\tb", "c"], [0, 0, 1, 1]))
