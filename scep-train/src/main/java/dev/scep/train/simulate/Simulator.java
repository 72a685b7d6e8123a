package dev.scep.train.simulate;

import dev.scep.formats.io.OutputFile;
import dev.scep.formats.text.JasparMotif;
import dev.scep.formats.text.Sequences;

import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.zip.GZIPOutputStream;

/**
 * Simulates a tissue whose expression has a known regulatory grammar, as files that go through the normal
 * {@code scep prepare} path: a genome FASTA, a GTF, a single-cell count matrix (Matrix Market, gzip) with its gene
 * list, and a cell table. The ground truth goes beside them.
 *
 * <p>The grammar, per gene g and population p, in log10 mean counts per cell:
 * {@code μ[g][p] = base + cpg[p]·CpG[g] + tata[p]·TATA[g] + Σ_m effect[m][p] × copies[g][m] + halfLife[g]}.
 * Background sequence is random (GC 42%); half the promoters are CpG islands (GC 68% from −600 to +400, a shared
 * effect, as in real broadly expressed genes); a TATA box sits 30 nt upstream of some TSSs; motifs are real JASPAR
 * matrices, each copy sampled from its matrix (sharpened towards high-affinity sites) and planted in the promoter
 * (−1,000 … +300, either orientation).
 * Promoter architecture carries most of the signal, as in real tissues: "close" populations (the first half) favour
 * CpG-island promoters, "far" ones (the second half, the rarest) AT-rich, TATA-box promoters, so far populations
 * differ from the tissue average, which the abundant close populations dominate. Two motifs act alike in every population; each far population also has a motif that
 * raises and one that lowers its expression. (With a few thousand genes the scEP network learns promoter
 * architecture but not individual motifs, in scep and in libtorch alike, so motif effects are kept moderate.)
 * The half-life part depends on the 3′ UTR and ORF lengths written in the GTF. Population sizes are skewed, as in
 * real tissues (the far populations are the rare ones); each cell has a size factor; counts are negative binomial
 * (dispersion 0.3) around size factor × 10^μ.
 *
 * <p>Written beside the inputs: {@code truth.tsv} (the noise-free pseudobulk, log10 of the expected mean count per
 * cell of every population and of the whole tissue), {@code motifs.tsv} (every planted copy), {@code effects.tsv}
 * (the effect of every motif in every population).
 */
public final class Simulator {
    public record Options(int genes, int populations, int cells, long seed, Path jaspar) {
        public Options {
            if (genes < 10 || populations < 2 || cells < populations * 10) {
                throw new IllegalArgumentException("simulate at least 10 genes, 2 populations and 10 cells per population");
            }
        }
    }

    /** What was written. */
    public record Summary(Path fasta, Path gtf, Path matrix, Path cells, Path truth, int genes, int[] cellsPerPopulation,
                          List<String> motifs, long nonZero) {
    }

    private static final int UPSTREAM = 7000;
    private static final int DOWNSTREAM = 3500;
    private static final int SPACING = 20_000;
    private static final int GENES_PER_CONTIG = 1000;
    private static final double DISPERSION = 0.3;
    /** Cells every population gets at least (the options ask for 10 per population on average). */
    static final int MIN_CELLS = 5;

    private Simulator() {
    }

