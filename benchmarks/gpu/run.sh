#!/usr/bin/env bash
# GPU checks and benchmarks on a lent GPU machine (it has CUDA, cuDNN and PyTorch but no Java).
#
#   benchmarks/gpu/run.sh stage     here: build, jlink a Java runtime (java.base, jdk.incubator.vector and the few
#                                   modules scep uses), pack it with the jars and test classes into
#                                   benchmarks/gpu/carry.tgz (git-ignored; the device tool carries at most 64 MiB)
#   benchmarks/gpu/run.sh device    there, through the device tool with carry ["benchmarks/gpu/carry.tgz"]: the GPU
#                                   tests (bindings against the real libraries, kernels through NVRTC, GPU forward
#                                   pass against the CPU engine), GPU inference of 20,000 windows, and the PyTorch
#                                   peer (torch_scep.py) on the same GPU; logs under $OUT, a short table last
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
  echo "== GPU tests" >&2
  # shellcheck disable=SC2086
  "$java" $opts -jar "$carry"/lib/junit-platform-console-standalone-*.jar execute --class-path "$cp" \
      --select-class dev.scep.nativebindings.BindingsTest --select-class dev.scep.runtime.gpu.GpuKernelsTest \
      --select-class dev.scep.runtime.gpu.GpuForwardTest --select-class dev.scep.nativebindings.cudnn.CudnnDescriptorTest --details=tree --disable-banner > "$out/tests.txt" 2>&1 || true
  tail -25 "$out/tests.txt"
  echo "== scep GPU inference" >&2
  # shellcheck disable=SC2086
  "$java" $opts -cp "$cp" dev.scep.bench.GpuInference 20000 512 400 2>&1 | grep -v '^WARNING' | tee "$out/scep_inference.txt" || true
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
scep_inf = grab("scep_inference.txt", "gpu_inference_seconds")
torch_inf = grab("torch.txt", "torch_inference_seconds")
torch_epoch = grab("torch.txt", "torch_epoch_seconds")
rel = grab("scep_inference.txt", "max_rel_diff")
fmt = lambda v, u="s": "n/a" if v is None else "%.3f %s" % (v, u)
print("| measure | scep | PyTorch | goal |")
print("| --- | --- | --- | --- |")
print("| GPU tests (successful / failed / skipped for want of a GPU) | %s | | all pass, none skipped |" % " / ".join(
    m.group(1) if m else "?" for m in (summary["successful"], summary["failed"], summary["aborted"])))
print("| inference, 20,000 windows | %s | %s | under 1 s |" % (fmt(scep_inf), fmt(torch_inf)))
print("| GPU vs CPU, largest relative difference | %s | | within 1e-4 |" % ("n/a" if rel is None else "%.1e" % rel))
print("| training epoch, 20,000 genes | not built yet | %s | at most 2 s, 3x PyTorch |" % fmt(torch_epoch))
PY
}

case "${1:-}" in
  stage) stage ;;
  device) device ;;
  *) echo "usage: benchmarks/gpu/run.sh stage|device" >&2; exit 2 ;;
esac
