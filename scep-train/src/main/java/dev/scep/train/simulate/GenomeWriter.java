package dev.scep.train.simulate;

import dev.scep.formats.io.OutputFile;
import dev.scep.formats.text.Sequences;

import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The simulated genome and its annotation: {@code genome.fa}, {@code genes.gtf} and {@code motifs.tsv} (every planted
 * motif copy). Background sequence is random (GC 42%); half the promoters are CpG islands (GC 68% from −600 to +400);
 * a TATA box sits 30 nt upstream of some TSSs; motif copies are drawn from the grammar's matrices and planted in the
 * promoter (−300 … +100, either orientation). Genes sit one per {@value #SPACING} nt on either strand, up to
 * {@value #GENES_PER_CONTIG} per contig, each with exons, a CDS and UTRs whose lengths feed the half-life part of μ.
 */
final class GenomeWriter {
    private static final int UPSTREAM = 7000;
    private static final int DOWNSTREAM = 3500;
    private static final int SPACING = 20_000;
    private static final int GENES_PER_CONTIG = 1000;

    private GenomeWriter() {
    }

    /** Writes the files into {@code out} and returns μ per gene and population (see {@link Grammar}). */
    static double[][] write(Path out, int genes, Grammar grammar, SplittableRandom rnd) throws IOException {
        int nm = grammar.motifs.size();
        int contigs = (genes + GENES_PER_CONTIG - 1) / GENES_PER_CONTIG;
        double[][] mu = new double[genes][];
        try (OutputFile faFile = OutputFile.create(out.resolve("genome.fa"));
             OutputFile gtfFile = OutputFile.create(out.resolve("genes.gtf"));
             OutputFile planted = OutputFile.createTable(out.resolve("motifs.tsv"))) {
            Writer g = gtfFile.writer();
            Writer pw = planted.writer();
            pw.write("gene_id\tmotif\tname\toffset\torientation\tsequence\n");
            int gene = 0;
            for (int c = 0; c < contigs; c++) {
                int here = Math.min(GENES_PER_CONTIG, genes - gene);
                // one slot of SPACING nt per gene, and a slot's worth of margin at both ends for gene bodies
                int length = (here + 2) * SPACING;
                byte[] contig = background(length, rnd);
                for (int k = 0; k < here; k++, gene++) {
                    String id = String.format(Locale.ROOT, "SIMG%05d", gene + 1);
                    long tss0 = (long) SPACING + (long) k * SPACING + UPSTREAM;
                    boolean plus = rnd.nextBoolean();
                    byte[] window = new byte[UPSTREAM + DOWNSTREAM];
                    int[] copies = new int[nm];
                    boolean tata = false;
                    for (int i = 0; i < window.length; i++) {
                        window[i] = contig[(int) (tss0 - UPSTREAM) + i];
                    }
                    boolean cpg = false;
                    if (rnd.nextDouble() < 0.5) {
                        // a CpG-island promoter (GC-rich around the TSS), as in most broadly expressed human genes
                        for (int i = UPSTREAM - 600; i < UPSTREAM + 400; i++) {
                            double u = rnd.nextDouble();
                            window[i] = (byte) (u < 0.16 ? 'A' : u < 0.32 ? 'T' : u < 0.66 ? 'C' : 'G');
                        }
                        cpg = true;
                    }
                    if (rnd.nextDouble() < 0.35) {
                        System.arraycopy("TATAAA".getBytes(StandardCharsets.US_ASCII), 0, window, UPSTREAM - 31, 6);
                        tata = true;
                    }
                    for (int m = 0; m < nm; m++) {
                        int n = poisson(rnd, 0.7, 4);
                        for (int copy = 0; copy < n; copy++) {
                            byte[] site = grammar.site(m, rnd);
                            boolean forward = rnd.nextBoolean();
                            if (!forward) {
                                Sequences.reverseComplementInPlace(site, 0, site.length);
                            }
                            int offset = -300 + rnd.nextInt(400 - site.length);
                            System.arraycopy(site, 0, window, UPSTREAM + offset, site.length);
                            pw.write(id + "\t" + grammar.motifs.get(m).id() + "\t" + grammar.motifs.get(m).name() + "\t" + offset
                                    + "\t" + (forward ? "+" : "-") + "\t" + new String(site, StandardCharsets.US_ASCII) + "\n");
                        }
                        copies[m] = n;
                    }
                    Structure s = structure(rnd);
                    mu[gene] = grammar.mu(cpg, tata, copies, Grammar.halfLife(s.utr3, s.orf));
                    // write the window into the genome in genomic orientation
                    if (plus) {
                        System.arraycopy(window, 0, contig, (int) (tss0 - UPSTREAM), window.length);
                    } else {
                        Sequences.reverseComplementInPlace(window, 0, window.length);
                        long tssMinus = tss0 - UPSTREAM + DOWNSTREAM - 1; // keep the window inside the same slot
                        System.arraycopy(window, 0, contig, (int) (tssMinus - DOWNSTREAM + 1), window.length);
                        tss0 = tssMinus;
                    }
                    writeGene(g, "chr" + (c + 1), id, plus, tss0 + 1, s);
                }
                OutputStream fa = faFile.stream();
                fa.write((">chr" + (c + 1) + " simulated\n").getBytes(StandardCharsets.US_ASCII));
                for (int i = 0; i < length; i += 60) {
                    fa.write(contig, i, Math.min(60, length - i));
                    fa.write('\n');
                }
            }
            faFile.commit();
            gtfFile.commit();
            planted.commit();
        }
        return mu;
    }

    private static byte[] background(int length, SplittableRandom rnd) {
        byte[] s = new byte[length];
        for (int i = 0; i < length; i++) {
            double u = rnd.nextDouble();
            s[i] = (byte) (u < 0.29 ? 'A' : u < 0.58 ? 'T' : u < 0.79 ? 'C' : 'G');
        }
        return s;
    }

    private static int poisson(SplittableRandom rnd, double lambda, int max) {
        double l = Math.exp(-lambda);
        int k = 0;
        double p = rnd.nextDouble();
        while (p > l && k < max) {
            k++;
            p *= rnd.nextDouble();
        }
        return k;
    }

    /** Exon lengths in transcription order, and where the ORF starts and ends within the spliced transcript. */
    private record Structure(int[] exons, int[] introns, int utr5, int orf, int utr3) {
    }

    private static Structure structure(SplittableRandom rnd) {
        int utr5 = 50 + rnd.nextInt(250);
        int orf = 3 * (150 + (int) Math.exp(5.5 + 0.5 * rnd.nextGaussian()));
        int utr3 = (int) Math.min(4000, Math.exp(Math.log(600) + 0.8 * rnd.nextGaussian())) + 30;
        int spliced = utr5 + orf + utr3;
        int exonCount = 2 + rnd.nextInt(6);
        int[] exons = new int[exonCount];
        int remaining = spliced;
        for (int e = 0; e < exonCount - 1; e++) {
            exons[e] = Math.max(60, Math.min(remaining - 60 * (exonCount - 1 - e), remaining / (exonCount - e) + rnd.nextInt(41) - 20));
            remaining -= exons[e];
        }
        exons[exonCount - 1] = remaining;
        int[] introns = new int[exonCount - 1];
        for (int i = 0; i < introns.length; i++) {
            introns[i] = 200 + rnd.nextInt(1200);
        }
        return new Structure(exons, introns, utr5, orf, utr3);
    }

    /**
     * GTF rows of one gene: exons in genomic order, CDS rows (stop codon excluded, GTF style), start and stop
     * codons. Transcript coordinates map to the genome from the TSS in transcription direction.
     */
    private static void writeGene(Writer w, String contig, String id, boolean plus, long tss, Structure s) throws IOException {
        String attrs = "gene_id \"" + id + "\"; transcript_id \"" + id + ".1\"; gene_name \"" + id + "\"; gene_biotype \"protein_coding\";";
        List<long[]> exons = new ArrayList<>(); // genomic [start, end], transcript start offset
        long pos = 0;
        long genomic = tss;
        for (int e = 0; e < s.exons.length; e++) {
            long a = plus ? genomic : genomic - s.exons[e] + 1;
            long b = plus ? genomic + s.exons[e] - 1 : genomic;
            exons.add(new long[]{a, b, pos});
            pos += s.exons[e];
            if (e < s.introns.length) {
                genomic = plus ? b + 1 + s.introns[e] : a - 1 - s.introns[e];
            }
        }
        char strand = plus ? '+' : '-';
        List<String> rows = new ArrayList<>();
        for (long[] e : exons) {
            rows.add(row(contig, "exon", e[0], e[1], strand, attrs));
        }
        // transcript offsets [from, to) → genomic pieces
        addPieces(rows, exons, plus, s.utr5, s.utr5 + s.orf - 3, "CDS", contig, strand, attrs);
        addPieces(rows, exons, plus, s.utr5, s.utr5 + 3, "start_codon", contig, strand, attrs);
        addPieces(rows, exons, plus, s.utr5 + s.orf - 3, s.utr5 + s.orf, "stop_codon", contig, strand, attrs);
        for (String r : rows) {
            w.write(r);
        }
    }

    private static void addPieces(List<String> rows, List<long[]> exons, boolean plus, long from, long to, String feature,
                                  String contig, char strand, String attrs) {
        for (long[] e : exons) {
            long len = e[1] - e[0] + 1;
            long s = Math.max(from, e[2]);
            long t = Math.min(to, e[2] + len);
            if (s >= t) {
                continue;
            }
            long a = plus ? e[0] + (s - e[2]) : e[1] - (t - e[2]) + 1;
            long b = plus ? e[0] + (t - e[2]) - 1 : e[1] - (s - e[2]);
            rows.add(row(contig, feature, a, b, strand, attrs));
        }
    }

    private static String row(String contig, String feature, long a, long b, char strand, String attrs) {
        return contig + "\tsimulated\t" + feature + "\t" + a + "\t" + b + "\t.\t" + strand + "\t.\t" + attrs + "\n";
    }
}
