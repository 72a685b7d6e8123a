#!/usr/bin/env bash
# One training epoch, 20,000 genes x 10,500 nt, 20 outputs: scep's CPU trainer next to libtorch in the same JVM,
# under -Xmx2g with a GC log; writes the "Training" section of benchmarks/RESULTS.md.
#   benchmarks/train.sh [genes=20000] [outputs=20] [libtorch batches=4]
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
out="$here/target/results/train"
rm -rf "$out"
mkdir -p "$out"
echo "== build" >&2
(cd "$root" && mvn -q -B -ntp -Pbench -DskipTests install -pl benchmarks -am)
cp="$here/target/classes:$here/target/lib/*"
echo "== one epoch: scep and libtorch" >&2
"$JAVA_HOME/bin/java" --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -Xmx2g \
    -Xlog:gc:file="$out/gc.log" -cp "$cp" dev.scep.bench.TrainingBenchmark "$out/work" "${1:-20000}" "${2:-20}" "${3:-4}" \
    2>&1 | grep -v '^WARNING' | tee "$out/train.txt"
rm -rf "$out/work"
python3 "$here/write_train_results.py" "$out" "$here/RESULTS.md"
echo "wrote $here/RESULTS.md" >&2
