package dev.scep.e2e;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The single-cell files people have, through {@code scep pseudobulk}: a 10x HDF5 (CellRanger 3+ and 2), a loom file
 * and an AnnData file with raw and a counts layer (formats/src/test/resources/expression/make_hdf5_matrices.py writes
 * them with h5py in the real tools' layouts) give the pseudobulk of the Matrix Market of the same counts.
 */
class SingleCellFormatsCliTest {
    private static final Path FIXTURES = Path.of("").toAbsolutePath().getParent().getParent()
            .resolve("formats/src/test/resources/expression");

    @TempDir
    Path dir;

    private List<String> pseudobulk(String name, Object... args) throws Exception {
        List<Object> all = new java.util.ArrayList<>(List.of("pseudobulk"));
        all.addAll(List.of(args));
        all.addAll(List.of("--population-column", "type", "--all-cells", "--out", dir.resolve(name)));
        Cli c = Cli.run(all.toArray());
        assertThat(c.exitCode()).as(c.err()).isZero();
        return Tables.lines(dir.resolve(name));
    }

    private static void assertSame(List<String> got, List<String> expected) {
        assertThat(got).hasSameSizeAs(expected);
        assertThat(got.getFirst()).isEqualTo(expected.getFirst());
        for (int i = 1; i < got.size(); i++) {
            String[] g = got.get(i).split("\t");
            String[] e = expected.get(i).split("\t");
            assertThat(g[0]).isEqualTo(e[0]);
            for (int k = 1; k < g.length; k++) {
                if (g[k].matches("-?[0-9.eE+-]+") && e[k].matches("-?[0-9.eE+-]+")) {
                    assertThat(Double.parseDouble(g[k])).as("%s column %d", g[0], k).isCloseTo(Double.parseDouble(e[k]), within(1e-6));
                } else {
                    assertThat(g[k]).isEqualTo(e[k]);
                }
            }
        }
    }

    @Test
    void tenXLoomAndAnnDataLayersGiveTheMatrixMarketsPseudobulk() throws Exception {
        Path cells = FIXTURES.resolve("cells.tsv");
        List<String> mtx = pseudobulk("mtx.tsv", "--expression", FIXTURES.resolve("counts.mtx"), "--genes",
                FIXTURES.resolve("counts.genes.tsv"), "--barcodes", FIXTURES.resolve("counts.barcodes.tsv"), "--cells", cells);
        assertThat(mtx).hasSize(5);
        assertSame(pseudobulk("v3.tsv", "--expression", FIXTURES.resolve("tenx_v3.h5"), "--cells", cells), mtx);
        assertSame(pseudobulk("v2.tsv", "--expression", FIXTURES.resolve("tenx_v2.h5"), "--cells", cells), mtx);
        assertSame(pseudobulk("loom.tsv", "--expression", FIXTURES.resolve("tiny.loom")), mtx);   // its own col_attrs
        assertSame(pseudobulk("layer.tsv", "--expression", FIXTURES.resolve("layered.h5ad"), "--layer", "counts"), mtx);

        Cli logged = Cli.run("pseudobulk", "--expression", FIXTURES.resolve("layered.h5ad"), "--population-column", "type",
                "--out", dir.resolve("x.tsv"));
        assertThat(logged.exitCode()).as(logged.err()).isZero();
        assertThat(logged.err()).contains("looks log-transformed", "--layer");
        Cli wrong = Cli.run("pseudobulk", "--expression", FIXTURES.resolve("tenx_v3.h5"), "--cells", cells, "--layer", "counts",
                "--population-column", "type", "--out", dir.resolve("y.tsv"));
        assertThat(wrong.exitCode()).isEqualTo(1);
        assertThat(wrong.err()).startsWith("scep: error: ").contains("10x matrix");
    }
}
