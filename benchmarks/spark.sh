#!/usr/bin/env bash
# Spark overhead and scaling: `scep-spark score-variants --master local[2] --format tsv` against
# `scep score-variants --threads 2` on the same input (20,000 synthetic genes, SNVs all inside gene windows, the
# 20-output scEP model), and scep-spark alone on 1x, 4x and 16x the variants, to show its time grows linearly.
# Checks that each Spark table equals the single-machine one byte for byte (where both ran). Writes the
# "Spark" section of benchmarks/RESULTS.md.
#   benchmarks/spark.sh [base_snvs=500000] [genes=20000]
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
base="${1:-500000}"
genes="${2:-20000}"
out="$here/target/results/spark"
# the generated input is kept between runs of the same size (SPARK_BENCH_FRESH=1 makes it again)
stamp="$base $genes"
if [ "${SPARK_BENCH_FRESH:-0}" = 1 ] || [ "$(cat "$out/input/stamp" 2>/dev/null)" != "$stamp" ]; then rm -rf "$out"; fi
mkdir -p "$out"
rm -f "$out"/*.txt "$out"/*.tsv
command -v bgzip >/dev/null && command -v tabix >/dev/null || {
  echo "spark.sh needs bgzip and tabix (Debian: apt-get install tabix)" >&2; exit 1; }
(cd "$root" && mvn -q -B -ntp -Pbench -DskipTests install -pl benchmarks,scep-spark,scep-cli -am)
cp="$here/target/classes:$here/target/lib/*"
if [ ! -f "$out/input/stamp" ]; then
  echo "== generate $genes genes and $((16 * base)) SNVs" >&2
  "$JAVA_HOME/bin/java" -cp "$cp" dev.scep.bench.SyntheticGenome "$out/input" "$genes" 10 12 30000 index > "$out/input/generate.txt"
  "$JAVA_HOME/bin/java" -Xmx4g --add-modules jdk.incubator.vector -cp "$cp" dev.scep.bench.SyntheticVariants "$out/input" \
      "$out/input/scep20.scep" "$out/input/all.vcf" "$((16 * base))" 2>&1 | grep -v '^WARNING' | tee -a "$out/input/generate.txt"
  # 1x and 4x: every 16th and every 4th record of the 16x file (the same genes, the same spread)
  for k in 1 4 16; do
    awk -v step=$((16 / k)) '/^#/ {print; next} {if ((n++ % step) == 0) print}' "$out/input/all.vcf" | bgzip -c > "$out/input/x$k.vcf.gz"
    tabix -p vcf "$out/input/x$k.vcf.gz"
  done
  rm -f "$out/input/all.vcf"
  echo "$stamp" > "$out/input/stamp"
fi
run() { # $1 = label, rest = command; appends "label wall_seconds" to timings.txt
  local label="$1"; shift
  local start end
  start=$(date +%s.%N)
  "$@" > "$out/$label.txt" 2>&1 || { cat "$out/$label.txt" >&2; exit 1; }
  end=$(date +%s.%N)
  echo "$label $(echo "$end - $start" | bc)" | tee -a "$out/timings.txt" >&2
}
common=(--model "$out/input/scep20.scep" --fasta "$out/input/genome.fa" --gtf "$out/input/genes.gtf" --keep-noncoding)
# bin/scep records its start-up cache on a first run: do that on the small input, outside the timings
"$root/bin/scep" score-variants "${common[@]}" --vcf "$out/input/x1.vcf.gz" --threads 2 --out "$out/warm.tsv" > /dev/null 2>&1
run single-x16 "$root/bin/scep" score-variants "${common[@]}" --vcf "$out/input/x16.vcf.gz" --threads 2 --out "$out/single-x16.tsv"
for k in 1 4 16; do
  SCEP_JAVA_OPTS="-Xmx6g" run spark-x$k "$root/bin/scep-spark" score-variants --master 'local[2]' "${common[@]}" \
      --vcf "$out/input/x$k.vcf.gz" --format tsv --out "$out/spark-x$k.tsv"
done
if cmp -s "$out/single-x16.tsv" "$out/spark-x16.tsv"; then echo "identical yes" >> "$out/timings.txt"; else echo "identical NO" >> "$out/timings.txt"; fi
for k in 1 4 16; do
  echo "rows-x$k $(($(wc -l < "$out/spark-x$k.tsv") - 1))" >> "$out/timings.txt"
done
python3 "$here/write_spark_results.py" "$out" "$here/RESULTS.md" "$base" "$genes"
rm -f "$out"/*.tsv
echo "wrote $here/RESULTS.md" >&2
