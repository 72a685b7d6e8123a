package dev.scep.e2e;

import dev.scep.formats.io.ScepDataset;
import dev.scep.formats.model.HalfLifeTransform;
import dev.scep.formats.text.HalfLifeTable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * scep import-h5-dataset: the original scEP dataset layout, on the real example written by the original pipeline
 * ({@code shared/data/scep-pytorch-example}) and on small files in several storage layouts and broken variants
 * ({@code src/test/resources/original-scep}, written by its {@code make_files.py}).
 */
class ImportH5DatasetCliTest {
    private static final Path SMALL = small();

    @TempDir
    Path dir;

    @Test
    void theExampleGivesTheSixteenRealWindowsAndTheirHalfLifeInputs() throws Exception {
        Path ex = SharedData.dir().resolve("scep-pytorch-example");
        Cli cli = Cli.run("import-h5-dataset", "--h5", ex.resolve("seq_hl.h5"), "--labels", ex.resolve("labels.csv"),
                "--columns", "1,2,3,4,5", "--out", dir.resolve("d.sced"), "--windows-out", dir.resolve("w.fa"),
                "--halflife-out", dir.resolve("h.tsv"));
        assertThat(cli.exitCode()).as(cli.err()).isZero();
        assertThat(cli.out()).contains("2,400 genes", "2,384 windows all N", "wrote 2,400 genes × 10,500 nt windows");

        Map<String, String> expected = fasta(ex.resolve("windows.fa"));
        Map<String, String> written = fasta(dir.resolve("w.fa"));
        assertThat(expected).hasSize(16);
        assertThat(written).hasSize(2400);
        ScepDataset d = ScepDataset.open(dir.resolve("d.sced"));
        List<String> ids = d.genes().stream().map(ScepDataset.Gene::id).toList();
        String allN = "N".repeat(10_500);
        for (Map.Entry<String, String> e : written.entrySet()) {
            String want = expected.getOrDefault(e.getKey(), allN);
            assertThat(e.getValue()).as(e.getKey()).isEqualTo(want);
            assertThat(new String(d.window(ids.indexOf(e.getKey())))).as(e.getKey()).isEqualTo(want);
        }

        // half-life inputs as given: the example's table, value for value, in the TSV and the dataset
        HalfLifeTable want = HalfLifeTable.read(ex.resolve("halflife.tsv"));
        HalfLifeTable got = HalfLifeTable.read(dir.resolve("h.tsv"));
        assertThat(got.featureNames()).isEqualTo(want.featureNames()).isEqualTo(d.halfLifeNames());
        for (String id : expected.keySet()) {
            assertThat(got.get(id)).as(id).containsExactly(want.get(id));
            for (int k = 0; k < 5; k++) {
                assertThat(d.rawHalfLife(ids.indexOf(id), k)).isEqualTo(want.get(id)[k]);
                assertThat(d.halfLifeTransform(k)).isEqualTo(HalfLifeTransform.IDENTITY);
            }
        }
        // targets: label columns 1..5 (after All), as given
        assertThat(d.populations().stream().map(ScepDataset.Population::name))
                .containsExactly("Astro", "L2/3 IT", "Sst Chodl", "Microglia", "Oligo");
        List<String> labels = Tables.lines(ex.resolve("labels.csv"));
        String[] row12 = labels.get(13).split(",");
        assertThat(row12[0]).isEqualTo(ids.get(12));
        for (int k = 0; k < 5; k++) {
            assertThat(d.target(12, k)).isEqualTo((float) Double.parseDouble(row12[k + 2]));
        }
        assertThat(d.metadata().get("half_life")).contains("as given");

        Cli info = Cli.run("dataset-info", dir.resolve("d.sced"));
        assertThat(info.exitCode()).as(info.err()).isZero();
        assertThat(info.out()).contains("genes: 2,400", "windows: 10,500 nt", "as given, no transform", "populations: 5",
                "fingerprint " + d.fingerprint());
    }

    @ParameterizedTest
    @ValueSource(strings = {"bool-chunked.h5", "uint8-odd-chunks.h5", "float32-contiguous.h5", "bool-contiguous.h5",
            "unwritten-chunks.h5"})
    void everyStorageLayoutGivesTheSameWindows(String file) throws Exception {
        Cli cli = Cli.run("import-h5-dataset", "--h5", SMALL.resolve(file), "--labels", SMALL.resolve("labels.csv"),
                "--tss-index", 20, "--upstream", 10, "--downstream", 5, "--out", dir.resolve("d.sced"),
                "--windows-out", dir.resolve("w.fa"), "--halflife-out", dir.resolve("h.tsv"));
        assertThat(cli.exitCode()).as(cli.err()).isZero();
        assertThat(fasta(dir.resolve("w.fa"))).isEqualTo(fasta(SMALL.resolve("expected.fa")));
        ScepDataset d = ScepDataset.open(dir.resolve("d.sced"));
        assertThat(d.populations().stream().map(ScepDataset.Population::name)).containsExactly("All", "Astro", "L2/3 IT");
        assertThat(d.populations().get(0).genesNonZero()).isEqualTo(4);
        assertThat(d.target(3, 0)).isEqualTo(3.5f);
        List<String> data = Tables.lines(SMALL.resolve("data.tsv"));
        List<String> h = Tables.lines(dir.resolve("h.tsv"));
        assertThat(h.getFirst()).isEqualTo("id\thl0\thl1\thl2\thl3\thl4");
        assertThat(h.subList(1, h.size())).isEqualTo(data);
    }

