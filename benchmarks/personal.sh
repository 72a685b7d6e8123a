#!/usr/bin/env bash
# Personal genomes: a simulated phased cohort (500 individuals x 3,000 genes, ~1 SNV per 105 nt in the windows) through
# `scep personal` on 2 threads, end to end, next to libtorch timed in the same run on the same forward passes; writes the "Personal genomes" section of benchmarks/RESULTS.md.
#   benchmarks/personal.sh [samples=500] [genes=3000] [threads=2]
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
samples="${1:-500}"
genes="${2:-3000}"
threads="${3:-2}"
out="$here/target/results/personal"
rm -rf "$out"
mkdir -p "$out"
(cd "$root" && mvn -q -B -ntp -Pbench -DskipTests install -pl benchmarks -am)
cp="$here/target/classes:$here/target/lib/*"
echo "== generate $genes genes and $samples phased individuals" >&2
"$JAVA_HOME/bin/java" -cp "$cp" dev.scep.bench.SyntheticGenome "$out/input" "$genes" 10 12 30000 index > "$out/generate.txt"
"$JAVA_HOME/bin/java" -Xmx4g --add-modules jdk.incubator.vector -cp "$cp" dev.scep.bench.SyntheticVariants "$out/input" \
    "$out/scep20.scep" "$out/input/unused.vcf" 10 > /dev/null 2>&1
"$JAVA_HOME/bin/java" -Xmx4g -cp "$cp" dev.scep.bench.SyntheticCohort "$out/input" "$out/input/cohort.vcf.gz" "$samples" 2>&1 \
    | grep -v '^WARNING' | tee -a "$out/generate.txt"
ls -l "$out/input/cohort.vcf.gz" | awk '{print "vcf_gz_bytes", $5}' >> "$out/generate.txt"
echo "== scep personal --threads $threads" >&2
start=$(date +%s.%N)
SCEP_JAVA_OPTS="-Xlog:gc:file=$out/gc.log" "$root/bin/scep" personal --model "$out/scep20.scep" \
    --fasta "$out/input/genome.fa" --gtf "$out/input/genes.gtf" --keep-noncoding --vcf "$out/input/cohort.vcf.gz" \
    --threads "$threads" --out "$out/personal.tsv" 2>&1 | grep -v '^WARNING: Using incubator' | tee "$out/personal.txt"
end=$(date +%s.%N)
echo "wall_seconds $(echo "$end - $start" | bc)" >> "$out/personal.txt"
wc -l < "$out/personal.tsv" | awk '{print "rows", $1 - 1}' >> "$out/personal.txt"
head -3 "$out/personal.tsv" | cut -c1-150 >> "$out/personal.txt"
cat "$out/personal.txt"
echo "== libtorch peer: one forward pass per distinct haplotype" >&2
distinct=$(sed -n 's/.* haplotypes, \([0-9,]*\) distinct.*/\1/p' "$out/personal.txt" | tr -d ,)
"$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -cp "$cp" dev.scep.bench.VariantThroughputPeer "$distinct" 0 2>&1 \
    | grep -v '^WARNING' | tee "$out/libtorch.txt"
python3 "$here/write_personal_results.py" "$out" "$here/RESULTS.md" "$samples" "$genes" "$threads"
rm -rf "$out/input" "$out/personal.tsv"
echo "wrote $here/RESULTS.md" >&2
