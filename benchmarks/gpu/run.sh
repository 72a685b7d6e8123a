#!/usr/bin/env bash
# GPU checks and benchmarks on a lent GPU machine (it has CUDA, cuDNN and PyTorch but no Java).
#
#   benchmarks/gpu/run.sh stage     here: build, jlink a Java runtime (java.base, jdk.incubator.vector and the few
#                                   modules scep uses), pack it with the jars and test classes into
#                                   benchmarks/gpu/carry.tgz (git-ignored; the device tool carries at most 64 MiB)
#   benchmarks/gpu/run.sh device    there, through the device tool with carry ["benchmarks/gpu/carry.tgz"]:
#                                   dev.scep.bench.GpuCheck (one line per check, PASS/FAIL/SKIP with its measure and
#                                   time, none stopping the others: discovery and the device; the training forward
#                                   layer by layer; the inference forward whole (1e-4); every gradient (1e-3); one
#                                   Adam step; 200 steps against the CPU trainer (2%); GPU inference of 20,000 windows
#                                   and one training epoch of 20,000 genes), then the GPU JUnit tests (bindings against
#                                   the real libraries, kernels through NVRTC), then the PyTorch peer (torch_scep.py)
#                                   on the same GPU; logs under $OUT, one table last. About 5 minutes on an H100/H200.
#   benchmarks/gpu/run.sh check     here, without a GPU: GpuCheck's CPU-side parts (data, CPU references, the CPU's
#                                   200 steps); every GPU check says SKIP and why
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
carry="$here/carry"
bundle="$here/carry.tgz"
# the GPU tests and benchmark need no AWT/ImageIO (ISM plots) or scripting: leaving them out halves the runtime
modules="java.base,java.logging,java.management,jdk.incubator.vector,jdk.unsupported"
junit_console="org.junit.platform:junit-platform-console-standalone:1.14.1"

