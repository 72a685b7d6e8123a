package dev.scep.spark;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static dev.scep.spark.ScoreVariantsJobTest.run;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code scep-spark ism} in local mode against {@code scep ism} on the alpha-globin region's gene windows. */
class IsmJobTest {
    @TempDir
    static Path dir;

    static Path model;
    static Path windows;
    static Path halfLife;
    static long genes;

    @BeforeAll
    static void windowsOfTheRegionsGenes() throws Exception {
        Path region = SparkTestData.region();
        model = SparkTestData.model(dir.resolve("m.scep"), 8);
        windows = dir.resolve("w.fa");
        halfLife = dir.resolve("h.tsv");
        ScoreVariantsJobTest.Run prep = run(false, "prepare", "--fasta", region.resolve("region.fa"), "--gtf",
                region.resolve("refseq.gtf"), "--out", dir.resolve("d.sced"), "--windows-out", windows, "--halflife-out", halfLife);
        assertThat(prep.code()).as(prep.err()).isZero();
        genes = Files.readAllLines(windows).stream().filter(l -> l.startsWith(">")).count();
        assertThat(genes).isGreaterThanOrEqualTo(4);
    }

    @AfterEach
    void noFailureInjection() {
        System.clearProperty(ScoreVariantsJob.FAIL_FIRST_ATTEMPT);
    }

    private static String single(String name, String... extra) throws Exception {
        Path out = dir.resolve(name);
        if (!Files.exists(out)) {
            java.util.List<Object> args = new java.util.ArrayList<>(java.util.List.of("ism", "--model", model, "--windows", windows,
                    "--halflife", halfLife, "--out", out));
            args.addAll(java.util.List.of(extra));
            ScoreVariantsJobTest.Run r = run(false, args.toArray());
            assertThat(r.code()).as(r.err()).isZero();
        }
        return Tables.text(out);
    }

    @Test
    void everySubstitutionAsScepIsmByteForByteWithARetriedTask() throws Exception {
        System.setProperty(ScoreVariantsJob.FAIL_FIRST_ATTEMPT, "true");
        ScoreVariantsJobTest.Run r = run(true, "ism", "--master", "local[2,4]", "--model", model, "--windows", windows,
                "--halflife", halfLife, "--all-substitutions", "--windows-per-task", 2, "--format", "tsv",
                "--out", dir.resolve("all.tsv"));
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains(genes + " window(s) × 1 model(s) in " + (genes + 1) / 2 + " tasks");
        String expected = single("single-all.tsv");
        assertThat(expected.lines().count()).isEqualTo(1 + genes * 10_500 * 3);
        assertThat(Tables.text(dir.resolve("all.tsv"))).isEqualTo(expected);
        assertThat(dir.resolve("all.tsv.parts")).doesNotExist();
    }

    @Test
    void theStrongestChangePerPositionAsScepIsmPerPosition() throws Exception {
        ScoreVariantsJobTest.Run r = run(true, "ism", "--master", "local[2]", "--model", model, "--windows", windows,
                "--halflife", halfLife, "--windows-per-task", 3, "--format", "tsv", "--out", dir.resolve("pp.tsv"));
        assertThat(r.code()).as(r.err()).isZero();
        String expected = single("single-pp.tsv", "--per-position");
        assertThat(expected.lines().count()).isEqualTo(1 + genes * 10_500);
        assertThat(expected.lines().findFirst().orElseThrow()).isEqualTo("id\tposition\toffset\tref\ta\tb");
        assertThat(Tables.text(dir.resolve("pp.tsv"))).isEqualTo(expected);

        ScoreVariantsJobTest.Run pq = run(true, "ism", "--master", "local[2]", "--model", model, "--windows", windows,
                "--halflife", halfLife, "--windows-per-task", 3, "--out", dir.resolve("pq"));
        assertThat(pq.code()).as(pq.err()).isZero();
        try (SparkSession spark = SparkSession.builder().master("local[1]").config("spark.ui.enabled", "false").getOrCreate()) {
            Dataset<Row> rows = spark.read().parquet(dir.resolve("pq").toString());
            assertThat(rows.count()).isEqualTo(genes * 10_500);
            assertThat(rows.schema().fieldNames()).contains("id", "position", "offset", "ref", "a", "b", "model");
        }
    }

    @Test
    void aWindowWithoutHalfLifeIsNamedByFileAndLine() throws Exception {
        Path partial = dir.resolve("partial.tsv");
        java.util.List<String> lines = Files.readAllLines(halfLife);
        Files.write(partial, lines.subList(0, lines.size() - 1));
        ScoreVariantsJobTest.Run r = run(true, "ism", "--master", "local[1]", "--model", model, "--windows", windows,
                "--halflife", partial, "--format", "tsv", "--out", dir.resolve("x.tsv"));
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).startsWith("scep-spark: error: " + windows + ":").doesNotContain("\tat ");
        assertThat(dir.resolve("x.tsv")).doesNotExist();
    }
}
