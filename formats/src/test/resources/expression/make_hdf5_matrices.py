"""Writes the HDF5 expression fixtures of Hdf5MatricesTest with h5py, in the layouts the real tools write:
CellRanger v3+ (filtered_feature_bc_matrix.h5) and v2, loompy (.loom) and anndata (.h5ad with raw and layers),
plus the same counts as Matrix Market (counts.mtx with counts.genes.tsv / counts.barcodes.tsv) and a cell table.

Counts (genes x cells):
    G0: 1 0 2 0 0
    G1: 0 0 0 0 0
    G2: 3 1 0 0 5
    G3: 0 1 0 4 0
The 10x v3 file also holds an antibody-capture feature (CD3), which scep must leave out.
Regenerate with:  python3 make_hdf5_matrices.py   (needs h5py and numpy; Debian: python3-h5py)
"""
import h5py
import numpy as np

C = np.array([[1, 0, 2, 0, 0], [0, 0, 0, 0, 0], [3, 1, 0, 0, 5], [0, 1, 0, 4, 0]], dtype=np.int32)
IDS = ["ENSG01", "ENSG02", "ENSG03", "ENSG04"]
NAMES = ["G0", "G1", "G2", "G3"]
CELLS = ["AAAC-1", "AAAG-1", "AACT-1", "AAGT-1", "ACGT-1"]
s = h5py.string_dtype()


def csc(m):
    """Compressed sparse columns of a genes x cells matrix: 10x's layout."""
    indptr, indices, data = [0], [], []
    for col in m.T:
        nz = np.nonzero(col)[0]
        indices.extend(nz)
        data.extend(col[nz])
        indptr.append(len(indices))
    return np.array(data), np.array(indices, dtype=np.int64), np.array(indptr, dtype=np.int64)


# CellRanger >= 3: /matrix with features; feature types mixed (antibody capture appended as a 5th feature)
adt = np.array([[7, 9, 0, 2, 1]], dtype=np.int32)
m3 = np.vstack([C, adt])
with h5py.File("tenx_v3.h5", "w") as f:
    g = f.create_group("matrix")
    data, indices, indptr = csc(m3)
    g.create_dataset("data", data=data.astype(np.int32))
    g.create_dataset("indices", data=indices)
    g.create_dataset("indptr", data=indptr)
    g.create_dataset("shape", data=np.array(m3.shape, dtype=np.int32))
    g.create_dataset("barcodes", data=np.array(CELLS, dtype="S"))
    ft = g.create_group("features")
    ft.create_dataset("id", data=np.array(IDS + ["CD3_TotalSeqB"], dtype="S"))
    ft.create_dataset("name", data=np.array(NAMES + ["CD3"], dtype="S"))
    ft.create_dataset("feature_type", data=np.array(["Gene Expression"] * 4 + ["Antibody Capture"], dtype="S"))
    ft.create_dataset("genome", data=np.array(["GRCh38"] * 5, dtype="S"))
    ft.create_dataset("_all_tag_keys", data=np.array(["genome"], dtype="S"))
    f.attrs["filetype"] = "matrix"
    f.attrs["version"] = 2

# CellRanger 2: one group per genome
with h5py.File("tenx_v2.h5", "w") as f:
    g = f.create_group("GRCh38")
    data, indices, indptr = csc(C)
    g.create_dataset("data", data=data.astype(np.int32))
    g.create_dataset("indices", data=indices)
    g.create_dataset("indptr", data=indptr)
    g.create_dataset("shape", data=np.array(C.shape, dtype=np.int32))
    g.create_dataset("barcodes", data=np.array(CELLS, dtype="S"))
    g.create_dataset("genes", data=np.array(IDS, dtype="S"))
    g.create_dataset("gene_names", data=np.array(NAMES, dtype="S"))

