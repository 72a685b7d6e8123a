"""Writes the simulated-tissue section of RESULTS.md (between markers, so run.sh keeps it)."""
import datetime
import os
import re
import sys

from results_section import cpu_name, peak_heap_mb, replace_section

out, target = sys.argv[1], sys.argv[2]
genes, pops, folds, reps, epochs = (int(a) for a in sys.argv[3:8])
ev = open(os.path.join(out, "evaluate.txt")).read()
effects = open(os.path.join(out, "effects.tsv")).read()
rows = []
for line in ev.splitlines():
    f = line.split()
    if len(f) == 6 and f[0].startswith("population="):
        rows.append(f)
lines = [
    "## Simulated tissue: learning a known grammar",
    "",
    "Command: `benchmarks/simulate_cv.sh %d %d %d %d %d` (%s, 2 cores): `scep simulate` (%d genes, %d populations," % (
        genes, pops, folds, reps, epochs, datetime.date.today().isoformat(), genes, pops),
    "3,000 cells) → `scep prepare` → `scep cv` for the cell-population model and for the tissue model (`--tissue all`),",
    "%d folds × %d replicates × %d epochs with the paper's recipe → `scep evaluate` against the noise-free truth." % (folds, reps, epochs),
    "The ceiling is the median over folds of r(truth, observed pseudobulk): what a perfect model could reach.",
    "",
    "| population | median r | tissue model r | Δcp,t | ceiling | r / ceiling |",
    "| --- | --- | --- | --- | --- | --- |",
]
for f in rows:
    lines.append("| %s | %s | %s | %s | %s | **%s** |" % tuple(f))
lines += ["", "Effects planted by the simulator (log10 units per copy or per promoter type; pop1–3 close to the tissue",
          "average, pop4–6 far from it):", "", "```", effects.strip(), "```", "", "```", ev.strip(), "```",
]
replace_section(target, "simulate", lines)
