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
import dev.scep.runtime.HalfLifeInput;
import dev.scep.runtime.Predictor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** scep score-variants on the alpha-globin region, checked against full forward passes of edited windows. */
class ScoreVariantsCliTest {
    @TempDir
    Path dir;

    @Test
    void snvsAndIndelsAreScoredLikeEditedWindowsAndBadInputIsReported() throws Exception {
        Path region = SharedData.dir().resolve("hg38-chr16-alpha-globin");
        byte[] genome;
        try (FastaReader r = new FastaReader(region.resolve("region.fa"))) {
            genome = r.next().sequence();
        }
        for (int i = 0; i < genome.length; i++) {
            genome[i] = (byte) Character.toUpperCase(genome[i]);
        }
        Architecture arch = Architecture.scepMultitask(2, 5);
        ScepModel model = new ScepModel(arch, SequenceEncoding.SCEP, List.of(new OutputSpec("a", 0.5, 2), new OutputSpec("b", 0, 1)),
                List.of("utr5_length", "utr3_length", "orf_length", "intron_length", "exon_junction_density").stream()
                        .map(n -> new HalfLifeFeature(n, HalfLifeTransform.LOG10_PLUS_0_1, 2, 1)).toList(),
                Map.of(), List.of(ParameterInit.pytorchDefault(arch, 8)));
        ScepModelFile.write(model, dir.resolve("m.scep"));
        // NM_001176: + strand, TSS at 93,643 (region coordinates). Variants: an SNV 100 nt upstream, a 3-nt deletion
        // 500 nt upstream, an insertion 200 nt downstream, a REF mismatch, a symbolic allele, one outside all windows.
        long tss = 93_643;
        long snv = tss - 100;
        long del = tss - 500;
        long ins = tss + 200;
        char snvRef = (char) genome[(int) snv - 1];
        char snvAlt = snvRef == 'A' ? 'C' : 'A';
        String delRef = new String(genome, (int) del - 1, 4);
        String insRef = String.valueOf((char) genome[(int) ins - 1]);
        char wrong = snvRef == 'G' ? 'T' : 'G';
        String vcf = "##fileformat=VCFv4.2\n##contig=<ID=chr16>\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n"
                + "chr16\t5000\tfar\tA\tG\t.\t.\t.\n"
                + "chr16\t" + del + "\tdel\t" + delRef + "\t" + delRef.charAt(0) + "\t.\t.\t.\n"
                + "chr16\t" + snv + "\tsnv\t" + snvRef + "\t" + snvAlt + ",<DEL>\t.\t.\t.\n"
                + "chr16\t" + (snv + 1) + "\tbad\t" + wrong + "\tA\t.\t.\t.\n"
                + "chr16\t" + ins + "\tins\t" + insRef + "\t" + insRef + "TTG\t.\t.\t.\n";
        Files.writeString(dir.resolve("v.vcf"), vcf);
        Cli run = Cli.run("score-variants", "--model", dir.resolve("m.scep"), "--fasta", region.resolve("region.fa"),
                "--gtf", region.resolve("refseq.gtf"), "--vcf", dir.resolve("v.vcf"), "--out", dir.resolve("s.tsv"));
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("1 SNVs, 0 MNPs and 2 indels scored", "1 REF mismatches", "1 symbolic skipped",
                "0 ambiguous ALT");
        List<String> rows = Tables.lines(dir.resolve("s.tsv"));
        assertThat(rows.getFirst()).isEqualTo("variant\tcontig\tposition\tref\talt\tgene_id\tgene_name\tstrand\toffset\tkind\trank_in_gene\ta\tb");

        // expected effects: full forward passes of windows cut from the edited genome with the TSS kept at 7000
        double[] hl = {75, 189, 678, 1456, 6000.0 / 678}; // NM_001176's features (counted by hand in AnnotationReaderTest)
        try (Predictor p = Predictor.of(model)) {
            byte[] ref = window(genome, tss, 0, "", "");
            float[] y0 = p.predict(ref, HalfLifeInput.raw(hl));
            check(rows, "snv", p, window(genome, tss, snv, String.valueOf(snvRef), String.valueOf(snvAlt)), y0, hl, "-100", "SNV");
            check(rows, "del", p, window(genome, tss, del, delRef, delRef.substring(0, 1)), y0, hl, "-500", "INDEL");
            check(rows, "ins", p, window(genome, tss, ins, insRef, insRef + "TTG"), y0, hl, "200", "INDEL");
        }

        // the real 1000 Genomes VCF (hg19, chr22) against the hg38 chr16 region: reported, nothing scored
        Path kg = SharedData.dir().resolve("1000g-chr22/chr22.vcf.gz");
        Cli mismatch = Cli.run("score-variants", "--model", dir.resolve("m.scep"), "--fasta", region.resolve("region.fa"),
                "--gtf", region.resolve("refseq.gtf"), "--vcf", kg, "--out", dir.resolve("kg.tsv"));
        assertThat(mismatch.exitCode()).isEqualTo(1);
        assertThat(mismatch.err()).contains(kg.toString(), "none of the VCF's contigs [22]", "[chr16]", "another genome build");
        assertThat(dir.resolve("kg.tsv")).doesNotExist();

        // unsorted and truncated VCFs
        Files.writeString(dir.resolve("unsorted.vcf"), vcf.replace("chr16\t5000\tfar", "chr16\t99999999\tfar"));
        Cli unsorted = Cli.run("score-variants", "--model", dir.resolve("m.scep"), "--fasta", region.resolve("region.fa"),
                "--gtf", region.resolve("refseq.gtf"), "--vcf", dir.resolve("unsorted.vcf"), "--out", dir.resolve("u.tsv"));
        assertThat(unsorted.exitCode()).isEqualTo(1);
        assertThat(unsorted.err()).contains("record 2", "not sorted");
        byte[] gz = Files.readAllBytes(kg);
        Files.write(dir.resolve("cut.vcf.gz"), Arrays.copyOf(gz, gz.length / 3));
        Cli truncated = Cli.run("score-variants", "--model", dir.resolve("m.scep"), "--fasta", region.resolve("region.fa"),
                "--gtf", region.resolve("refseq.gtf"), "--vcf", dir.resolve("cut.vcf.gz"), "--out", dir.resolve("t.tsv"));
        assertThat(truncated.exitCode()).isEqualTo(1);
        assertThat(truncated.err()).contains(dir.resolve("cut.vcf.gz").toString());
    }

