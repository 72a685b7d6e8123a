"""Writes the training section of RESULTS.md (between markers, so run.sh keeps it) from train.sh's output."""
import datetime
import os
import re
import sys

from results_section import cpu_name, peak_heap_mb, replace_section

out, target = sys.argv[1], sys.argv[2]
text = open(os.path.join(out, "train.txt")).read()
m = re.search(r"RESULT genes=(\d+) outputs=(\d+) threads=(\d+) scep_s=([0-9.]+) libtorch_s=([0-9.]+) ratio=([0-9.]+)", text)
genes, outputs, threads = int(m.group(1)), int(m.group(2)), int(m.group(3))
scep, torch, ratio = float(m.group(4)), float(m.group(5)), float(m.group(6))
peak = peak_heap_mb(os.path.join(out, "gc.log"))
cpu = cpu_name()
lines = [
    "## Training: one epoch over %d genes" % genes,
    "",
    "Command: `benchmarks/train.sh` (%s; %s, %d threads for both engines, `-Xmx2g`)." % (
        datetime.date.today().isoformat(), cpu, threads),
    "",
    "The %d-output scEP network (DESIGN §3), batch 128, MSE, Adam at 5e-4, on %d random 10,500-nt windows." % (outputs, genes),
    "scep trains a whole epoch (`dev.scep.train.cpu.Trainer`); libtorch (bytedeco `pytorch` 2.7.1), in the same JVM,",
    "does the same steps (one-hot batch tensor, forward, `mse_loss`, `backward`, `Adam.step`) for a few batches after a",
    "warm-up one, and its time per sequence is scaled to the epoch.",
    "",
    "| engine | one epoch | per sequence per step |",
    "| --- | --- | --- |",
    "| libtorch | %.0f s (scaled) | %.2f ms |" % (torch, torch * 1000 / genes),
    "| scep | **%.1f s** | %.3f ms |" % (scep, scep * 1000 / genes),
    "| ratio | **%.0f×** | |" % ratio,
    "",
    "Goal: at most 30 s per epoch, peak heap under 2 GB. Largest heap occupancy at any collection (`-Xlog:gc`,",
    "both engines' Java side): **%d MB**." % peak,
    "",
    "```",
    text.strip(),
    "```",
]
replace_section(target, "train", lines)
