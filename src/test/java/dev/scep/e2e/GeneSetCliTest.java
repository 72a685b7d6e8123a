package dev.scep.e2e;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * prepare, score-variants and personal choose the same genes from the same annotation (DESIGN §3, "Gene set"), with
 * the default options and with others: a model is trained on prepare's genes, so the variant commands must not score
 * genes prepare drops (chrY, non-coding, transgenes) nor cut a gene's window around another transcript's TSS.
 */
class GeneSetCliTest {
    @TempDir
    Path dir;

    Path fasta;
    Path gtf;
    Path vcf;
    Path model;
    String chr1;
    String chrY;

    /**
     * chr1: PLUS (+, TSS 20,001), NC (no CDS, −, TSS 30,400), TWO (+: transcript "long" with the longer CDS, TSS 40,001,
     * and "tagged", tagged canonical, TSS 40,501), TG (a transgene, +, TSS 50,001), MINUS (−, TSS 60,500); chrY: YG
     * (+, TSS 5,001). The VCF has an SNV 100 nt downstream of every TSS, so each gene has a variant in its window.
     */
    @BeforeEach
    void setUp() throws Exception {
        Random random = new Random(13);
        chr1 = bases(random, 80_000);
        chrY = bases(random, 20_000);
        fasta = Files.writeString(dir.resolve("genome.fa"), ">chr1\n" + lines(chr1) + ">chrY\n" + lines(chrY));
        gtf = Files.writeString(dir.resolve("genes.gtf"), """
                chr1\tt\texon\t20001\t20500\t.\t+\t.\tgene_id "PLUS"; transcript_id "PLUS.1"; tag "Ensembl_canonical";
                chr1\tt\tCDS\t20050\t20400\t.\t+\t0\tgene_id "PLUS"; transcript_id "PLUS.1";
                chr1\tt\texon\t30001\t30400\t.\t-\t.\tgene_id "NC"; transcript_id "NC.1";
                chr1\tt\texon\t40001\t41000\t.\t+\t.\tgene_id "TWO"; transcript_id "long";
                chr1\tt\tCDS\t40010\t40990\t.\t+\t0\tgene_id "TWO"; transcript_id "long";
                chr1\tt\texon\t40501\t41000\t.\t+\t.\tgene_id "TWO"; transcript_id "tagged"; tag "Ensembl_canonical";
                chr1\tt\tCDS\t40510\t40600\t.\t+\t0\tgene_id "TWO"; transcript_id "tagged";
                chr1\tt\texon\t50001\t50400\t.\t+\t.\tgene_id "TG"; transcript_id "TG.1"; gene_biotype "transgene";
                chr1\tt\tCDS\t50010\t50390\t.\t+\t0\tgene_id "TG"; transcript_id "TG.1"; gene_biotype "transgene";
                chr1\tt\texon\t60001\t60500\t.\t-\t.\tgene_id "MINUS"; transcript_id "MINUS.1";
                chr1\tt\tCDS\t60050\t60450\t.\t-\t0\tgene_id "MINUS"; transcript_id "MINUS.1";
                chrY\tt\texon\t5001\t5400\t.\t+\t.\tgene_id "YG"; transcript_id "YG.1";
                chrY\tt\tCDS\t5010\t5390\t.\t+\t0\tgene_id "YG"; transcript_id "YG.1";
                """);
        StringBuilder v = new StringBuilder("##fileformat=VCFv4.2\n##contig=<ID=chr1>\n##contig=<ID=chrY>\n"
                + "##FORMAT=<ID=GT,Number=1,Type=String,Description=\"Genotype\">\n"
                + "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tS1\tS2\n");
        for (long pos : new long[]{20_101, 30_300, 40_101, 40_601, 50_101, 60_400}) {
            v.append(snv("chr1", chr1, pos));
        }
        v.append(snv("chrY", chrY, 5_101));
        vcf = Files.writeString(dir.resolve("p.vcf"), v);
        model = dir.resolve("xpresso.scep");
        Cli imported = Cli.run("import-keras", SharedData.dir().resolve("xpresso-pretrained/xpresso_human.h5"), "--out", model);
        assertThat(imported.exitCode()).as(imported.err()).isZero();
    }

