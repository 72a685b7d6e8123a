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
import dev.scep.formats.text.JasparMotif;
import dev.scep.runtime.variants.MotifScan;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** score-variants --motifs on the alpha-globin region with the real JASPAR matrices. */
class ScoreVariantsMotifsCliTest {
    static final List<String> MOTIF_COLUMNS = List.of("motif_id", "motif_name", "motif_ref_score", "motif_alt_score", "motif_change",
            "motif_effect", "motif_strand", "motif_offset");

    @TempDir
    Path dir;

    @Test
    void motifColumnsFollowTheOutputsAgreeWithTheScannerAndFlipWithTheAlleles() throws Exception {
        Path region = SharedData.dir().resolve("hg38-chr16-alpha-globin");
        Path jaspar = SharedData.dir().resolve("jaspar-pfm");
        byte[] genome;
        try (FastaReader r = new FastaReader(region.resolve("region.fa"))) {
            genome = r.next().sequence();
        }
        String g = new String(genome, StandardCharsets.US_ASCII).toUpperCase(java.util.Locale.ROOT);
        Architecture arch = Architecture.scepMultitask(2, 5);
        ScepModel model = new ScepModel(arch, SequenceEncoding.SCEP, List.of(new OutputSpec("a", 0.5, 2), new OutputSpec("b", 0, 1)),
                List.of("utr5_length", "utr3_length", "orf_length", "intron_length", "exon_junction_density").stream()
                        .map(n -> new HalfLifeFeature(n, HalfLifeTransform.LOG10_PLUS_0_1, 2, 1)).toList(),
                Map.of(), List.of(ParameterInit.pytorchDefault(arch, 8)));
        ScepModelFile.write(model, dir.resolve("m.scep"));
        long tss = 93_643;   // NM_001176, + strand (region coordinates)
        long snv = tss - 100;
        long del = tss - 500;
        long ins = tss + 200;
        char snvRef = g.charAt((int) snv - 1);
        char snvAlt = snvRef == 'A' ? 'C' : 'A';
        String delRef = g.substring((int) del - 1, (int) del + 3);
        String insRef = String.valueOf(g.charAt((int) ins - 1));
        String head = "##fileformat=VCFv4.2\n##contig=<ID=chr16>\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n";
        Files.writeString(dir.resolve("v.vcf"), head
                + "chr16\t" + del + "\tdel\t" + delRef + "\t" + delRef.charAt(0) + "\t.\t.\t.\n"
                + "chr16\t" + snv + "\tsnv\t" + snvRef + "\t" + snvAlt + "\t.\t.\t.\n"
                + "chr16\t" + ins + "\tins\t" + insRef + "\t" + insRef + "TTG\t.\t.\t.\n");
        Object[] common = {"score-variants", "--model", dir.resolve("m.scep"), "--fasta", region.resolve("region.fa"),
                "--gtf", region.resolve("refseq.gtf"), "--vcf", dir.resolve("v.vcf"), "--threads", "2"};
        Cli plain = Cli.run(concat(common, "--out", dir.resolve("plain.tsv")));
        Cli motifs = Cli.run(concat(common, "--motifs", jaspar, "--out", dir.resolve("motifs.tsv")));
        assertThat(plain.exitCode()).as(plain.err()).isZero();
        assertThat(motifs.exitCode()).as(motifs.err()).isZero();
        assertThat(motifs.out()).contains("11 JASPAR motifs from " + jaspar);

        // without --motifs the table is as before; with it, the same rows with eight columns more
        List<String> before = Tables.lines(dir.resolve("plain.tsv"));
        List<String> after = Tables.lines(dir.resolve("motifs.tsv"));
        assertThat(before.getFirst()).isEqualTo("variant\tcontig\tposition\tref\talt\tgene_id\tgene_name\tstrand\toffset\tkind\trank_in_gene\ta\tb");
        assertThat(after.getFirst()).isEqualTo(before.getFirst() + "\t" + String.join("\t", MOTIF_COLUMNS));
        assertThat(after).hasSameSizeAs(before).hasSizeGreaterThanOrEqualTo(3);
        Set<String> ids = JasparMotif.readAll(jaspar).stream().map(JasparMotif::id).collect(Collectors.toSet());
        MotifScan scan = MotifScan.load(jaspar);
        for (int i = 1; i < after.size(); i++) {
            String[] f = after.get(i).split("\t", -1);
            assertThat(f).hasSize(13 + 8);
            assertThat(String.join("\t", Arrays.copyOf(f, 13))).isEqualTo(before.get(i));
            assertThat(ids).contains(f[13]);
            double refScore = Double.parseDouble(f[15]);
            double altScore = Double.parseDouble(f[16]);
            double change = Double.parseDouble(f[17]);
            assertThat(change).as(after.get(i)).isCloseTo(altScore - refScore, within(1e-9));
            assertThat(f[18]).isEqualTo(change > 0 ? "gained" : change < 0 ? "lost" : "none");
            assertThat(f[19]).isIn("+", "-");
            // the same as the scanner on the genome around the allele
            long pos = Long.parseLong(f[2]);
            MotifScan.Change c = scan.scan(g.substring((int) (pos - 1 - scan.flank()), (int) pos - 1), f[3], f[4],
                    g.substring((int) pos - 1 + f[3].length(), (int) pos - 1 + f[3].length() + scan.flank()));
            assertThat(f[13]).isEqualTo(c.motif().id());
            assertThat(f[14]).isEqualTo(c.motif().name());
            assertThat(refScore).isCloseTo(c.ref().score(), within(5e-4));
            assertThat(altScore).isCloseTo(c.alt().score(), within(5e-4));
            assertThat(f[19]).isEqualTo(String.valueOf(c.best().strand()));
            assertThat(f[20]).isEqualTo(String.valueOf(c.best().offset()));
            assertThat(Math.abs(c.best().offset())).isLessThan(scan.flank() + Math.max(f[3].length(), f[4].length()));
        }

        // the genome with the SNV's ALT in it, and the VCF the other way round: the same motif, the change negated
        String[] snvRow = after.stream().filter(r -> r.startsWith("snv\t")).findFirst().orElseThrow().split("\t");
        String edited = g.substring(0, (int) snv - 1) + snvAlt + g.substring((int) snv);
        Files.writeString(dir.resolve("alt.fa"), ">chr16\n" + edited + "\n");
        Files.writeString(dir.resolve("swapped.vcf"), head + "chr16\t" + snv + "\tsnv\t" + snvAlt + "\t" + snvRef + "\t.\t.\t.\n");
        Cli swapped = Cli.run("score-variants", "--model", dir.resolve("m.scep"), "--fasta", dir.resolve("alt.fa"),
                "--gtf", region.resolve("refseq.gtf"), "--vcf", dir.resolve("swapped.vcf"), "--motifs", jaspar,
                "--out", dir.resolve("swapped.tsv"));
        assertThat(swapped.exitCode()).as(swapped.err()).isZero();
        String[] back = Tables.lines(dir.resolve("swapped.tsv")).get(1).split("\t");
        assertThat(back[13]).isEqualTo(snvRow[13]);
        assertThat(back[15]).isEqualTo(snvRow[16]);
        assertThat(back[16]).isEqualTo(snvRow[15]);
        assertThat(Double.parseDouble(back[17])).isEqualTo(-Double.parseDouble(snvRow[17]));
        assertThat(back[19]).isEqualTo(snvRow[19]);
        assertThat(back[20]).isEqualTo(snvRow[20]);
        if (!snvRow[18].equals("none")) {
            assertThat(back[18]).isEqualTo(snvRow[18].equals("gained") ? "lost" : "gained");
        }
    }

