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
import dev.scep.formats.text.Sequences;
import dev.scep.runtime.HalfLifeInput;
import dev.scep.runtime.Predictor;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * scep personal on the alpha-globin region, checked against full forward passes of windows cut from the edited
 * genome (both strands: NM_001176 is on +, NM_003834 on −, and their windows overlap), and scep evaluate-personal
 * against correlations worked out by hand.
 */
class PersonalCliTest {
    @TempDir
    Path dir;

    byte[] genome;
    ScepModel model;
    Path region;

    // NM_001176: + strand, TSS 93,643; NM_003834: − strand, TSS 88,980 (window 85,481..95,980)
    static final long PLUS_TSS = 93_643;
    static final long MINUS_TSS = 88_980;
    static final long A = 93_543;
    static final long B = 93_593;
    static final long C = 93_600;    // multi-allelic
    static final long D = 93_843;

    @BeforeEach
    void setUp() throws Exception {
        region = SharedData.dir().resolve("hg38-chr16-alpha-globin");
        try (FastaReader r = new FastaReader(region.resolve("region.fa"))) {
            genome = r.next().sequence();
        }
        for (int i = 0; i < genome.length; i++) {
            genome[i] = (byte) Character.toUpperCase(genome[i]);
        }
        Architecture arch = Architecture.scepMultitask(2, 5);
        model = new ScepModel(arch, SequenceEncoding.SCEP, List.of(new OutputSpec("a", 0.5, 2), new OutputSpec("b", 0, 1)),
                List.of("utr5_length", "utr3_length", "orf_length", "intron_length", "exon_junction_density").stream()
                        .map(n -> new HalfLifeFeature(n, HalfLifeTransform.LOG10_PLUS_0_1, 2, 1)).toList(),
                Map.of(), List.of(ParameterInit.pytorchDefault(arch, 11)));
        ScepModelFile.write(model, dir.resolve("m.scep"));
    }

    private char ref(long pos) {
        return (char) genome[(int) pos - 1];
    }

    private char alt(long pos, int k) {
        return "ACGT".replace(String.valueOf(ref(pos)), "").charAt(k);
    }

    private String vcf(String s1, String s2, String s3, String s4, String sA) {
        return "##fileformat=VCFv4.2\n##contig=<ID=chr16>\n##FORMAT=<ID=GT,Number=1,Type=String,Description=\"Genotype\">\n"
                + "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tS1\tS2\tS3\tS4\n"
                + "chr16\t" + A + "\tvA\t" + ref(A) + "\t" + alt(A, 0) + "\t.\t.\t.\tGT\t" + sA + "\n"
                + "chr16\t" + B + "\tvB\t" + ref(B) + "\t" + alt(B, 0) + "\t.\t.\t.\tGT\t" + s1 + "\n"
                + "chr16\t" + C + "\tvC\t" + ref(C) + "\t" + alt(C, 0) + "," + alt(C, 1) + "\t.\t.\t.\tGT\t" + s2 + "\n"
                + "chr16\t" + (C + 50) + "\tdel\t" + new String(genome, (int) C + 49, 3, StandardCharsets.US_ASCII) + "\t"
                + ref(C + 50) + "\t.\t.\t.\tGT\t1|1\t1|1\t1|1\t1|1\n"
                + "chr16\t" + D + "\tvD\t" + ref(D) + "\t" + alt(D, 2) + "\t.\t.\t.\tGT\t" + s3 + "\n"
                + "chr16\t" + (D + 1) + "\tvE\t" + ref(D + 1) + "\t<DUP>\t.\t.\t.\tGT\t" + s4 + "\n";
    }

    /** The window of a gene after SNVs {pos → base} in genomic coordinates, cut in transcription orientation. */
    private byte[] window(long tss, boolean plus, Map<Long, Character> edits) {
        byte[] g = genome.clone();
        edits.forEach((pos, base) -> g[(int) (long) pos - 1] = (byte) (char) base);
        byte[] w = new byte[10_500];
        for (int i = 0; i < w.length; i++) {
            w[i] = plus ? g[(int) (tss - 7000 + i) - 1] : Sequences.complement(g[(int) (tss + 7000 - i) - 1]);
        }
        return w;
    }

