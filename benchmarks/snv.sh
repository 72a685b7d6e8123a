#!/usr/bin/env bash
# Latency of one warm SNV effect (JMH sample time, one thread) next to libtorch scoring the same SNV with a forward
# pass; writes the "SNV latency" section of benchmarks/RESULTS.md.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
out="$here/target/results/snv"
rm -rf "$out"
mkdir -p "$out"
(cd "$root" && mvn -q -B -ntp -Pbench -DskipTests install -pl benchmarks -am)
cp="$here/target/classes:$here/target/lib/*"
"$JAVA_HOME/bin/java" --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -cp "$cp" org.openjdk.jmh.Main \
    SnvLatencyBenchmark -rf json -rff "$out/snv.json" 2>&1 | grep -E '^SnvLatencyBenchmark' | tee "$out/snv.txt"
python3 "$here/write_snv_results.py" "$out" "$here/RESULTS.md"
echo "wrote $here/RESULTS.md" >&2
