package dev.scep.e2e;

import dev.scep.formats.io.ScepModelFile;
import dev.scep.formats.model.Architecture;
import dev.scep.formats.model.HalfLifeFeature;
import dev.scep.formats.model.OutputSpec;
import dev.scep.formats.model.ParameterInit;
import dev.scep.formats.model.ScepModel;
import dev.scep.formats.model.SequenceEncoding;
import dev.scep.nativebindings.GpuProbe;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/**
 * {@code --device} on a machine without a usable GPU (CI, developers' machines): {@code gpu} fails at once, before
 * reading any input, naming what is missing; {@code auto} says why it falls back and gives the CPU's answer.
 * Skipped where a GPU works (there GpuForwardTest compares the two engines).
 */
class DeviceCliTest {
    @TempDir
    Path dir;
    Path model;

    @BeforeEach
    void setUp() throws Exception {
        assumeFalse(GpuProbe.probe().usable(), "skipped: this machine has a usable GPU");
        Architecture arch = Architecture.scepMultitask(2, 5);
        ScepModel m = new ScepModel(arch, SequenceEncoding.SCEP, List.of(new OutputSpec("a", 0, 1), new OutputSpec("b", 1, 2)),
                PredictCliTest.HALF_LIFE.stream().map(n -> new HalfLifeFeature(n, dev.scep.formats.model.HalfLifeTransform.LOG10_PLUS_0_1,
                        1.0, 0.5)).toList(), Map.of(), List.of(ParameterInit.pytorchDefault(arch, 5)));
        model = dir.resolve("m.scep");
        ScepModelFile.write(m, model);
    }

    @Test
    void predictOnTheGpuFailsAtOnceNamingTheMissingLibrariesOrDevice() {
        Cli c = Cli.run("predict", "--model", model, "--windows", dir.resolve("does-not-exist.fa"), "--zero-halflife",
                "--out", dir.resolve("p.tsv"), "--device", "gpu");
        assertThat(c.exitCode()).isEqualTo(1);
        assertThat(c.err()).startsWith("scep: error: no usable GPU:\n  - ");
        // each missing piece is named: a library by its file names, or CUDA's own reason for having no device
        assertThat(c.err()).containsAnyOf("libcuda.so.1", "libcudart.so", "libcudnn.so.9", "cudaError");
        assertThat(c.err()).doesNotContain("does-not-exist");   // checked before any input is read
        assertThat(dir.resolve("p.tsv")).doesNotExist();
    }

    @Test
    void autoFallsBackToTheCpuAndSaysWhy() throws Exception {
        Path w = Files.writeString(dir.resolve("w.fa"), ">g1\n" + PredictCliTest.window(3) + "\n>g2\n" + PredictCliTest.window(4) + "\n");
        Cli cpu = Cli.run("predict", "--model", model, "--windows", w, "--zero-halflife", "--out", dir.resolve("cpu.tsv"));
        Cli auto = Cli.run("predict", "--model", model, "--windows", w, "--zero-halflife", "--out", dir.resolve("auto.tsv"), "--device", "auto");
        assertThat(cpu.exitCode()).as(cpu.err()).isZero();
        assertThat(auto.exitCode()).as(auto.err()).isZero();
        assertThat(auto.err()).contains("scep: no usable GPU, running on the CPU:\n  - ");
        assertThat(Tables.text(dir.resolve("auto.tsv"))).isEqualTo(Tables.text(dir.resolve("cpu.tsv")));
    }

    @Test
    void trainingCrossValidationAndPersonalGenomesOnTheGpuFailAtOnceToo() {
        Cli c = Cli.run("train", "--dataset", dir.resolve("absent.sced"), "--out", dir.resolve("m2.scep"), "--device", "gpu");
        assertThat(c.exitCode()).isEqualTo(1);
        assertThat(c.err()).startsWith("scep: error: no usable GPU:").doesNotContain("absent.sced");
        Cli cv = Cli.run("cv", "--dataset", dir.resolve("absent.sced"), "--out", dir.resolve("cv"), "--device", "gpu");
        assertThat(cv.exitCode()).isEqualTo(1);
        assertThat(cv.err()).startsWith("scep: error: no usable GPU:").doesNotContain("absent.sced");
        assertThat(dir.resolve("cv")).doesNotExist();
        Cli personal = Cli.run("personal", "--model", model, "--fasta", dir.resolve("absent.fa"), "--gtf", dir.resolve("absent.gtf"),
                "--vcf", dir.resolve("absent.vcf.gz"), "--out", dir.resolve("p.tsv"), "--device", "gpu");
        assertThat(personal.exitCode()).isEqualTo(1);
        assertThat(personal.err()).startsWith("scep: error: no usable GPU:").doesNotContain("absent");
        assertThat(dir.resolve("p.tsv")).doesNotExist();
        Cli bad = Cli.run("train", "--dataset", dir.resolve("absent.sced"), "--out", dir.resolve("m2.scep"), "--device", "tpu");
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.err()).contains("unknown device 'tpu' (expected cpu, gpu or auto)");
    }
}
