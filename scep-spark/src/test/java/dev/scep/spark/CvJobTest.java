package dev.scep.spark;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static dev.scep.spark.ScoreVariantsJobTest.run;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code scep-spark cv} in local mode against {@code scep cv} on a simulated tissue: the same folds, models and
 * files for the same seed and thread count, with a task that fails part-way and is retried from its checkpoint.
 */
class CvJobTest {
    @TempDir
    Path dir;

    @AfterEach
    void noFailureInjection() {
        System.clearProperty(ScoreVariantsJob.FAIL_FIRST_ATTEMPT);
    }

    @Test
    void theFilesOfScepCvWithARetriedTask() throws Exception {
        Path jaspar = SparkTestData.region().getParent().resolve("jaspar-pfm");
        ScoreVariantsJobTest.Run sim = run(false, "simulate", "--out", dir.resolve("in"), "--genes", 60, "--populations", 3,
                "--cells", 150, "--jaspar", jaspar);
        assertThat(sim.code()).as(sim.err()).isZero();
        ScoreVariantsJobTest.Run prep = run(false, "prepare", "--fasta", dir.resolve("in/genome.fa"), "--gtf",
                dir.resolve("in/genes.gtf"), "--expression", dir.resolve("in/matrix.mtx.gz"), "--cells", dir.resolve("in/cells.tsv"),
                "--population-column", "population", "--out", dir.resolve("d.sced"));
        assertThat(prep.code()).as(prep.err()).isZero();
        Object[] recipe = {"--folds", 3, "--replicates", 2, "--epochs", 2, "--batch", 16, "--threads", 1,
                "--validation-genes", 10, "--seed", 7};
        ScoreVariantsJobTest.Run single = run(false, concat(new Object[]{"cv", "--dataset", dir.resolve("d.sced"),
                "--out", dir.resolve("single")}, recipe));
        assertThat(single.code()).as(single.err()).isZero();
        System.setProperty(ScoreVariantsJob.FAIL_FIRST_ATTEMPT, "true");
        ScoreVariantsJobTest.Run spark = run(true, concat(new Object[]{"cv", "--master", "local[2,4]", "--dataset",
                dir.resolve("d.sced"), "--out", dir.resolve("spark")}, recipe));
        assertThat(spark.code()).as(spark.err()).isZero();
        assertThat(spark.err()).contains("d.sced: 6 of 6 replicates to train");
        System.clearProperty(ScoreVariantsJob.FAIL_FIRST_ATTEMPT);
        for (String f : new String[]{"predictions.tsv", "metrics.tsv", "manifest.tsv"}) {
            assertThat(Tables.text(dir.resolve("spark").resolve(f))).as(f)
                    .isEqualTo(Tables.text(dir.resolve("single").resolve(f)));
        }
        for (int fold = 1; fold <= 3; fold++) {
            String name = String.format("models/fold-%02d.scep", fold);
            assertThat(Files.readAllBytes(dir.resolve("spark").resolve(name))).as(name)
                    .isEqualTo(Files.readAllBytes(dir.resolve("single").resolve(name)));
        }
        try (var left = Files.list(dir.resolve("spark/models"))) {
            assertThat(left.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("fold-01.scep", "fold-02.scep",
                    "fold-03.scep");
        }
        // the same command again finds every fold done and only assembles
        ScoreVariantsJobTest.Run again = run(true, concat(new Object[]{"cv", "--master", "local[2]", "--dataset",
                dir.resolve("d.sced"), "--out", dir.resolve("spark")}, recipe));
        assertThat(again.code()).as(again.err()).isZero();
        assertThat(again.err()).contains("d.sced: 0 of 6 replicates to train");

        // two datasets (tissues) in one job: one folder each, the same files as scep cv on each
        Files.copy(dir.resolve("d.sced"), dir.resolve("other.sced"));
        ScoreVariantsJobTest.Run two = run(true, concat(new Object[]{"cv", "--master", "local[2]", "--dataset",
                dir.resolve("d.sced"), "--dataset", dir.resolve("other.sced"), "--out", dir.resolve("both")}, recipe));
        assertThat(two.code()).as(two.err()).isZero();
        assertThat(two.err()).contains("d.sced: 6 of 6", "other.sced: 6 of 6");
        for (String tissue : new String[]{"d", "other"}) {
            assertThat(Tables.text(dir.resolve("both").resolve(tissue).resolve("predictions.tsv"))).as(tissue)
                    .isEqualTo(Tables.text(dir.resolve("single/predictions.tsv")));
        }
    }

    private static Object[] concat(Object[] a, Object[] b) {
        Object[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
