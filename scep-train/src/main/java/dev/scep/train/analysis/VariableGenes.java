package dev.scep.train.analysis;

import dev.scep.train.chart.Plot;

import dev.scep.train.evaluate.Metrics;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.stream.IntStream;

/**
 * Per-gene correlation across populations for the most variable genes (the paper's Figure 4C): for each gene, the
 * variance of its observed log10 expression across populations and Pearson's r between its predicted and observed
 * values across populations, the genes ranked by variance. Genes that hardly vary between populations cannot be
 * ranked by any model, so r across populations only means something above a variance threshold. Going down the ranking,
 * the local median r (over a window of {@code window} genes of neighbouring variance, centred on the gene) says how
 * well genes of that variance are ranked; the threshold is the variance of the last gene before the local median first
 * falls below {@code targetR}. (A median over all genes above a cut-off would not do: genes that are ranked well would
 * carry as many that are not.) Immutable.
 *
 * @param populations the populations the genes vary across (at least 3)
 * @param genes       every gene with a defined r, most variable first
 * @param targetR     the local median r the genes above the threshold keep
 * @param threshold   the variance threshold; NaN when even the most variable genes' local median is below
 *                    {@code targetR}
 * @param aboveThreshold the genes at or above the threshold (0 without one)
 * @param window      the genes in each local median (at most the number of genes)
 */
