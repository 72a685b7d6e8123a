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
replace_section(target, "spark", lines)
