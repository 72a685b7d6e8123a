"""Writes the ISM section of RESULTS.md (between markers, so run.sh keeps it) from ism.sh's output."""
import datetime
import os
import re
import sys

from results_section import cpu_name, replace_section

out, target = sys.argv[1], sys.argv[2]
text = open(os.path.join(out, "ism.txt")).read()
m = re.search(r"RESULT threads=(\d+) incremental_ms=([0-9.]+) naive_scep_ms=([0-9.]+) naive_libtorch_ms=([0-9.]+) "
              r"vs_scep=([0-9.]+) vs_libtorch=([0-9.]+)", text)
threads, inc, scep, torch, vs_scep, vs_torch = int(m.group(1)), *(float(m.group(i)) for i in range(2, 7))
replace_section(target, "ism", [
    "## In-silico mutagenesis of one gene",
    "",
    "Command: `benchmarks/ism.sh` (%s; %s, %d threads for every engine)." % (datetime.date.today().isoformat(), cpu_name(), threads),
    "",
    "Every substitution of a 10,500-nt window (31,500) with a 20-output scEP model. Incremental ISM",
    "(`dev.scep.runtime.ism.IncrementalIsm`) against naive ISM, one full forward pass per mutant, with scep's fastest",
    "forward pass (all mutants, batches of 256) and with libtorch (1,000 mutants timed, scaled to 31,500; one at a",
    "time and in batches of 64, the faster counted). The incremental results equal the naive ones (largest",
    "difference printed below; `IsmEquivalenceTest` checks every substitution of a real window with the Xpresso model).",
    "",
    "| method | one gene | incremental is faster by |",
    "| --- | --- | --- |",
    "| naive ISM, libtorch | %.0f s (scaled) | **%.0f×** (goal 1,000×) |" % (torch / 1000, vs_torch),
    "| naive ISM, scep fast forward | %.2f s | **%.0f×** (goal 50×) |" % (scep / 1000, vs_scep),
    "| incremental ISM, scep | **%.1f ms** (goal 50 ms) | |" % inc,
    "",
    "```",
    text.strip(),
    "```",
])