    @Test
    void haplotypesOfEverySampleArePredictedOnBothStrandsAndAveraged() throws Exception {
        // S1 reference; S2 B on one haplotype, A on the other; S3 A + C's 2nd alt, and A + B; S4 D and a missing allele
        Files.writeString(dir.resolve("p.vcf"), vcf("0|0\t1|0\t0|1\t0|0", "0|0\t0|0\t2|0\t0|0", "0|0\t0|0\t0|0\t1|.",
                "0|0\t0|0\t0|0\t0|1", "0|0\t0|1\t1|1\t0|0"));
        Cli run = Cli.run("personal", "--model", dir.resolve("m.scep"), "--fasta", region.resolve("region.fa"), "--gtf",
                region.resolve("refseq.gtf"), "--vcf", dir.resolve("p.vcf"), "--out", dir.resolve("p.tsv"), "--threads", "2");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("4 samples x 14 genes", "6 records", "5 SNV alleles applied", "1 indel and 1 symbolic",
                "1 missing genotypes");
        List<String> rows = Tables.lines(dir.resolve("p.tsv"));
        assertThat(rows.getFirst()).isEqualTo("sample\tgene_id\tgene_name\talt_alleles\ta\tb");
        assertThat(rows).hasSize(1 + 4 * 14);

        Map<String, List<Map<Long, Character>>> haplotypes = Map.of(
                "S1", List.of(Map.of(), Map.of()),
                "S2", List.of(Map.of(B, alt(B, 0)), Map.of(A, alt(A, 0))),
                "S3", List.of(Map.of(A, alt(A, 0), C, alt(C, 1)), Map.of(A, alt(A, 0), B, alt(B, 0))),
                "S4", List.of(Map.of(D, alt(D, 2)), Map.of()));
        Map<String, Integer> altAlleles = Map.of("S1", 0, "S2", 2, "S3", 4, "S4", 1);
        double[] plusHl = {75, 189, 678, 1456, 6000.0 / 678};
        try (Predictor p = Predictor.of(model)) {
            for (String gene : List.of("NM_001176", "NM_003834")) {
                boolean plus = gene.equals("NM_001176");
                long tss = plus ? PLUS_TSS : MINUS_TSS;
                double[] hl = plus ? plusHl : halfLifeFromTable(rows, gene);
                for (var e : haplotypes.entrySet()) {
                    float[] y0 = p.predict(window(tss, plus, e.getValue().get(0)), HalfLifeInput.raw(hl));
                    float[] y1 = p.predict(window(tss, plus, e.getValue().get(1)), HalfLifeInput.raw(hl));
                    String[] f = rows.stream().filter(r -> r.startsWith(e.getKey() + "\t" + gene + "\t")).findFirst().orElseThrow().split("\t");
                    assertThat(Integer.parseInt(f[3])).as(e.getKey()).isEqualTo(altAlleles.get(e.getKey()));
                    for (int o = 0; o < 2; o++) {
                        assertThat(Double.parseDouble(f[4 + o])).as("%s %s output %d", gene, e.getKey(), o)
                                .isCloseTo((y0[o] + y1[o]) / 2.0, within(1e-5));
                    }
                }
            }
        }
        // genes far from the variants: every sample gets the reference prediction
        List<String> far = rows.stream().filter(r -> r.contains("\tNM_006428\t")).map(r -> r.substring(r.indexOf("\t", 3))).distinct().toList();
        assertThat(far).hasSize(1);
    }

    /** {@code n} distinct insertion alleles after {@code ref}: ref + 1 to 4 more bases. */
    private static List<String> insertions(char ref, int n) {
        List<String> out = new java.util.ArrayList<>();
        for (int len = 1; out.size() < n; len++) {
            for (int code = 0; code < 1 << 2 * len && out.size() < n; code++) {
                StringBuilder sb = new StringBuilder().append(ref);
                for (int i = 0; i < len; i++) {
                    sb.append("ACGT".charAt(code >> 2 * i & 3));
                }
                out.add(sb.toString());
            }
        }
        return out;
    }

