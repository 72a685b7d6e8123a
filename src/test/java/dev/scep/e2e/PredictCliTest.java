package dev.scep.e2e;

import dev.scep.formats.io.ScepModelFile;
import dev.scep.formats.json.Json;
import dev.scep.formats.model.Architecture;
import dev.scep.formats.model.HalfLifeFeature;
import dev.scep.formats.model.OutputSpec;
import dev.scep.formats.model.ParameterInit;
import dev.scep.formats.model.ScepModel;
import dev.scep.formats.model.SequenceEncoding;
import dev.scep.formats.model.Tensor;
import dev.scep.formats.npy.NpyFiles;
import dev.scep.runtime.Backend;
import dev.scep.runtime.HalfLifeInput;
import dev.scep.runtime.Predictor;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class PredictCliTest {
    static final List<String> HALF_LIFE = List.of("utr5_len", "utr3_len", "orf_len", "intron_len", "exon_junction_density");

    @TempDir
    Path dir;
    Path modelFile;
    ScepModel model;

    @BeforeEach
    void writeModel() throws Exception {
        Architecture arch = Architecture.scepMultitask(3, 5);
        model = new ScepModel(arch, SequenceEncoding.SCEP,
                List.of(new OutputSpec("T cell", -1, 0.5), new OutputSpec("B cell", 0.5, 2), new OutputSpec("NK", 0, 1)),
                HALF_LIFE.stream().map(n -> new HalfLifeFeature(n, dev.scep.formats.model.HalfLifeTransform.LOG10_PLUS_0_1, 1.0, 0.5)).toList(),
                Map.of("fold", "3"), List.of(ParameterInit.pytorchDefault(arch, 11), ParameterInit.pytorchDefault(arch, 12)));
        modelFile = dir.resolve("m.scep");
        ScepModelFile.write(model, modelFile);
    }

    static String window(long seed) {
        Random r = new Random(seed);
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 10_500; i++) {
            b.append("ACGTacgtN".charAt(r.nextInt(9)));
        }
        return b.toString();
    }

    private Path fasta(String... idAndSeq) throws Exception {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < idAndSeq.length; i += 2) {
            b.append('>').append(idAndSeq[i]).append(" some description\n").append(idAndSeq[i + 1]).append('\n');
        }
        return Files.writeString(dir.resolve("w.fa"), b);
    }

    private Path halfLife(String body) throws Exception {
        return Files.writeString(dir.resolve("h.tsv"), "id\t" + String.join("\t", HALF_LIFE) + "\n" + body);
    }

    @Test
    void predictWritesOneColumnPerOutputMatchingTheLibrary() throws Exception {
        Path w = fasta("geneA", window(1), "geneB", window(2));
        Path h = halfLife("geneB\t10\t200\t1500\t3000\t2.5\ngeneA\t0\t0\t300\t0\t3.3\n");
        Path out = dir.resolve("p.tsv");
        Cli c = Cli.run("predict", "--model", modelFile, "--windows", w, "--halflife", h, "--out", out);
        assertThat(c.exitCode()).as(c.err()).isZero();
        List<String> lines = Tables.lines(out);
        assertThat(lines.getFirst()).isEqualTo("id\tT cell\tB cell\tNK");
        assertThat(lines).hasSize(3);
        try (Predictor ref = Predictor.of(model, new Predictor.Options(Backend.REFERENCE, 1))) {
            float[] a = ref.predict(window(1), HalfLifeInput.raw(0, 0, 300, 0, 3.3));
            float[] b = ref.predict(window(2), HalfLifeInput.raw(10, 200, 1500, 3000, 2.5));
            String[] la = lines.get(1).split("\t");
            String[] lb = lines.get(2).split("\t");
            assertThat(la[0]).isEqualTo("geneA");
            assertThat(lb[0]).isEqualTo("geneB");
            for (int o = 0; o < 3; o++) {
                assertThat(Double.parseDouble(la[o + 1])).isCloseTo(a[o], within(1e-4));
                assertThat(Double.parseDouble(lb[o + 1])).isCloseTo(b[o], within(1e-4));
            }
        }
    }

    private Cli predictFails(Path w, Path h) throws Exception {
        Path out = dir.resolve("existing.tsv");
        Files.writeString(out, "precious\n");
        Cli c = Cli.run("predict", "--model", modelFile, "--windows", w, "--halflife", h, "--out", out);
        assertThat(c.exitCode()).isEqualTo(1);
        assertThat(c.err()).startsWith("scep: error: ");
        assertThat(Tables.text(out)).as("an existing output is left untouched").isEqualTo("precious\n");
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".tmp"));
        }
        return c;
    }

    @Test
    void windowOfTheWrongLengthIsAnErrorNamingFileLineAndId() throws Exception {
        Path w = fasta("ok", window(1), "short", window(2).substring(1));
        Cli c = predictFails(w, halfLife("ok\t1\t1\t1\t1\t1\nshort\t1\t1\t1\t1\t1\n"));
        assertThat(c.err()).contains(w + ":3").contains("'short'").contains("10499 bases").contains("10500");
    }

    @Test
    void unknownCharacterIsAnErrorNamingPosition() throws Exception {
        String bad = window(3);
        bad = bad.substring(0, 777) + "X" + bad.substring(778);
        Path w = fasta("g1", window(1), "g2", bad);
        Cli c = predictFails(w, halfLife("g1\t1\t1\t1\t1\t1\ng2\t1\t1\t1\t1\t1\n"));
        assertThat(c.err()).contains(w + ":3").contains("'g2'").contains("'X'").contains("position 777");
    }

    @Test
    void idMissingFromTheHalfLifeTableIsAnError() throws Exception {
        Path h = halfLife("g1\t1\t1\t1\t1\t1\n");
        Cli c = predictFails(fasta("g1", window(1), "g2", window(2)), h);
        assertThat(c.err()).contains(h.toString()).contains("no row for window 'g2'");
    }

    @Test
    void wrongFeatureCountIsAnError() throws Exception {
        Path h = Files.writeString(dir.resolve("h4.tsv"), "id\ta\tb\tc\td\ng1\t1\t2\t3\t4\n");
        Cli c = predictFails(fasta("g1", window(1)), h);
        assertThat(c.err()).contains("4 feature column(s)").contains("needs 5");
    }

    @Test
    void nonNumericAndNaNHalfLifeValuesAreErrorsWithLine() throws Exception {
        Cli c = predictFails(fasta("g1", window(1)), halfLife("g1\t1\t2\tthree\t4\t5\n"));
        assertThat(c.err()).contains("h.tsv:2").contains("orf_len").contains("'three'");
        c = predictFails(fasta("g1", window(1)), halfLife("g1\t1\t2\tNaN\t4\t5\n"));
        assertThat(c.err()).contains("h.tsv:2").contains("not finite");
    }

    @Test
    void corruptedModelIsAClearError() throws Exception {
        byte[] bytes = Files.readAllBytes(modelFile);
        bytes[bytes.length / 2] ^= 1;
        Files.write(modelFile, bytes);
        Cli c = Cli.run("info", modelFile);
        assertThat(c.exitCode()).isEqualTo(1);
        assertThat(c.err()).contains(modelFile.toString()).contains("corrupted");
    }

    @Test
    void infoDescribesTheModel() {
        Cli c = Cli.run("info", modelFile);
        assertThat(c.exitCode()).as(c.err()).isZero();
        assertThat(c.out()).contains("2 member(s)").contains("ACTG").contains("Conv1d 4->128 k=6 pad=(2,2) relu  -> 128 x 10499")
                .contains("MaxPool1d size=30 stride=30 pad=(1,1)  -> 128 x 350").contains("-> 32 x 35")
                .contains("B cell").contains("exon_junction_density").contains("fold");
        Cli j = Cli.run("info", "--json", modelFile);
        assertThat(((Map<?, ?>) Json.parse(j.out())).get("ensemble_members")).isEqualTo(2L);
    }

    @Test
    void exportedNpyFilesHoldTheModelsTensors() throws Exception {
        Path out = dir.resolve("export");
        Cli c = Cli.run("export-weights", "--model", modelFile, "--out", out);
        assertThat(c.exitCode()).as(c.err()).isZero();
        Map<?, ?> arch = (Map<?, ?>) Json.parse(Tables.text(out.resolve("architecture.json")));
        assertThat(((List<?>) arch.get("layers"))).hasSize(9);
        List<?> tensors = (List<?>) arch.get("tensors");
        assertThat(tensors).hasSize(2);
        for (int m = 0; m < 2; m++) {
            for (Architecture.ParameterShape p : model.architecture().parameterShapes()) {
                Path npy = out.resolve((String) ((Map<?, ?>) tensors.get(m)).get(p.name()));
                NpyFiles.Float32Array a = NpyFiles.readFloat32(npy);
                Tensor t = model.tensor(m, p.name());
                assertThat(a.shape()).containsExactly(t.shape());
                assertThat(a.values()).containsExactly(t.toArray());
                // header as numpy writes it: magic, version 1.0, dict padded so the data starts 64-byte aligned
                byte[] head = Files.readAllBytes(npy);
                assertThat(new String(head, 1, 5)).isEqualTo("NUMPY");
                int headerLen = (head[8] & 0xff) | (head[9] & 0xff) << 8;
                assertThat((10 + headerLen) % 64).isZero();
                assertThat(new String(head, 10, headerLen)).startsWith("{'descr': '<f4', 'fortran_order': False, 'shape': (");
            }
        }
    }

    @Test
    void usageErrorsExitWithTwo() {
        Cli c = Cli.run("predict", "--model", modelFile);
        assertThat(c.exitCode()).isEqualTo(2);
        assertThat(c.err()).contains("Missing required");
        assertThat(Cli.run("predict", "--backend", "gpu-please", "--model", modelFile, "--windows", "w", "--zero-halflife",
                "--out", "o").err()).contains("unknown backend 'gpu-please'");
    }

    @Test
    void zeroHalfLifeNeedsNoTable() throws Exception {
        Path out = dir.resolve("p.tsv");
        Cli c = Cli.run("predict", "--model", modelFile, "--windows", fasta("g", window(9)), "--zero-halflife", "--out", out);
        assertThat(c.exitCode()).as(c.err()).isZero();
        assertThat(Tables.lines(out)).hasSize(2);
    }
}
