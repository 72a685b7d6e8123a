package dev.scep.train.prepare;

import dev.scep.formats.expression.CellTable;
import dev.scep.formats.expression.ExpressionMatrix;
import dev.scep.formats.io.ScepDataset.Population;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class PseudobulkTest {
    @TempDir
    Path dir;

    private static Path hsmm(String name) {
        return SharedFiles.get("hsmm-scrnaseq/" + name);
    }

    private static Pseudobulk.Table hsmmByHoursAndState() throws IOException {
        ExpressionMatrix m = ExpressionMatrix.open(hsmm("matrix.mtx.gz"), null, null);
        return Pseudobulk.compute(m, CellTable.read(hsmm("cells.tsv"), null),
                List.of(PopulationLevel.of("Hours"), PopulationLevel.of("State")), false, false);
    }

    /**
     * The same numbers computed without any scep code: the matrix parsed line by line, cells grouped by the
     * cells.tsv column, the mean over all cells of a group (zeros included), log10, −4 where the mean is 0.
     */
    private static Map<String, double[]> naive(String column) throws IOException {
        List<String> group = new ArrayList<>();
        List<String> lines = Files.readAllLines(hsmm("cells.tsv"));
        int col = List.of(lines.getFirst().split("\t")).indexOf(column);
        for (String l : lines.subList(1, lines.size())) {
            group.add(l.split("\t")[col]);
        }
        Map<String, Integer> sizes = new HashMap<>();
        group.forEach(g -> sizes.merge(g, 1, Integer::sum));
        Map<String, double[]> sums = new HashMap<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(new GZIPInputStream(Files.newInputStream(hsmm("matrix.mtx.gz")))))) {
            String line = r.readLine();
            while ((line = r.readLine()).startsWith("%")) {
                // comments
            }
            int genes = Integer.parseInt(line.split(" ")[0]);
            while ((line = r.readLine()) != null) {
                String[] f = line.split(" ");
                String g = group.get(Integer.parseInt(f[1]) - 1);
                sums.computeIfAbsent(g, k -> new double[genes])[Integer.parseInt(f[0]) - 1] += Double.parseDouble(f[2]);
            }
        }
        Map<String, double[]> out = new HashMap<>();
        sums.forEach((g, s) -> {
            double[] t = new double[s.length];
            for (int i = 0; i < s.length; i++) {
                t[i] = s[i] > 0 ? Math.log10(s[i] / sizes.get(g)) : -4;
            }
            out.put(column + "=" + g, t);
        });
        return out;
    }

    @Test
    void hsmmByHoursAndByStateMatchesAnIndependentComputation() throws IOException {
        Pseudobulk.Table t = hsmmByHoursAndState();
        assertThat(t.geneIds()).hasSize(47_192);
        assertThat(t.populations()).extracting(Population::name)
                .containsExactly("Hours=0", "Hours=24", "Hours=48", "Hours=72", "State=1", "State=2", "State=3");
        Map<String, double[]> expected = new HashMap<>(naive("Hours"));
        expected.putAll(naive("State"));
        for (int p = 0; p < t.populations().size(); p++) {
            double[] e = expected.get(t.populations().get(p).name());
            for (int g = 0; g < e.length; g++) {
                // float32 output: relative 1e-6 (some FPKM values are ~1e-306, so log10 reaches −307)
                assertThat((double) t.target(g, p)).isCloseTo(e[g], within(1e-6 * Math.max(1, Math.abs(e[g]))));
            }
        }
    }

    @Test
    void hsmmReportAndValuesAgreeWithNumpy() throws IOException {
        Pseudobulk.Table t = hsmmByHoursAndState();
        // cells and genes non-zero per population, and three genes' targets, computed with numpy (see the closing note of issue 3)
        assertThat(t.populations()).extracting(Population::cells).containsExactly(69L, 74L, 79L, 49L, 99L, 129L, 43L);
        assertThat(t.populations()).extracting(Population::genesNonZero)
                .containsExactly(20492, 20822, 20924, 22328, 22889, 24168, 19109);
        double[][] numpy = {
                {1.1034098, 1.7172419, 1.6116138, 1.4307404, 1.2932371, 1.6171393, 1.6672977},  // ENSG00000000003.10 TSPAN6
                {3.3927431, 3.3615762, 3.2791305, 3.2513229, 3.3823766, 3.2996358, 3.2817192},  // ENSG00000111640.10 GAPDH
                {3.4522087, 3.4517932, 3.5142203, 3.4885269, 3.4726336, 3.5059068, 3.3937321}}; // ENSG00000075624.9 ACTB
        int[] rows = {0, 3947, 1329};
        for (int k = 0; k < rows.length; k++) {
            for (int p = 0; p < 7; p++) {
                assertThat((double) t.target(rows[k], p)).isCloseTo(numpy[k][p], within(2e-7));
            }
        }
        assertThat(t.geneNames().get(3947)).isEqualTo("GAPDH");
    }

    @Test
    void nestedLevelsAllCellsBulkAndMissingValues() throws IOException {
        Path mtx = dir.resolve("matrix.mtx");
        // genes x cells: g0 = [2, 0, 4, 0], g1 = [0, 0, 0, 6]
        Files.writeString(mtx, "%%MatrixMarket matrix coordinate real general\n2 4 3\n1 1 2\n1 3 4\n2 4 6\n");
        Files.writeString(dir.resolve("genes.tsv"), "g0\ng1\n");
        Path cells = dir.resolve("cells.tsv");
        Files.writeString(cells, "cell\ttissue\tclass\nx0\tmuscle\tmyo\nx1\tmuscle\tfib\nx2\tmuscle\tmyo\nx3\tmuscle\tNA\n");
        Pseudobulk.Table t = Pseudobulk.compute(ExpressionMatrix.open(mtx, null, null), CellTable.read(cells, null),
                java.util.stream.Stream.concat(Stream.of(PopulationLevel.of("tissue")),
                        PopulationLevel.nested(List.of("tissue", "class")).stream()).toList(), true, false);
        assertThat(t.populations()).extracting(Population::name)
                .containsExactly("all", "tissue=muscle", "tissue=muscle/class=fib", "tissue=muscle/class=myo");
        assertThat(t.populations()).extracting(Population::level).containsExactly("all", "tissue", "tissue>class", "tissue>class");
        assertThat(t.populations()).extracting(Population::cells).containsExactly(4L, 4L, 1L, 2L);
        assertThat(t.target(0, 0)).isCloseTo((float) Math.log10(6 / 4.0), within(1e-7f));
        assertThat(t.target(0, 2)).isEqualTo(-4f); // fib: one cell, g0 zero there
        assertThat(t.target(0, 3)).isCloseTo((float) Math.log10(3), within(1e-7f));
        assertThat(t.target(1, 3)).isEqualTo(-4f); // x3 (NA class) is in no class population
        Pseudobulk.Table bulk = Pseudobulk.compute(ExpressionMatrix.open(mtx, null, null), CellTable.read(cells, null),
                List.of(PopulationLevel.of("class")), false, true);
        assertThat(bulk.target(0, 0)).isEqualTo(-3f);
        assertThatThrownBy(() -> Pseudobulk.compute(ExpressionMatrix.open(mtx, null, null), CellTable.read(cells, null),
                List.of(PopulationLevel.of("subclass")), false, false))
                .hasMessageContaining(cells.toString()).hasMessageContaining("'subclass' does not exist");
        Path fewer = dir.resolve("fewer.tsv");
        Files.writeString(fewer, "cell\ttissue\nx0\tm\n");
        assertThatThrownBy(() -> Pseudobulk.compute(ExpressionMatrix.open(mtx, null, null), CellTable.read(fewer, null),
                List.of(PopulationLevel.of("tissue")), false, false))
                .hasMessageContaining("lists 1 cells but the matrix").hasMessageContaining("4 columns");
    }

    @Test
    void genesMatchByIdByUnversionedIdAndBySymbol() {
        GeneMatcher m = new GeneMatcher(List.of("ENSG1.5", "ENSG2", "X1", "X2"), java.util.Arrays.asList("A", "B", "DUP", "DUP"));
        assertThat(m.match("ENSG1.5", null)).isEqualTo(new GeneMatcher.Match(0, GeneMatcher.How.ID));
        assertThat(m.match("ENSG1.7", null)).isEqualTo(new GeneMatcher.Match(0, GeneMatcher.How.ID_WITHOUT_VERSION));
        assertThat(m.match("ENSG2.1", null)).isEqualTo(new GeneMatcher.Match(1, GeneMatcher.How.ID_WITHOUT_VERSION));
        assertThat(m.match("NM_1", "B")).isEqualTo(new GeneMatcher.Match(1, GeneMatcher.How.SYMBOL));
        assertThat(m.match("NM_2", "DUP").how()).isEqualTo(GeneMatcher.How.NONE); // ambiguous symbol: no guess
        assertThat(Pseudobulk.NATURAL.compare("Hours=8", "Hours=24")).isNegative();
    }
}