    @Test
    void alleleIndicesPast127And255NameTheAllelesTheySay() throws Exception {
        // at A: 127 insertions, then A's three SNV alleles as indices 128-130; at B: 256 insertions, then B's SNVs as
        // 257-259. S1 carries 128|130 and 0|257, S2 0|129 and 259|0, S3 the reference
        String altsA = String.join(",", insertions(ref(A), 127)) + "," + alt(A, 0) + "," + alt(A, 1) + "," + alt(A, 2);
        String altsB = String.join(",", insertions(ref(B), 256)) + "," + alt(B, 0) + "," + alt(B, 1) + "," + alt(B, 2);
        Files.writeString(dir.resolve("many.vcf"), "##fileformat=VCFv4.2\n##contig=<ID=chr16>\n"
                + "##FORMAT=<ID=GT,Number=1,Type=String,Description=\"Genotype\">\n"
                + "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tS1\tS2\tS3\n"
                + "chr16\t" + A + "\tvA\t" + ref(A) + "\t" + altsA + "\t.\t.\t.\tGT\t128|130\t0|129\t0|0\n"
                + "chr16\t" + B + "\tvB\t" + ref(B) + "\t" + altsB + "\t.\t.\t.\tGT\t0|257\t259|0\t0|0\n");
        Map<String, List<Map<Long, Character>>> haplotypes = Map.of(
                "S1", List.of(Map.of(A, alt(A, 0)), Map.of(A, alt(A, 2), B, alt(B, 0))),
                "S2", List.of(Map.of(B, alt(B, 2)), Map.of(A, alt(A, 1))),
                "S3", List.of(Map.of(), Map.of()));
        Map<String, Integer> altAlleles = Map.of("S1", 3, "S2", 2, "S3", 0);
        double[] hl = {75, 189, 678, 1456, 6000.0 / 678};
        HalfLifeInput in = HalfLifeInput.raw(hl);
        for (boolean dosage : new boolean[]{false, true}) {
            Path out = dir.resolve(dosage ? "many-dosage.tsv" : "many.tsv");
            Cli run = dosage
                    ? Cli.run("personal", "--model", dir.resolve("m.scep"), "--fasta", region.resolve("region.fa"), "--gtf",
                            region.resolve("refseq.gtf"), "--vcf", dir.resolve("many.vcf"), "--out", out, "--dosage")
                    : Cli.run("personal", "--model", dir.resolve("m.scep"), "--fasta", region.resolve("region.fa"), "--gtf",
                            region.resolve("refseq.gtf"), "--vcf", dir.resolve("many.vcf"), "--out", out);
            assertThat(run.exitCode()).as(run.err()).isZero();
            assertThat(run.out()).contains("6 SNV alleles applied", "383 indel");
            List<String> rows = Tables.lines(out);
            try (Predictor p = Predictor.of(model)) {
                float[] ref = p.predict(window(PLUS_TSS, true, Map.of()), in);
                for (var e : haplotypes.entrySet()) {
                    String[] f = rows.stream().filter(r -> r.startsWith(e.getKey() + "\tNM_001176\t")).findFirst().orElseThrow().split("\t");
                    assertThat(Integer.parseInt(f[3])).as(e.getKey()).isEqualTo(altAlleles.get(e.getKey()));
                    double[] expected = new double[2];
                    for (Map<Long, Character> hap : e.getValue()) {
                        if (dosage) {   // additive: reference + each allele's own effect / 2
                            for (var edit : hap.entrySet()) {
                                float[] y = p.predict(window(PLUS_TSS, true, Map.of(edit.getKey(), edit.getValue())), in);
                                for (int o = 0; o < 2; o++) {
                                    expected[o] += (y[o] - ref[o]) / 2.0;
                                }
                            }
                            for (int o = 0; o < 2; o++) {
                                expected[o] += ref[o] / 2.0;
                            }
                        } else {
                            float[] y = p.predict(window(PLUS_TSS, true, hap), in);
                            for (int o = 0; o < 2; o++) {
                                expected[o] += y[o] / 2.0;
                            }
                        }
                    }
                    for (int o = 0; o < 2; o++) {
                        assertThat(Double.parseDouble(f[4 + o])).as("%s %s output %d", dosage ? "dosage" : "phased", e.getKey(), o)
                                .isCloseTo(expected[o], within(1e-5));
                    }
                }
            }
        }
    }

