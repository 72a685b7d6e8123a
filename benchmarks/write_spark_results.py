"""Writes the Spark section of RESULTS.md from spark.sh's outputs."""
import datetime
import os
import sys

from results_section import cpu_name, replace_section

out, target, base, genes = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
t = {}
for line in open(os.path.join(out, "timings.txt")):
    key, value = line.split()
    t[key] = value
single = float(t["single-x16"])
spark = {k: float(t["spark-x%d" % k]) for k in (1, 4, 16)}
rows = {k: int(t["rows-x%d" % k]) for k in (1, 4, 16)}
# linear growth: time = fixed + per-variant cost, fitted on 1x and 16x; 4x predicted from it
per = (spark[16] - spark[1]) / (15 * base)
fixed = spark[1] - per * base
predicted4 = fixed + per * 4 * base
spark_out = open(os.path.join(out, "spark-x16.txt")).read().strip().splitlines()
single_out = open(os.path.join(out, "single-x16.txt")).read().strip().splitlines()
fmt = "{:,}".format
lines = [
    "## Spark: scep-spark score-variants at local[2] against scep score-variants",
    "",
    "Command: `benchmarks/spark.sh %d %d` (%s; %s, %d cores). Spark 4.2.0, local mode." % (
        base, genes, datetime.date.today().isoformat(), cpu_name(), os.cpu_count()),
    "",
    "Input: %s synthetic genes (12 contigs) and a bgzip VCF with a tabix index of SNVs all inside gene windows" % fmt(genes),
    "(`SyntheticVariants`); 1x and 4x are every 16th and every 4th record of the 16x file. The 20-output scEP model.",
    "Wall time from the launcher's start to the table written (JVM and Spark start, model, annotation and genome",
    "loading included). `bin/scep score-variants --threads 2` against `bin/scep-spark score-variants --master local[2]",
    "--format tsv` (two single-threaded tasks at a time, 8 shards), in the same run.",
    "",
    "| input | SNVs | table rows | scep score-variants | scep-spark local[2] | ratio |",
    "| --- | ---: | ---: | ---: | ---: | ---: |",
    "| 16x | %s | %s | %.1f s | %.1f s | **%.2f** |" % (fmt(16 * base), fmt(rows[16]), single, spark[16], spark[16] / single),
    "| 4x | %s | %s | | %.1f s | |" % (fmt(4 * base), fmt(rows[4]), spark[4]),
    "| 1x | %s | %s | | %.1f s | |" % (fmt(base), fmt(rows[1]), spark[1]),
    "",
    "Tables identical byte for byte (16x, `cmp`): **%s**." % t["identical"],
    "",
    "Growth: fitted as fixed + per-variant cost on 1x and 16x, %.1f s + %.2f µs per SNV; that predicts %.1f s for 4x," % (
        fixed, per * 1e6, predicted4),
    "measured %.1f s (%+.0f%%). Time per SNV: 1x %.2f µs, 4x %.2f µs, 16x %.2f µs." % (
        spark[4], 100 * (spark[4] - predicted4) / predicted4,
        spark[1] / base * 1e6, spark[4] / (4 * base) * 1e6, spark[16] / (16 * base) * 1e6),
    "",
    "scep-spark's output (16x):",
    "",
    "```",
] + spark_out[-3:] + ["```", "", "scep's output (16x):", "", "```"] + single_out[-3:] + ["```"]
# sizing a cluster for 500,000 individuals x 20,000 genes from the personal-genomes section's measured rate
import re
text = open(target).read()
m = re.search(r"([0-9,]+) haplotypes, ([0-9,]+) distinct ones predicted.*?\n([0-9.]+) s on (\d+) threads", text, flags=re.S)
if m:
    distinct = int(m.group(2).replace(",", ""))
    seconds = float(m.group(3))
    cores = int(m.group(4))
    per_core = distinct / seconds / cores            # distinct haplotype windows per core-second, end to end
    ratio = spark[16] / single
    for share, label in ((1.0, "every haplotype distinct (the worst case)"), (0.2, "a fifth of them distinct")):
        passes = 20000 * 1_000_000 * share
        core_hours = passes / per_core / 3600 * ratio
        lines_for = "- %s: %.1e forward passes, %s core-hours with the Spark overhead measured above (%.2fx);" % (
            label, passes, fmt(round(core_hours)), ratio)
        lines_for += " %.1f h on 1,000 cores, %.1f h on 4,000." % (core_hours / 1000, core_hours / 4000)
        if share == 1.0:
            worst = lines_for
        else:
            fifth = lines_for
    lines += [
        "",
        "**Sizing a cluster for personal genomes, 500,000 individuals x 20,000 genes.** The personal-genomes section",
        "measured %s distinct haplotype windows predicted in %.1f s on %d threads end to end: %s per core-second." % (
            fmt(distinct), seconds, cores, fmt(round(per_core))),
        "The cost is the distinct haplotypes: identical ones are predicted once per gene block (there 139 of 1,000 per",
        "gene; in a biobank, rare variants make a larger share distinct). 1,000,000 haplotypes x 20,000 genes:",
        "",
        worst,
        fifth,
        "",
        "Gene blocks are independent, so the work spreads over as many executors as there are blocks",
        "(`scep-spark personal --blocks 800`: 25 genes a task). A task holds one gene's haplotypes of every sample at a",
        "time; splitting the samples of a block across tasks is not built yet. The output is 2 x 10^10 predictions per",
        "model output: Parquet rows per gene with arrays over the samples, about 4 bytes each before compression.",
    ]
replace_section(target, "spark", lines)
