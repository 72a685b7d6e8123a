package dev.scep.spark;

import dev.scep.cli.ScepCommand;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code scep-spark score-variants} in local mode against {@code scep score-variants} on the same input: the same
 * table byte for byte, with a task that fails once and is retried, with several models, and as Parquet.
 */
class ScoreVariantsJobTest {
    @TempDir
    static Path dir;

    static Path fasta;
    static Path gtf;
    static Path vcf;
    static Path model;
    static Path model2;

    record Run(int code, String out, String err) {
    }

    static Run run(boolean spark, Object... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        String[] a = java.util.Arrays.stream(args).map(String::valueOf).toArray(String[]::new);
        int code = spark ? ScepSpark.run(a, new PrintWriter(out), new PrintWriter(err))
                : ScepCommand.run(a, new PrintWriter(out), new PrintWriter(err));
        return new Run(code, out.toString(), err.toString());
    }

    @BeforeAll
    static void inputs() throws Exception {
        Path region = SparkTestData.region();
        fasta = region.resolve("region.fa");
        gtf = region.resolve("refseq.gtf");
        vcf = SparkTestData.vcf(dir.resolve("v.vcf.gz"), 60, 5);
        model = SparkTestData.model(dir.resolve("m.scep"), 8);
        model2 = SparkTestData.model(dir.resolve("other.scep"), 9);
    }

    @AfterEach
    void noFailureInjection() {
        System.clearProperty(ScoreVariantsJob.FAIL_FIRST_ATTEMPT);
    }

    private static String single(Path m, String name) throws Exception {
        Path out = dir.resolve(name);
        if (!Files.exists(out)) {
            Run r = run(false, "score-variants", "--model", m, "--fasta", fasta, "--gtf", gtf, "--vcf", vcf, "--out", out,
                    "--threads", 2);
            assertThat(r.code()).as(r.err()).isZero();
        }
        return Tables.text(out);
    }

