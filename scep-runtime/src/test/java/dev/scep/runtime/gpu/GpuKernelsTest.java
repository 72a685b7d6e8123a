package dev.scep.runtime.gpu;

import dev.scep.nativebindings.CudaLibrary;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The GPU kernels compile to PTX for Hopper (sm_90, the lent H100/H200) and define exactly the kernels
 * {@link GpuKernels#NAMES} lists, with nvcc where it is installed and with NVRTC where its library is; neither
 * needs a GPU. Where both are missing the tests say so and skip.
 */
class GpuKernelsTest {
    private static final Pattern ENTRY = Pattern.compile("\\.visible \\.entry (\\w+)\\(");

    private static List<String> entries(String ptx) {
        List<String> out = new ArrayList<>();
        Matcher m = ENTRY.matcher(ptx);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    private static Path nvcc() {
        for (String dir : (System.getenv().getOrDefault("PATH", "") + ":/usr/local/cuda/bin").split(":")) {
            Path p = Path.of(dir.isEmpty() ? "." : dir, "nvcc");
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }

    @Test
    void nvccCompilesTheKernelsToPtxForHopper(@TempDir Path tmp) throws IOException, InterruptedException {
        Path nvcc = nvcc();
        assumeTrue(nvcc != null, "skipped: nvcc is not installed here (not on PATH, not in /usr/local/cuda/bin)");
        Path cu = Files.writeString(tmp.resolve("scep_kernels.cu"), GpuKernels.source());
        Path ptx = tmp.resolve("scep_kernels.ptx");
        Process p = new ProcessBuilder(nvcc.toString(), "--ptx", "-arch=compute_90", "--fmad=false", "-o", ptx.toString(), cu.toString())
                .redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("nvcc output:%n%s", log).isZero();
        assertThat(log).as("nvcc warnings").doesNotContainIgnoringCase("warning");
        String text = Files.readString(ptx);
        assertThat(text).contains(".target sm_90");
        assertThat(entries(text)).containsExactlyInAnyOrderElementsOf(GpuKernels.NAMES);
    }

    @Test
    void nvccAssemblesTheKernelsIntoAHopperCubin(@TempDir Path tmp) throws IOException, InterruptedException {
        // what CudaContext loads first: machine code through ptxas, not only PTX
        Path nvcc = nvcc();
        assumeTrue(nvcc != null, "skipped: nvcc is not installed here (not on PATH, not in /usr/local/cuda/bin)");
        Path cu = Files.writeString(tmp.resolve("scep_kernels.cu"), GpuKernels.source());
        Path cubin = tmp.resolve("scep_kernels.cubin");
        Process p = new ProcessBuilder(nvcc.toString(), "--cubin", "-arch=sm_90", "--fmad=false", "-o", cubin.toString(), cu.toString())
                .redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("nvcc output:%n%s", log).isZero();
        assertThat(log).as("nvcc warnings").doesNotContainIgnoringCase("warning");
        byte[] elf = Files.readAllBytes(cubin);
        assertThat(java.util.Arrays.copyOf(elf, 4)).containsExactly(0x7f, 'E', 'L', 'F');
        String text = new String(elf, java.nio.charset.StandardCharsets.ISO_8859_1);
        for (String name : GpuKernels.NAMES) {
            assertThat(text).as("symbol " + name).contains(name);
        }
    }

    @Test
    void nvrtcCompilesACubinForTheDevicesArchitecture() {
        assumeTrue(CudaLibrary.NVRTC.available(), "skipped: NVRTC's library is not installed here (set SCEP_CUDA_LIBS to its folder)");
        byte[] cubin = GpuKernels.cubin(9, 0);
        assertThat(java.util.Arrays.copyOf(cubin, 4)).containsExactly(0x7f, 'E', 'L', 'F');
    }

    @Test
    void nvrtcCompilesTheKernelsForTheDevicesComputeCapability() {
        assumeTrue(CudaLibrary.NVRTC.available(), "skipped: NVRTC's library is not installed here (set SCEP_CUDA_LIBS to its folder)");
        String ptx = GpuKernels.ptx(9, 0);
        assertThat(ptx).contains(".target sm_90");
        assertThat(entries(ptx)).containsExactlyInAnyOrderElementsOf(GpuKernels.NAMES);
    }
}
