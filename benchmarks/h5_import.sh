#!/usr/bin/env bash
# Importing the original scEP dataset: a file of GENES x 80,000 x 4 bool (gzip chunks of one row, as the original's),
# written by make_original_h5.py, through `scep import-h5-dataset --out D.sced` under -Xmx512m with a GC log: the
# promoter array (6.4 GB of bool for 20,000 genes) is streamed, never held. Records time and peak heap in the
# "Original scEP HDF5 import" section of benchmarks/RESULTS.md.
#   benchmarks/h5_import.sh [genes=20000] [heap=512m]
# Builds scep-cli with `mvn package` (not install: nothing goes to ~/.m2); MVN_FLAGS adds flags (e.g. -o).
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
genes="${1:-20000}"
heap="${2:-512m}"
out="$here/target/results/h5_import"
rm -rf "$out"
mkdir -p "$out"
(cd "$root" && mvn -q -B -ntp ${MVN_FLAGS:-} -DskipTests -Dmaven.javadoc.skip=true -Dmaven.source.skip=true \
    -pl scep-cli -am package)
python=/usr/bin/python3
echo "== generate $genes genes x 80,000 x 4 bool" >&2
start=$(date +%s.%N)
"$python" "$here/make_original_h5.py" "$out/seq_hl.h5" "$genes"
end=$(date +%s.%N)
echo "generate_seconds $(echo "$end - $start" | bc)" > "$out/run.txt"
"$python" -c "
import h5py, sys
p = h5py.File(sys.argv[1], 'r')['promoter']
print('promoter', 'x'.join(map(str, p.shape)), p.dtype, 'chunks', 'x'.join(map(str, p.chunks)), p.compression, p.compression_opts)
" "$out/seq_hl.h5" >> "$out/run.txt"
ls -l "$out/seq_hl.h5" | awk '{print "h5_bytes", $5}' >> "$out/run.txt"
echo "== scep import-h5-dataset -Xmx$heap" >&2
start=$(date +%s.%N)
"$JAVA_HOME/bin/java" -Xmx"$heap" -Xlog:gc:file="$out/gc.log" --add-modules jdk.incubator.vector \
    --enable-native-access=ALL-UNNAMED -jar "$root/scep-cli/target/scep-cli.jar" import-h5-dataset \
    --h5 "$out/seq_hl.h5" --out "$out/d.sced" 2>&1 | grep -v '^WARNING: Using incubator' | tee "$out/import.txt"
end=$(date +%s.%N)
echo "import_seconds $(echo "$end - $start" | bc)" >> "$out/run.txt"
ls -l "$out/d.sced" | awk '{print "sced_bytes", $5}' >> "$out/run.txt"
cat "$out/run.txt"
"$python" - "$out" "$here/RESULTS.md" "$genes" "$heap" <<'PY'
import datetime, os, platform, sys
sys.path.insert(0, os.path.dirname(sys.argv[2]))
from results_section import cpu_name, peak_heap_mb, replace_section
out, target, genes, heap = sys.argv[1:5]
run = dict(line.split(" ", 1) for line in open(os.path.join(out, "run.txt")).read().splitlines())
imp = open(os.path.join(out, "import.txt")).read().strip().splitlines()
peak = peak_heap_mb(os.path.join(out, "gc.log"))
gcs = sum(1 for l in open(os.path.join(out, "gc.log")) if "Pause" in l)
import re
live = max([int(m.group(2)) for m in (re.search(r"(\d+)M->(\d+)M\((\d+)M\)", l) for l in open(os.path.join(out, "gc.log"))) if m] or [0])
gb = int(genes) * 80000 * 4 / 1e9
lines = [
    "## Original scEP HDF5 import (issue 14): %s genes x 80,000 x 4 streamed in %s of heap" % (f"{int(genes):,}", heap),
    "",
    "`benchmarks/h5_import.sh %s %s` on %s, %s (%d cores, %s), %s: `make_original_h5.py` writes a dataset in the original"
    % (genes, heap, platform.node() or "this machine", cpu_name(), os.cpu_count(), platform.system(), datetime.date.today()),
    "layout (`promoter` %s bool = %.1f GB uncompressed, gzip level 4 chunks of one row as in the original's files; every"
    % (run["promoter"].split()[0], gb),
    "row random one-hot sequence (64 distinct rows, each compressed once and written with `write_direct_chunk`, so",
    "every chunk inflates like real sequence), every 97th row all zero), then `java -Xmx%s -Xlog:gc:file=gc.log -jar scep-cli.jar" % heap,
    "import-h5-dataset --h5 seq_hl.h5 --out d.sced` cuts the 10,500-nt window of every gene out of it.",
    "",
    "| measure | value |",
    "| --- | ---: |",
    "| promoter | %s |" % run["promoter"],
    "| HDF5 file | %.1f MB |" % (int(run["h5_bytes"]) / 1e6),
    "| generating it (Python, h5py) | %.1f s |" % float(run["generate_seconds"]),
    "| `scep import-h5-dataset`, wall (JVM start included) | %.1f s |" % float(run["import_seconds"]),
    "| genes per second | %s |" % f"{int(genes) / float(run['import_seconds']):,.0f}",
    "| uncompressed promoter inflated per second | %.0f MB/s |" % (gb * 1e3 / float(run["import_seconds"])),
    "| peak heap before a collection (GC log) | %d MB of %s (%d collections) |" % (peak, heap, gcs),
    "| largest heap left after a collection (live data) | %d MB |" % live,
    "| `.sced` written | %.1f MB |" % (int(run["sced_bytes"]) / 1e6),
    "",
    "scep's output:",
    "",
    "```",
] + imp + ["```"]
replace_section(target, "h5_import", lines)
PY
echo "wrote $here/RESULTS.md" >&2
