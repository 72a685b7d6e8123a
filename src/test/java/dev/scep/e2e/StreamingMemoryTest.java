package dev.scep.e2e;

import dev.scep.formats.io.ScepModelFile;
import dev.scep.formats.model.Architecture;
import dev.scep.formats.model.HalfLifeFeature;
import dev.scep.formats.model.OutputSpec;
import dev.scep.formats.model.ParameterInit;
import dev.scep.formats.model.ScepModel;
import dev.scep.formats.model.SequenceEncoding;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/** Predicting 10,000 windows streamed from a FASTA fits in a 256 MB heap (the issue's budget). */
class StreamingMemoryTest {
    @TempDir
    Path dir;

    @Test
    void tenThousandWindowsPredictWithin256MegabytesOfHeap() throws Exception {
        Architecture arch = Architecture.scepMultitask(20, 5);
        ScepModel model = new ScepModel(arch, SequenceEncoding.SCEP,
                IntStream.range(0, 20).mapToObj(i -> OutputSpec.unscaled("pop" + i)).toList(),
                IntStream.range(0, 5).mapToObj(i -> HalfLifeFeature.raw("hl" + i)).toList(), Map.of(),
                List.of(ParameterInit.pytorchDefault(arch, 5)));
        Path modelFile = dir.resolve("m.scep");
        ScepModelFile.write(model, modelFile);
        Path windows = dir.resolve("w.fa");
        SplittableRandom rnd = new SplittableRandom(1);
        byte[] line = new byte[10_501];
        line[10_500] = '\n';
        try (OutputStream o = new BufferedOutputStream(Files.newOutputStream(windows), 1 << 20)) {
            for (int i = 0; i < 10_000; i++) {
                o.write((">w" + i + "\n").getBytes(StandardCharsets.US_ASCII));
                for (int p = 0; p < 10_500; p++) {
                    line[p] = (byte) "ACGT".charAt(rnd.nextInt(4));
                }
                o.write(line);
            }
        }
        Path out = dir.resolve("p.tsv");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-Xmx256m", "--add-modules", "jdk.incubator.vector", "-cp",
                System.getProperty("java.class.path"), "dev.scep.cli.ScepCommand", "predict", "--model", modelFile.toString(),
                "--windows", windows.toString(), "--zero-halflife", "--out", out.toString())
                .redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(300, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(log).isZero();
        try (var lines = Files.lines(out)) {
            assertThat(lines.filter(l -> !l.startsWith("#")).count()).isEqualTo(10_001);
        }
    }
}