# loompy 3: /matrix genes x cells, attributes by row and column, layers of the same shape
with h5py.File("tiny.loom", "w") as f:
    f.create_dataset("matrix", data=C.astype(np.float32), chunks=(2, 2))
    ra = f.create_group("row_attrs")
    ra.create_dataset("Gene", data=np.array(NAMES, dtype=object), dtype=s)
    ra.create_dataset("Accession", data=np.array(IDS, dtype=object), dtype=s)
    ca = f.create_group("col_attrs")
    ca.create_dataset("CellID", data=np.array(CELLS, dtype=object), dtype=s)
    ca.create_dataset("type", data=np.array(["A", "A", "B", "B", "A"], dtype=object), dtype=s)
    layers = f.create_group("layers")
    layers.create_dataset("spliced", data=(C * 2).astype(np.float32))
    f.create_group("row_graphs")
    f.create_group("col_graphs")
    f.attrs["LOOM_SPEC_VERSION"] = "3.0.0"

# anndata >= 0.8: X log-normalised, raw/X = counts x 10, layers/counts = the counts (csr)
def frame(group, index, columns):
    group.attrs["_index"] = "_index"
    group.attrs["encoding-type"] = "dataframe"
    group.attrs["encoding-version"] = "0.2.0"
    group.attrs["column-order"] = np.array(list(columns), dtype=object).astype(s) if columns else np.array([], dtype=s)
    group.create_dataset("_index", data=np.array(index, dtype=object), dtype=s)
    for name, values in columns.items():
        group.create_dataset(name, data=np.array(values, dtype=object), dtype=s)


def csr(group, m):
    indptr, indices, data = [0], [], []
    for row in m:
        nz = np.nonzero(row)[0]
        indices.extend(nz)
        data.extend(row[nz])
        indptr.append(len(indices))
    group.attrs["encoding-type"] = "csr_matrix"
    group.attrs["encoding-version"] = "0.1.0"
    group.attrs["shape"] = np.array(m.shape, dtype=np.int64)
    group.create_dataset("data", data=np.array(data, dtype=np.float32))
    group.create_dataset("indices", data=np.array(indices, dtype=np.int32))
    group.create_dataset("indptr", data=np.array(indptr, dtype=np.int64))


counts = C.T.astype(np.float32)  # cells x genes
lognorm = np.log1p(counts / np.maximum(counts.sum(axis=1, keepdims=True), 1) * 1e4)
with h5py.File("layered.h5ad", "w") as f:
    f.attrs["encoding-type"] = "anndata"
    f.attrs["encoding-version"] = "0.1.0"
    csr(f.create_group("X"), lognorm)
    raw = f.create_group("raw")
    raw.attrs["encoding-type"] = "raw"
    raw.attrs["encoding-version"] = "0.1.0"
    csr(raw.create_group("X"), counts * 10)
    frame(raw.create_group("var"), ["sym0", "sym1", "sym2", "sym3"], {})
    layers = f.create_group("layers")
    layers.attrs["encoding-type"] = "dict"
    layers.attrs["encoding-version"] = "0.1.0"
    csr(layers.create_group("counts"), counts)
    frame(f.create_group("obs"), CELLS, {"type": ["A", "A", "B", "B", "A"]})
    frame(f.create_group("var"), IDS, {"gene_short_name": NAMES})

# the same counts as Matrix Market, and the cell table
with open("counts.mtx", "w") as out:
    nz = [(g, c, C[g, c]) for c in range(C.shape[1]) for g in range(C.shape[0]) if C[g, c]]
    out.write("%%MatrixMarket matrix coordinate integer general\n")
    out.write(f"{C.shape[0]} {C.shape[1]} {len(nz)}\n")
    for g, c, v in nz:
        out.write(f"{g + 1} {c + 1} {v}\n")
with open("counts.genes.tsv", "w") as out:
    out.writelines(f"{i}\t{n}\n" for i, n in zip(IDS, NAMES))
with open("counts.barcodes.tsv", "w") as out:
    out.writelines(c + "\n" for c in CELLS)
with open("cells.tsv", "w") as out:
    out.write("cell\ttype\n")
    out.writelines(f"{c}\t{t}\n" for c, t in zip(CELLS, ["A", "A", "B", "B", "A"]))
