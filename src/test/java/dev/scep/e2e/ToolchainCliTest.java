package dev.scep.e2e;

import dev.scep.formats.io.ScepModelFile;
import dev.scep.formats.model.Architecture;
import dev.scep.formats.model.HalfLifeFeature;
import dev.scep.formats.model.HalfLifeTransform;
import dev.scep.formats.model.OutputSpec;
import dev.scep.formats.model.ParameterInit;
import dev.scep.formats.model.ScepModel;
import dev.scep.formats.model.SequenceEncoding;
import dev.scep.formats.text.FastaReader;
import htsjdk.samtools.util.BlockCompressedOutputStream;
import htsjdk.tribble.index.IndexFactory;
import htsjdk.tribble.index.tabix.TabixFormat;
import htsjdk.variant.variantcontext.VariantContext;
import htsjdk.variant.vcf.VCFCodec;
import htsjdk.variant.vcf.VCFFileReader;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * scep in the genomics toolchain: variant effects as an annotated, bgzipped and tabix-indexed VCF that bcftools and
 * htsjdk read; '-' for standard input and output in a shell pipeline; outputs that are devices written in place; new
 * files with the umask's permissions.
 */
class ToolchainCliTest {
    private static final Path ROOT = Path.of("").toAbsolutePath().getParent().getParent();   // the e2e module is src/test

    @TempDir
    static Path dir;

    static Path fasta;
    static Path gtf;
    static Path vcf;
    static Path model;

    @BeforeAll
    static void inputs() throws Exception {
        Path region = SharedData.dir().resolve("hg38-chr16-alpha-globin");
        fasta = region.resolve("region.fa");
        gtf = region.resolve("refseq.gtf");
        byte[] genome;
        try (FastaReader r = new FastaReader(fasta)) {
            genome = r.next().sequence();
        }
        SplittableRandom rnd = new SplittableRandom(4);
        StringBuilder sb = new StringBuilder("##fileformat=VCFv4.2\n##contig=<ID=chr16>\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n");
        String bases = "ACGT";
        for (long pos = 50; pos < genome.length - 10; pos += 20 + rnd.nextInt(200)) {
            char ref = Character.toUpperCase((char) genome[(int) pos - 1]);
            if (bases.indexOf(ref) < 0) {
                continue;
            }
            char alt = bases.charAt((bases.indexOf(ref) + 1 + rnd.nextInt(3)) % 4);
            char other = bases.charAt((bases.indexOf(alt) + 1) % 4) == ref ? bases.charAt((bases.indexOf(alt) + 2) % 4)
                    : bases.charAt((bases.indexOf(alt) + 1) % 4);
            String alts = rnd.nextInt(10) == 0 ? alt + "," + other : rnd.nextInt(15) == 0 ? ref + "TTA" : String.valueOf(alt);
            sb.append("chr16\t").append(pos).append("\t.\t").append(ref).append('\t').append(alts).append("\t.\t.\t.\n");
        }
        vcf = dir.resolve("in.vcf.gz");
        try (OutputStream out = new BlockCompressedOutputStream(vcf.toFile())) {
            out.write(sb.toString().getBytes(StandardCharsets.US_ASCII));
        }
        IndexFactory.createTabixIndex(vcf.toFile(), new VCFCodec(), TabixFormat.VCF, null).write(dir.resolve("in.vcf.gz.tbi"));
        Architecture arch = Architecture.scepMultitask(2, 5);
        ScepModel m = new ScepModel(arch, SequenceEncoding.SCEP, List.of(new OutputSpec("Astro", 0.5, 2), new OutputSpec("L2/3 IT", 0, 1)),
                List.of("utr5_length", "utr3_length", "orf_length", "intron_length", "exon_junction_density").stream()
                        .map(n -> new HalfLifeFeature(n, HalfLifeTransform.LOG10_PLUS_0_1, 2, 1)).toList(),
                Map.of(), List.of(ParameterInit.pytorchDefault(arch, 8)));
        model = dir.resolve("m.scep");
        ScepModelFile.write(m, model);
        Cli table = Cli.run("score-variants", "--model", model, "--fasta", fasta, "--gtf", gtf, "--vcf", vcf, "--out", dir.resolve("s.tsv"));
        assertThat(table.exitCode()).as(table.err()).isZero();
    }

