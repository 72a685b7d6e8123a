package dev.scep.train.simulate;

import dev.scep.formats.io.OutputFile;
import dev.scep.formats.text.JasparMotif;

import java.io.IOException;
import java.io.Writer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The regulatory grammar of a simulated tissue, the ground truth its expression follows: per gene g and population p,
 * in log10 mean counts per cell, {@code μ[g][p] = base + cpg[p]·CpG[g] + tata[p]·TATA[g] + Σ_m effect[m][p] × copies[g][m]
 * + halfLife[g]}. "Close" populations (the first half) favour CpG-island promoters, "far" ones (the second half)
 * AT-rich, TATA-box promoters; two motifs (SP1 and ELK4 when present) act alike in every population, and each far
 * population also has a motif that raises and one that lowers its expression.
 */
final class Grammar {
    final List<JasparMotif> motifs;
    /** Per motif and population, the change in log10 expression per copy. */
    final double[][] effect;
    final double[] cpgEffect;
    final double[] tataEffect;
    /** The first far population. */
    final int far0;
    /** Per motif, the probabilities its planted copies are drawn from. */
    private final double[][][] siteProbabilities;

    private Grammar(List<JasparMotif> motifs, double[][] effect, double[] cpgEffect, double[] tataEffect, int far0) {
        this.motifs = motifs;
        this.effect = effect;
        this.cpgEffect = cpgEffect;
        this.tataEffect = tataEffect;
        this.far0 = far0;
        this.siteProbabilities = new double[motifs.size()][][];
        for (int m = 0; m < motifs.size(); m++) {
            siteProbabilities[m] = sharpened(motifs.get(m).probabilities(0.5), 4);
        }
    }

    static Grammar of(List<JasparMotif> all, int populations) {
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
        int np = populations;
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
        return new Grammar(motifs, effect, cpgEffect, tataEffect, far0);
    }

    int populations() {
        return cpgEffect.length;
    }

    static String populationName(int p) {
        return "pop" + (p + 1);
    }

    /** The half-life part of μ, from the 3′ UTR and ORF lengths written in the annotation. */
    static double halfLife(int utr3, int orf) {
        return -0.25 * (Math.log10(utr3 + 0.1) - 2.8) / 0.35 + 0.15 * (Math.log10(orf + 0.1) - 3.0) / 0.2;
    }

    /** μ of a gene in every population: its promoter's kind, the motif copies planted in it, its half-life part. */
    double[] mu(boolean cpg, boolean tata, int[] copies, double halfLife) {
        double[] mu = new double[populations()];
        for (int p = 0; p < mu.length; p++) {
            double v = -1.2 + (cpg ? cpgEffect[p] : 0) + (tata ? tataEffect[p] : 0) + 0.25 * halfLife;
            for (int m = 0; m < motifs.size(); m++) {
                v += effect[m][p] * copies[m];
            }
            mu[p] = v;
        }
        return mu;
    }

    /** A copy of motif {@code m} to plant, drawn from its sharpened matrix. */
    byte[] site(int m, SplittableRandom rnd) {
        double[][] p = siteProbabilities[m];
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

    /** {@code effects.tsv}: the promoter kinds' and every motif's effect in every population. */
    void writeEffects(Path file) throws IOException {
        try (OutputFile f = OutputFile.createTable(file)) {
            Writer w = f.writer();
            w.write("motif\tname");
            for (int p = 0; p < effect[0].length; p++) {
                w.write("\t" + populationName(p) + (p >= far0 ? " (far)" : " (close)"));
            }
            w.write('\n');
            w.write("promoter\tCpG island (half the genes)");
            for (double v : cpgEffect) {
                w.write("\t" + v);
            }
            w.write("\npromoter\tTATA box at -31 (35% of genes)");
            for (double v : tataEffect) {
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
}
