#!/usr/bin/env bash
# Runs scep's benchmarks next to the libtorch peer and writes benchmarks/RESULTS.md.
#   benchmarks/run.sh           full run (about 6 minutes on 2 cores)
#   benchmarks/run.sh --quick   shorter JMH iterations, for a smoke test
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
quick=0
[ "${1:-}" = "--quick" ] && quick=1
out="$here/target/results"
mkdir -p "$out"

echo "== build (with the bench profile: JMH + libtorch)" >&2
(cd "$root" && mvn -q -B -ntp -Pbench -DskipTests install -pl benchmarks -am)
cp="$here/target/classes:$here/target/lib/*"
jvm=(--add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED)

echo "== parity: scep against libtorch, same weights" >&2
"$JAVA_HOME/bin/java" "${jvm[@]}" -cp "$cp" dev.scep.bench.ParityCheck "$root/../shared/data" 2>/dev/null | tee "$out/parity.txt"

echo "== JMH forward pass" >&2
jmh_args=()
[ "$quick" = 1 ] && jmh_args=(-wi 2 -i 3 -w 1 -r 1)
"$JAVA_HOME/bin/java" "${jvm[@]}" -cp "$cp" org.openjdk.jmh.Main ForwardBenchmark "${jmh_args[@]}" \
    -rf json -rff "$out/forward.json" 2>&1 | grep -E "^(Benchmark|ForwardBenchmark)|\[setup\]" | sort -u | tee "$out/forward.txt"

echo "== JMH kernels (one thread)" >&2
"$JAVA_HOME/bin/java" "${jvm[@]}" -cp "$cp" org.openjdk.jmh.Main KernelBenchmark "${jmh_args[@]}" \
    -rf json -rff "$out/kernels.json" 2>&1 | grep -E "^(Benchmark|KernelBenchmark)" | sort -u | tee "$out/kernels.txt"

echo "== peak heap: scep predict on 10,000 windows streamed from a FASTA, -Xmx256m" >&2
(cd "$root" && bin/scep import-keras "$root/../shared/data/xpresso-pretrained/xpresso_human.h5" --out "$out/xpresso_human.scep" 2>/dev/null)
"$JAVA_HOME/bin/java" -cp "$cp" dev.scep.bench.MakeWindows 10000 "$out/windows10k.fa"
start=$(date +%s.%N)
SCEP_JAVA_OPTS="-Xmx256m -Xlog:gc:file=$out/gc.log" "$root/bin/scep" predict --model "$out/xpresso_human.scep" \
    --windows "$out/windows10k.fa" --zero-halflife --out "$out/predictions10k.tsv" 2>&1 | grep "scep predict" | tee "$out/memory.txt"
end=$(date +%s.%N)
echo "wall_seconds $(echo "$end - $start" | bc)" >> "$out/memory.txt"
rows=$(($(wc -l < "$out/predictions10k.tsv") - 1))
echo "rows $rows" >> "$out/memory.txt"
rm -f "$out/windows10k.fa"

python3 "$here/write_results.py" "$out" "$here/RESULTS.md" "$quick"
echo "wrote $here/RESULTS.md" >&2