    /** The TSV's rows keyed by position, alt and gene: the two outputs' values as written. */
    private static Map<String, String[]> tableRows() throws IOException {
        Map<String, String[]> rows = new HashMap<>();
        for (String line : Tables.lines(dir.resolve("s.tsv")).subList(1, Tables.lines(dir.resolve("s.tsv")).size())) {
            String[] f = line.split("\t", -1);
            rows.put(f[2] + "\t" + f[4] + "\t" + f[5], new String[]{f[10], f[11], f[12]});
        }
        return rows;
    }

    @Test
    void theEffectsAsAnIndexedVcfThatHtsjdkAndBcftoolsRead() throws Exception {
        Cli run = Cli.run("score-variants", "--model", model, "--fasta", fasta, "--gtf", gtf, "--vcf", vcf, "--out",
                dir.resolve("s.vcf.gz"));
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(dir.resolve("s.vcf.gz.tbi")).isRegularFile();
        Map<String, String[]> expected = tableRows();
        assertThat(expected).hasSizeGreaterThan(100);
        int seen = 0;
        int records = 0;
        try (VCFFileReader r = new VCFFileReader(dir.resolve("s.vcf.gz"), true)) {
            String description = r.getFileHeader().getInfoHeaderLine("SCEP").getDescription();
            assertThat(description).endsWith("Format: Allele|Gene|Symbol|Strand|Offset|Kind|Rank|Astro|L2/3%20IT");
            assertThat(r.getFileHeader().getOtherHeaderLine("scep_model_sha256").getValue()).hasSize(64);
            assertThat(r.getFileHeader().getOtherHeaderLine("scep_command").getValue()).startsWith("scep score-variants --model");
            for (VariantContext vc : r) {
                records++;
                for (String value : vc.getAttributeAsStringList("SCEP", "")) {
                    String[] f = value.split("\\|", -1);
                    String[] row = expected.get(vc.getStart() + "\t" + f[0] + "\t" + f[1]);
                    assertThat(row).as("%s:%d %s", vc.getContig(), vc.getStart(), value).isNotNull();
                    assertThat(new String[]{f[6], f[7], f[8]}).isEqualTo(row);
                    seen++;
                }
            }
            // indexed: a region query finds the records there
            assertThat(r.query("chr16", 90_000, 100_000).stream().count()).isPositive();
        }
        assertThat(seen).isEqualTo(expected.size());
        assertThat(records).isEqualTo(countRecords());
        assumeTrue(onPath("bcftools"), "bcftools is not installed: checked with htsjdk only");
        Processes.Result view = sh("bcftools view -H " + dir.resolve("s.vcf.gz") + " chr16:90000-100000 | wc -l");
        assertThat(view.exit()).as(view.err()).isZero();
        assertThat(Integer.parseInt(view.out().strip())).isPositive();
        Processes.Result query = sh("bcftools query -f '%POS\\t%INFO/SCEP\\n' " + dir.resolve("s.vcf.gz"));
        assertThat(query.exit()).as(query.err()).isZero();
        int fromBcftools = 0;
        for (String line : query.out().split("\n")) {
            String[] f = line.split("\t");
            if (f.length < 2 || f[1].equals(".")) {
                continue;
            }
            for (String value : f[1].split(",")) {
                String[] v = value.split("\\|", -1);
                // the Astro effect (field 8) of every scored allele equals the table's
                assertThat(v[7]).isEqualTo(expected.get(f[0] + "\t" + v[0] + "\t" + v[1])[1]);
                fromBcftools++;
            }
        }
        assertThat(fromBcftools).isEqualTo(expected.size());
    }

