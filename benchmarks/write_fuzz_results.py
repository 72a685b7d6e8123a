"""Writes the "Fuzzing" section of RESULTS.md from benchmarks/fuzz.sh's logs."""
import datetime
import glob
import os
import re
import sys

from results_section import cpu_name, replace_section

out, target, duration, parallel = sys.argv[1:5]
rows = []
total_findings = 0
for f in sorted(glob.glob(os.path.join(out, "*.target"))):
    name = os.path.basename(f)[:-len(".target")]
    module, test = open(f).read().split()
    done = open(os.path.join(out, name + ".done")).read()
    findings = [l.strip() for l in open(os.path.join(out, name + ".findings")) if l.strip()]
    total_findings += len(findings)
    runs = re.search(r"Done (\d+) runs in (\d+) second", done)
    stats = re.search(r"cov: (\d+) ft: (\d+) corp: (\d+)/(\S+).*exec/s: (\d+)", done)
    rows.append("| `%s` | %s | %s | %s | %s | %s | %s |" % (
        test, "{:,}".format(int(runs.group(1))) if runs else "n/a", runs.group(2) if runs else "n/a",
        stats.group(1) if stats else "n/a", stats.group(2) if stats else "n/a",
        "%s inputs, %s" % (stats.group(3), stats.group(4)) if stats else "n/a",
        ", ".join(findings) if findings else "none"))
lines = [
    "## Fuzzing",
    "",
    "Command: `benchmarks/fuzz.sh %s %s` (each reader's Jazzer fuzz test for %s, %s at a time). Machine: %s, %d cores; %s."
    % (duration, parallel, duration, parallel, cpu_name(), os.cpu_count(), datetime.date.today().isoformat()),
    "Coverage is libFuzzer's: `cov` counts covered edges of the instrumented scep classes, `ft` its features. A finding is"
    " an exception other than the reader's documented ones, an OutOfMemoryError or a hang (10 s per input).",
    "",
    "| fuzz test | executions | seconds | cov | ft | corpus at the end | findings |",
    "| --- | ---: | ---: | ---: | ---: | --- | --- |",
] + rows + ["", "Findings: %d." % total_findings]
replace_section(target, "fuzz", lines)