    @Test
    void mnpAndAmbiguousAllelesAreCountedAsWhatTheyAreNotAsIndels() throws Exception {
        String mnpRef = new String(genome, (int) B - 1, 3, StandardCharsets.US_ASCII);
        String mnpAlt = "" + alt(B, 0) + alt(B + 1, 0) + alt(B + 2, 0);
        Files.writeString(dir.resolve("kinds.vcf"), "##fileformat=VCFv4.2\n##contig=<ID=chr16>\n"
                + "##FORMAT=<ID=GT,Number=1,Type=String,Description=\"Genotype\">\n"
                + "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tS1\n"
                + "chr16\t" + A + "\tsnv\t" + ref(A) + "\t" + alt(A, 0) + "\t.\t.\t.\tGT\t1|0\n"
                + "chr16\t" + B + "\tmnp\t" + mnpRef + "\t" + mnpAlt + "\t.\t.\t.\tGT\t1|1\n"
                + "chr16\t" + D + "\tn\t" + ref(D) + "\tN\t.\t.\t.\tGT\t1|1\n");
        Cli run = Cli.run("personal", "--model", dir.resolve("m.scep"), "--fasta", region.resolve("region.fa"), "--gtf",
                region.resolve("refseq.gtf"), "--vcf", dir.resolve("kinds.vcf"), "--out", dir.resolve("kinds.tsv"));
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("1 SNV alleles applied, 0 indel and 0 symbolic alleles skipped, 1 MNP and 1 ambiguous");
        String[] f = Tables.lines(dir.resolve("kinds.tsv")).stream().filter(r -> r.startsWith("S1\tNM_001176\t"))
                .findFirst().orElseThrow().split("\t");
        double[] hl = {75, 189, 678, 1456, 6000.0 / 678};
        try (Predictor p = Predictor.of(model)) {
            float[] y0 = p.predict(window(PLUS_TSS, true, Map.of(A, alt(A, 0))), HalfLifeInput.raw(hl));
            float[] y1 = p.predict(window(PLUS_TSS, true, Map.of()), HalfLifeInput.raw(hl));
            for (int o = 0; o < 2; o++) {
                assertThat(Double.parseDouble(f[4 + o])).isCloseTo((y0[o] + y1[o]) / 2.0, within(1e-5));
            }
        }
    }

    @Test
    void aVcfWithNoContigOfTheAnnotationIsRefusedAndNothingIsWritten() throws Exception {
        // the real 1000 Genomes VCF (hg19, contig 22) against the hg38 chr16 region, as score-variants refuses it
        Path kg = SharedData.dir().resolve("1000g-chr22/chr22.vcf.gz");
        Cli run = Cli.run("personal", "--model", dir.resolve("m.scep"), "--fasta", region.resolve("region.fa"), "--gtf",
                region.resolve("refseq.gtf"), "--vcf", kg, "--out", dir.resolve("kg.tsv"));
        assertThat(run.exitCode()).as(run.out()).isEqualTo(1);
        assertThat(run.err()).contains(kg.toString(), "none of the VCF's contigs [22]", "[chr16]", "another genome build",
                "nothing was written");
        assertThat(dir.resolve("kg.tsv")).doesNotExist();
    }

    @Test
    void twoSamplesOfOneNameAreAnErrorInBothCommands() throws Exception {
        Files.writeString(dir.resolve("dup.vcf"), vcf("0|0\t1|0\t0|1\t0|0", "0|0\t0|0\t2|0\t0|0", "0|0\t0|0\t0|0\t1|0",
                "0|0\t0|0\t0|0\t0|1", "0|0\t0|1\t1|1\t0|0").replace("\tS3\tS4\n", "\tS3\tS2\n"));
        for (String command : List.of("personal", "score-variants")) {
            Path out = dir.resolve(command + ".tsv");
            Cli run = Cli.run(command, "--model", dir.resolve("m.scep"), "--fasta", region.resolve("region.fa"), "--gtf",
                    region.resolve("refseq.gtf"), "--vcf", dir.resolve("dup.vcf"), "--out", out);
            assertThat(run.exitCode()).as(command + ": " + run.out()).isEqualTo(1);
            assertThat(run.err()).as(command).contains(dir.resolve("dup.vcf") + ":4", "sample S2", "columns 11 and 13");
            assertThat(out).doesNotExist();
        }
    }

