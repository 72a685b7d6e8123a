package dev.scep.e2e;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The paper's four analyses as commands, on a simulated tissue with nested levels (tissue ⊃ class ⊃ population):
 * simulate → prepare --nested → cv at three resolutions → analyze ladder / transfer / variable-genes / similarity.
 */
class AnalyzeCliTest {
    private static final String S = "tissue=simulated";
    private static final String FINEST = String.join(",", S + "/class=close/population=pop1", S + "/class=close/population=pop2",
            S + "/class=far/population=pop3", S + "/class=far/population=pop4");

    @TempDir
    static Path dir;

    private static void ok(Cli c) {
        assertThat(c.exitCode()).as(c.err()).isZero();
    }

    private static void cv(String out, String... selection) {
        List<Object> args = new java.util.ArrayList<>(List.of("cv", "--dataset", dir.resolve("d.sced"), "--out", dir.resolve(out),
                "--folds", 3, "--replicates", 1, "--epochs", 1, "--batch", 16, "--threads", 2, "--validation-genes", 10));
        args.addAll(List.of(selection));
        ok(Cli.run(args.toArray()));
    }

    @BeforeAll
    static void crossValidateThreeResolutions() {
        ok(Cli.run("simulate", "--out", dir.resolve("in"), "--genes", 90, "--populations", 4, "--cells", 240,
                "--jaspar", SharedData.dir().resolve("jaspar-pfm")));
        ok(Cli.run("prepare", "--fasta", dir.resolve("in/genome.fa"), "--gtf", dir.resolve("in/genes.gtf"),
                "--expression", dir.resolve("in/matrix.mtx.gz"), "--cells", dir.resolve("in/cells.tsv"),
                "--nested", "tissue,class,population", "--all-cells", "--out", dir.resolve("d.sced")));
        cv("tissue", "--tissue", "all");
        cv("class", "--populations", S + "/class=close," + S + "/class=far");
        cv("subclass", "--populations", FINEST);
    }

    private static void assertFigureAndReport(Path folder, String png) throws Exception {
        assertThat(ImageIO.read(folder.resolve(png).toFile())).as(png).isNotNull();
        String html = Tables.text(folder.resolve(png.replace(".png", ".html")));
        assertThat(html).contains("<img", "data:image/png;base64,", "<table>").doesNotContain("<script");
    }

    @Test
    void ladderScoresTheFinestPopulationsAtEveryLevel() throws Exception {
        Cli c = Cli.run("analyze", "ladder", "--cv", "tissue=" + dir.resolve("tissue"), "--cv", "class=" + dir.resolve("class"),
                "--cv", "subclass=" + dir.resolve("subclass/predictions.tsv"), "--out", dir.resolve("ladder"));
        ok(c);
        assertThat(c.out()).contains("all", "class", "population", "wrote");
        List<String> rows = Tables.lines(dir.resolve("ladder/ladder.tsv"));
        assertThat(rows).hasSize(1 + 4 * 3);
        assertThat(rows.get(1)).startsWith(S + "/class=close/population=pop1\tall\t0\ttissue:all\t90\t");
        assertThat(rows.get(2)).startsWith(S + "/class=close/population=pop1\tclass\t2\tclass:" + S + "/class=close\t90\t");
        assertThat(rows.get(12)).startsWith(S + "/class=far/population=pop4\tpopulation\t3\tsubclass:" + S + "/class=far/population=pop4\t90\t");
        assertFigureAndReport(dir.resolve("ladder"), "ladder.png");
    }

    @Test
    void transferMatrixWithRankSumTests() throws Exception {
        Cli c = Cli.run("analyze", "transfer", "--cv", dir.resolve("class"), "--cv", dir.resolve("subclass"),
                "--out", dir.resolve("transfer"));
        ok(c);
        assertThat(c.out()).contains("6 models × 6 populations", "of 30 comparisons");
        List<String> rows = Tables.lines(dir.resolve("transfer/transfer.tsv"));
        assertThat(rows).hasSize(1 + 36);
        assertThat(rows.getFirst()).isEqualTo("model\tpopulation\tgenes\tmedian_r\town_model\tp_own_greater");
        assertThat(rows.get(1)).startsWith("class:" + S + "/class=close\tclass:" + S + "/class=close\t90\t").endsWith("\tyes\tNA");
        assertThat(Tables.lines(dir.resolve("transfer/transfer-matrix.tsv"))).hasSize(7);
        assertFigureAndReport(dir.resolve("transfer"), "transfer.png");
    }