stage() {
  . "$root/bin/lib/env.sh"
  scep_setup_java
  scep_setup_maven
  (cd "$root" && mvn -q -B -ntp -Pbench -DskipTests install)
  rm -rf "$carry"
  mkdir -p "$carry/lib" "$carry/test-classes"
  "$JAVA_HOME/bin/jlink" --add-modules "$modules" --strip-debug --no-header-files --no-man-pages --compress=zip-9 \
      --output "$carry/jre"
  # the application's jars (not the libtorch peer's: the GPU machine has PyTorch itself)
  cp "$root"/scep-cli/target/lib/*.jar "$root/scep-cli/target/scep-cli.jar" "$carry/lib/"
  cp "$root"/benchmarks/target/scep-benchmarks-*.jar "$carry/lib/"
  cp -r "$root"/native-bindings/target/test-classes/. "$root"/scep-runtime/target/test-classes/. "$carry/test-classes/"
  (cd "$root" && mvn -q -B -ntp dependency:copy -Dartifact="$junit_console" -DoutputDirectory="$carry/lib")
  (cd "$root" && mvn -q -B -ntp dependency:copy -Dartifact=org.assertj:assertj-core:3.27.6 -DoutputDirectory="$carry/lib")
  tar -C "$here" -czf "$bundle" carry
  rm -rf "$carry"
  du -h "$bundle" | awk '{print "staged " $1 " in benchmarks/gpu/carry.tgz (the device tool carries at most 64 MiB)"}'
  echo 'next: run(command="benchmarks/gpu/run.sh device", carry=["benchmarks/gpu/carry.tgz"])'
}

device() {
  out="${OUT:-$here/out}"
  mkdir -p "$out"
  [ -d "$carry" ] || tar -C "$here" -xzf "$bundle"
  java="$carry/jre/bin/java"
  opts="--add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED"
  cp="$carry/test-classes:$(ls "$carry"/lib/*.jar | grep -v console-standalone | tr '\n' ':')"
  nvidia-smi -L | tee "$out/gpu.txt" || true
  echo "== GpuCheck" >&2
  # shellcheck disable=SC2086
  "$java" $opts -cp "$cp" dev.scep.bench.GpuCheck "$out" 20000 200 2>&1 | grep -v '^WARNING' | tee "$out/check.txt" || true
  echo "== GPU tests" >&2
  # shellcheck disable=SC2086
  "$java" $opts -jar "$carry"/lib/junit-platform-console-standalone-*.jar execute --class-path "$cp" \
      --select-class dev.scep.nativebindings.BindingsTest --select-class dev.scep.runtime.gpu.GpuKernelsTest \
      --select-class dev.scep.runtime.gpu.GpuForwardTest --select-class dev.scep.nativebindings.cudnn.CudnnDescriptorTest --details=tree --disable-banner > "$out/tests.txt" 2>&1 || true
  tail -25 "$out/tests.txt"
  echo "== PyTorch peer" >&2
  python3 "$here/torch_scep.py" 20000 20 2 2>&1 | tee "$out/torch.txt" || true
  python3 - "$out" <<'PY'
import re, sys, os
out = sys.argv[1]
def grab(f, key):
    try:
        m = re.search(key + r"=([0-9.e+-]+)", open(os.path.join(out, f)).read())
        return float(m.group(1)) if m else None
    except OSError:
        return None
tests = open(os.path.join(out, "tests.txt")).read()
summary = {k: re.search(r"(\d+) tests " + k, tests) for k in ("successful", "failed", "skipped", "aborted")}
scep_inf = grab("check.txt", "gpu_inference_seconds")
scep_epoch = grab("check.txt", "gpu_epoch_seconds")
torch_inf = grab("torch.txt", "torch_inference_seconds")
torch_epoch = grab("torch.txt", "torch_epoch_seconds")
checks = open(os.path.join(out, "check.txt")).read() if os.path.exists(os.path.join(out, "check.txt")) else ""
count = lambda status: len(re.findall(r"^CHECK " + status, checks, re.M))
fmt = lambda v, u="s": "n/a" if v is None else "%.3f %s" % (v, u)
ratio = lambda a, b: "n/a" if a is None or b is None or a == 0 else "%.1fx" % (b / a)
print("| measure | scep | PyTorch | scep faster by | goal |")
print("| --- | --- | --- | --- | --- |")
print("| GpuCheck lines (pass / fail / skip) | %d / %d / %d | | | all pass |" % (count("PASS"), count("FAIL"), count("SKIP")))
print("| GPU JUnit tests (successful / failed / aborted) | %s | | | all pass, none aborted |" % " / ".join(
    m.group(1) if m else "?" for m in (summary["successful"], summary["failed"], summary["aborted"])))
print("| inference, 20,000 windows | %s | %s | %s | under 1 s |" % (fmt(scep_inf), fmt(torch_inf), ratio(scep_inf, torch_inf)))
print("| training epoch, 20,000 genes | %s | %s | %s | at most 2 s, 3x PyTorch |" % (fmt(scep_epoch), fmt(torch_epoch), ratio(scep_epoch, torch_epoch)))
for line in checks.splitlines():
    if line.startswith("CHECK FAIL"):
        print(line)
PY
}

check() {
  . "$root/bin/lib/env.sh"
  scep_setup_java
  scep_setup_maven
  (cd "$root" && mvn -q -B -ntp -Pbench -DskipTests -Dmaven.javadoc.skip=true -Dmaven.source.skip=true install)
  cp="$(ls "$root"/scep-cli/target/lib/*.jar | tr '\n' ':')$root/scep-cli/target/scep-cli.jar:$(ls "$root"/benchmarks/target/scep-benchmarks-*.jar | head -1)"
  "$JAVA_HOME/bin/java" --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -cp "$cp" \
      dev.scep.bench.GpuCheck "${TMPDIR:-/tmp}" "${GENES:-20000}" "${STEPS:-200}" 2>&1 | grep -v '^WARNING'
}

case "${1:-}" in
  stage) stage ;;
  device) device ;;
  check) check ;;
  *) echo "usage: benchmarks/gpu/run.sh stage|device|check" >&2; exit 2 ;;
esac