    @Test
    void thousandsOfSnvsOnSeveralThreadsGiveTheSingleThreadedTableRankedPerGene() throws Exception {
        Path region = SharedData.dir().resolve("hg38-chr16-alpha-globin");
        byte[] genome;
        try (FastaReader r = new FastaReader(region.resolve("region.fa"))) {
            genome = r.next().sequence();
        }
        Architecture arch = Architecture.scepMultitask(2, 5);
        ScepModel model = new ScepModel(arch, SequenceEncoding.SCEP, List.of(new OutputSpec("a", 0.5, 2), new OutputSpec("b", 0, 1)),
                List.of("utr5_length", "utr3_length", "orf_length", "intron_length", "exon_junction_density").stream()
                        .map(n -> new HalfLifeFeature(n, HalfLifeTransform.LOG10_PLUS_0_1, 2, 1)).toList(),
                Map.of(), List.of(ParameterInit.pytorchDefault(arch, 9)));
        ScepModelFile.write(model, dir.resolve("m.scep"));
        // an SNV at every third base of 80-100 kb: about 6,700 records, several chunks, overlapping gene windows
        StringBuilder vcf = new StringBuilder("##fileformat=VCFv4.2\n##contig=<ID=chr16>\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n");
        int records = 0;
        for (int pos = 80_000; pos < 100_000; pos += 3) {
            char ref = Character.toUpperCase((char) genome[pos - 1]);
            if ("ACGT".indexOf(ref) < 0) {
                continue;
            }
            char alt = "ACGT".charAt(("ACGT".indexOf(ref) + 1 + pos % 3) % 4);
            vcf.append("chr16\t").append(pos).append("\ts").append(pos).append('\t').append(ref).append('\t').append(alt)
                    .append("\t.\t.\t.\n");
            records++;
        }
        Files.writeString(dir.resolve("dense.vcf"), vcf);
        String[] common = {"score-variants", "--model", dir.resolve("m.scep").toString(), "--fasta", region.resolve("region.fa").toString(),
                "--gtf", region.resolve("refseq.gtf").toString(), "--vcf", dir.resolve("dense.vcf").toString()};
        Cli one = Cli.run(concat(common, "--threads", "1", "--out", dir.resolve("one.tsv").toString()));
        Cli three = Cli.run(concat(common, "--threads", "3", "--out", dir.resolve("three.tsv").toString()));
        assertThat(one.exitCode()).as(one.err()).isZero();
        assertThat(three.exitCode()).as(three.err()).isZero();
        assertThat(three.out()).contains(String.format("%,d records", records), "on 3 threads");
        List<String> rows = Tables.lines(dir.resolve("three.tsv"));
        assertThat(rows).isEqualTo(Tables.lines(dir.resolve("one.tsv")));
        assertThat(rows.size()).isGreaterThan(records);   // some windows overlap

        // gene ids outside ASCII: rows are written as UTF-8 bytes, so their offsets must follow the encoding
        Path greek = Files.writeString(dir.resolve("greek.gtf"),
                Tables.text(region.resolve("refseq.gtf")).replace("gene_id \"", "gene_id \"α-"));
        String[] withGreek = common.clone();
        withGreek[6] = greek.toString();
        Cli utf8 = Cli.run(concat(withGreek, "--threads", "3", "--out", dir.resolve("greek.tsv").toString()));
        assertThat(utf8.exitCode()).as(utf8.err()).isZero();
        List<String> greekRows = Tables.lines(dir.resolve("greek.tsv"), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(greekRows).hasSameSizeAs(rows);
        for (int i = 1; i < rows.size(); i++) {
            String[] f = rows.get(i).split("\t", -1);
            f[5] = "α-" + f[5];
            assertThat(greekRows.get(i)).isEqualTo(String.join("\t", f));
        }

        // per gene, ranks 1..n in order of the largest |effect| over both outputs
        Map<String, List<String[]>> byGene = new java.util.HashMap<>();
        rows.stream().skip(1).map(r -> r.split("\t")).forEach(f -> byGene.computeIfAbsent(f[5], g -> new java.util.ArrayList<>()).add(f));
        assertThat(byGene.size()).isGreaterThan(5);
        for (List<String[]> g : byGene.values()) {
            g.sort(java.util.Comparator.comparingInt(f -> Integer.parseInt(f[10])));
            double previous = Double.POSITIVE_INFINITY;
            for (int i = 0; i < g.size(); i++) {
                String[] f = g.get(i);
                assertThat(Integer.parseInt(f[10])).isEqualTo(i + 1);
                double strength = Math.max(Math.abs(Double.parseDouble(f[11])), Math.abs(Double.parseDouble(f[12])));
                assertThat(strength).isLessThanOrEqualTo(previous);
                previous = strength;
            }
        }

        // a sample of NM_001176's rows against full forward passes of the edited window
        long tss = 93_643;
        double[] hl = {75, 189, 678, 1456, 6000.0 / 678};
        byte[] upper = genome.clone();
        for (int i = 0; i < upper.length; i++) {
            upper[i] = (byte) Character.toUpperCase(upper[i]);
        }
        try (Predictor p = Predictor.of(model)) {
            float[] y0 = p.predict(window(upper, tss, 0, "", ""), HalfLifeInput.raw(hl));
            List<String[]> gene = byGene.get("NM_001176");
            for (int i = 0; i < gene.size(); i += gene.size() / 7) {
                String[] f = gene.get(i);
                float[] y = p.predict(window(upper, tss, Long.parseLong(f[2]), f[3], f[4]), HalfLifeInput.raw(hl));
                assertThat(Double.parseDouble(f[11])).as(f[0]).isCloseTo(y[0] - y0[0], within(1e-5));
                assertThat(Double.parseDouble(f[12])).as(f[0]).isCloseTo(y[1] - y0[1], within(1e-5));
            }
        }
    }

    // NM_001176: + strand, TSS 93,643, window 86,643..97,142; NM_003834: − strand, TSS 88,980, window 85,481..95,980
    // (its genomic start is the window's downstream end). Both windows overlap.
    static final long PLUS_TSS = 93_643;
    static final long MINUS_TSS = 88_980;

    private byte[] upperGenome(Path region) throws Exception {
        byte[] genome;
        try (FastaReader r = new FastaReader(region.resolve("region.fa"))) {
            genome = r.next().sequence();
        }
        for (int i = 0; i < genome.length; i++) {
            genome[i] = (byte) Character.toUpperCase(genome[i]);
        }
        return genome;
    }

    private ScepModel writeModel(long seed) throws Exception {
        Architecture arch = Architecture.scepMultitask(2, 5);
        ScepModel model = new ScepModel(arch, SequenceEncoding.SCEP, List.of(new OutputSpec("a", 0.5, 2), new OutputSpec("b", 0, 1)),
                List.of("utr5_length", "utr3_length", "orf_length", "intron_length", "exon_junction_density").stream()
                        .map(n -> new HalfLifeFeature(n, HalfLifeTransform.LOG10_PLUS_0_1, 2, 1)).toList(),
                Map.of(), List.of(ParameterInit.pytorchDefault(arch, seed)));
        ScepModelFile.write(model, dir.resolve("m.scep"));
        return model;
    }

    private static String bases(byte[] genome, long pos, int length) {
        return new String(genome, (int) pos - 1, length, java.nio.charset.StandardCharsets.US_ASCII);
    }

    /** Every base of {@code ref} replaced by another. */
    private static String substituted(String ref) {
        StringBuilder sb = new StringBuilder();
        for (char c : ref.toCharArray()) {
            sb.append("ACGT".charAt(("ACGT".indexOf(c) + 1) % 4));
        }
        return sb.toString();
    }

    @Test
    void deletionsThatStartBeforeAWindowAndReachIntoItAreScoredOnBothStrands() throws Exception {
        Path region = SharedData.dir().resolve("hg38-chr16-alpha-globin");
        byte[] genome = upperGenome(region);
        ScepModel model = writeModel(8);
        // each deletion starts 3 nt before a window's genomic start and removes the window's first bases: the minus
        // gene's (85,481, its downstream end) and the plus gene's (86,643, its upstream end); and a 150-nt deletion that
        // starts 100 nt before the plus window and removes its first 50 bases
        long minusDel = 85_481 - 3;
        long plusDel = 86_643 - 3;
        long longDel = 86_643 - 100;
        String minusRef = bases(genome, minusDel, 6);
        String plusRef = bases(genome, plusDel, 6);
        String longRef = bases(genome, longDel, 151);
        String vcf = "##fileformat=VCFv4.2\n##contig=<ID=chr16>\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n"
                + "chr16\t" + minusDel + "\tdelMinus\t" + minusRef + "\t" + minusRef.charAt(0) + "\t.\t.\t.\n"
                + "chr16\t" + longDel + "\tdelLong\t" + longRef + "\t" + longRef.charAt(0) + "\t.\t.\t.\n"
                + "chr16\t" + plusDel + "\tdelPlus\t" + plusRef + "\t" + plusRef.charAt(0) + "\t.\t.\t.\n";
        Files.writeString(dir.resolve("edge.vcf"), vcf);
        Cli run = Cli.run("score-variants", "--model", dir.resolve("m.scep"), "--fasta", region.resolve("region.fa"),
                "--gtf", region.resolve("refseq.gtf"), "--vcf", dir.resolve("edge.vcf"), "--out", dir.resolve("edge.tsv"),
                "--zero-halflife");
        assertThat(run.exitCode()).as(run.err()).isZero();
        List<String> rows = Tables.lines(dir.resolve("edge.tsv"));
        try (Predictor p = Predictor.of(model)) {
            HalfLifeInput hl = HalfLifeInput.zeros(5);
            float[] plus0 = p.predict(window(genome, PLUS_TSS, true, 0, "", ""), hl);
            float[] minus0 = p.predict(window(genome, MINUS_TSS, false, 0, "", ""), hl);
            checkRow(rows, "delMinus", "NM_003834", p, window(genome, MINUS_TSS, false, minusDel, minusRef, minusRef.substring(0, 1)),
                    minus0, hl, MINUS_TSS - minusDel, "INDEL");
            checkRow(rows, "delPlus", "NM_001176", p, window(genome, PLUS_TSS, true, plusDel, plusRef, plusRef.substring(0, 1)),
                    plus0, hl, plusDel - PLUS_TSS, "INDEL");
            checkRow(rows, "delLong", "NM_001176", p, window(genome, PLUS_TSS, true, longDel, longRef, longRef.substring(0, 1)),
                    plus0, hl, longDel - PLUS_TSS, "INDEL");
            // inside the minus window: scored there as before
            checkRow(rows, "delPlus", "NM_003834", p, window(genome, MINUS_TSS, false, plusDel, plusRef, plusRef.substring(0, 1)),
                    minus0, hl, MINUS_TSS - plusDel, "INDEL");
        }
    }

    @Test
    void mnpsAreScoredAsSubstitutionsAppliedTogetherAndAmbiguousAltsAreCountedNotScored() throws Exception {
        Path region = SharedData.dir().resolve("hg38-chr16-alpha-globin");
        byte[] genome = upperGenome(region);
        ScepModel model = writeModel(8);
        // MNPs across the minus window's genomic start (85,481), across the plus window's start (86,643), inside both
        // windows, across the minus window's genomic end (95,980); a multi-allelic record with an MNP and a deletion;
        // ALT N (an SNV position) and an MNP-shaped ALT with an N in it: ambiguous, counted, never scored
        long[] mnps = {85_481 - 2, 86_643 - 2, PLUS_TSS - 300, 95_980 - 1};
        String[] ids = {"mnpMinusEdge", "mnpPlusEdge", "mnpInside", "mnpMinusFarEdge"};
        long amb = PLUS_TSS - 200;
        long ambMnp = PLUS_TSS - 150;
        long multi = PLUS_TSS + 100;
        StringBuilder vcf = new StringBuilder("##fileformat=VCFv4.2\n##contig=<ID=chr16>\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n");
        for (int i = 0; i < 3; i++) {
            String ref = bases(genome, mnps[i], 4);
            vcf.append("chr16\t").append(mnps[i]).append('\t').append(ids[i]).append('\t').append(ref).append('\t')
                    .append(substituted(ref)).append("\t.\t.\t.\n");
        }
        vcf.append("chr16\t").append(amb).append("\tamb\t").append(bases(genome, amb, 1)).append("\tN\t.\t.\t.\n");
        String ambRef = bases(genome, ambMnp, 3);
        vcf.append("chr16\t").append(ambMnp).append("\tambMnp\t").append(ambRef).append('\t')
                .append(substituted(ambRef).substring(0, 2)).append("N\t.\t.\t.\n");
        String multiRef = bases(genome, multi, 3);
        vcf.append("chr16\t").append(multi).append("\tmulti\t").append(multiRef).append('\t').append(substituted(multiRef))
                .append(',').append(multiRef.charAt(0)).append("\t.\t.\t.\n");
        String farRef = bases(genome, mnps[3], 4);
        vcf.append("chr16\t").append(mnps[3]).append('\t').append(ids[3]).append('\t').append(farRef).append('\t')
                .append(substituted(farRef)).append("\t.\t.\t.\n");
        Files.writeString(dir.resolve("mnp.vcf"), vcf);
        Cli run = Cli.run("score-variants", "--model", dir.resolve("m.scep"), "--fasta", region.resolve("region.fa"),
                "--gtf", region.resolve("refseq.gtf"), "--vcf", dir.resolve("mnp.vcf"), "--out", dir.resolve("mnp.tsv"),
                "--zero-halflife");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("7 records, 8 alleles: 0 SNVs, 5 MNPs and 1 indels scored", "2 ambiguous ALT");
        List<String> rows = Tables.lines(dir.resolve("mnp.tsv"));
        assertThat(rows).noneMatch(r -> r.startsWith("amb\t") || r.startsWith("ambMnp\t"));
        assertThat(rows).noneMatch(r -> r.split("\t")[4].contains("N"));
        try (Predictor p = Predictor.of(model)) {
            HalfLifeInput hl = HalfLifeInput.zeros(5);
            for (boolean plus : new boolean[]{true, false}) {
                long tss = plus ? PLUS_TSS : MINUS_TSS;
                String gene = plus ? "NM_001176" : "NM_003834";
                long start = plus ? tss - 7000 : tss - 3499;
                long end = start + 10_499;
                float[] y0 = p.predict(window(genome, tss, plus, 0, "", ""), hl);
                for (int i = 0; i < mnps.length; i++) {
                    String ref = bases(genome, mnps[i], 4);
                    long offset = plus ? mnps[i] - tss : tss - mnps[i];
                    if (mnps[i] + 3 < start || mnps[i] > end) {
                        String id = ids[i];
                        assertThat(rows).as(id + " " + gene).noneMatch(r -> r.startsWith(id + "\t") && r.contains("\t" + gene + "\t"));
                        continue;
                    }
                    checkRow(rows, ids[i], gene, p, window(genome, tss, plus, mnps[i], ref, substituted(ref)), y0, hl, offset, "MNP");
                }
                long offset = plus ? multi - tss : tss - multi;
                checkRow(rows, "multi\tchr16\t" + multi + "\t" + multiRef + "\t" + substituted(multiRef), gene, p,
                        window(genome, tss, plus, multi, multiRef, substituted(multiRef)), y0, hl, offset, "MNP");
                checkRow(rows, "multi\tchr16\t" + multi + "\t" + multiRef + "\t" + multiRef.charAt(0) + "\t", gene, p,
                        window(genome, tss, plus, multi, multiRef, multiRef.substring(0, 1)), y0, hl, offset, "INDEL");
            }
        }

        // htsjdk reads no IUPAC code but N in ALT: the error names the file, the record and the way out
        Files.writeString(dir.resolve("iupac.vcf"), "##fileformat=VCFv4.2\n##contig=<ID=chr16>\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n"
                + "chr16\t" + amb + "\t.\t" + bases(genome, amb, 1) + "\tR\t.\t.\t.\n");
        Cli iupac = Cli.run("score-variants", "--model", dir.resolve("m.scep"), "--fasta", region.resolve("region.fa"),
                "--gtf", region.resolve("refseq.gtf"), "--vcf", dir.resolve("iupac.vcf"), "--out", dir.resolve("iupac.tsv"));
        assertThat(iupac.exitCode()).isEqualTo(1);
        assertThat(iupac.err()).contains(dir.resolve("iupac.vcf").toString(), "chr16:" + amb, "allele R", "as N");
        assertThat(dir.resolve("iupac.tsv")).doesNotExist();
    }

    /** The window of a gene after replacing {@code ref} by {@code alt} at {@code pos} (0: no edit), the TSS kept in place. */
    private static byte[] window(byte[] genome, long tss, boolean plus, long pos, String ref, String alt) {
        String g = new String(genome, java.nio.charset.StandardCharsets.US_ASCII);
        long tssIndex = tss - 1;
        if (pos > 0) {
            int i = (int) pos - 1;
            assertThat(g.substring(i, i + ref.length())).isEqualTo(ref);
            g = g.substring(0, i) + alt + g.substring(i + ref.length());
            if (pos + ref.length() - 1 < tss) {
                tssIndex += alt.length() - ref.length();
            }
        }
        if (plus) {
            return g.substring((int) tssIndex - 7000, (int) tssIndex + 3500).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        }
        return dev.scep.formats.text.Sequences.reverseComplement(
                g.substring((int) tssIndex - 3499, (int) tssIndex + 7001).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }

    /** The row starting with {@code prefix} for {@code gene} has this offset and kind, and mutant − reference as its deltas. */
    private static void checkRow(List<String> rows, String prefix, String gene, Predictor p, byte[] mutant, float[] y0,
                                 HalfLifeInput hl, long offset, String kind) {
        String row = rows.stream().filter(r -> r.startsWith(prefix + "\t") || r.startsWith(prefix) && prefix.contains("\t"))
                .filter(r -> r.contains("\t" + gene + "\t")).findFirst()
                .orElseThrow(() -> new AssertionError("no row for " + prefix + " on " + gene + " in " + rows));
        String[] f = row.split("\t");
        assertThat(f[8]).as(prefix + " " + gene).isEqualTo(String.valueOf(offset));
        assertThat(f[9]).as(prefix + " " + gene).isEqualTo(kind);
        float[] y = p.predict(mutant, hl);
        assertThat(Double.parseDouble(f[11])).as(prefix + " " + gene).isCloseTo(y[0] - y0[0], within(1e-5));
        assertThat(Double.parseDouble(f[12])).as(prefix + " " + gene).isCloseTo(y[1] - y0[1], within(1e-5));
    }

    private static Object[] concat(String[] a, String... b) {
        Object[] out = new Object[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** The + strand window around tss (1-based), after replacing ref by alt at pos (pos 0: no edit). */
    private static byte[] window(byte[] genome, long tss, long pos, String ref, String alt) {
        String g = new String(genome, java.nio.charset.StandardCharsets.US_ASCII);
        long tssIndex = tss - 1;
        if (pos > 0) {
            int i = (int) pos - 1;
            g = g.substring(0, i) + alt + g.substring(i + ref.length());
            if (pos + ref.length() - 1 < tss) {
                tssIndex += alt.length() - ref.length();
            }
        }
        return g.substring((int) tssIndex - 7000, (int) tssIndex + 3500).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }

    private static void check(List<String> rows, String id, Predictor p, byte[] mutant, float[] y0, double[] hl, String offset,
                              String kind) {
        String row = rows.stream().filter(r -> r.startsWith(id + "\t") && r.contains("\tNM_001176\t")).findFirst().orElseThrow();
        String[] f = row.split("\t");
        assertThat(f[8]).isEqualTo(offset);
        assertThat(f[9]).isEqualTo(kind);
        float[] y = p.predict(mutant, HalfLifeInput.raw(hl));
        assertThat(Double.parseDouble(f[11])).as(id).isCloseTo(y[0] - y0[0], within(1e-5));
        assertThat(Double.parseDouble(f[12])).as(id).isCloseTo(y[1] - y0[1], within(1e-5));
    }
}