    @Test
    void everyTableSaysWhatMadeIt() throws Exception {
        List<String> raw = Files.readAllLines(dir.resolve("s.tsv"));
        assertThat(raw.get(0)).startsWith("# scep ").contains(" score-variants --model " + model);
        assertThat(raw.get(1)).matches("# model " + java.util.regex.Pattern.quote(model.toString()) + " sha256 [0-9a-f]{64}");
        assertThat(raw.get(2)).startsWith("variant\tcontig\tposition");
        // the project's own readers skip those lines: evaluate reads a cv's predictions, predict a half-life table
        Cli prep = Cli.run("prepare", "--fasta", fasta, "--gtf", gtf, "--windows-out", dir.resolve("w.fa"), "--halflife-out",
                dir.resolve("h.tsv"));
        assertThat(prep.exitCode()).as(prep.err()).isZero();
        assertThat(Files.readAllLines(dir.resolve("h.tsv")).getFirst()).startsWith("# scep ");
        Cli predict = Cli.run("predict", "--model", model, "--windows", dir.resolve("w.fa"), "--halflife", dir.resolve("h.tsv"),
                "--out", dir.resolve("p.tsv"));
        assertThat(predict.exitCode()).as(predict.err()).isZero();
    }

    @Test
    void aBgzipTableWithItsTabixIndex() throws Exception {
        Cli run = Cli.run("score-variants", "--model", model, "--fasta", fasta, "--gtf", gtf, "--vcf", vcf, "--out",
                dir.resolve("s.tsv.gz"), "--index");
        assertThat(run.exitCode()).as(run.err()).isZero();
        // bgzip, not plain text under a .gz name: htsjdk's BGZF reader takes it, and it holds the table
        try (var in = new htsjdk.samtools.util.BlockCompressedInputStream(dir.resolve("s.tsv.gz").toFile())) {
            assertThat(Tables.body(new String(in.readAllBytes(), StandardCharsets.UTF_8))).isEqualTo(Tables.text(dir.resolve("s.tsv")));
        }
        assertThat(dir.resolve("s.tsv.gz.tbi")).isRegularFile();
        List<String> expected = Tables.lines(dir.resolve("s.tsv")).stream()
                .filter(l -> !l.startsWith("variant")).filter(l -> {
                    long pos = Long.parseLong(l.split("\t")[2]);
                    return pos >= 90_000 && pos <= 100_000;
                }).toList();
        assertThat(expected).isNotEmpty();
        try (htsjdk.tribble.readers.TabixReader tabix = new htsjdk.tribble.readers.TabixReader(dir.resolve("s.tsv.gz").toString())) {
            htsjdk.tribble.readers.TabixReader.Iterator it = tabix.query("chr16:90000-100000");
            List<String> got = new ArrayList<>();
            for (String line; (line = it.next()) != null; ) {
                got.add(line);
            }
            assertThat(got).isEqualTo(expected);
        }
        if (onPath("tabix")) {
            Processes.Result t = sh("tabix " + dir.resolve("s.tsv.gz") + " chr16:90000-100000");
            assertThat(t.exit()).as(t.err()).isZero();
            assertThat(t.out().lines().toList()).isEqualTo(expected);
        }
        Cli refused = Cli.run("score-variants", "--model", model, "--fasta", fasta, "--gtf", gtf, "--vcf", vcf, "--out",
                dir.resolve("plain.tsv"), "--index");
        assertThat(refused.exitCode()).isEqualTo(2);
        assertThat(refused.err()).contains("--index needs a bgzip table");
    }

