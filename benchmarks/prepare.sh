#!/usr/bin/env bash
# Genome-wide data preparation: 20,000 synthetic genes (FASTA + GTF + single-cell matrix) through `scep prepare`,
# timed, under -Xmx1g with a GC log; writes the "Data preparation" section of benchmarks/RESULTS.md.
#   benchmarks/prepare.sh [genes=20000] [cells=3000] [contigs=12] [spacing=150000]
# The defaults make a human-sized genome: 12 contigs of 250 Mb (chr1's size), 3.0 Gb in all.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
genes="${1:-20000}"
cells="${2:-3000}"
contigs="${3:-12}"
spacing="${4:-150000}"
out="$here/target/results/prepare"
rm -rf "$out"
mkdir -p "$out"

echo "== build" >&2
(cd "$root" && mvn -q -B -ntp -Pbench -DskipTests install -pl benchmarks -am)
cp="$here/target/classes:$here/target/lib/*"

echo "== generate $genes genes, $cells cells" >&2
"$JAVA_HOME/bin/java" -cp "$cp" dev.scep.bench.SyntheticGenome "$out/input" "$genes" "$cells" "$contigs" "$spacing" | tee "$out/generate.txt"
du -b "$out/input"/* | tee -a "$out/generate.txt"

echo "== scep prepare, -Xmx1g" >&2
start=$(date +%s.%N)
SCEP_JAVA_OPTS="-Xmx1g -Xlog:gc:file=$out/gc.log" "$root/bin/scep" prepare --fasta "$out/input/genome.fa" \
    --gtf "$out/input/genes.gtf" --expression "$out/input/matrix.mtx.gz" --cells "$out/input/cells.tsv" \
    --nested tissue,class,subclass --keep-noncoding --out "$out/genome.sced" 2>&1 | grep -v '^WARNING: Using incubator' | tee "$out/prepare.txt"
end=$(date +%s.%N)
echo "wall_seconds $(echo "$end - $start" | bc)" >> "$out/prepare.txt"
ls -l "$out/genome.sced" | awk '{print "sced_bytes", $5}' >> "$out/prepare.txt"
"$root/bin/scep" dataset-info "$out/genome.sced" --genes 0 2>/dev/null | head -4 >> "$out/prepare.txt"

python3 "$here/write_prepare_results.py" "$out" "$here/RESULTS.md" "$genes" "$cells" "$contigs" "$spacing"
rm -rf "$out/input"
echo "wrote $here/RESULTS.md" >&2
