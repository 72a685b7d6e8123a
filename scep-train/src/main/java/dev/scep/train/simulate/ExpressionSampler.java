package dev.scep.train.simulate;

import dev.scep.formats.io.OutputFile;
import dev.scep.formats.io.TemporaryFiles;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The single-cell side of a simulation: cells in populations of skewed sizes (the far populations are the rare ones),
 * each cell with a size factor; counts negative binomial (dispersion {@value #DISPERSION}) around size factor × 10^μ,
 * written as {@code matrix.mtx.gz} with {@code genes.tsv} and {@code cells.tsv}; and {@code truth.tsv}, the
 * noise-free pseudobulk.
 */
final class ExpressionSampler {
    private static final double DISPERSION = 0.3;
    /** Cells every population gets at least (the options ask for 10 per population on average). */
    static final int MIN_CELLS = 5;

    /** Each cell's population and size factor, and the cells per population. */
    record Cells(int[] population, double[] sizeFactor, int[] perPopulation) {
    }

    private ExpressionSampler() {
    }

    /** Draws the cells: population sizes fall by 0.7 from one population to the next. */
    static Cells cells(int count, int populations, SplittableRandom rnd) {
        int np = populations;
        double[] weight = new double[np];
        double total = 0;
        for (int p = 0; p < np; p++) {
            weight[p] = Math.pow(0.7, p);
            total += weight[p];
        }
        int[] popOfCell = new int[count];
        int[] cellsPer = new int[np];
        double[] sizeFactor = new double[count];
        for (int c = 0; c < count; c++) {
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
        return new Cells(popOfCell, sizeFactor, cellsPer);
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

    /** Writes {@code cells.tsv}, {@code genes.tsv} and {@code matrix.mtx.gz}; returns the number of non-zero counts. */
    static long writeCounts(Path out, double[][] mu, Cells cells, int far0, SplittableRandom rnd) throws IOException {
        int[] popOfCell = cells.population();
        double[] sizeFactor = cells.sizeFactor();
        int genes = mu.length;
        int cellCount = popOfCell.length;
        try (OutputFile f = OutputFile.create(out.resolve("cells.tsv"))) {
            Writer w = f.writer();
            // tissue ⊃ class ⊃ population: a nesting for the resolution analyses (prepare --nested tissue,class,population)
            w.write("cell\tpopulation\ttissue\tclass\n");
            for (int c = 0; c < cellCount; c++) {
                w.write(String.format(Locale.ROOT, "cell%05d\t%s\tsimulated\t%s\n", c + 1, Grammar.populationName(popOfCell[c]),
                        popOfCell[c] >= far0 ? "far" : "close"));
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
        Path body = TemporaryFiles.beside(mtx, ".counts");
        long nonZero = 0;
        try {
            try (Writer w = Files.newBufferedWriter(body)) {
                StringBuilder sb = new StringBuilder(1 << 16);
                for (int g = 0; g < genes; g++) {
                    for (int c = 0; c < cellCount; c++) {
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
            try (OutputFile file = OutputFile.create(mtx)) {   // .gz: the OutputFile writes bgzip
                var o = file.stream();
                o.write(("%%MatrixMarket matrix coordinate integer general\n% simulated counts, genes x cells\n"
                        + genes + " " + cellCount + " " + nonZero + "\n").getBytes(StandardCharsets.US_ASCII));
                Files.copy(body, o);
                file.commit();
            }
        } finally {
            TemporaryFiles.delete(body);
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
    static Path writeTruth(Path file, double[][] mu, Cells cells) throws IOException {
        int[] popOfCell = cells.population();
        double[] sizeFactor = cells.sizeFactor();
        int np = cells.perPopulation().length;
        double[] sfSum = new double[np];
        int[] n = new int[np];
        for (int c = 0; c < popOfCell.length; c++) {
            sfSum[popOfCell[c]] += sizeFactor[c];
            n[popOfCell[c]]++;
        }
        try (OutputFile f = OutputFile.createTable(file)) {
            Writer w = f.writer();
            w.write("gene_id");
            for (int p = 0; p < np; p++) {
                w.write("\tpopulation=" + Grammar.populationName(p));
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