    /** NM_003834's half-life features are not worked out by hand here; the + strand check covers their use. */
    private double[] halfLifeFromTable(List<String> rows, String gene) throws Exception {
        Path hl = dir.resolve("hl.tsv");
        Cli prep = Cli.run("prepare", "--fasta", region.resolve("region.fa"), "--gtf", region.resolve("refseq.gtf"),
                "--out", dir.resolve("ag.sced"), "--windows-out", dir.resolve("ag.fa"), "--halflife-out", hl);
        assertThat(prep.exitCode()).as(prep.err()).isZero();
        String line = Tables.lines(hl).stream().filter(l -> l.startsWith(gene + "\t")).findFirst().orElseThrow();
        String[] f = line.split("\t");
        double[] v = new double[5];
        for (int i = 0; i < 5; i++) {
            v[i] = Double.parseDouble(f[f.length - 5 + i]);
        }
        return v;
    }

    @Test
    void unphasedGenotypesNeedTheDosageModeWhichIsAdditive() throws Exception {
        Files.writeString(dir.resolve("u.vcf"), vcf("0/0\t0/1\t1/1\t0/0", "0/0\t0/0\t0/0\t0/0", "0/0\t0/0\t0/0\t0/0",
                "0/0\t0/0\t0/0\t0/0", "0/0\t0/1\t0/1\t1/1"));
        Cli refused = Cli.run("personal", "--model", dir.resolve("m.scep"), "--fasta", region.resolve("region.fa"), "--gtf",
                region.resolve("refseq.gtf"), "--vcf", dir.resolve("u.vcf"), "--out", dir.resolve("u.tsv"));
        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.err()).contains(dir.resolve("u.vcf").toString(), "chr16:" + A, "sample S2", "unphased", "--dosage");
        assertThat(dir.resolve("u.tsv")).doesNotExist();

        Cli run = Cli.run("personal", "--model", dir.resolve("m.scep"), "--fasta", region.resolve("region.fa"), "--gtf",
                region.resolve("refseq.gtf"), "--vcf", dir.resolve("u.vcf"), "--out", dir.resolve("u.tsv"), "--dosage");
        assertThat(run.exitCode()).as(run.err()).isZero();
        List<String> rows = Tables.lines(dir.resolve("u.tsv"));
        double[] hl = {75, 189, 678, 1456, 6000.0 / 678};
        try (Predictor p = Predictor.of(model)) {
            float[] ref = p.predict(window(PLUS_TSS, true, Map.of()), HalfLifeInput.raw(hl));
            float[] ea = p.predict(window(PLUS_TSS, true, Map.of(A, alt(A, 0))), HalfLifeInput.raw(hl));
            float[] eb = p.predict(window(PLUS_TSS, true, Map.of(B, alt(B, 0))), HalfLifeInput.raw(hl));
            // dosages (A, B): S1 (0, 0), S2 (1, 1), S3 (1, 2), S4 (2, 0)
            int[][] dose = {{0, 0}, {1, 1}, {1, 2}, {2, 0}};
            for (int s = 0; s < 4; s++) {
                String sample = "S" + (s + 1);
                String[] f = rows.stream().filter(r -> r.startsWith(sample + "\tNM_001176\t")).findFirst().orElseThrow().split("\t");
                for (int o = 0; o < 2; o++) {
                    double expected = ref[o] + dose[s][0] / 2.0 * (ea[o] - ref[o]) + dose[s][1] / 2.0 * (eb[o] - ref[o]);
                    assertThat(Double.parseDouble(f[4 + o])).as("%s output %d", sample, o).isCloseTo(expected, within(1e-5));
                }
            }
        }

