package dev.scep.formats.keras;

import dev.scep.formats.model.Architecture;
import dev.scep.formats.model.ModelFormatException;
import dev.scep.formats.model.ScepModel;
import dev.scep.formats.model.SequenceEncoding;
import io.jhdf.HdfFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class KerasImporterTest {
    @TempDir
    Path dir;

    private static Path h5() {
        Path p = Path.of(System.getProperty("scep.shared.data", "../shared/data"), "xpresso-pretrained/xpresso_human.h5");
        assumeTrue(Files.isRegularFile(p), "shared data not found at " + p);
        return p;
    }

    @Test
    void architectureComesFromTheFileAndMatchesTheXpressoDefinition() throws Exception {
        ScepModel m = KerasImporter.importModel(h5(), KerasImporter.Options.xpressoDefaults());
        assertThat(m.architecture()).isEqualTo(Architecture.xpresso(6));
        assertThat(m.encoding()).isEqualTo(SequenceEncoding.XPRESSO);
        assertThat(m.outputNames()).containsExactly("expression");
        assertThat(m.provenance()).containsEntry("source.md5", "9d00a3bc614da81655328b6e278569e2");
    }

    @Test
    void kernelsAreTransposedToTheScepLayout() throws Exception {
        ScepModel m = KerasImporter.importModel(h5(), KerasImporter.Options.xpressoDefaults());
        try (HdfFile hdf = new HdfFile(h5())) {
            float[][][] conv2 = (float[][][]) hdf.getDatasetByPath("/model_weights/conv1d_2/conv1d_2/kernel:0").getData();
            float[][] dense1 = (float[][]) hdf.getDatasetByPath("/model_weights/dense_1/dense_1/kernel:0").getData();
            // Keras conv kernel [k][in][out] -> scep [out][in][k]; Keras dense [in][out] -> scep [out][in]
            for (int[] tio : new int[][]{{0, 0, 0}, {8, 127, 31}, {3, 77, 5}}) {
                int t = tio[0], i = tio[1], o = tio[2];
                assertThat(m.tensor(0, "conv2.weight").get((o * 128L + i) * 9 + t)).isEqualTo(conv2[t][i][o]);
            }
            for (int[] io : new int[][]{{0, 0}, {1125, 63}, {700, 17}}) {
                assertThat(m.tensor(0, "dense1.weight").get(io[1] * 1126L + io[0])).isEqualTo(dense1[io[0]][io[1]]);
            }
        }
    }

    @Test
    void notAKerasFileIsAClearError() throws Exception {
        Path bogus = Files.writeString(dir.resolve("bogus.h5"), "this is not HDF5");
        assertThatThrownBy(() -> KerasImporter.importModel(bogus, KerasImporter.Options.xpressoDefaults()))
                .isInstanceOf(ModelFormatException.class).hasMessageContaining(bogus.toString());
        assertThatThrownBy(() -> KerasImporter.importModel(dir.resolve("missing.h5"), KerasImporter.Options.xpressoDefaults()))
                .hasMessageContaining("missing.h5");
    }

    @Test
    void wrongNumberOfHalfLifeNamesIsAnError() {
        java.nio.file.Path h5 = h5();   // skips without the shared data (outside the assertion, which would catch the skip)
        assertThatThrownBy(() -> KerasImporter.importModel(h5, new KerasImporter.Options(7000, "x", java.util.List.of("a", "b"))))
                .isInstanceOf(ModelFormatException.class).hasMessageContaining("6 half-life features").hasMessageContaining("2 names");
    }
}
