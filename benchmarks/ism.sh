#!/usr/bin/env bash
# ISM of one gene (31,500 substitutions, 20-output scEP model): scep's incremental ISM, naive ISM with scep's fastest
# forward pass, and naive ISM with libtorch (1,000 mutants, scaled), in one run; writes the "ISM" section of RESULTS.md.
#   benchmarks/ism.sh [repeats=20]
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
out="$here/target/results/ism"
rm -rf "$out"
mkdir -p "$out"
(cd "$root" && mvn -q -B -ntp -Pbench -DskipTests install -pl benchmarks -am)
cp="$here/target/classes:$here/target/lib/*"
"$JAVA_HOME/bin/java" --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -cp "$cp" \
    dev.scep.bench.IsmBenchmark "${1:-20}" 2>&1 | grep -v '^WARNING' | tee "$out/ism.txt"
python3 "$here/write_ism_results.py" "$out" "$here/RESULTS.md"
echo "wrote $here/RESULTS.md" >&2
