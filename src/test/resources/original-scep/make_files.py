"""Writes the small HDF5 files of ImportH5DatasetCliTest (run with /usr/bin/python3: h5py, numpy).

The original scEP layout (promoter genes x L x 4 one-hot A,C,T,G; data genes x 5; geneName), L = 40, in several
storage layouts that must give the same windows, and broken variants that must each give one clear error.
"""
import h5py
import numpy as np

CH = "ACTG"
rng = np.random.default_rng(7)
GENES, L = 5, 40
seq = rng.integers(0, 4, size=(GENES, L))
onehot = np.zeros((GENES, L, 4), dtype=bool)
for g in range(GENES):
    for p in range(L):
        onehot[g, p, seq[g, p]] = True
onehot[1, 8:13, :] = False         # N stretch, across the window start
onehot[4, :, :] = False            # an all-N gene
data = rng.normal(size=(GENES, 5))
names = np.array([b"G%d" % i for i in range(GENES)])

with open("expected.fa", "w") as f:   # window: tss-index 20, upstream 10, downstream 5 -> promoter[10:25]
    for g in range(GENES):
        w = "".join(CH[int(np.argmax(onehot[g, p]))] if onehot[g, p].any() else "N" for p in range(10, 25))
        f.write(">G%d\n%s\n" % (g, w))


def write(name, promoter, data=data, names=names, **kw):
    with h5py.File(name, "w") as h:
        h.create_dataset("promoter", data=promoter, **kw)
        h.create_dataset("data", data=data)
        h.create_dataset("geneName", data=names)


write("bool-chunked.h5", onehot, chunks=(1, L, 4), compression="gzip", compression_opts=4)
write("uint8-odd-chunks.h5", onehot.astype(np.uint8), chunks=(2, 7, 3), compression="gzip")
write("float32-contiguous.h5", onehot.astype(np.float32))
write("bool-contiguous.h5", onehot)
# chunks of the all-N gene never written: they read as the fill value
with h5py.File("unwritten-chunks.h5", "w") as h:
    d = h.create_dataset("promoter", shape=onehot.shape, dtype=bool, chunks=(1, L, 4), compression="gzip")
    for g in range(GENES - 1):
        d[g] = onehot[g]
    h.create_dataset("data", data=data)
    h.create_dataset("geneName", data=names)

write("rows-data.h5", onehot, data=data[:4], chunks=(1, L, 4))
write("rows-names.h5", onehot, names=np.array([b"G%d" % i for i in range(GENES + 1)]), chunks=(1, L, 4))
two_hot = onehot.copy()
two_hot[2, 12, :] = [True, False, True, False]
write("two-hot.h5", two_hot, chunks=(1, L, 4))
half = onehot.astype(np.float32)
half[3, 15, :] = 0.25
write("float-quarter.h5", half)
with h5py.File("no-promoter.h5", "w") as h:
    h.create_dataset("data", data=data)
    h.create_dataset("geneName", data=names)

with open("labels.csv", "w") as f:
    f.write(",All,Astro,L2/3 IT\n")
    for g in range(GENES):
        f.write("G%d,%r,%r,%r\n" % (g, -4.0 if g == 4 else 0.5 + g, 0.1 * g, -4.0))
with open("labels-short.csv", "w") as f:
    f.write(",All,Astro,L2/3 IT\n")
    for g in range(GENES - 1):
        f.write("G%d,1.0,2.0,3.0\n" % g)
with open("labels-order.csv", "w") as f:
    f.write(",All,Astro,L2/3 IT\n")
    for g in [1, 0, 2, 3, 4]:
        f.write("G%d,1.0,2.0,3.0\n" % g)
with open("data.tsv", "w") as f:
    for g in range(GENES):
        f.write("G%d\t%s\n" % (g, "\t".join(repr(float(x)) for x in data[g])))
