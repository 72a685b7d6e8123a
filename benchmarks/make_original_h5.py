"""Writes a dataset file in the original scEP layout for benchmarks/h5_import.sh (run with /usr/bin/python3).

  make_original_h5.py OUT.h5 GENES [LENGTH=80000]

promoter: GENES x LENGTH x 4 bool, chunks (1, LENGTH, 4), gzip level 4 -- the chunking and filter of the original's
files (and of shared/data/scep-pytorch-example/seq_hl.h5). Every row is one-hot random sequence (64 distinct rows,
each compressed once and written with write_direct_chunk, so that generating 6.4 GB of bool takes seconds while every
chunk still inflates like real sequence); every 97th row is all zero (N). data: GENES x 5 float64; geneName: bytes.
"""
import sys
import zlib

import h5py
import numpy as np

out, genes = sys.argv[1], int(sys.argv[2])
length = int(sys.argv[3]) if len(sys.argv) > 3 else 80000
rng = np.random.default_rng(14)
patterns = []
for k in range(64):
    row = np.zeros((length, 4), dtype=np.uint8)
    row[np.arange(length), rng.integers(0, 4, size=length)] = 1
    patterns.append(zlib.compress(row.tobytes(), 4))
zero = zlib.compress(bytes(length * 4), 4)
with h5py.File(out, "w") as h:
    d = h.create_dataset("promoter", shape=(genes, length, 4), dtype=bool, chunks=(1, length, 4), compression="gzip",
                         compression_opts=4)
    for i in range(genes):
        d.id.write_direct_chunk((i, 0, 0), zero if i % 97 == 0 else patterns[i % 64])
    h.create_dataset("data", data=rng.normal(size=(genes, 5)))
    h.create_dataset("geneName", data=np.array([b"GENE%06d" % i for i in range(genes)]))
