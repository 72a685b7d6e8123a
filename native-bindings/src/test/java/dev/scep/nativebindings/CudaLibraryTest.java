package dev.scep.nativebindings;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/** Library discovery (DESIGN §6): where scep looks, in which order, and what it says when nothing loads. */
class CudaLibraryTest {
    @Test
    void looksInScepCudaLibsFirstThenTheLibraryPathsThenCudaHomeThenPythonWheels(@TempDir Path tmp) throws IOException {
        Path mine = Files.createDirectories(tmp.resolve("mine"));
        Path ld = Files.createDirectories(tmp.resolve("ld"));
        Path jlp = Files.createDirectories(tmp.resolve("jlp"));
        Path cudaHome = Files.createDirectories(tmp.resolve("cuda/lib64"));
        Path wheel = Files.createDirectories(tmp.resolve("venv/lib/python3.12/site-packages/nvidia/cudnn/lib"));
        Path cu13 = Files.createDirectories(tmp.resolve("venv/lib/python3.12/site-packages/nvidia/cu13/lib"));
        List<Path> folders = CudaLibrary.CUDNN.searchFolders(Map.of("SCEP_CUDA_LIBS", mine + ":" + tmp.resolve("absent"),
                "LD_LIBRARY_PATH", ld.toString(), "CUDA_HOME", tmp.resolve("cuda").toString(),
                "VIRTUAL_ENV", tmp.resolve("venv").toString()), jlp.toString());
        assertThat(folders).containsSubsequence(mine, jlp, ld, cudaHome, wheel, cu13);
        assertThat(folders).doesNotContain(tmp.resolve("absent"));
        // the driver has no wheel: only the paths and the system loader
        assertThat(CudaLibrary.DRIVER.searchFolders(Map.of("VIRTUAL_ENV", tmp.resolve("venv").toString()), ""))
                .doesNotContain(wheel, cu13);
    }

    @Test
    void aLibraryThatIsMissingOrBrokenIsReportedWithEveryPlaceLookedIn(@TempDir Path tmp) throws IOException {
        assumeFalse(CudaLibrary.CUDNN.available(), "cuDNN is installed here, so it cannot be shown missing");
        Path dir = Files.createDirectories(tmp.resolve("libs"));
        Files.writeString(dir.resolve("libcudnn.so.9"), "not an ELF file");
        assertThatThrownBy(() -> CudaLibrary.CUDNN.find(Map.of("SCEP_CUDA_LIBS", dir.toString()), ""))
                .isInstanceOf(GpuUnavailableException.class)
                .hasMessageContaining("cuDNN 9 not found: looked for libcudnn.so.9 in " + dir)
                .hasMessageContaining("found but could not load " + dir.resolve("libcudnn.so.9"))
                .hasMessageContaining("set SCEP_CUDA_LIBS");
    }

    @Test
    void aScepCudaLibsEntryNamingTheFileItselfSearchesItsFolder(@TempDir Path tmp) throws IOException {
        Path file = Files.writeString(tmp.resolve("libnvrtc.so.12"), "x");
        assertThat(CudaLibrary.NVRTC.searchFolders(Map.of("SCEP_CUDA_LIBS", file.toString()), "")).first().isEqualTo(tmp);
    }
}