    @Test
    void theTsvIsTheSingleMachineTableByteForByte() throws Exception {
        String expected = single(model, "single.tsv");
        assertThat(expected.lines().count()).as("rows of the single-machine table").isGreaterThan(500);
        Run r = run(true, "score-variants", "--master", "local[2]", "--model", model, "--fasta", fasta, "--gtf", gtf,
                "--vcf", vcf, "--format", "tsv", "--shards", 4, "--out", dir.resolve("spark.tsv"));
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).containsPattern("[2-4] shards per model");
        assertThat(Tables.text(dir.resolve("spark.tsv"))).isEqualTo(expected);
        assertThat(dir.resolve("spark.tsv.parts")).doesNotExist();
    }

    @Test
    void aTaskThatFailsOnceIsRetriedAndNothingIsDuplicatedOrLost() throws Exception {
        String expected = single(model, "single.tsv");
        System.setProperty(ScoreVariantsJob.FAIL_FIRST_ATTEMPT, "true");
        // local[2,4]: two threads, a task may fail up to four times
        Run r = run(true, "score-variants", "--master", "local[2,4]", "--model", model, "--fasta", fasta, "--gtf", gtf,
                "--vcf", vcf, "--format", "tsv", "--shards", 4, "--out", dir.resolve("retried.tsv"));
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(Tables.text(dir.resolve("retried.tsv"))).isEqualTo(expected);
        // without retries the injected failure fails the job, with the task's own message
        Run once = run(true, "score-variants", "--master", "local[2]", "--model", model, "--fasta", fasta, "--gtf", gtf,
                "--vcf", vcf, "--format", "tsv", "--shards", 4, "--out", dir.resolve("failed.tsv"));
        assertThat(once.code()).isEqualTo(1);
        assertThat(once.err()).contains("injected failure of the first attempt");
        assertThat(dir.resolve("failed.tsv")).doesNotExist();
    }

    @Test
    void everyModelGetsItsOwnTable() throws Exception {
        Run r = run(true, "score-variants", "--master", "local[2]", "--model", model, "--model", model2, "--fasta", fasta,
                "--gtf", gtf, "--vcf", vcf, "--format", "tsv", "--shards", 3, "--out", dir.resolve("two"));
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(Tables.text(dir.resolve("two/m.tsv"))).isEqualTo(single(model, "single.tsv"));
        assertThat(Tables.text(dir.resolve("two/other.tsv"))).isEqualTo(single(model2, "single-other.tsv"));
    }

    @Test
    void theGeneSetOptionsChooseTheSameGenes() throws Exception {
        Run single = run(false, "score-variants", "--model", model, "--fasta", fasta, "--gtf", gtf, "--vcf", vcf,
                "--keep-noncoding", "--exclude-contigs", "chrX", "--out", dir.resolve("nc-single.tsv"), "--threads", 2);
        assertThat(single.code()).as(single.err()).isZero();
        Run r = run(true, "score-variants", "--master", "local[2]", "--model", model, "--fasta", fasta, "--gtf", gtf,
                "--vcf", vcf, "--keep-noncoding", "--exclude-contigs", "chrX", "--format", "tsv", "--shards", 3,
                "--out", dir.resolve("nc.tsv"));
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(Tables.text(dir.resolve("nc.tsv"))).isEqualTo(Tables.text(dir.resolve("nc-single.tsv")));
    }

    @Test
    void parquetHoldsTheSameRowsPartitionedByModelAndContig() throws Exception {
        List<String> expected = single(model, "single.tsv").lines().toList();
        Run r = run(true, "score-variants", "--master", "local[2]", "--model", model, "--fasta", fasta, "--gtf", gtf,
                "--vcf", vcf, "--shards", 3, "--out", dir.resolve("pq"));
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(dir.resolve("pq/model=m/contig=chr16")).isDirectory();
        try (SparkSession spark = SparkSession.builder().master("local[1]").config("spark.ui.enabled", "false").getOrCreate()) {
            Dataset<Row> rows = spark.read().parquet(dir.resolve("pq").toString());
            assertThat(rows.count()).isEqualTo(expected.size() - 1);
            assertThat(rows.schema().fieldNames()).contains("variant", "position", "rank_in_gene", "a", "b", "model", "contig");
            String[] first = expected.get(1).split("\t", -1);
            Row row = rows.filter(rows.col("variant").equalTo(first[0]).and(rows.col("gene_id").equalTo(first[5]))
                    .and(rows.col("alt").equalTo(first[4]))).first();
            assertThat(row.<Long>getAs("position")).isEqualTo(Long.parseLong(first[2]));
            assertThat(row.<Integer>getAs("rank_in_gene")).isEqualTo(Integer.parseInt(first[10]));
            assertThat(row.<Float>getAs("a")).isEqualTo(Float.parseFloat(first[11]));
            assertThat(row.<String>getAs("model")).isEqualTo("m");
        }
    }

    @Test
    void theSingleMachineParquetFileIsTheTableAsSparkAndParquetJavaReadIt() throws Exception {
        List<String> expected = single(model, "single.tsv").lines().toList();
        Path file = dir.resolve("single.parquet");
        Run r = run(false, "score-variants", "--model", model, "--fasta", fasta, "--gtf", gtf, "--vcf", vcf, "--out", file,
                "--threads", 2);
        assertThat(r.code()).as(r.err()).isZero();
        try (SparkSession spark = SparkSession.builder().master("local[1]").config("spark.ui.enabled", "false").getOrCreate()) {
            Dataset<Row> rows = spark.read().parquet(file.toString());
            String[] header = expected.getFirst().split("\t", -1);
            assertThat(rows.schema().fieldNames()).containsExactly(header);
            // typed as scep-spark's dataset types them
            assertThat(rows.schema().apply("position").dataType()).isEqualTo(org.apache.spark.sql.types.DataTypes.LongType);
            assertThat(rows.schema().apply("offset").dataType()).isEqualTo(org.apache.spark.sql.types.DataTypes.IntegerType);
            assertThat(rows.schema().apply("rank_in_gene").dataType()).isEqualTo(org.apache.spark.sql.types.DataTypes.IntegerType);
            assertThat(rows.schema().apply("a").dataType()).isEqualTo(org.apache.spark.sql.types.DataTypes.FloatType);
            assertThat(rows.schema().apply("gene_id").dataType()).isEqualTo(org.apache.spark.sql.types.DataTypes.StringType);
            // every row, in order, every value as the TSV writes it
            List<String> got = rows.collectAsList().stream().map(row -> {
                StringBuilder sb = new StringBuilder();
                for (int c = 0; c < row.size(); c++) {
                    sb.append(c == 0 ? "" : "\t").append(row.isNullAt(c) ? "" : String.valueOf(row.get(c)));
                }
                return sb.toString();
            }).toList();
            assertThat(got).hasSize(expected.size() - 1);
            for (int i = 0; i < got.size(); i++) {
                String[] want = expected.get(i + 1).split("\t", -1);
                String[] have = got.get(i).split("\t", -1);
                for (int c = 0; c < header.length; c++) {
                    boolean number = header[c].equals("a") || header[c].equals("b");
                    if (number) {
                        assertThat(Float.parseFloat(have[c])).as("row %d %s", i + 1, header[c]).isEqualTo(Float.parseFloat(want[c]));
                    } else {
                        assertThat(have[c]).as("row %d %s", i + 1, header[c]).isEqualTo(want[c]);
                    }
                }
            }
        }
        var conf = new org.apache.hadoop.conf.Configuration();
        try (var reader = org.apache.parquet.hadoop.ParquetFileReader.open(org.apache.parquet.hadoop.util.HadoopInputFile.fromPath(
                new org.apache.hadoop.fs.Path(file.toString()), conf))) {
            var meta = reader.getFooter().getFileMetaData();
            assertThat(meta.getKeyValueMetaData().get("scep.model")).isEqualTo(model.toString());
            assertThat(meta.getKeyValueMetaData().get("scep.model_sha256")).matches("[0-9a-f]{64}");
            assertThat(meta.getKeyValueMetaData().get("scep.command")).startsWith("scep score-variants --model " + model);
            assertThat(meta.getKeyValueMetaData().get("scep.provenance")).startsWith("# scep ");
            assertThat(reader.getRecordCount()).isEqualTo(expected.size() - 1);
        }
    }

    @Test
    void parquetJavaReadsManyRowGroupsPagesAndNullsOfEveryType() throws Exception {
        Path file = dir.resolve("types.parquet");
        var types = List.of(dev.scep.formats.io.ParquetTableWriter.Type.values());
        List<dev.scep.formats.io.ParquetTableWriter.Column> columns = types.stream()
                .map(t -> new dev.scep.formats.io.ParquetTableWriter.Column(t.name().toLowerCase(java.util.Locale.ROOT), t)).toList();
        int n = 120_000;
        try (var w = new dev.scep.formats.io.ParquetTableWriter(Files.newOutputStream(file), columns, java.util.Map.of(), 200_000)) {
            for (int i = 0; i < n; i++) {
                w.write(new String[]{i % 7 == 0 ? "" : "gene-" + i + "-\u00e9", i % 5 == 0 ? "" : String.valueOf(i - 50_000),
                        String.valueOf(i * 3_000_000_000L), i % 3 == 0 ? "" : String.valueOf(i * 0.25f), String.valueOf(i / 3.0)});
            }
        }
        try (var reader = org.apache.parquet.hadoop.ParquetFileReader.open(org.apache.parquet.hadoop.util.HadoopInputFile.fromPath(
                new org.apache.hadoop.fs.Path(file.toString()), new org.apache.hadoop.conf.Configuration()))) {
            assertThat(reader.getRowGroups().size()).as("row groups").isGreaterThan(3);
        }
        try (SparkSession spark = SparkSession.builder().master("local[1]").config("spark.ui.enabled", "false").getOrCreate()) {
            List<Row> rows = spark.read().parquet(file.toString()).collectAsList();
            assertThat(rows).hasSize(n);
            for (int i = 0; i < n; i++) {
                Row row = rows.get(i);
                assertThat(row.isNullAt(0) ? null : row.getString(0)).isEqualTo(i % 7 == 0 ? null : "gene-" + i + "-\u00e9");
                assertThat(row.isNullAt(1) ? null : row.getInt(1)).isEqualTo(i % 5 == 0 ? null : i - 50_000);
                assertThat(row.getLong(2)).isEqualTo(i * 3_000_000_000L);
                assertThat(row.isNullAt(3) ? null : row.getFloat(3)).isEqualTo(i % 3 == 0 ? null : i * 0.25f);
                assertThat(row.getDouble(4)).isEqualTo(i / 3.0);
            }
        }
    }

    @Test
    void aVcfWithoutIndexIsRefusedInOneLine() throws Exception {
        Path plain = dir.resolve("noindex.vcf.gz");
        Files.copy(vcf, plain);
        Run r = run(true, "score-variants", "--master", "local[1]", "--model", model, "--fasta", fasta, "--gtf", gtf,
                "--vcf", plain, "--format", "tsv", "--out", dir.resolve("x.tsv"));
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).startsWith("scep-spark: error: " + plain).contains("tabix index").doesNotContain("\tat ");
        List<String> notRun = new ArrayList<>(List.of("--format", "csv"));
        Run usage = run(true, "score-variants", "--model", model, "--fasta", fasta, "--gtf", gtf, "--vcf", vcf,
                notRun.get(0), notRun.get(1), "--out", dir.resolve("y"));
        assertThat(usage.code()).isEqualTo(2);
        assertThat(usage.err()).contains("--format must be tsv or parquet");
    }
}