    public static Summary run(Options o, Path out) throws IOException {
        OutputFile.folder(out);
        SplittableRandom rnd = new SplittableRandom(o.seed());
        List<JasparMotif> all = JasparMotif.readAll(o.jaspar());
        // shared motifs: SP1 and ELK4 when present (promoter motifs in every cell type), else the first two
        List<JasparMotif> shared = new ArrayList<>();
        List<JasparMotif> specific = new ArrayList<>();
        for (JasparMotif m : all) {
            if (m.length() < 6) {
                continue; // too short to be told apart from background
            }
            boolean isShared = shared.size() < 2 && (m.name().equals("SP1") || m.name().equals("ELK4"));
            (isShared ? shared : specific).add(m);
        }
        while (shared.size() < 2) {
            shared.add(specific.removeFirst());
        }
        List<JasparMotif> motifs = new ArrayList<>(shared);
        motifs.addAll(specific);
        int nm = motifs.size();
        int np = o.populations();
        double[][] effect = new double[nm][np];
        for (int p = 0; p < np; p++) {
            effect[0][p] = 0.12;
            effect[1][p] = 0.08;
        }
        int far0 = np / 2;
        // promoter architecture: close populations favour CpG-island promoters (housekeeping-like), far ones
        // AT-rich, TATA-box promoters (cell-type-specific-like), as in real tissues
        double[] cpgEffect = new double[np];
        double[] tataEffect = new double[np];
        for (int p = 0; p < np; p++) {
            boolean far = p >= far0;
            cpgEffect[p] = far ? -0.6 : 0.6;
            tataEffect[p] = far ? 0.2 : 0.1;
        }
        for (int p = far0, k = 0; p < np; p++) {
            // each far population: one motif up, one down
            effect[2 + (k % specific.size())][p] = 0.12;
            k++;
            effect[2 + (k % specific.size())][p] = -0.08;
            k++;
        }
        for (int p = 0; p < far0; p++) {
            effect[2 + (p % specific.size())][p] = 0.03; // close populations: barely any specific signal
        }
        double[][][] probabilities = new double[nm][][];
        for (int m = 0; m < nm; m++) {
            probabilities[m] = sharpened(motifs.get(m).probabilities(0.5), 4);
        }

        // population sizes: skewed, far populations rarest
        double[] weight = new double[np];
        double total = 0;
        for (int p = 0; p < np; p++) {
            weight[p] = Math.pow(0.7, p);
            total += weight[p];
        }
        int[] popOfCell = new int[o.cells()];
        int[] cellsPer = new int[np];
        double[] sizeFactor = new double[o.cells()];
        for (int c = 0; c < o.cells(); c++) {
            double u = rnd.nextDouble() * total;
            int p = 0;
            while (p < np - 1 && u > weight[p]) {
                u -= weight[p];
                p++;
            }
            popOfCell[c] = p;
            cellsPer[p]++;
            sizeFactor[c] = Math.exp(0.3 * rnd.nextGaussian());
        }
        guaranteeCells(popOfCell, cellsPer, MIN_CELLS);

        int genes = o.genes();
        int contigs = (genes + GENES_PER_CONTIG - 1) / GENES_PER_CONTIG;
        double[][] mu = new double[genes][np];
        Path fasta = out.resolve("genome.fa");
        Path gtf = out.resolve("genes.gtf");
        try (OutputFile faFile = OutputFile.create(fasta);
             OutputFile gtfFile = OutputFile.create(gtf);
             OutputFile planted = OutputFile.create(out.resolve("motifs.tsv"))) {
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
                            byte[] site = sample(probabilities[m], rnd);
                            boolean forward = rnd.nextBoolean();
                            if (!forward) {
                                Sequences.reverseComplementInPlace(site, 0, site.length);
                            }
                            int offset = -300 + rnd.nextInt(400 - site.length);
                            System.arraycopy(site, 0, window, UPSTREAM + offset, site.length);
                            pw.write(id + "\t" + motifs.get(m).id() + "\t" + motifs.get(m).name() + "\t" + offset + "\t"
                                    + (forward ? "+" : "-") + "\t" + new String(site, StandardCharsets.US_ASCII) + "\n");
                        }
                        copies[m] = n;
                    }
                    Structure s = structure(rnd);
                    double halfLife = -0.25 * (Math.log10(s.utr3 + 0.1) - 2.8) / 0.35 + 0.15 * (Math.log10(s.orf + 0.1) - 3.0) / 0.2;
                    for (int p = 0; p < np; p++) {
                        double v = -1.2 + (cpg ? cpgEffect[p] : 0) + (tata ? tataEffect[p] : 0) + 0.25 * halfLife;
                        for (int m = 0; m < nm; m++) {
                            v += effect[m][p] * copies[m];
                        }
                        mu[gene][p] = v;
                    }
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
        writeEffects(out.resolve("effects.tsv"), motifs, effect, far0, cpgEffect, tataEffect);
        long nonZero = writeCounts(out, mu, popOfCell, sizeFactor, np, rnd);
        Path truth = writeTruth(out.resolve("truth.tsv"), mu, popOfCell, sizeFactor, np);
        return new Summary(fasta, gtf, out.resolve("matrix.mtx.gz"), out.resolve("cells.tsv"), truth, genes, cellsPer,
                motifs.stream().map(JasparMotif::name).toList(), nonZero);
    }

    /**
     * Moves cells from the largest population to any population the skewed draw left with fewer than {@code min}
     * (a rare population in a small simulation), so every population has cells and a defined truth. With the
     * defaults no population is short, and nothing moves.
     */
    static void guaranteeCells(int[] popOfCell, int[] cellsPer, int min) {
        for (int p = 0; p < cellsPer.length; p++) {
            while (cellsPer[p] < min) {
                int largest = 0;
                for (int q = 1; q < cellsPer.length; q++) {
                    if (cellsPer[q] > cellsPer[largest]) {
                        largest = q;
                    }
                }
                for (int c = popOfCell.length - 1; c >= 0; c--) {
                    if (popOfCell[c] == largest) {
                        popOfCell[c] = p;
                        cellsPer[largest]--;
                        cellsPer[p]++;
                        break;
                    }
                }
            }
        }
    }

    /**
     * High-affinity sites: each column's probabilities raised to a power and renormalised, so sampled sites stay
     * close to the consensus (the matrix's own spread makes sites too weak to be learnt from a few thousand genes).
     */
    private static double[][] sharpened(double[][] p, double power) {
        double[][] out = new double[4][p[0].length];
        for (int j = 0; j < p[0].length; j++) {
            double total = 0;
            for (int b = 0; b < 4; b++) {
                out[b][j] = Math.pow(p[b][j], power);
                total += out[b][j];
            }
            for (int b = 0; b < 4; b++) {
                out[b][j] /= total;
            }
        }
        return out;
    }

    private static byte[] background(int length, SplittableRandom rnd) {
        byte[] s = new byte[length];
        for (int i = 0; i < length; i++) {
            double u = rnd.nextDouble();
            s[i] = (byte) (u < 0.29 ? 'A' : u < 0.58 ? 'T' : u < 0.79 ? 'C' : 'G');
        }
        return s;
    }

    private static byte[] sample(double[][] p, SplittableRandom rnd) {
        byte[] site = new byte[p[0].length];
        for (int j = 0; j < site.length; j++) {
            double u = rnd.nextDouble();
            int b = 0;
            while (b < 3 && u > p[b][j]) {
                u -= p[b][j];
                b++;
            }
            site[j] = (byte) "ACGT".charAt(b);
        }
        return site;
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

    private static void writeEffects(Path file, List<JasparMotif> motifs, double[][] effect, int far0, double[] cpg,
                                     double[] tata) throws IOException {
        try (OutputFile f = OutputFile.create(file)) {
            Writer w = f.writer();
            w.write("motif\tname");
            for (int p = 0; p < effect[0].length; p++) {
                w.write("\t" + populationName(p) + (p >= far0 ? " (far)" : " (close)"));
            }
            w.write('\n');
            w.write("promoter\tCpG island (half the genes)");
            for (double v : cpg) {
                w.write("\t" + v);
            }
            w.write("\npromoter\tTATA box at -31 (35% of genes)");
            for (double v : tata) {
                w.write("\t" + v);
            }
            w.write('\n');
            for (int m = 0; m < motifs.size(); m++) {
                w.write(motifs.get(m).id() + "\t" + motifs.get(m).name());
                for (double v : effect[m]) {
                    w.write("\t" + v);
                }
                w.write('\n');
            }
            f.commit();
        }
    }

    static String populationName(int p) {
        return "pop" + (p + 1);
    }

    private static long writeCounts(Path out, double[][] mu, int[] popOfCell, double[] sizeFactor, int np,
                                    SplittableRandom rnd) throws IOException {
        int genes = mu.length;
        int cells = popOfCell.length;
        try (OutputFile f = OutputFile.create(out.resolve("cells.tsv"))) {
            Writer w = f.writer();
            w.write("cell\tpopulation\ttissue\n");
            for (int c = 0; c < cells; c++) {
                w.write(String.format(Locale.ROOT, "cell%05d\t%s\tsimulated\n", c + 1, populationName(popOfCell[c])));
            }
            f.commit();
        }
        try (OutputFile f = OutputFile.create(out.resolve("genes.tsv"))) {
            Writer w = f.writer();
            for (int g = 0; g < genes; g++) {
                w.write(String.format(Locale.ROOT, "SIMG%05d\tSIMG%05d%n", g + 1, g + 1));
            }
            f.commit();
        }
        Path mtx = out.resolve("matrix.mtx.gz");
        Path body = dev.scep.formats.io.TemporaryFiles.beside(mtx, ".counts");
        long nonZero = 0;
        try {
            try (Writer w = Files.newBufferedWriter(body)) {
                StringBuilder sb = new StringBuilder(1 << 16);
                for (int g = 0; g < genes; g++) {
                    for (int c = 0; c < cells; c++) {
                        double mean = sizeFactor[c] * Math.pow(10, mu[g][popOfCell[c]]);
                        int k = negativeBinomial(rnd, mean);
                        if (k > 0) {
                            sb.append(g + 1).append(' ').append(c + 1).append(' ').append(k).append('\n');
                            nonZero++;
                        }
                    }
                    if (sb.length() > 1 << 15) {
                        w.write(sb.toString());
                        sb.setLength(0);
                    }
                }
                w.write(sb.toString());
            }
            try (OutputFile file = OutputFile.create(mtx)) {
                GZIPOutputStream o = new GZIPOutputStream(file.stream(), 1 << 16);
                o.write(("%%MatrixMarket matrix coordinate integer general\n% simulated counts, genes x cells\n"
                        + genes + " " + cells + " " + nonZero + "\n").getBytes(StandardCharsets.US_ASCII));
                Files.copy(body, o);
                o.finish();
                file.commit();
            }
        } finally {
            dev.scep.formats.io.TemporaryFiles.delete(body);
        }
        return nonZero;
    }

    /** Gamma-Poisson: λ ~ Gamma(1/φ, mean·φ), k ~ Poisson(λ). */
    private static int negativeBinomial(SplittableRandom rnd, double mean) {
        double lambda = gamma(rnd, 1 / DISPERSION) * mean * DISPERSION;
        if (lambda < 30) {
            double l = Math.exp(-lambda);
            int k = 0;
            double p = rnd.nextDouble();
            while (p > l) {
                k++;
                p *= rnd.nextDouble();
            }
            return k;
        }
        return (int) Math.max(0, Math.round(lambda + Math.sqrt(lambda) * rnd.nextGaussian()));
    }

    /** Marsaglia–Tsang gamma sampler (shape ≥ 1; shape 1/0.3 here). */
    private static double gamma(SplittableRandom rnd, double shape) {
        double d = shape - 1.0 / 3;
        double c = 1 / Math.sqrt(9 * d);
        while (true) {
            double x = rnd.nextGaussian();
            double v = 1 + c * x;
            if (v <= 0) {
                continue;
            }
            v = v * v * v;
            double u = rnd.nextDouble();
            if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) {
                return d * v;
            }
        }
    }

    /** The expected pseudobulk: log10 of the expected mean count per cell, per population and for all cells. */
    private static Path writeTruth(Path file, double[][] mu, int[] popOfCell, double[] sizeFactor, int np) throws IOException {
        double[] sfSum = new double[np];
        int[] n = new int[np];
        for (int c = 0; c < popOfCell.length; c++) {
            sfSum[popOfCell[c]] += sizeFactor[c];
            n[popOfCell[c]]++;
        }
        try (OutputFile f = OutputFile.create(file)) {
            Writer w = f.writer();
            w.write("gene_id");
            for (int p = 0; p < np; p++) {
                w.write("\tpopulation=" + populationName(p));
            }
            w.write("\tall\n");
            for (int g = 0; g < mu.length; g++) {
                w.write(String.format(Locale.ROOT, "SIMG%05d", g + 1));
                double tissue = 0;
                for (int p = 0; p < np; p++) {
                    double expected = sfSum[p] / n[p] * Math.pow(10, mu[g][p]);
                    tissue += sfSum[p] * Math.pow(10, mu[g][p]);
                    w.write("\t" + (float) Math.log10(expected));
                }
                w.write("\t" + (float) Math.log10(tissue / popOfCell.length) + "\n");
            }
            f.commit();
        }
        return file;
    }
}
