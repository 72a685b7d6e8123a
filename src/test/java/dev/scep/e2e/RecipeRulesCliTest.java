package dev.scep.e2e;

import dev.scep.formats.io.ScepModelFile;
import dev.scep.formats.model.ScepModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The original recipe's last two rules through the command line: collapsed models retrained, last epoch kept. */
class RecipeRulesCliTest {
    @TempDir
    Path dir;

    @Test
    void collapsedModelsAreRetrainedAndSaidSoAndTheLastEpochIsKeptOnRequest() throws Exception {
        Cli sim = Cli.run("simulate", "--out", dir.resolve("in"), "--genes", 60, "--populations", 3, "--cells", 150,
                "--jaspar", SharedData.dir().resolve("jaspar-pfm"));
        assertThat(sim.exitCode()).as(sim.err()).isZero();
        Cli prep = Cli.run("prepare", "--fasta", dir.resolve("in/genome.fa"), "--gtf", dir.resolve("in/genes.gtf"),
                "--expression", dir.resolve("in/matrix.mtx.gz"), "--cells", dir.resolve("in/cells.tsv"),
                "--population-column", "population", "--out", dir.resolve("d.sced"));
        assertThat(prep.exitCode()).as(prep.err()).isZero();

        // one validation gene: the predictions over it are a constant, so the model counts as collapsed every time
        Cli train = Cli.run("train", "--dataset", dir.resolve("d.sced"), "--out", dir.resolve("m.scep"), "--epochs", 1,
                "--batch", 16, "--threads", 2, "--validation-genes", 1, "--keep-last");
        assertThat(train.exitCode()).as(train.err()).isZero();
        assertThat(train.err()).contains("the model collapsed (variance", "retrained with seed 1000004",
                "after 3 retrains; keeping the last");
        ScepModel m = ScepModelFile.read(dir.resolve("m.scep"));
        assertThat(m.provenance()).containsEntry("collapse_retrains", "3").containsEntry("first_seed", "1");
        ScepModel last = ScepModelFile.read(dir.resolve("m.last.scep"));
        assertThat(last.provenance()).containsEntry("weights", "last epoch");
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.contains("checkpoint"));
        }

        Cli off = Cli.run("train", "--dataset", dir.resolve("d.sced"), "--out", dir.resolve("off.scep"), "--epochs", 1,
                "--batch", 16, "--threads", 2, "--validation-genes", 1, "--no-retrain-collapsed", "--last-out",
                dir.resolve("named-last.scep"));
        assertThat(off.exitCode()).as(off.err()).isZero();
        assertThat(off.err()).contains("kept (retraining collapsed models is off)").doesNotContain("retrained with seed");
        assertThat(dir.resolve("named-last.scep")).isRegularFile();
        assertThat(dir.resolve("off.last.scep")).doesNotExist();

        Cli cv = Cli.run("cv", "--dataset", dir.resolve("d.sced"), "--out", dir.resolve("cv"), "--folds", 2, "--replicates", 1,
                "--epochs", 1, "--batch", 16, "--threads", 2, "--validation-genes", 1, "--keep-last");
        assertThat(cv.exitCode()).as(cv.err()).isZero();
        assertThat(cv.err()).contains("fold 1 replicate 1 collapsed (variance", "fold 2 replicate 1 collapsed");
        assertThat(dir.resolve("cv/models/fold-01.last.scep")).isRegularFile();
        assertThat(dir.resolve("cv/models/fold-02.last.scep")).isRegularFile();
        assertThat(Tables.text(dir.resolve("cv/metrics.tsv")))
                .contains("collapsed_kept\tfold-01-replicate-1\t3\n", "collapsed_kept\tfold-02-replicate-1\t3\n");
    }
}
