"""Writes the personal-genomes section of RESULTS.md from personal.sh's outputs."""
import datetime
import os
import re
import sys

from results_section import cpu_name, peak_heap_mb, replace_section

out, target, samples, genes, threads = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
text = open(os.path.join(out, "personal.txt")).read()
generate = open(os.path.join(out, "generate.txt")).read()
wall = float(re.search(r"wall_seconds ([0-9.]+)", text).group(1))
m = re.search(r"([0-9,]+) haplotypes, ([0-9,]+) distinct ones predicted", text)
haps, distinct = int(m.group(1).replace(",", "")), int(m.group(2).replace(",", ""))
torch = open(os.path.join(out, "libtorch.txt")).read()
torch_s = float(re.search(r"libtorch_seconds=([0-9.]+)", torch).group(1))
replace_section(target, "personal", [
    "## Personal genomes: %s phased individuals x %s genes" % ("{:,}".format(samples), "{:,}".format(genes)),
    "",
    "Command: `benchmarks/personal.sh %d %d %d` (%s; %s, %d cores)." % (samples, genes, threads, datetime.date.today().isoformat(),
                                                                       cpu_name(), os.cpu_count()),
    "",
    "A synthetic genome (`SyntheticGenome`, %s genes) and a simulated phased cohort (`SyntheticCohort`, bgzip VCF): about" % "{:,}".format(genes),
    "100 segregating SNVs per 10.5 kb window, 40% common ones inherited from 30 founder haplotypes of unequal frequency",
    "(linkage disequilibrium), 60%% rare ones on 1-3 haplotypes. `bin/scep personal --threads %d` with the 20-output scEP" % threads,
    "model predicts both haplotypes of every individual for every gene (identical haplotypes once, in batches of 32),",
    "and writes the mean per individual and gene. End to end = JVM start to table written.",
    "",
    "| measure | value | goal |",
    "| --- | --- | --- |",
    "| end to end | **%.1f s** | under 300 s |" % wall,
    "| haplotypes / distinct haplotypes predicted | %s / %s (%.0f per gene) | |" % ("{:,}".format(haps), "{:,}".format(distinct), distinct / genes),
    "| peak heap (`-Xlog:gc`) | %d MB | |" % peak_heap_mb(os.path.join(out, "gc.log")),
    "",
    "Predicting every haplotype instead (no deduplication) would take %.0f× the forward passes. libtorch, timed in" % (haps / distinct),
    "this run on 512 windows of the same network (the faster of batch 1 and 64) and scaled to the same %s forward" % "{:,}".format(distinct),
    "passes, would need **%.0f s** for them alone: scep end to end is **%.1f×** faster." % (torch_s, torch_s / wall),
    "",
    "```",
    generate.strip(),
    text.strip(),
    torch.strip(),
    "```",
])