    @Test
    void aParquetFileFromTheNameOrTheOptionAndNeverUnderAGzName() throws Exception {
        // what real readers make of it (Spark, parquet-java) is checked in scep-spark's ScoreVariantsJobTest
        Cli run = Cli.run("score-variants", "--model", model, "--fasta", fasta, "--gtf", gtf, "--vcf", vcf, "--out",
                dir.resolve("s.parquet"));
        assertThat(run.exitCode()).as(run.err()).isZero();
        byte[] b = Files.readAllBytes(dir.resolve("s.parquet"));
        assertThat(new String(b, 0, 4, StandardCharsets.US_ASCII)).isEqualTo("PAR1");
        assertThat(new String(b, b.length - 4, 4, StandardCharsets.US_ASCII)).isEqualTo("PAR1");
        assertThat(new String(b, StandardCharsets.ISO_8859_1)).contains("scep.model_sha256", "scep.command", "# scep ");
        Cli named = Cli.run("score-variants", "--model", model, "--fasta", fasta, "--gtf", gtf, "--vcf", vcf, "--out",
                dir.resolve("s.pq"), "--output-format", "PARQUET");
        assertThat(named.exitCode()).as(named.err()).isZero();
        assertThat(new String(Files.readAllBytes(dir.resolve("s.pq")), 0, 4, StandardCharsets.US_ASCII)).isEqualTo("PAR1");
        Cli gz = Cli.run("score-variants", "--model", model, "--fasta", fasta, "--gtf", gtf, "--vcf", vcf, "--out",
                dir.resolve("s.parquet.gz"), "--output-format", "parquet");
        assertThat(gz.exitCode()).isEqualTo(2);
        assertThat(gz.err()).contains("a Parquet file compresses its own pages; name it .parquet, not .gz");
        assertThat(dir.resolve("s.parquet.gz")).doesNotExist();
        Cli other = Cli.run("score-variants", "--model", model, "--fasta", fasta, "--gtf", gtf, "--vcf", vcf, "--out",
                dir.resolve("s.x"), "--output-format", "csv");
        assertThat(other.exitCode()).isEqualTo(2);
        assertThat(other.err()).contains("--output-format must be tsv, vcf or parquet, not 'csv'");
    }

    @Test
    void aScoredVcfScoredAgainKeepsOnlyTheNewEffectsAndBinaryFilesAreNeverCompressed() throws Exception {
        Cli first = Cli.run("score-variants", "--model", model, "--fasta", fasta, "--gtf", gtf, "--vcf", vcf, "--out",
                dir.resolve("once.vcf.gz"));
        assertThat(first.exitCode()).as(first.err()).isZero();
        Cli again = Cli.run("score-variants", "--model", model, "--fasta", fasta, "--gtf", gtf, "--vcf", dir.resolve("once.vcf.gz"),
                "--out", dir.resolve("twice.vcf.gz"));
        assertThat(again.exitCode()).as(again.err()).isZero();
        try (VCFFileReader once = new VCFFileReader(dir.resolve("once.vcf.gz"), false);
             VCFFileReader twice = new VCFFileReader(dir.resolve("twice.vcf.gz"), false)) {
            assertThat(twice.getFileHeader().getMetaDataInInputOrder().stream().filter(l -> l.getKey().equals("scep_command")))
                    .hasSize(1);
            var a = once.iterator();
            var b = twice.iterator();
            while (a.hasNext()) {
                assertThat(b.next().getAttributeAsStringList("SCEP", "")).isEqualTo(a.next().getAttributeAsStringList("SCEP", ""));
            }
        }
        // a table rewritten without --index loses the index of its former self
        assertThat(Cli.run("score-variants", "--model", model, "--fasta", fasta, "--gtf", gtf, "--vcf", vcf, "--out",
                dir.resolve("t.tsv.gz"), "--index").exitCode()).isZero();
        assertThat(dir.resolve("t.tsv.gz.tbi")).exists();
        assertThat(Cli.run("score-variants", "--model", model, "--fasta", fasta, "--gtf", gtf, "--vcf", vcf, "--out",
                dir.resolve("t.tsv.gz")).exitCode()).isZero();
        assertThat(dir.resolve("t.tsv.gz.tbi")).doesNotExist();
        Cli binary = Cli.run("import-keras", SharedData.dir().resolve("xpresso-pretrained/xpresso_human.h5"), "--out",
                dir.resolve("x.scep.gz"));
        assertThat(binary.exitCode()).isEqualTo(1);
        assertThat(binary.err()).contains("binary scep file, which is never compressed");
        assertThat(dir.resolve("x.scep.gz")).doesNotExist();
    }

