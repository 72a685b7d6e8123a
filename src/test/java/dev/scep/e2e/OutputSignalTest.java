package dev.scep.e2e;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A scep process stopped by SIGTERM in the middle of writing leaves no temporary file behind and the previous
 * output as it was. The windows come through a FIFO that is fed half-way and held open, so the process is caught
 * with its temporary output open.
 */
class OutputSignalTest {
    @TempDir
    Path dir;

    @Test
    void sigtermRemovesTemporaryFilesAndKeepsTheOldOutput() throws Exception {
        Path shared = SharedData.dir();
        Path model = dir.resolve("x.scep");
        assertThat(Cli.run("import-keras", shared.resolve("xpresso-pretrained/xpresso_human.h5"), "--out", model).exitCode()).isZero();
        Path out = dir.resolve("out");
        Files.createDirectory(out);
        Path previous = out.resolve("p.tsv");
        Files.writeString(previous, "the previous output\n");
        Path fifo = dir.resolve("windows.fifo");
        assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor()).isZero();

        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), "dev.scep.cli.ScepCommand", "predict", "--model", model.toString(),
                "--windows", fifo.toString(), "--zero-halflife", "--batch", "1", "--out", previous.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("log.txt").toFile()).start();
        try (OutputStream feed = Files.newOutputStream(fifo)) {   // blocks until scep opens the FIFO
            feed.write((">w1\n" + "ACGT".repeat(10_500 / 4) + "\n").getBytes(StandardCharsets.US_ASCII));
            feed.flush();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (temporaryFiles(out).isEmpty() && System.nanoTime() < deadline && p.isAlive()) {
                Thread.sleep(50);
            }
            assertThat(temporaryFiles(out)).as(Tables.text(dir.resolve("log.txt"))).isNotEmpty();
            p.destroy();   // SIGTERM, with the FIFO still open and the output half-written
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(temporaryFiles(out)).isEmpty();
        assertThat(Tables.text(previous)).isEqualTo("the previous output\n");
    }

    private static List<Path> temporaryFiles(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(f -> f.getFileName().toString().startsWith(".")).toList();
        }
    }
}
