package dev.scep.formats.expression;

import dev.scep.formats.text.InputFormatException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The HDF5 matrices people hand around, written by make_hdf5_matrices.py in the layouts of CellRanger (3+ and 2),
 * loompy and anndata: each gives the counts of the Matrix Market beside them, recognised by content, not by name.
 */
class Hdf5MatricesTest {
    /** The counts every fixture holds, genes × cells. */
    private static final double[][] COUNTS = {{1, 0, 2, 0, 0}, {0, 0, 0, 0, 0}, {3, 1, 0, 0, 5}, {0, 1, 0, 4, 0}};
    private static final List<String> IDS = List.of("ENSG01", "ENSG02", "ENSG03", "ENSG04");
    private static final List<String> CELLS = List.of("AAAC-1", "AAAG-1", "AACT-1", "AAGT-1", "ACGT-1");

    @TempDir
    Path dir;

    private Path resource(String name) throws IOException {
        Path p = dir.resolve(name);
        try (InputStream in = getClass().getResourceAsStream("/expression/" + name)) {
            Files.copy(in, p);
        }
        return p;
    }

    /** The matrix as gene id → cell id → value. */
    private static Map<String, Map<String, Double>> read(ExpressionMatrix m) throws IOException {
        Map<String, Map<String, Double>> out = new HashMap<>();
        m.forEachEntry((g, c, v) -> out.computeIfAbsent(m.geneIds().get(g), k -> new HashMap<>()).merge(m.cellIds().get(c), v, Double::sum));
        return out;
    }

    private static void assertCounts(ExpressionMatrix m, double scale) throws IOException {
        Map<String, Map<String, Double>> v = read(m);
        for (int g = 0; g < IDS.size(); g++) {
            for (int c = 0; c < CELLS.size(); c++) {
                double got = v.getOrDefault(IDS.get(g), Map.of()).getOrDefault(CELLS.get(c), 0.0);
                assertThat(got).as("%s %s of %s", IDS.get(g), CELLS.get(c), m.source()).isEqualTo(COUNTS[g][c] * scale);
            }
        }
    }

    @Test
    void tenXVersion3KeepsOnlyGeneExpressionAndIsKnownByContent() throws IOException {
        Path renamed = dir.resolve("whatever.dat");
        Files.copy(resource("tenx_v3.h5"), renamed);
        ExpressionMatrix m = ExpressionMatrix.open(renamed, null, null);
        assertThat(m.geneIds()).isEqualTo(IDS);                  // the antibody-capture feature is left out
        assertThat(m.geneNames()).containsExactly("G0", "G1", "G2", "G3");
        assertThat(m.cellIds()).isEqualTo(CELLS);
        assertCounts(m, 1);
        assertThatThrownBy(() -> ExpressionMatrix.open(renamed, null, null, new ExpressionMatrix.Choice("counts", null)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("10x matrix");
    }

    @Test
    void tenXVersion2() throws IOException {
        ExpressionMatrix m = ExpressionMatrix.open(resource("tenx_v2.h5"), null, null);
        assertThat(m.geneNames()).containsExactly("G0", "G1", "G2", "G3");
        assertCounts(m, 1);
    }

    @Test
    void loomWithItsCellAttributesAndLayers() throws IOException {
        Path loom = resource("tiny.loom");
        ExpressionMatrix m = ExpressionMatrix.open(loom, null, null);
        assertThat(m.geneIds()).isEqualTo(IDS);
        assertThat(m.embeddedCells().column("type")).containsExactly("A", "A", "B", "B", "A");
        assertCounts(m, 1);
        assertCounts(ExpressionMatrix.open(loom, null, null, new ExpressionMatrix.Choice("spliced", null)), 2);
        assertThatThrownBy(() -> ExpressionMatrix.open(loom, null, null, new ExpressionMatrix.Choice("unspliced", null)))
                .isInstanceOf(InputFormatException.class).hasMessageContaining("no dataset /layers/unspliced");
    }

    @Test
    void annDataLayersRawAndTheLogTransformWarning() throws IOException {
        Path h5ad = resource("layered.h5ad");
        ExpressionMatrix x = ExpressionMatrix.open(h5ad, null, null);
        assertThat(x.geneNames()).containsExactly("G0", "G1", "G2", "G3");   // var's gene_short_name
        read(x);
        assertThat(x.notes()).singleElement().asString().contains("looks log-transformed", "--layer");
        ExpressionMatrix counts = ExpressionMatrix.open(h5ad, null, null, new ExpressionMatrix.Choice("counts", null));
        assertCounts(counts, 1);
        assertThat(counts.notes()).isEmpty();
        ExpressionMatrix raw = ExpressionMatrix.open(h5ad, null, null, new ExpressionMatrix.Choice("raw", null));
        assertThat(raw.geneIds()).containsExactly("sym0", "sym1", "sym2", "sym3");   // raw/var's own index
        assertThat(read(raw).get("sym2").get("ACGT-1")).isEqualTo(50.0);
        ExpressionMatrix chosen = ExpressionMatrix.open(h5ad, null, null, new ExpressionMatrix.Choice("counts", "gene_short_name"));
        assertThat(chosen.geneNames()).containsExactly("G0", "G1", "G2", "G3");
        assertThatThrownBy(() -> ExpressionMatrix.open(h5ad, null, null, new ExpressionMatrix.Choice(null, "symbol")))
                .isInstanceOf(InputFormatException.class).hasMessageContaining("no column 'symbol'");
        assertThatThrownBy(() -> ExpressionMatrix.open(h5ad, null, null, new ExpressionMatrix.Choice("spliced", null)))
                .isInstanceOf(InputFormatException.class).hasMessageContaining("no matrix layers/spliced");
    }

    @Test
    void theMatrixMarketBesideThemHoldsTheSameCounts() throws IOException {
        resource("counts.genes.tsv");
        resource("counts.barcodes.tsv");
        ExpressionMatrix m = ExpressionMatrix.open(resource("counts.mtx"), dir.resolve("counts.genes.tsv"),
                dir.resolve("counts.barcodes.tsv"));
        assertCounts(m, 1);
        assertThatThrownBy(() -> ExpressionMatrix.open(dir.resolve("counts.mtx"), null, null, new ExpressionMatrix.Choice("counts", null)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--layer");
    }
}