    @Test
    void aWindowBeyondTheRowEndsIsFilledWithN() throws Exception {
        Cli cli = Cli.run("import-h5-dataset", "--h5", SMALL.resolve("uint8-odd-chunks.h5"), "--tss-index", 35,
                "--upstream", 40, "--downstream", 10, "--windows-out", dir.resolve("w.fa"));
        assertThat(cli.exitCode()).as(cli.err()).isZero();
        String w = fasta(dir.resolve("w.fa")).get("G0");
        assertThat(w).hasSize(50).startsWith("NNNNN").endsWith("NNNNN");
        Cli whole = Cli.run("import-h5-dataset", "--h5", SMALL.resolve("bool-chunked.h5"), "--tss-index", 0,
                "--upstream", 0, "--downstream", 40, "--windows-out", dir.resolve("all.fa"));
        assertThat(whole.exitCode()).as(whole.err()).isZero();
        assertThat(w.substring(5, 45)).isEqualTo(fasta(dir.resolve("all.fa")).get("G0"));
    }

    @Test
    void brokenFilesGiveOneClearLineAndWriteNothing() {
        assertError(SMALL.resolve("rows-data.h5"), null, "row counts differ: promoter has 5 genes, data 4 rows and geneName 5");
        assertError(SMALL.resolve("rows-names.h5"), null, "row counts differ: promoter has 5 genes, data 5 rows and geneName 6");
        assertError(SMALL.resolve("two-hot.h5"), null, "gene G2 (row 2) has more than one hot channel (AT) at position 12");
        assertError(SMALL.resolve("float-quarter.h5"), null, "gene G3 (row 3) holds 0.25 at position 15");
        assertError(SMALL.resolve("no-promoter.h5"), null, "no dataset 'promoter'");
        assertError(SMALL.resolve("bool-chunked.h5"), SMALL.resolve("labels-short.csv"),
                "the table has 4 label rows but the dataset has 5 genes");
        assertError(SMALL.resolve("bool-chunked.h5"), SMALL.resolve("labels-order.csv"),
                "label row 0 is for 'G1', but dataset row 0 is gene G0");
        assertError(SMALL.resolve("labels.csv"), null, "cannot read it as the original scEP HDF5 dataset");
    }

    @Test
    void usageErrors() {
        Cli noOut = Cli.run("import-h5-dataset", "--h5", SMALL.resolve("bool-chunked.h5"));
        assertThat(noOut.exitCode()).isEqualTo(2);
        assertThat(noOut.err()).contains("nothing to write");
        Cli cols = Cli.run("import-h5-dataset", "--h5", SMALL.resolve("bool-chunked.h5"), "--columns", "1",
                "--out", dir.resolve("d.sced"));
        assertThat(cols.err()).contains("--columns picks label columns: give --labels too");
        Cli range = Cli.run("import-h5-dataset", "--h5", SMALL.resolve("bool-chunked.h5"), "--labels", SMALL.resolve("labels.csv"),
                "--columns", "1,7", "--tss-index", 20, "--upstream", 10, "--downstream", 5, "--out", dir.resolve("d.sced"));
        assertThat(range.exitCode()).isEqualTo(1);
        assertThat(range.err()).contains("column 7 does not exist: the table has value columns 0..2 (All, Astro, L2/3 IT)");
        Cli tss = Cli.run("import-h5-dataset", "--h5", SMALL.resolve("bool-chunked.h5"), "--out", dir.resolve("d.sced"));
        assertThat(tss.exitCode()).isNotZero();
        assertThat(tss.err()).contains("TSS index 70000 is outside the promoter rows", "(0..39)");
        assertThat(dir.resolve("d.sced")).doesNotExist();
    }

    private void assertError(Path h5, Path labels, String message) {
        Cli cli = labels == null
                ? Cli.run("import-h5-dataset", "--h5", h5, "--tss-index", 20, "--upstream", 10, "--downstream", 5,
                "--out", dir.resolve("d.sced"), "--windows-out", dir.resolve("w.fa"))
                : Cli.run("import-h5-dataset", "--h5", h5, "--labels", labels, "--tss-index", 20, "--upstream", 10,
                "--downstream", 5, "--out", dir.resolve("d.sced"), "--windows-out", dir.resolve("w.fa"));
        assertThat(cli.exitCode()).as(cli.err()).isEqualTo(1);
        assertThat(cli.err()).as(h5.toString()).startsWith("scep: error: " + (message.startsWith("label") || message.startsWith("the table") ? labels : h5))
                .contains(message).doesNotContain("\tat ");
        assertThat(cli.err().lines().count()).as(cli.err()).isEqualTo(1);
        assertThat(dir.resolve("d.sced")).doesNotExist();
        assertThat(dir.resolve("w.fa")).doesNotExist();
    }

    private static Path small() {
        try {
            return Path.of(ImportH5DatasetCliTest.class.getResource("/original-scep/expected.fa").toURI()).getParent();
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, String> fasta(Path file) throws Exception {
        Map<String, String> out = new LinkedHashMap<>();
        String id = null;
        StringBuilder sb = new StringBuilder();
        for (String line : Tables.lines(file)) {
            if (line.startsWith(">")) {
                if (id != null) {
                    out.put(id, sb.toString());
                }
                id = line.substring(1).strip();
                sb.setLength(0);
            } else {
                sb.append(line.strip());
            }
        }
        if (id != null) {
            out.put(id, sb.toString());
        }
        return out;
    }
}
