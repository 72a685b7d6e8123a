package dev.scep.e2e;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Without the jdk.incubator.vector module the library must fall back to its scalar kernels, not crash. */
class VectorFallbackTest {
    @TempDir
    Path dir;

    @Test
    void demoPassesInAJvmWithoutTheVectorModule() throws Exception {
        Path data = SharedData.dir();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = List.of(java, "-cp", System.getProperty("java.class.path"), "dev.scep.cli.ScepCommand",
                "demo", "--data", data.toString(), "--out", dir.toString());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(output).isZero();
        assertThat(output).contains("jdk.incubator.vector is not available").contains("scalar backend").contains("PASS");
    }
}
