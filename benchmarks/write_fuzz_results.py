"""Writes the "Fuzzing" section of RESULTS.md from benchmarks/fuzz.sh's logs (every fuzz test run so far, its latest run)."""
import glob
import os
import re
import sys

from results_section import cpu_name, replace_section

out, target = sys.argv[1:3]
rows = []
total_findings = 0
for f in sorted(glob.glob(os.path.join(out, "*.target"))):
    name = os.path.basename(f)[:-len(".target")]
    module, test, duration, day = open(f).read().split()
    done = open(os.path.join(out, name + ".done")).read()
    findings = [l.strip() for l in open(os.path.join(out, name + ".findings")) if l.strip()]
    total_findings += len(findings)
    runs = re.search(r"Done (\d+) runs in (\d+) second", done)
    stats = re.search(r"cov: (\d+) ft: (\d+) corp: (\d+)/(\S+).*exec/s: (\d+)", done)
    rows.append("| `%s` | %s | %s | %s | %s | %s | %s | %s |" % (
        test, day, duration, "{:,}".format(int(runs.group(1))) if runs else "n/a", runs.group(2) if runs else "n/a",
        stats.group(1) if stats else "n/a", "%s inputs, %s" % (stats.group(3), stats.group(4)) if stats else "n/a",
        ", ".join(findings) if findings else "none"))
lines = [
    "## Fuzzing",
    "",
    "Command: `benchmarks/fuzz.sh 10m 2` (each reader's Jazzer fuzz test for ten minutes, two at a time; a test rerun"
    " after a fix replaces its row). Machine: %s, %d cores." % (cpu_name(), os.cpu_count()),
    "A finding is an exception other than the reader's documented ones, an OutOfMemoryError or a hang (10 s per input);"
    " libFuzzer stops at the first one, so a row with a finding ran only until it. `cov` counts the covered edges of the"
    " instrumented scep classes.",
    "",
    "| fuzz test | date | duration | executions | seconds | cov | corpus at the end | findings |",
    "| --- | --- | --- | ---: | ---: | ---: | --- | --- |",
] + rows + ["", "Findings in these runs: %d." % total_findings]
replace_section(target, "fuzz", lines)
