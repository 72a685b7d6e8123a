#!/usr/bin/env bash
# The ground-truth check of issue 4: simulate a tissue (scep simulate), prepare it, cross-validate the
# cell-population model and the tissue model with the paper's training recipe, and evaluate both against the
# simulator's noise-free truth; writes the "Simulated tissue" section of benchmarks/RESULTS.md.
#   benchmarks/simulate_cv.sh [genes=4000] [populations=6] [folds=5] [replicates=2] [epochs=40]
# (the paper's 20 folds x 5 replicates take about 2 hours per model kind on 2 cores; 5 x 2 take about 10 minutes)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
genes="${1:-4000}"; pops="${2:-6}"; folds="${3:-5}"; reps="${4:-2}"; epochs="${5:-40}"
out="$here/target/results/simulate"
rm -rf "$out"
mkdir -p "$out"
scep() { "$root/bin/scep" "$@" 2> >(grep -v '^WARNING: Using incubator' >&2); }
start=$(date +%s)
scep simulate --out "$out/input" --genes "$genes" --populations "$pops" --cells 3000 | tee "$out/simulate.txt"
scep prepare --fasta "$out/input/genome.fa" --gtf "$out/input/genes.gtf" --expression "$out/input/matrix.mtx.gz" \
    --cells "$out/input/cells.tsv" --population-column population --all-cells --out "$out/sim.sced" | tee "$out/prepare.txt"
scep cv --dataset "$out/sim.sced" --out "$out/cell-populations" --folds "$folds" --replicates "$reps" --epochs "$epochs" \
    2> "$out/cv-cell-populations.log" | tee "$out/cv-cell-populations.txt"
scep cv --dataset "$out/sim.sced" --out "$out/tissue" --tissue all --folds "$folds" --replicates "$reps" --epochs "$epochs" \
    2> "$out/cv-tissue.log" | tee "$out/cv-tissue.txt"
scep evaluate --predictions "$out/cell-populations/predictions.tsv" --tissue-predictions "$out/tissue/predictions.tsv" \
    --truth "$out/input/truth.tsv" --out "$out/evaluation" | tee "$out/evaluate.txt"
echo "wall_seconds $(( $(date +%s) - start ))" >> "$out/evaluate.txt"
cp "$out/input/effects.tsv" "$out/effects.tsv"
python3 "$here/write_simulate_results.py" "$out" "$here/RESULTS.md" "$genes" "$pops" "$folds" "$reps" "$epochs"
rm -rf "$out/input" "$out/sim.sced"
echo "wrote $here/RESULTS.md (report: $out/evaluation/report.html)" >&2
