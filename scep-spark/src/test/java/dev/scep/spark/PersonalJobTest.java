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
import java.util.List;

import static dev.scep.spark.ScoreVariantsJobTest.run;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code scep-spark personal} in local mode against {@code scep personal}: a phased cohort generated here over the
 * alpha-globin region, the annotation on two contigs so that the genes of the one the VCF lacks come last.
 */
class PersonalJobTest {
    @TempDir
    static Path dir;

    static Path fasta;
    static Path gtf;
    static Path cohort;
    static Path model;

    @BeforeAll
    static void inputs() throws Exception {
        Path[] two = SparkTestData.twoContigs(dir);
        fasta = two[0];
        gtf = two[1];
        cohort = SparkTestData.cohort(dir.resolve("cohort.vcf.gz"), 12, 150, 3);
        model = SparkTestData.model(dir.resolve("m.scep"), 8);
    }

    @AfterEach
    void noFailureInjection() {
        System.clearProperty(ScoreVariantsJob.FAIL_FIRST_ATTEMPT);
    }

    private static String single(String name, String... extra) throws Exception {
        Path out = dir.resolve(name);
        List<Object> args = new java.util.ArrayList<>(List.of("personal", "--model", model, "--fasta", fasta, "--gtf", gtf,
                "--vcf", cohort, "--out", out, "--threads", 2));
        args.addAll(List.of(extra));
        ScoreVariantsJobTest.Run r = run(false, args.toArray());
        assertThat(r.code()).as(r.err()).isZero();
        return Tables.text(out);
    }

    @Test
    void theTableIsScepPersonalsByteForByteWithARetriedTask() throws Exception {
        String expected = single("single.tsv");
        List<String> lines = expected.lines().toList();
        assertThat(lines.getLast()).startsWith("S12\tb_");     // the unvisited contig's genes come last
        System.setProperty(ScoreVariantsJob.FAIL_FIRST_ATTEMPT, "true");
        ScoreVariantsJobTest.Run r = run(true, "personal", "--master", "local[2,4]", "--model", model, "--fasta", fasta,
                "--gtf", gtf, "--vcf", cohort, "--blocks", 3, "--format", "tsv", "--out", dir.resolve("spark.tsv"));
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("12 samples × ").containsPattern("[2-4] gene blocks per model");
        assertThat(Tables.text(dir.resolve("spark.tsv"))).isEqualTo(expected);
    }

    @Test
    void theDosageModeToo() throws Exception {
        String expected = single("single-dosage.tsv", "--dosage");
        ScoreVariantsJobTest.Run r = run(true, "personal", "--master", "local[2]", "--model", model, "--fasta", fasta,
                "--gtf", gtf, "--vcf", cohort, "--dosage", "--blocks", 2, "--format", "tsv", "--out", dir.resolve("dosage.tsv"));
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(Tables.text(dir.resolve("dosage.tsv"))).isEqualTo(expected);
    }

    @Test
    void parquetHasOneRowPerGeneWithArraysOverTheSamples() throws Exception {
        List<String> expected = single("single.tsv").lines().toList();
        ScoreVariantsJobTest.Run r = run(true, "personal", "--master", "local[2]", "--model", model, "--fasta", fasta,
                "--gtf", gtf, "--vcf", cohort, "--blocks", 3, "--out", dir.resolve("pq"));
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(Files.readAllLines(dir.resolve("pq/samples.tsv"))).hasSize(13).contains("0\tS1", "11\tS12");
        try (SparkSession spark = SparkSession.builder().master("local[1]").config("spark.ui.enabled", "false").getOrCreate()) {
            Dataset<Row> rows = spark.read().parquet(dir.resolve("pq").toString());
            assertThat(rows.count() * 12).isEqualTo(expected.size() - 1);
            String[] first = expected.get(1).split("\t", -1);          // S1's row of the first gene
            Row gene = rows.filter(rows.col("gene_id").equalTo(first[1])).first();
            assertThat(gene.getList(gene.fieldIndex("a")).getFirst()).isEqualTo(Float.parseFloat(first[4]));
            assertThat(gene.getList(gene.fieldIndex("alt_alleles"))).hasSize(12).first().isEqualTo(Integer.parseInt(first[3]));
        }
    }
}
