package dev.scep.formats.pytorch;

import dev.scep.formats.model.ModelFormatException;
import dev.scep.formats.model.OutputSpec;
import dev.scep.formats.model.ScepModel;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PytorchCheckpointTest {
    @TempDir
    Path dir;

    static Path exampleCheckpoint() {
        Path p = Path.of(System.getProperty("scep.shared.data", "../shared/data"),
                "scep-pytorch-example/run/logmean_multitask_3/ckpt_dir0/model_best.pth.tar");
        Assumptions.assumeTrue(Files.isRegularFile(p), "no " + p);
        return p;
    }

    static PytorchImporter.Options options(int outputs) {
        return new PytorchImporter.Options(java.util.stream.IntStream.range(0, outputs)
                .mapToObj(i -> new OutputSpec("p" + i, 0, 1)).toList(), 7000, 3500, Map.of());
    }

    @Test
    void readsTheStateDictOfARealCheckpoint() throws Exception {
        PytorchCheckpoint c = PytorchCheckpoint.read(exampleCheckpoint());
        assertThat(c.keys()).containsExactly("conv.0.weight", "conv.0.bias", "conv.3.weight", "conv.3.bias",
                "fc.0.weight", "fc.0.bias", "fc.3.weight", "fc.3.bias");
        assertThat(c.stateDict().get("conv.0.weight").shape()).containsExactly(128, 4, 6);
        assertThat(c.stateDict().get("fc.0.weight").shape()).containsExactly(64, 1125);
        assertThat(c.stateDict().get("fc.3.weight").shape()).containsExactly(5, 64);
        assertThat(c.epoch()).hasValue(17);
    }

    @Test
    void readsAHandMadeBareStateDict() throws Exception {
        Path f = dir.resolve("bare.pt");
        TorchZip.cnn1d(3, 1125).write(f);
        ScepModel m = PytorchImporter.importModel(List.of(f), options(3));
        assertThat(m.halfLifeFeatures()).hasSize(5);
        assertThat(m.tensor(0, "dense2.bias").toArray()).containsExactly(0.5f, 0.5f, 0.5f);
    }

    @Test
    void refusesATruncatedCheckpoint() throws Exception {
        byte[] all = Files.readAllBytes(exampleCheckpoint());
        Path f = Files.write(dir.resolve("truncated.pth.tar"), Arrays.copyOf(all, all.length / 2));
        assertThatThrownBy(() -> PytorchCheckpoint.read(f)).isInstanceOf(ModelFormatException.class)
                .hasMessageStartingWith(f.toString()).hasMessageContaining("not a complete torch.save zip");
    }

    @Test
    void refusesACorruptedCheckpoint() throws Exception {
        byte[] all = Files.readAllBytes(exampleCheckpoint());
        // a byte inside the pickle (the first entry's data starts after its 30-byte header and name)
        byte[] pkl = all.clone();
        pkl[200] ^= 0x5a;
        Path f = Files.write(dir.resolve("corrupt-pickle.pth.tar"), pkl);
        assertThatThrownBy(() -> PytorchCheckpoint.read(f)).isInstanceOf(ModelFormatException.class)
                .hasMessageStartingWith(f.toString()).hasMessageContaining("data.pkl").hasMessageContaining("corrupted");
        // a byte inside a storage
        byte[] data = all.clone();
        data[all.length / 3] ^= 0x5a;
        Path g = Files.write(dir.resolve("corrupt-data.pth.tar"), data);
        assertThatThrownBy(() -> PytorchCheckpoint.read(g)).isInstanceOf(ModelFormatException.class)
                .hasMessageStartingWith(g.toString()).hasMessageContaining("corrupted");
        Path h = Files.write(dir.resolve("legacy.pt"), new byte[]{(byte) 0x80, 2, 'K', 1});
        assertThatThrownBy(() -> PytorchCheckpoint.read(h)).hasMessageContaining("legacy");
    }

    @Test
    void refusesAnotherArchitectureNamingFileAndKey() throws Exception {
        Path f = dir.resolve("seven.pt");
        TorchZip.cnn1d(7, 1125).write(f);
        assertThatThrownBy(() -> PytorchImporter.importModel(List.of(f), options(5))).isInstanceOf(ModelFormatException.class)
                .hasMessageStartingWith(f.toString())
                .hasMessageContaining("fc.3.weight has shape [7, 64], expected [5, 64]")
                .hasMessageContaining("7 populations in the checkpoint, 5 output columns given");
        Path g = dir.resolve("wide.pt");
        TorchZip.cnn1d(5, 1000).write(g);
        assertThatThrownBy(() -> PytorchImporter.importModel(List.of(g), options(5))).isInstanceOf(ModelFormatException.class)
                .hasMessageStartingWith(g.toString()).hasMessageContaining("fc.0.weight has shape [64, 1000]");
    }

    @Test
    void refusesAClassOutsideTheAllowList() throws Exception {
        Path f = dir.resolve("evil.pt");
        new TorchZip().op(0x80, 2).global("os", "system").str("echo hi").op(0x85, 'R', '.').write(f);
        assertThatThrownBy(() -> PytorchCheckpoint.read(f)).isInstanceOf(ModelFormatException.class)
                .hasMessageStartingWith(f.toString())
                .hasMessageContaining("asks for the Python class os.system, which is not on the allow-list");
        Path g = dir.resolve("builtins.pt");
        new TorchZip().op(0x80, 4).str("builtins").str("eval").op(0x93).str("1").op(0x85, 'R', '.').write(g);
        assertThatThrownBy(() -> PytorchCheckpoint.read(g)).hasMessageContaining("builtins.eval");
        Path h = dir.resolve("huge.pt");
        new TorchZip().op(0x80, 2, 'X', 0xff, 0xff, 0xff, 0x7f, '.').write(h);
        assertThatThrownBy(() -> PytorchCheckpoint.read(h)).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("claims 2147483647 bytes");
    }
}
