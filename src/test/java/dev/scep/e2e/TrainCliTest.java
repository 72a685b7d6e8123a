package dev.scep.e2e;

import dev.scep.formats.io.ScepModelFile;
import dev.scep.formats.model.ScepModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** simulate → prepare → train / cv (cell populations and tissue) → evaluate, through the command line, tiny sizes. */
class TrainCliTest {
    @TempDir
    Path dir;

    @Test
    void theWholeTrainingPathRunsOnASimulatedTissue() throws Exception {
        Path jaspar = SharedData.dir().resolve("jaspar-pfm");
        Cli sim = Cli.run("simulate", "--out", dir.resolve("in"), "--genes", 60, "--populations", 4, "--cells", 200,
                "--jaspar", jaspar);
        assertThat(sim.exitCode()).as(sim.err()).isZero();
        Cli prep = Cli.run("prepare", "--fasta", dir.resolve("in/genome.fa"), "--gtf", dir.resolve("in/genes.gtf"),
                "--expression", dir.resolve("in/matrix.mtx.gz"), "--cells", dir.resolve("in/cells.tsv"),
                "--population-column", "population", "--all-cells", "--out", dir.resolve("d.sced"));
        assertThat(prep.exitCode()).as(prep.err()).isZero();

        Cli train = Cli.run("train", "--dataset", dir.resolve("d.sced"), "--out", dir.resolve("m.scep"), "--epochs", 2,
                "--batch", 16, "--threads", 2);
        assertThat(train.exitCode()).as(train.err()).isZero();
        assertThat(train.err()).contains("epoch 2/2");
        ScepModel m = ScepModelFile.read(dir.resolve("m.scep"));
        assertThat(m.outputNames()).containsExactly("population=pop1", "population=pop2", "population=pop3", "population=pop4");
        assertThat(dir.resolve("m.scep.checkpoint")).doesNotExist();

        Cli cp = Cli.run("cv", "--dataset", dir.resolve("d.sced"), "--out", dir.resolve("cp"), "--folds", 3, "--replicates", 1,
                "--epochs", 1, "--batch", 16, "--threads", 2);
        assertThat(cp.exitCode()).as(cp.err()).isZero();
        assertThat(cp.out()).contains("population=pop4", "median r");
        // the original scEP's folds (KFold(3, shuffle, random_state=1) over dataset rows), whatever the seed
        Cli paper = Cli.run("cv", "--dataset", dir.resolve("d.sced"), "--out", dir.resolve("paper"), "--folds", 3,
                "--replicates", 1, "--epochs", 1, "--batch", 16, "--threads", 2, "--split", "scep-paper",
                "--validation-genes", 10, "--seed", 99);
        assertThat(paper.exitCode()).as(paper.err()).isZero();
        assertThat(Tables.text(dir.resolve("paper/manifest.tsv"))).contains("split\tscep-paper");
        dev.scep.train.cv.PaperSplit split = dev.scep.train.cv.PaperSplit.of(60, 3, 10);
        java.util.List<String> rows = Tables.lines(dir.resolve("paper/predictions.tsv"));
        assertThat(rows).hasSize(61);
        for (int g = 0; g < 60; g++) {
            assertThat(rows.get(g + 1).split("\t")[2]).as("fold of gene %d", g).isEqualTo(Integer.toString(split.testFold(g) + 1));
        }
        assertThat(Cli.run("cv", "--dataset", dir.resolve("d.sced"), "--out", dir.resolve("x"), "--split", "paper").err())
                .contains("scep-paper");

        Cli again = Cli.run("cv", "--dataset", dir.resolve("d.sced"), "--out", dir.resolve("cp"), "--folds", 3);
        assertThat(again.exitCode()).isEqualTo(1);
        assertThat(again.err()).contains("--resume");
        Cli tissue = Cli.run("cv", "--dataset", dir.resolve("d.sced"), "--out", dir.resolve("t"), "--tissue", "all",
                "--folds", 3, "--replicates", 1, "--epochs", 1, "--batch", 16, "--threads", 2);
        assertThat(tissue.exitCode()).as(tissue.err()).isZero();

        Cli eval = Cli.run("evaluate", "--predictions", dir.resolve("cp/predictions.tsv"), "--tissue-predictions",
                dir.resolve("t/predictions.tsv"), "--truth", dir.resolve("in/truth.tsv"), "--out", dir.resolve("eval"));
        assertThat(eval.exitCode()).as(eval.err()).isZero();
        assertThat(eval.out()).contains("Δcp,t", "ceiling");
        assertThat(Tables.text(dir.resolve("eval/metrics.tsv"))).contains("delta_cp_t", "ceiling_median");
        assertThat(Tables.text(dir.resolve("eval/report.html"))).contains("new Chart(", "Δcp,t", "Figures (static)",
                "data:image/png;base64,");

        Cli bad = Cli.run("train", "--dataset", dir.resolve("d.sced"), "--out", dir.resolve("x.scep"), "--populations", "nope");
        assertThat(bad.exitCode()).isEqualTo(1);
        assertThat(bad.err()).contains("population 'nope' is not in", "population=pop1");
    }
}
