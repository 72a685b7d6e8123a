package dev.scep.formats.expression;

import dev.scep.formats.text.InputFormatException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Every reader on the same 4-gene × 5-cell matrix (the one make_h5ad.py writes) must yield the same values. */
class ExpressionReadersTest {
    @TempDir
    Path dir;

    private static final double[][] G = {{1, 0, 2, 0, 0}, {0, 0, 0, 0, 0}, {3, 1, 0, 0, 5}, {0, 0.5, 0, 4, 0}};
    private static final String[] CELLS = {"c0", "c1", "c2", "c3", "c4"};
    private static final String[] IDS = {"ENSG1.1", "ENSG2.3", "ENSG3.1", "ENSG4.2"};

    private static double[][] dense(ExpressionMatrix m) throws IOException {
        double[][] out = new double[m.geneIds().size()][m.cellIds().size()];
        m.forEachEntry((g, c, v) -> out[g][c] += v);
        return out;
    }

    private Path resource(String name) throws IOException {
        Path p = dir.resolve(name);
        try (InputStream in = getClass().getResourceAsStream("/expression/" + name)) {
            Files.copy(in, p);
        }
        return p;
    }

    private Path write(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text);
        return p;
    }

    private static String mtx(boolean cellsInRows) {
        StringBuilder sb = new StringBuilder("%%MatrixMarket matrix coordinate real general\n% a comment\n");
        int entries = 0;
        StringBuilder body = new StringBuilder();
        for (int g = 0; g < 4; g++) {
            for (int c = 0; c < 5; c++) {
                if (G[g][c] != 0) {
                    entries++;
                    body.append(cellsInRows ? (c + 1) + " " + (g + 1) : (g + 1) + " " + (c + 1)).append(' ').append(G[g][c]).append('\n');
                }
            }
        }
        return sb.append(cellsInRows ? "5 4 " : "4 5 ").append(entries).append('\n').append(body).toString();
    }

    @Test
    void h5adCsrCscAndDenseAllReadTheSameMatrixAndObs() throws IOException {
        for (String kind : new String[]{"csr", "csc", "dense"}) {
            ExpressionMatrix m = ExpressionMatrix.open(resource("tiny_" + kind + ".h5ad"), null, null);
            assertThat(dense(m)).as(kind).isDeepEqualTo(G);
            assertThat(m.geneIds()).containsExactly(IDS);
            assertThat(m.geneNames()).containsExactly("GA", "GB", "GC", "GD");
            assertThat(m.cellIds()).containsExactly(CELLS);
            CellTable obs = m.embeddedCells();
            assertThat(obs.column("type")).containsExactly("A", "A", "B", "B", "A");
            assertThat(obs.column("batch")).containsExactly("x", "y", "x", "y", "x");
            assertThat(obs.column("n_genes")).containsExactly("2", "2", "1", "1", "1");
            assertThatThrownBy(() -> obs.column("celltype")).hasMessageContaining("'celltype' does not exist")
                    .hasMessageContaining("batch");
        }
    }

    @Test
    void matrixMarketTenXAndDelimitedReadTheSameMatrix() throws IOException {
        Path mtx = write("mm/matrix.mtx", mtx(false));
        write("mm/genes.tsv", "gene_id\tname\n" + String.join("\n", IDS) + "\n");
        write("mm/barcodes.tsv", String.join("\n", CELLS) + "\n");
        ExpressionMatrix m = ExpressionMatrix.open(mtx, null, null);
        assertThat(dense(m)).isDeepEqualTo(G);
        assertThat(m.cellIds()).containsExactly(CELLS);
        assertThat(m.geneIds()).containsExactly(IDS);

        // cells in rows: recognised from the dimensions
        Path t = write("t/m.mtx", mtx(true));
        write("t/genes.tsv", String.join("\n", IDS) + "\n");
        assertThat(dense(ExpressionMatrix.open(t, null, null))).isDeepEqualTo(G);

        // a 10x directory, gzipped, features.tsv with id, name, type
        Path tenx = dir.resolve("10x");
        Files.createDirectories(tenx);
        gzip(tenx.resolve("matrix.mtx.gz"), mtx(false));
        gzip(tenx.resolve("features.tsv.gz"), "ENSG1.1\tGA\tGene Expression\nENSG2.3\tGB\tGene Expression\n"
                + "ENSG3.1\tGC\tGene Expression\nENSG4.2\tGD\tGene Expression\n");
        gzip(tenx.resolve("barcodes.tsv.gz"), String.join("\n", CELLS) + "\n");
        ExpressionMatrix x = ExpressionMatrix.open(tenx, null, null);
        assertThat(dense(x)).isDeepEqualTo(G);
        assertThat(x.geneNames()).containsExactly("GA", "GB", "GC", "GD");

        StringBuilder csv = new StringBuilder("gene," + String.join(",", CELLS) + "\n");
        for (int g = 0; g < 4; g++) {
            csv.append('"').append(IDS[g]).append('"');
            for (double v : G[g]) {
                csv.append(',').append(v);
            }
            csv.append('\n');
        }
        assertThat(dense(ExpressionMatrix.open(write("m.csv", csv.toString()), null, null))).isDeepEqualTo(G);
        assertThat(dense(ExpressionMatrix.open(write("m.tsv", csv.toString().replace(',', '\t')), null, null))).isDeepEqualTo(G);
    }

    private static void gzip(Path p, String text) throws IOException {
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(p))) {
            out.write(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
    }

    @Test
    void dimensionsThatDisagreeWithTheGeneOrCellListAreErrors() throws IOException {
        Path mtx = write("a/matrix.mtx", mtx(false));
        Path genes = write("a/genes.tsv", "ENSG1\nENSG2\nENSG3\n");
        assertThatThrownBy(() -> ExpressionMatrix.open(mtx, null, null)).isInstanceOf(InputFormatException.class)
                .hasMessageContaining(genes.toString()).hasMessageContaining("lists 3 genes").hasMessageContaining("has 4");
        write("a/genes.tsv", String.join("\n", IDS) + "\n");
        Path cells = write("a/barcodes.tsv", "c0\nc1\n");
        assertThatThrownBy(() -> ExpressionMatrix.open(mtx, null, null)).hasMessageContaining(cells.toString())
                .hasMessageContaining("lists 2 cells");
        Path csv = write("b.csv", "gene,c0,c1\nG1,1,2\nG2,3\n");
        assertThatThrownBy(() -> dense(ExpressionMatrix.open(csv, null, null))).hasMessageContaining(csv + ":3")
                .hasMessageContaining("1 values but the header names 2 cells");
    }

    @Test
    void negativeNanAndOutOfRangeEntriesAreErrorsNamingTheLine() throws IOException {
        write("n/genes.tsv", String.join("\n", IDS) + "\n");
        Path neg = write("n/matrix.mtx", "%%MatrixMarket matrix coordinate real general\n4 5 2\n1 1 3\n2 3 -0.5\n");
        assertThatThrownBy(() -> dense(ExpressionMatrix.open(neg, null, null))).hasMessageContaining(neg + ":4")
                .hasMessageContaining("negative");
        Path nan = write("n/matrix.mtx", "%%MatrixMarket matrix coordinate real general\n4 5 1\n1 1 NaN\n");
        assertThatThrownBy(() -> dense(ExpressionMatrix.open(nan, null, null))).hasMessageContaining(nan + ":3")
                .hasMessageContaining("NaN");
        Path out = write("n/matrix.mtx", "%%MatrixMarket matrix coordinate real general\n4 5 1\n9 1 1\n");
        assertThatThrownBy(() -> dense(ExpressionMatrix.open(out, null, null))).hasMessageContaining("outside the declared 4 × 5");
        Path shortFile = write("n/matrix.mtx", "%%MatrixMarket matrix coordinate real general\n4 5 3\n1 1 1\n");
        assertThatThrownBy(() -> dense(ExpressionMatrix.open(shortFile, null, null))).hasMessageContaining("declares 3")
                .hasMessageContaining("truncated");
        Path csv = write("n.tsv", "gene\tc0\nG1\tnan\n");
        assertThatThrownBy(() -> dense(ExpressionMatrix.open(csv, null, null))).hasMessageContaining(csv + ":2");
    }

    @Test
    void cellTablesNameMissingColumnsAndDuplicateIds() throws IOException {
        Path t = write("cells.tsv", "cell\tHours\tState\nA\t0\t1\nB\t24\t2\n");
        CellTable c = CellTable.read(t, null);
        assertThat(c.ids()).containsExactly("A", "B");
        assertThat(c.column("Hours")).containsExactly("0", "24");
        assertThatThrownBy(() -> c.column("Media")).hasMessageContaining(t.toString())
                .hasMessageContaining("'Media' does not exist").hasMessageContaining("Hours, State");
        Path dup = write("dup.tsv", "cell\tHours\nA\t0\nA\t24\n");
        assertThatThrownBy(() -> CellTable.read(dup, null)).hasMessageContaining("appears twice");
        Path ragged = write("ragged.tsv", "cell\tHours\nA\t0\t9\n");
        assertThatThrownBy(() -> CellTable.read(ragged, null)).hasMessageContaining(ragged + ":2");
    }
}