    @Test
    void byDefaultAllThreeDropChrYNonCodingGenesAndTransgenesAndTakeTheTaggedTranscript() throws Exception {
        Selected s = runAll("default");
        assertThat(s.prepare()).containsExactly("MINUS", "PLUS", "TWO");
        assertThat(s.scoreVariants()).isEqualTo(s.prepare());
        assertThat(s.personal()).isEqualTo(s.prepare());
        // TWO's window is cut around the tagged transcript's TSS (40,501) by prepare and by score-variants alike
        assertThat(Tables.text(dir.resolve("default.fa"))).contains("transcript=tagged tss=chr1:40501:+");
        assertThat(Tables.lines(dir.resolve("default-scores.tsv"))).anyMatch(l -> l.startsWith("chr1:40601:")
                && l.contains("\tTWO\t") && l.contains("\t100\tSNV\t"));
    }

    @Test
    void theSelectionOptionsActOnAllThreeAlike() throws Exception {
        Files.writeString(dir.resolve("transcripts.txt"), "# preferred\nlong\n");
        Selected s = runAll("options", "--keep-noncoding", "--exclude-contigs", "chrM", "--transcripts", dir.resolve("transcripts.txt"));
        assertThat(s.prepare()).containsExactly("MINUS", "NC", "PLUS", "TWO", "YG");   // the transgene is always dropped
        assertThat(s.scoreVariants()).isEqualTo(s.prepare());
        assertThat(s.personal()).isEqualTo(s.prepare());
        // the listed transcript wins over the tag in both
        assertThat(Tables.text(dir.resolve("options.fa"))).contains("transcript=long tss=chr1:40001:+");
        assertThat(Tables.lines(dir.resolve("options-scores.tsv"))).anyMatch(l -> l.startsWith("chr1:40101:")
                && l.contains("\tTWO\t") && l.contains("\t100\tSNV\t"));
    }

    /** The gene ids each command wrote, sorted. */
    private record Selected(Set<String> prepare, Set<String> scoreVariants, Set<String> personal) {
    }

    /** Runs the three commands with the same selection options; outputs are named after {@code name}. */
    private Selected runAll(String name, Object... selection) throws IOException {
        Path windows = dir.resolve(name + ".fa");
        Path scores = dir.resolve(name + "-scores.tsv");
        Path personal = dir.resolve(name + "-personal.tsv");
        run(List.of("prepare", "--fasta", fasta, "--gtf", gtf, "--windows-out", windows), selection);
        List<Object> variantInputs = List.of("--model", model, "--fasta", fasta, "--gtf", gtf, "--vcf", vcf, "--zero-halflife",
                "--threads", 1);
        run(concat(List.of("score-variants", "--out", scores), variantInputs), selection);
        run(concat(List.of("personal", "--out", personal), variantInputs), selection);
        Set<String> prepared = new TreeSet<>();
        for (String line : Tables.lines(windows)) {
            if (line.startsWith(">")) {
                prepared.add(line.substring(1).split(" ")[0]);
            }
        }
        return new Selected(prepared, column(scores, "gene_id"), column(personal, "gene_id"));
    }

    private static void run(List<Object> args, Object... selection) {
        List<Object> all = concat(args, Arrays.asList(selection));
        Cli c = Cli.run(all.toArray());
        assertThat(c.exitCode()).as(all + "\n" + c.err()).isZero();
    }

    private static List<Object> concat(List<?> a, List<?> b) {
        List<Object> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    private static Set<String> column(Path table, String name) throws IOException {
        List<String> rows = Tables.lines(table);
        int c = Arrays.asList(rows.getFirst().split("\t")).indexOf(name);
        Set<String> values = new TreeSet<>();
        for (String row : rows.subList(1, rows.size())) {
            values.add(row.split("\t")[c]);
        }
        return values;
    }

    private static String bases(Random random, int n) {
        StringBuilder sb = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            sb.append("ACGT".charAt(random.nextInt(4)));
        }
        return sb.toString();
    }

    private static String lines(String sequence) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < sequence.length(); i += 60) {
            sb.append(sequence, i, Math.min(sequence.length(), i + 60)).append('\n');
        }
        return sb.toString();
    }

    /** An SNV at {@code pos} (1-based) with the genome's base as REF, heterozygous in S1 and homozygous in S2. */
    private static String snv(String contig, String sequence, long pos) {
        char ref = sequence.charAt((int) pos - 1);
        char alt = ref == 'A' ? 'G' : 'A';
        return contig + "\t" + pos + "\t" + contig + ":" + pos + ":" + ref + ":" + alt + "\t" + ref + "\t" + alt
                + "\t.\t.\t.\tGT\t0|1\t1|1\n";
    }
}
