#!/usr/bin/env bash
# Variant-scoring throughput: a sites-only VCF of 1,000,000 SNVs, every one inside one of 20,000 synthetic genes'
# windows, scored by `scep score-variants` with the 20-output scEP model, end to end (JVM start to table written)
# on 2 threads: once recording bin/scep's start-up cache, then three times with it (the machines are noisy); libtorch's naive scoring (one forward pass per mutant and per
# gene) timed on 512 windows in the same run and scaled; writes the "Variant scoring" section of benchmarks/RESULTS.md.
#   benchmarks/variants.sh [snvs=1000000] [genes=20000] [threads=2]
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
snvs="${1:-1000000}"
genes="${2:-20000}"
threads="${3:-2}"
out="$here/target/results/variants"
rm -rf "$out"
mkdir -p "$out"
(cd "$root" && mvn -q -B -ntp -Pbench -DskipTests install -pl benchmarks -am)
cp="$here/target/classes:$here/target/lib/*"
echo "== generate $genes genes (12 contigs, 30 kb apart) and $snvs SNVs" >&2
"$JAVA_HOME/bin/java" -cp "$cp" dev.scep.bench.SyntheticGenome "$out/input" "$genes" 10 12 30000 index > "$out/generate.txt"
"$JAVA_HOME/bin/java" -Xmx4g --add-modules jdk.incubator.vector -cp "$cp" dev.scep.bench.SyntheticVariants "$out/input" \
    "$out/scep20.scep" "$out/input/snvs.vcf" "$snvs" 2>&1 | grep -v '^WARNING' | tee -a "$out/generate.txt"
ls -l "$out/input/snvs.vcf" | awk '{print "vcf_bytes", $5}' >> "$out/generate.txt"
rm -rf "$root/scep-cli/target/aot"   # run 0 records bin/scep's start-up cache from scratch; runs 1-3 use it
for run in 0 1 2 3; do
  echo "== scep score-variants --threads $threads (run $run)" >&2
  start=$(date +%s.%N)
  SCEP_JAVA_OPTS="-Xlog:gc:file=$out/gc$run.log" "$root/bin/scep" score-variants --model "$out/scep20.scep" \
      --fasta "$out/input/genome.fa" --gtf "$out/input/genes.gtf" --keep-noncoding --vcf "$out/input/snvs.vcf" \
      --threads "$threads" --out "$out/scores.tsv" 2>&1 | grep -v '^WARNING: Using incubator' | tee "$out/score$run.txt"
  end=$(date +%s.%N)
  echo "wall_seconds $(echo "$end - $start" | bc)" >> "$out/score$run.txt"
done
wc -l < "$out/scores.tsv" | awk '{print "rows", $1 - 1}' > "$out/table.txt"
head -3 "$out/scores.tsv" | cut -c1-150 >> "$out/table.txt"
echo "== libtorch peer" >&2
"$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -cp "$cp" dev.scep.bench.VariantThroughputPeer "$snvs" "$genes" 2>&1 \
    | grep -v '^WARNING' | tee "$out/libtorch.txt"
python3 "$here/write_variants_results.py" "$out" "$here/RESULTS.md" "$snvs" "$genes" "$threads"
rm -rf "$out/input" "$out/scores.tsv"
echo "wrote $here/RESULTS.md" >&2