    @Test
    void aMissingEmptyOrMalformedMotifFolderIsReportedByName() throws Exception {
        Path region = SharedData.dir().resolve("hg38-chr16-alpha-globin");
        Architecture arch = Architecture.scepMultitask(2, 5);
        ScepModel model = new ScepModel(arch, SequenceEncoding.SCEP, List.of(new OutputSpec("a", 0.5, 2), new OutputSpec("b", 0, 1)),
                List.of("utr5_length", "utr3_length", "orf_length", "intron_length", "exon_junction_density").stream()
                        .map(n -> new HalfLifeFeature(n, HalfLifeTransform.LOG10_PLUS_0_1, 2, 1)).toList(),
                Map.of(), List.of(ParameterInit.pytorchDefault(arch, 8)));
        ScepModelFile.write(model, dir.resolve("m.scep"));
        Files.writeString(dir.resolve("v.vcf"), "##fileformat=VCFv4.2\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n");
        Path missing = dir.resolve("no-such-folder");
        Path empty = Files.createDirectory(dir.resolve("empty"));
        Path bad = Files.createDirectory(dir.resolve("bad"));
        Files.copy(SharedData.dir().resolve("jaspar-pfm/MA0079.1.pfm"), bad.resolve("MA0079.1.pfm"));
        Files.writeString(bad.resolve("broken.pfm"), "1 2 3\n4 5 6\n7 8\n1 1 1\n");
        Object[][] cases = {{missing, new String[]{missing.toString(), "no such file or folder"}},
                {empty, new String[]{empty.toString(), "no .pfm"}},
                {bad, new String[]{bad.resolve("broken.pfm").toString(), "columns"}}};
        for (Object[] c : cases) {
            Cli run = Cli.run("score-variants", "--model", dir.resolve("m.scep"), "--fasta", region.resolve("region.fa"),
                    "--gtf", region.resolve("refseq.gtf"), "--vcf", dir.resolve("v.vcf"), "--motifs", c[0], "--out", dir.resolve("s.tsv"));
            assertThat(run.exitCode()).as(run.err()).isEqualTo(1);
            assertThat(run.err()).contains((String[]) c[1]).doesNotContain("Exception", "\tat ");
            assertThat(dir.resolve("s.tsv")).doesNotExist();
        }
    }

    private static Object[] concat(Object[] a, Object... b) {
        Object[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
