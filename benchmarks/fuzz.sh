#!/usr/bin/env bash
# Fuzz campaign: every reader's coverage-guided fuzz test (Jazzer) runs for a set time; findings are written beside
# the seeds (src/test/resources/<package>/<Test>Inputs/<method>/crash-*, timeout-*), where the next `bin/test` runs
# them as regression cases. Prints and records, per reader, executions, coverage, corpus and findings in the
# "Fuzzing" section of benchmarks/RESULTS.md.
#   benchmarks/fuzz.sh [duration=10m] [parallel=2] [Test#method ...]
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
duration="${1:-10m}"
parallel="${2:-2}"
shift $(( $# > 2 ? 2 : $# ))
all=(
  "formats dev.scep.formats.io.ScepModelFuzzTest#read"
  "formats dev.scep.formats.io.ScepDatasetFuzzTest#open"
  "scep-train dev.scep.train.cpu.CheckpointFuzzTest#read"
  "formats dev.scep.formats.genome.FastaFuzzTest#cutWindows"
  "formats dev.scep.formats.annotation.AnnotationFuzzTest#read"
  "formats dev.scep.formats.expression.MatrixMarketFuzzTest#read"
  "formats dev.scep.formats.expression.H5adFuzzTest#read"
  "scep-runtime dev.scep.runtime.variants.VcfFuzzTest#scoreAndPersonal"
)
targets=()
if [ $# -gt 0 ]; then
  for want in "$@"; do for t in "${all[@]}"; do [[ "$t" == *"$want"* ]] && targets+=("$t"); done; done
else
  targets=("${all[@]}")
fi
out="$here/target/results/fuzz"   # kept between runs: a rerun of some fuzz tests replaces only their rows
mkdir -p "$out"
(cd "$root" && mvn -q -B -ntp -DskipTests install)   # the fuzz tests of one module use the others' jars

fuzz() {   # module test#method
  local module="$1" test="$2" name="${2##*.}"
  local inputs="$root/$module/src/test/resources/$(echo "${test%#*}" | tr . /)Inputs/${test#*#}"
  rm -f "$out/$name".*
  ls "$inputs" > "$out/$name.before"
  echo "== fuzz $test for $duration" >&2
  # JUnit's own @Timeout would stop the whole run: Jazzer takes the per-input limit from it instead
  (cd "$root/$module" && JAZZER_FUZZ=1 mvn -B -ntp test -Dmaven.main.skip=true -Dtest="$test" -Djazzer.max_duration="$duration" \
      -Djunit.jupiter.execution.timeout.mode=disabled -Dsurefire.failIfNoSpecifiedTests=false \
      > "$out/$name.out" 2> "$out/$name.err") || true
  ls "$inputs" > "$out/$name.after"
  comm -13 "$out/$name.before" "$out/$name.after" | grep -E '^(crash|timeout|oom|slow-unit)-' > "$out/$name.findings" || true
  grep -E '^#[0-9]+[[:space:]]+DONE' "$out/$name.err" | tail -1 > "$out/$name.done" || true
  grep -E '^Done [0-9]+ runs in' "$out/$name.err" | tail -1 >> "$out/$name.done" || true
  echo "$module $test $duration $(date -u +%Y-%m-%d)" > "$out/$name.target"
  echo "   $(cat "$out/$name.done" | tr '\n' ' ') findings: $(wc -l < "$out/$name.findings")" >&2
}

running=0
for t in "${targets[@]}"; do
  fuzz $t &
  running=$((running + 1))
  if [ "$running" -ge "$parallel" ]; then wait -n; running=$((running - 1)); fi
done
wait
python3 "$here/write_fuzz_results.py" "$out" "$here/RESULTS.md"
echo "wrote $here/RESULTS.md" >&2