        Files.writeString(dir.resolve("sites.vcf"), "##fileformat=VCFv4.2\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\nchr16\t"
                + A + "\t.\t" + ref(A) + "\t" + alt(A, 0) + "\t.\t.\t.\n");
        Cli sitesOnly = Cli.run("personal", "--model", dir.resolve("m.scep"), "--fasta", region.resolve("region.fa"), "--gtf",
                region.resolve("refseq.gtf"), "--vcf", dir.resolve("sites.vcf"), "--out", dir.resolve("s.tsv"));
        assertThat(sitesOnly.exitCode()).isEqualTo(1);
        assertThat(sitesOnly.err()).contains("no samples");
    }

    @Test
    void evaluationCorrelatesAcrossGenesAndIndividualsAndComparesEffectDirections() throws Exception {
        // 3 genes x 4 individuals. Measured expression, and two models' predictions.
        Files.writeString(dir.resolve("expr.tsv"), "gene\tS1\tS2\tS3\tS4\n"
                + "G1.3\t1\t2\t3\t4\n"      // rises with the dosage of v1 (0, 1, 1, 2)
                + "G2\t10\t9\t8\t7\n"
                + "G3\t5\t5\t6\t6\n");
        Files.writeString(dir.resolve("m1.tsv"), "sample\tgene_id\tgene_name\talt_alleles\tpop\n"
                + "S1\tG1\t\t0\t1.0\nS2\tG1\t\t0\t1.5\nS3\tG1\t\t0\t1.4\nS4\tG1\t\t0\t2.0\n"
                + "S1\tG2\t\t0\t9.0\nS2\tG2\t\t0\t8.0\nS3\tG2\t\t0\t7.0\nS4\tG2\t\t0\t6.0\n"
                + "S1\tG3\t\t0\t3.0\nS2\tG3\t\t0\t3.0\nS3\tG3\t\t0\t3.0\nS4\tG3\t\t0\t3.0\n");
        Files.writeString(dir.resolve("other.tsv"), "sample\tgene_id\tenformer\n"
                + "S1\tG1\t2.0\nS2\tG1\t1.0\nS3\tG1\t1.0\nS4\tG1\t0.0\n"
                + "S1\tG2\t1\nS2\tG2\t2\nS3\tG2\t3\nS4\tG2\t4\n");
        Files.writeString(dir.resolve("q.tsv"), "gene_id\tvariant\nG1\tv1\n");
        Files.writeString(dir.resolve("g.vcf"), "##fileformat=VCFv4.2\n##FORMAT=<ID=GT,Number=1,Type=String,Description=\"Genotype\">\n"
                + "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tS1\tS2\tS3\tS4\n"
                + "chr1\t100\tv1\tA\tG\t.\t.\t.\tGT\t0|0\t0|1\t1|0\t1|1\n");
        Cli run = Cli.run("evaluate-personal", "--predictions", "scep=" + dir.resolve("m1.tsv"), "--predictions",
                dir.resolve("other.tsv"), "--expression", dir.resolve("expr.tsv"), "--variants", dir.resolve("q.tsv"),
                "--vcf", dir.resolve("g.vcf"), "--out-dir", dir.resolve("eval"));
        assertThat(run.exitCode()).as(run.err()).isZero();
        // scep: per gene r = G1 0.8 (ranks 1,3,2,4 vs 1,2,3,4), G2 1.0, G3 undefined (constant prediction);
        // other: G1 ranks 4, 2.5, 2.5, 1 (a tie) vs 1..4: r = -0.9487
        List<String> perGene = Tables.lines(dir.resolve("eval/per_gene.tsv"));
        assertThat(perGene).contains("scep\tG1\t0.8", "scep\tG2\t1.0", "scep\tG3\tNaN", "other\tG1\t-0.9486832980505138", "other\tG2\t-1.0");
        // S1 across genes: predictions (1, 9, 3) vs expression (1, 10, 5): same order, r = 1
        assertThat(Tables.lines(dir.resolve("eval/per_individual.tsv"))).contains("scep\tS1\t1.0");
        assertThat(run.out()).contains("Spearman r across individuals, per gene: 2 genes, median 0.900", "(1 undefined");
        // v1 on G1: measured slope 1.5; scep's predicted slope 0.5 (same direction), the other model's −1 (opposite)
        List<String> effects = Tables.lines(dir.resolve("eval/effects.tsv"));
        assertThat(effects.get(1)).isEqualTo("G1\tv1\t4\t1.5\t0.5\t-1.0");
        assertThat(run.out()).contains("scep                 predicted direction matches the measured one for 1 of 1",
                "other                predicted direction matches the measured one for 0 of 1",
                "scep vs other: same direction for 0 of 1 genes");

        Cli bad = Cli.run("evaluate-personal", "--predictions", dir.resolve("m1.tsv"), "--expression", dir.resolve("m1.tsv"));
        assertThat(bad.exitCode()).isEqualTo(1);
        Files.writeString(dir.resolve("two.tsv"), "sample\tgene_id\tx\ty\nS1\tG1\t1\t2\n");
        Cli ambiguous = Cli.run("evaluate-personal", "--predictions", dir.resolve("two.tsv"), "--expression", dir.resolve("expr.tsv"));
        assertThat(ambiguous.exitCode()).isEqualTo(1);
        assertThat(ambiguous.err()).contains("two.tsv", "--column", "[x, y]");
    }
}
