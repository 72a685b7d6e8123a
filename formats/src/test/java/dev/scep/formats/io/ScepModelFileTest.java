package dev.scep.formats.io;

import dev.scep.formats.model.Architecture;
import dev.scep.formats.model.HalfLifeFeature;
import dev.scep.formats.model.HalfLifeTransform;
import dev.scep.formats.model.ModelFormatException;
import dev.scep.formats.model.OutputSpec;
import dev.scep.formats.model.ParameterInit;
import dev.scep.formats.model.ScepModel;
import dev.scep.formats.model.SequenceEncoding;
import dev.scep.formats.model.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ScepModelFileTest {
    @TempDir
    Path dir;

    /** A two-member, 3-output model whose every field differs from the defaults. */
    static ScepModel sampleModel() {
        Architecture arch = Architecture.scepMultitask(3, 5);
        List<OutputSpec> outputs = List.of(new OutputSpec("T cell", -1.25, 0.75), new OutputSpec("B cell", 0.5, 2.0),
                new OutputSpec("naïve µ-population", 0, 1));
        List<HalfLifeFeature> hl = new ArrayList<>();
        for (String n : List.of("utr5_len", "utr3_len", "orf_len", "intron_len", "exon_junction_density")) {
            hl.add(new HalfLifeFeature(n, HalfLifeTransform.LOG10_PLUS_0_1, hl.size() * 0.3, 1 + hl.size()));
        }
        Map<String, String> prov = new LinkedHashMap<>();
        prov.put("dataset.fingerprint", "sha256:0123abcd");
        prov.put("fold", "7");
        prov.put("seed", "42");
        return new ScepModel(arch, SequenceEncoding.SCEP, outputs, hl, prov,
                List.of(ParameterInit.pytorchDefault(arch, 1), ParameterInit.pytorchDefault(arch, 2)));
    }

    private byte[] sampleBytes() throws IOException {
        Path f = dir.resolve("m.scep");
        ScepModelFile.write(sampleModel(), f);
        return Files.readAllBytes(f);
    }

    private ModelFormatException readFails(byte[] bytes) throws IOException {
        Path f = dir.resolve("bad.scep");
        Files.write(f, bytes);
        try {
            ScepModelFile.read(f);
        } catch (ModelFormatException e) {
            assertThat(e.getMessage()).startsWith(f.toString());
            return e;
        }
        throw new AssertionError("reading a damaged file succeeded");
    }

    @Test
    void roundTripKeepsEveryField() throws IOException {
        ScepModel model = sampleModel();
        Path f = dir.resolve("m.scep");
        ScepModelFile.write(model, f);
        ScepModel back = ScepModelFile.read(f);
        assertThat(back.architecture()).isEqualTo(model.architecture());
        assertThat(back.encoding()).isEqualTo(model.encoding());
        assertThat(back.outputs()).isEqualTo(model.outputs());
        assertThat(back.halfLifeFeatures()).isEqualTo(model.halfLifeFeatures());
        assertThat(back.provenance()).containsExactlyEntriesOf(model.provenance());
        assertThat(back.members()).hasSize(2);
        for (int m = 0; m < 2; m++) {
            for (var e : model.members().get(m).entrySet()) {
                Tensor t = back.tensor(m, e.getKey());
                assertThat(t.contentEquals(e.getValue())).as("member %d tensor %s", m, e.getKey()).isTrue();
            }
        }
        // the two members really differ, so a mix-up would be caught
        assertThat(back.tensor(0, "conv1.weight").contentEquals(back.tensor(1, "conv1.weight"))).isFalse();
    }

    @Test
    void tensorsAreAlignedForMappingAndVectorLoads() throws IOException {
        ScepModel back = ScepModelFile.read(write(sampleModel()));
        for (Map<String, Tensor> member : back.members()) {
            for (Tensor t : member.values()) {
                assertThat(t.segment().address() % 64).as(t.toString()).isZero();
            }
        }
    }

    private Path write(ScepModel m) throws IOException {
        Path f = dir.resolve("w.scep");
        ScepModelFile.write(m, f);
        return f;
    }

    /** Byte offsets where the header, each section header, payload, checksum and the footer begin. */
    private static List<Integer> boundaries(ScepModel model) {
        List<Integer> out = new ArrayList<>();
        int pos = 0;
        for (ByteBuffer b : ScepModelFile.encode(model)) {
            out.add(pos);
            pos += b.remaining();
        }
        out.add(pos);
        return out;
    }

    @Test
    void truncationAtEverySectionBoundaryIsReported() throws IOException {
        byte[] bytes = sampleBytes();
        List<Integer> cuts = boundaries(sampleModel());
        assertThat(cuts.getLast()).isEqualTo(bytes.length);
        for (int cut : cuts.subList(0, cuts.size() - 1)) {
            ModelFormatException e = readFails(java.util.Arrays.copyOf(bytes, cut));
            assertThat(e.getMessage()).as("cut at %d", cut).containsAnyOf("truncated", "wrong magic");
        }
        // and a sweep of arbitrary cut points: never a model, always a clear error
        for (int cut = 1; cut < bytes.length; cut += 997) {
            readFails(java.util.Arrays.copyOf(bytes, cut));
        }
    }

    @Test
    void aFlippedByteInEachSectionIsReported() throws IOException {
        byte[] bytes = sampleBytes();
        List<Integer> cuts = boundaries(sampleModel());
        // every piece: header, each section's padding+header, payload and checksum, and the footer
        for (int i = 0; i + 1 < cuts.size(); i++) {
            int start = cuts.get(i);
            int end = cuts.get(i + 1);
            for (int at : new int[]{start, (start + end) / 2, end - 1}) {
                if (at < 8) {
                    continue; // the magic: covered by its own test
                }
                byte[] damaged = bytes.clone();
                damaged[at] ^= 0x10;
                ModelFormatException e = readFails(damaged);
                assertThat(e.getMessage()).as("flip at %d", at).containsAnyOf("corrupted", "truncated", "not supported");
            }
        }
    }

    @Test
    void wrongMagicIsReported() throws IOException {
        byte[] bytes = sampleBytes();
        bytes[1] = 'X';
        assertThat(readFails(bytes).getMessage()).contains("not a scep model file");
        assertThat(readFails("{\"not\": \"a model\"}".getBytes()).getMessage()).contains("not a scep model file");
        assertThat(readFails(new byte[0]).getMessage()).contains("not a scep model file");
    }

    @Test
    void newerFormatVersionIsReported() throws IOException {
        byte[] bytes = sampleBytes();
        ByteBuffer.wrap(bytes).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(8, ScepModelFile.FORMAT_VERSION + 1);
        assertThat(readFails(bytes).getMessage()).contains("format version 2").contains("newer scep");
    }

    @Test
    void writeReplacesAtomicallyAndLeavesNoTemporaryFiles() throws IOException {
        Path f = dir.resolve("m.scep");
        Files.writeString(f, "old contents");
        ScepModelFile.write(sampleModel(), f);
        assertThat(ScepModelFile.read(f).outputs()).hasSize(3);
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()).toList()).containsExactly("m.scep");
        }
    }

    @Test
    void inconsistentModelsAreRejectedBeforeWriting() {
        Architecture arch = Architecture.scepMultitask(2, 5);
        Map<String, Tensor> weights = new LinkedHashMap<>(ParameterInit.pytorchDefault(arch, 3));
        float[] bad = weights.get("dense2.bias").toArray();
        bad[1] = Float.NaN;
        weights.put("dense2.bias", Tensor.of(new int[]{2}, bad));
        List<HalfLifeFeature> hl = IntStream.range(0, 5).mapToObj(i -> HalfLifeFeature.raw("f" + i)).toList();
        List<OutputSpec> outs = List.of(OutputSpec.unscaled("a"), OutputSpec.unscaled("b"));
        assertThatThrownBy(() -> new ScepModel(arch, SequenceEncoding.SCEP, outs, hl, Map.of(), List.of(weights)))
                .hasMessageContaining("dense2.bias").hasMessageContaining("non-finite");
        assertThatThrownBy(() -> new ScepModel(arch, SequenceEncoding.SCEP, outs.subList(0, 1), hl, Map.of(),
                List.of(ParameterInit.pytorchDefault(arch, 3)))).hasMessageContaining("2 outputs");
        assertThatThrownBy(() -> new ScepModel(arch, SequenceEncoding.SCEP, outs, hl.subList(0, 4), Map.of(),
                List.of(ParameterInit.pytorchDefault(arch, 3)))).hasMessageContaining("half-life");
    }
}
