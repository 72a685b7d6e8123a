"""Writes the SNV-latency section of RESULTS.md from snv.sh's JMH output."""
import datetime
import os
import re
import sys

from results_section import cpu_name, replace_section

out, target = sys.argv[1], sys.argv[2]
text = open(os.path.join(out, "snv.txt")).read()


def pct(bench, p):
    m = re.search(r"SnvLatencyBenchmark\.%s:p%s\s+sample\s+([0-9.]+)" % (bench, re.escape(p)), text)
    return float(m.group(1))


rows = []
for bench, name in [("warmSnv", "scep, warm gene (`IncrementalIsm.Gene.effect`)"),
                    ("libtorchMutantForward", "libtorch, forward pass of the mutant window")]:
    rows.append("| %s | %.1f µs | %.1f µs | %.1f µs |" % (name, pct(bench, "0.50"), pct(bench, "0.99"), pct(bench, "0.999")))
ratio = pct("libtorchMutantForward", "0.99") / pct("warmSnv", "0.99")
ratio50 = pct("libtorchMutantForward", "0.50") / pct("warmSnv", "0.50")
replace_section(target, "snv", [
    "## Warm single-SNV latency",
    "",
    "Command: `benchmarks/snv.sh` (JMH sample time, one thread each; %s; %s)." % (datetime.date.today().isoformat(), cpu_name()),
    "",
    "The change of all 20 outputs of a scEP model for one substitution at a random position of a prepared gene,",
    "next to libtorch scoring an SNV the naive way, one forward pass of the mutant window (tensor prepared beforehand).",
    "",
    "| engine | p50 | p99 | p99.9 |",
    "| --- | --- | --- | --- |",
] + rows + [
    "",
    "Goal: p99 under 100 µs. Ratio libtorch / scep: **%.0f×** at the median, %.0f× at p99 (libtorch's tail is noisy" % (ratio50, ratio),
    "from run to run; the median is the steadier comparison).",
    "",
    "```",
    text.strip(),
    "```",
])