    @Test
    void variableGenesAndTheirThreshold() throws Exception {
        Cli c = Cli.run("analyze", "variable-genes", "--cv", dir.resolve("subclass"), "--top", 25, "--window", 30,
                "--out", dir.resolve("vg"));
        ok(c);
        assertThat(c.out()).contains("90 genes across 4 populations").containsPattern("variance threshold|no variance threshold");
        assertThat(Tables.lines(dir.resolve("vg/variable-genes.tsv"))).hasSize(26);
        assertThat(Tables.lines(dir.resolve("vg/variance-threshold.tsv"))).hasSize(21);
        assertFigureAndReport(dir.resolve("vg"), "variable-genes.png");
    }

    @Test
    void deltaAgainstSimilarityToTheTissue() throws Exception {
        Cli c = Cli.run("analyze", "similarity", "--cv", dir.resolve("subclass"), "--tissue-cv", dir.resolve("tissue"),
                "--out", dir.resolve("sim"));
        ok(c);
        assertThat(c.out()).contains("Spearman's rho", "population=pop4");
        List<String> rows = Tables.lines(dir.resolve("sim/similarity.tsv"));
        assertThat(rows).hasSize(5);
        // pop1 (close) resembles the tissue, which close populations dominate, more than pop4 (far) does
        double close = Double.parseDouble(rows.get(1).split("\t")[1]);
        double far = Double.parseDouble(rows.get(4).split("\t")[1]);
        assertThat(close).isGreaterThan(far);
        assertFigureAndReport(dir.resolve("sim"), "similarity.png");
    }

    @Test
    void wrongRunsGiveOneClearLine() throws Exception {
        assertError(Cli.run("analyze", "ladder", "--cv", dir.resolve("tissue"), "--out", dir.resolve("x1")), "no nested populations");
        assertError(Cli.run("analyze", "ladder", "--cv", "a=" + dir.resolve("class"), "--cv", "b=" + dir.resolve("class"),
                "--out", dir.resolve("x2")), "is predicted by two runs, a and b");
        assertError(Cli.run("analyze", "transfer", "--cv", "a=" + dir.resolve("class"), "--cv", "a=" + dir.resolve("subclass"),
                "--out", dir.resolve("x3")), "same label");
        assertError(Cli.run("analyze", "variable-genes", "--cv", dir.resolve("class"), "--out", dir.resolve("x4")),
                "at least 3 populations");
        assertError(Cli.run("analyze", "similarity", "--cv", dir.resolve("subclass"), "--tissue-cv", dir.resolve("class"),
                "--out", dir.resolve("x5")), "not a tissue model's predictions");
        assertError(Cli.run("analyze", "variable-genes", "--cv", dir.resolve("in"), "--out", dir.resolve("x6")),
                "has no predictions.tsv");
        assertError(Cli.run("analyze", "variable-genes", "--cv", dir.resolve("in/cells.tsv"), "--out", dir.resolve("x7")),
                "not a scep predictions table");
        Cli range = Cli.run("analyze", "variable-genes", "--cv", dir.resolve("subclass"), "--target-r", 2, "--out", dir.resolve("x8"));
        assertThat(range.exitCode()).isEqualTo(2);
        assertThat(range.err()).contains("--target-r");
        // beside the cv's own files, none of which it replaces
        String report = Tables.text(dir.resolve("class/report.html"));
        ok(Cli.run("analyze", "similarity", "--cv", dir.resolve("class"), "--tissue-cv", dir.resolve("tissue"),
                "--out", dir.resolve("class")));
        assertThat(dir.resolve("class/similarity.html")).exists();
        assertThat(Tables.text(dir.resolve("class/report.html"))).isEqualTo(report);
    }

    private static void assertError(Cli c, String message) {
        assertThat(c.exitCode()).as(c.out() + c.err()).isEqualTo(1);
        assertThat(c.err()).startsWith("scep: error: ").contains(message).doesNotContain("\tat ");
        assertThat(c.err().lines().count()).as(c.err()).isEqualTo(1);
    }
}