public record VariableGenes(List<String> populations, List<Gene> genes, double targetR, double threshold,
                            int aboveThreshold, int window) {
    /**
     * One gene.
     *
     * @param id       gene id
     * @param name     gene symbol, empty when unknown
     * @param variance population variance of its observed log10 expression across the populations
     * @param r        Pearson's r between its predicted and observed values across the populations
     * @param medianRAbove the median r of this gene and every more variable one
     * @param localMedianR the median r of the window of genes of neighbouring variance centred on this one
     */
    public record Gene(String id, String name, double variance, double r, double medianRAbove, double localMedianR) {
    }

    /** Copies the lists. */
    public VariableGenes {
        populations = List.copyOf(populations);
        genes = List.copyOf(genes);
    }

    /**
     * Ranks the genes of a cell-population run.
     *
     * @param run         a cell-population cross-validation
     * @param populations the populations to use, or empty for every output except {@code all}
     * @param targetR     the local median r the genes above the threshold keep (e.g. 0.5)
     * @param window      genes per local median, at least 1 (clipped to the number of genes)
     * @return the ranking and the threshold
     * @throws IllegalArgumentException when a population is not in the run, fewer than 3 are chosen, or
     *                                  {@code window} is below 1
     */
    public static VariableGenes of(CvRun run, List<String> populations, double targetR, int window) {
        if (window < 1) {
            throw new IllegalArgumentException("the window of a local median must hold at least 1 gene, not " + window);
        }
        List<String> all = run.predictions().populations();
        List<String> chosen = populations.isEmpty() ? all.stream().filter(p -> !p.equals("all")).toList() : populations;
        int[] cols = new int[chosen.size()];
        for (int k = 0; k < cols.length; k++) {
            cols[k] = run.column(chosen.get(k));
            if (cols[k] < 0) {
                throw new IllegalArgumentException("population '" + chosen.get(k) + "' is not in " + run.file() + ": it has "
                        + String.join(", ", all));
            }
        }
        if (cols.length < 3) {
            throw new IllegalArgumentException("per-gene r across populations needs at least 3 populations; "
                    + run.file() + " gives " + cols.length + " (" + String.join(", ", chosen) + ")");
        }
        float[][] pred = run.predictions().predicted();
        float[][] obs = run.predictions().observed();
        List<double[]> ranked = new ArrayList<>();     // {gene row, variance, r}
        for (int g = 0; g < pred.length; g++) {
            double[] x = new double[cols.length];
            double[] y = new double[cols.length];
            for (int k = 0; k < cols.length; k++) {
                x[k] = pred[g][cols[k]];
                y[k] = obs[g][cols[k]];
            }
            double r = Metrics.pearson(x, y);
            if (Double.isFinite(r)) {
                ranked.add(new double[]{g, variance(y), r});
            }
        }
        ranked.sort(Comparator.comparingDouble((double[] v) -> -v[1]).thenComparingDouble(v -> v[0]));
        double[] rs = ranked.stream().mapToDouble(v -> v[2]).toArray();
        double[] running = runningMedian(rs);
        int w = Math.max(1, Math.min(window, rs.length));
        double[] local = localMedian(rs, w);
        int above = 0;
        while (above < local.length && local[above] >= targetR) {
            above++;
        }
        double threshold = above == 0 ? Double.NaN : ranked.get(above - 1)[1];
        List<Gene> genes = new ArrayList<>();
        for (int k = 0; k < ranked.size(); k++) {
            int g = (int) ranked.get(k)[0];
            String name = run.predictions().geneNames().get(g);
            genes.add(new Gene(run.predictions().geneIds().get(g), name == null ? "" : name, ranked.get(k)[1],
                    ranked.get(k)[2], running[k], local[k]));
        }
        return new VariableGenes(chosen, genes, targetR, threshold, above, w);
    }

    private static double variance(double[] v) {
        double mean = 0;
        for (double x : v) {
            mean += x;
        }
        mean /= v.length;
        double s = 0;
        for (double x : v) {
            s += (x - mean) * (x - mean);
        }
        return s / v.length;
    }

    /** out[k] = the median of the w values centred on v[k] (the window shifted inwards at the ends). */
    static double[] localMedian(double[] v, int w) {
        double[] out = new double[v.length];
        for (int k = 0; k < v.length; k++) {
            int from = Math.max(0, Math.min(k - w / 2, v.length - w));
            double[] win = Arrays.copyOfRange(v, from, from + w);
            Arrays.sort(win);
            out[k] = w % 2 == 1 ? win[w / 2] : (win[w / 2 - 1] + win[w / 2]) / 2;
        }
        return out;
    }

    /** out[k] = the median of v[0..k], kept with two heaps: O(n log n). */
    static double[] runningMedian(double[] v) {
        PriorityQueue<Double> low = new PriorityQueue<>(Collections.reverseOrder());
        PriorityQueue<Double> high = new PriorityQueue<>();
        double[] out = new double[v.length];
        for (int k = 0; k < v.length; k++) {
            if (low.isEmpty() || v[k] <= low.peek()) {
                low.add(v[k]);
            } else {
                high.add(v[k]);
            }
            if (low.size() > high.size() + 1) {
                high.add(low.poll());
            } else if (high.size() > low.size()) {
                low.add(high.poll());
            }
            out[k] = low.size() > high.size() ? low.peek() : (low.peek() + high.peek()) / 2;
        }
        return out;
    }

    /**
     * Writes {@code variable-genes.tsv} (the {@code top} most variable genes), {@code variance-threshold.tsv} (the
     * median r of the most variable genes at 20 cut-offs), {@code variable-genes.png} and {@code variable-genes.html}.
     *
     * @param folder the output folder (made when its parent exists)
     * @param top    how many of the most variable genes to list, at least 1
     * @param inputs the files read, which no output may replace
     * @return the files written
     * @throws IOException when a file cannot be written
     */
    public List<Path> write(Path folder, int top, Path... inputs) throws IOException {
        List<List<String>> listed = new ArrayList<>();
        for (int k = 0; k < Math.min(top, genes.size()); k++) {
            Gene g = genes.get(k);
            listed.add(List.of(Integer.toString(k + 1), g.id(), g.name(), AnalysisReport.number(g.variance()),
                    AnalysisReport.number(g.r())));
        }
        List<List<String>> curve = new ArrayList<>();
        int[] cuts = IntStream.rangeClosed(1, 20).map(i -> (int) Math.round(genes.size() * i / 20.0)).filter(k -> k > 0)
                .distinct().toArray();
        for (int k : cuts) {
            Gene g = genes.get(k - 1);
            curve.add(List.of(Integer.toString(k), AnalysisReport.number(g.variance()), AnalysisReport.number(g.medianRAbove()),
                    AnalysisReport.number(g.localMedianR())));
        }
        double[] variance = genes.stream().mapToDouble(Gene::variance).toArray();
        double[] r = genes.stream().mapToDouble(Gene::r).toArray();
        double[] median = genes.stream().mapToDouble(Gene::localMedianR).toArray();
        int shownTop = Math.min(top, genes.size());
        Plot plot = new Plot("Per-gene r across populations against variance", "variance of observed log10 expression across populations",
                "Pearson's r across populations").logX()
                .points(variance, r, new java.awt.Color(150, 150, 150), 2, "gene")
                .points(Arrays.copyOf(variance, shownTop), Arrays.copyOf(r, shownTop), Plot.PALETTE[0], 2,
                        "the " + shownTop + " most variable")
                .line(variance, median, Plot.PALETTE[1], "local median r (" + window + " genes)");
        if (Double.isFinite(threshold)) {
            plot.vertical(threshold);
        }
        String verdict = Double.isFinite(threshold)
                ? String.format(java.util.Locale.ROOT, "Variance threshold: %.4g. Down to it, the local median r over %,d genes"
                        + " of neighbouring variance stays at %.2f or more; the %,d genes at or above it have a median r of %.3f.",
                threshold, window, targetR, aboveThreshold, genes.get(aboveThreshold - 1).medianRAbove())
                : String.format(java.util.Locale.ROOT, "No variance threshold: even the most variable genes' local median r"
                        + " (over %,d genes) is below %.2f.", window, targetR);
        return new AnalysisReport("variable-genes", "Per-gene r across populations")
                .paragraph(String.format(java.util.Locale.ROOT, "%,d genes with a defined r across %d populations (%s).",
                        genes.size(), populations.size(), String.join(", ", populations)))
                .paragraph(verdict)
                .figure("variable-genes.png", "Per-gene r against variance; dashed: the threshold", plot.png(900, 520))
                .table("variance-threshold.tsv", "Median r of the most variable genes, at 20 cut-offs",
                        List.of("genes", "variance_at_least", "median_r", "local_median_r"), curve, 20)
                .table("variable-genes.tsv", "The most variable genes",
                        List.of("rank", "gene_id", "gene_name", "variance", "r_across_populations"), listed, 50)
                .write(folder, inputs);
    }
}
