"""Writes the variant-scoring section of RESULTS.md from variants.sh's outputs."""
import datetime
import os
import re
import sys

from results_section import cpu_name, peak_heap_mb, replace_section

out, target, snvs, genes, threads = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
runs = []
for run in (0, 1, 2, 3):
    text = open(os.path.join(out, "score%d.txt" % run)).read()
    wall = float(re.search(r"wall_seconds ([0-9.]+)", text).group(1))
    scoring = float(re.search(r"([0-9.]+) s, [0-9,]+ alleles/s", text).group(1))
    runs.append((wall, scoring, peak_heap_mb(os.path.join(out, "gc%d.log" % run)), text))
torch = open(os.path.join(out, "libtorch.txt")).read()
torch_s = float(re.search(r"libtorch_seconds=([0-9.]+)", torch).group(1))
first, runs = runs[0], runs[1:]
median = sorted(runs)[1]
rows = ["| %s | %.1f s | %s | %.1f s | %s | %d MB |" % (label, w, "{:,.0f}".format(snvs / w) if label == "0 (first)" else
                                                      "**{:,.0f}**".format(snvs / w), s, "{:,.0f}".format(snvs / s), h)
        for label, (w, s, h, _) in [("0 (first)", first)] + [(str(i + 1), r) for i, r in enumerate(runs)]]
replace_section(target, "variants", [
    "## Variant scoring: 1,000,000 SNVs against 20,000 genes",
    "",
    "Command: `benchmarks/variants.sh %d %d %d` (%s; %s, %d cores)." % (snvs, genes, threads, datetime.date.today().isoformat(),
                                                                        cpu_name(), os.cpu_count()),
    "",
    "A synthetic genome (`SyntheticGenome`: 12 contigs of 50 Mb with a `.fai`, %s genes 30 kb apart) and a sorted" % "{:,}".format(genes),
    "sites-only VCF of %s SNVs, every one inside a gene's window (`SyntheticVariants`; about 50 per gene, the hardest" % "{:,}".format(snvs),
    "case: nothing is skipped as outside), scored by `bin/scep score-variants --threads %d` with the 20-output scEP" % threads,
    "model: every gene's reference computed once, each SNV by the incremental path, the ranked table written.",
    "End to end = JVM start to table written (model, annotation and genome loading included); scoring = the",
    "command's own timer from the first VCF record to the table committed. Run 0 is the first run of",
    "`score-variants` after a build: `bin/scep` records a JDK 25 AOT cache (JEP 483/515: classes loaded and linked,",
    "method profiles) and builds it after the command ends, which that run's wall time includes; runs 1-3 start from",
    "it, as every later run does. Three such runs: these machines are noisy.",
    "",
    "| run | end to end | variants/s end to end | scoring | variants/s scoring | peak heap |",
    "| --- | --- | --- | --- | --- | --- |",
] + rows + [
    "",
    "Goal: at least 100,000 variants per second end to end on 2 cores. Median of runs 1-3: **%s variants/s** end to end." % "{:,.0f}".format(snvs / median[0]),
    "",
    "libtorch, scoring the same variants the naive way (a forward pass per mutant window and per gene's reference;",
    "512 windows timed in this run, the faster of batch 1 and batch 64, scaled): **%.0f s**, so scep is **%.0f×**" % (torch_s, torch_s / median[0]),
    "faster end to end (median run).",
    "",
    "```",
    median[3].strip(),
    open(os.path.join(out, "table.txt")).read().strip(),
    torch.strip(),
    "```",
])