    private static int countRecords() throws IOException {
        try (VCFFileReader r = new VCFFileReader(vcf, false)) {
            int n = 0;
            for (VariantContext ignored : r) {
                n++;
            }
            return n;
        }
    }

    @Test
    void aShellPipelineWithStandardInputAndOutput() throws Exception {
        assumeTrue(Files.isRegularFile(ROOT.resolve("scep-cli/target/scep-cli.jar")), "skipped: scep-cli is not packaged yet");
        String reader = onPath("bcftools") ? "bcftools view -r chr16 " + vcf : "gzip -dc " + vcf;
        String compress = onPath("bgzip") ? "bgzip -c" : "gzip -c";
        Processes.Result p = sh(reader + " | " + ROOT.resolve("bin/scep") + " score-variants --model " + model + " --fasta " + fasta
                + " --gtf " + gtf + " --vcf - --out - | " + compress + " > " + dir.resolve("piped.tsv.gz"));
        assertThat(p.exit()).as(p.err()).isZero();
        assertThat(p.err()).contains("SNVs").doesNotContain("\tat ");
        Processes.Result back = sh("gzip -dc " + dir.resolve("piped.tsv.gz"));
        assertThat(back.out()).startsWith("# scep ");   // the provenance line leads the table
        assertThat(Tables.body(back.out())).isEqualTo(Tables.text(dir.resolve("s.tsv")));
    }

    @Test
    void aDeviceOutputIsWrittenInPlaceAndFilesFollowTheUmask() throws Exception {
        assumeTrue(Files.isRegularFile(ROOT.resolve("scep-cli/target/scep-cli.jar")), "skipped: scep-cli is not packaged yet");
        String before = Files.readSymbolicLink(Path.of("/dev/stdout")).toString();
        String args = " score-variants --model " + model + " --fasta " + fasta + " --gtf " + gtf + " --vcf " + vcf;
        Processes.Result toStdout = sh(ROOT.resolve("bin/scep") + args + " --out /dev/stdout | cat");
        assertThat(toStdout.exit()).as(toStdout.err()).isZero();
        assertThat(toStdout.out()).contains(Tables.text(dir.resolve("s.tsv")));
        assertThat(Files.isSymbolicLink(Path.of("/dev/stdout"))).isTrue();
        assertThat(Files.readSymbolicLink(Path.of("/dev/stdout")).toString()).isEqualTo(before);
        // /dev/stdout sent to a file by the shell: written through the shell's descriptor, after what came before
        Path grouped = dir.resolve("grouped.tsv");
        Processes.Result group = sh("{ echo '# before'; " + ROOT.resolve("bin/scep") + args + " --out /dev/stdout; } > " + grouped
                + " && " + ROOT.resolve("bin/scep") + args + " --out /dev/stdout >> " + grouped);
        assertThat(group.exit()).as(group.err()).isZero();
        String all = java.nio.file.Files.readString(grouped);
        assertThat(all).startsWith("# before\n# scep ");
        assertThat(all.lines().filter(l -> !l.startsWith("#")).map(l -> l + "\n").collect(java.util.stream.Collectors.joining()))
                .isEqualTo(Tables.text(dir.resolve("s.tsv")).repeat(2));
        for (String[] umask : new String[][]{{"022", "rw-r--r--"}, {"002", "rw-rw-r--"}}) {
            Path out = dir.resolve("mode-" + umask[0] + ".tsv");
            Processes.Result p = sh("umask " + umask[0] + " && " + ROOT.resolve("bin/scep") + args + " --out " + out);
            assertThat(p.exit()).as(p.err()).isZero();
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(out))).isEqualTo(umask[1]);
        }
    }


    private static boolean onPath(String tool) throws Exception {
        return sh("command -v " + tool).exit() == 0;
    }

    private static Processes.Result sh(String command) throws IOException, InterruptedException {
        return Processes.run(List.of("bash", "-o", "pipefail", "-c", command), Map.of(), command);
    }
}
