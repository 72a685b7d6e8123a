package dev.scep.train.evaluate;

import dev.scep.formats.io.OutputFile;
import dev.scep.formats.text.InputFormatException;
import dev.scep.train.cv.CvPredictions;

import java.io.IOException;
import java.io.Writer;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The paper's metrics over out-of-fold predictions (DESIGN §3): per population, Pearson's r between predicted and
 * observed expression over each fold's test genes and its median across folds; per gene, Pearson's r across
 * populations; and, given a tissue model's predictions of the same genes, Δcp,t = median r(cell-population model)
 * − median r(tissue model), both scored against each population's observed values.
 *
 * <p>Immutable and safe to share between threads: the accessors of the arrays return copies. A correlation that is undefined (fewer than 2 genes, or constant values) is NaN; medians leave NaN out.
 *
 * @param populations          the population names, in the predictions' output order
 * @param foldPearson          [fold][population]: Pearson r between predicted and observed log10 expression over the
 *                             fold's test genes (folds 0-based)
 * @param medianPearson        [population]: the median of {@code foldPearson} across folds
 * @param pooledPearson        [population]: Pearson r over every gene's out-of-fold prediction at once
 * @param geneAcross           [gene]: Pearson r between a gene's predicted and observed values across populations, in
 *                             the predictions' gene order; NaN for every gene when there are fewer than 3 populations
 * @param tissueMedianPearson  [population]: the median across folds of r(tissue model's prediction, this population's
 *                             observed values) over the fold's test genes that the tissue predictions hold; null
 *                             without tissue predictions
 * @param deltaCpT             [population]: Δcp,t = {@code medianPearson − tissueMedianPearson}; null without tissue
 *                             predictions
 * @param ceilingMedianPearson [population]: the median across folds of r(truth, observed), the best a perfect model
 *                             could reach given the sampling noise; null without a truth table
 */
public record Evaluation(List<String> populations, double[][] foldPearson, double[] medianPearson, double[] pooledPearson,
                         double[] geneAcross, double[] tissueMedianPearson, double[] deltaCpT, double[] ceilingMedianPearson) {
    /** Copies the population names (the arrays are handed over by {@link #of} and never given out). */
    public Evaluation {
        populations = List.copyOf(populations);
    }

    /**
     * Per fold and population, Pearson r over the fold's test genes.
     *
     * @return a copy, [fold][population]
     */
    @Override
    public double[][] foldPearson() {
        double[][] out = new double[foldPearson.length][];
        for (int f = 0; f < out.length; f++) {
            out[f] = foldPearson[f].clone();
        }
        return out;
    }

    /**
     * Per population, the median of the folds' r.
     *
     * @return a copy
     */
    @Override
    public double[] medianPearson() {
        return medianPearson.clone();
    }

    /**
     * Per population, r over every gene at once.
     *
     * @return a copy
     */
    @Override
    public double[] pooledPearson() {
        return pooledPearson.clone();
    }

    /**
     * Per gene, r across populations.
     *
     * @return a copy
     */
    @Override
    public double[] geneAcross() {
        return geneAcross.clone();
    }

    /**
     * Per population, the tissue model's median r.
     *
     * @return a copy, or null without tissue predictions
     */
    @Override
    public double[] tissueMedianPearson() {
        return tissueMedianPearson == null ? null : tissueMedianPearson.clone();
    }

    /**
     * Per population, Δcp,t.
     *
     * @return a copy, or null without tissue predictions
     */
    @Override
    public double[] deltaCpT() {
        return deltaCpT == null ? null : deltaCpT.clone();
    }

    /**
     * Per population, the noise ceiling's median r.
     *
     * @return a copy, or null without a truth table
     */
    @Override
    public double[] ceilingMedianPearson() {
        return ceilingMedianPearson == null ? null : ceilingMedianPearson.clone();
    }


    /**
     * Evaluates cell-population predictions, and compares them with a tissue model's.
     *
     * @param cp     out-of-fold predictions of the cell-population model; its folds define the test genes
     * @param tissue out-of-fold predictions of the tissue model (one output) for the same genes, matched by gene id,
     *               or null
     * @return the metrics
     * @throws IllegalArgumentException when {@code tissue} has other than one output
     */
    public static Evaluation of(CvPredictions cp, CvPredictions tissue) {
        return of(cp, tissue, null);
    }

    /**
     * Evaluates cell-population predictions, compares them with a tissue model's, and with the noise-free truth of a
     * simulation.
     *
     * @param cp     out-of-fold predictions of the cell-population model; its folds define the test genes
     * @param tissue out-of-fold predictions of the tissue model (one output) for the same genes, matched by gene id,
     *               or null
     * @param truth noise-free expression per gene id and population name (a simulation's {@code truth.tsv}), or
     *              null; with it, the ceiling per population is the median over folds of r(truth, observed): what a
     *              perfect model could reach given the sampling noise in the observed pseudobulk
     * @return the metrics
     * @throws IllegalArgumentException when {@code tissue} has other than one output
     */
    public static Evaluation of(CvPredictions cp, CvPredictions tissue, Map<String, Map<String, Double>> truth) {
        int pops = cp.populations().size();
        int folds = cp.folds();
        double[][] fold = new double[folds][pops];
        double[] median = new double[pops];
        double[] pooled = new double[pops];
        for (int p = 0; p < pops; p++) {
            double[] perFold = new double[folds];
            for (int f = 0; f < folds; f++) {
                double[][] s = cp.series(p, f);
                fold[f][p] = Metrics.pearson(s[0], s[1]);
                perFold[f] = fold[f][p];
            }
            median[p] = Metrics.median(perFold);
            double[][] all = cp.series(p, -1);
            pooled[p] = Metrics.pearson(all[0], all[1]);
        }
        float[][] predicted = cp.predicted();
        float[][] observed = cp.observed();
        int[] testFold = cp.fold();
        double[] across = new double[cp.genes()];
        for (int g = 0; g < cp.genes(); g++) {
            double[] x = new double[pops];
            double[] y = new double[pops];
            for (int p = 0; p < pops; p++) {
                x[p] = predicted[g][p];
                y[p] = observed[g][p];
            }
            across[g] = pops >= 3 ? Metrics.pearson(x, y) : Double.NaN;
        }
        double[] tissueMedian = null;
        double[] delta = null;
        if (tissue != null) {
            if (tissue.populations().size() != 1) {
                throw new IllegalArgumentException("the tissue predictions must have one output, not " + tissue.populations().size());
            }
            Map<String, Integer> row = new HashMap<>();
            for (int g = 0; g < tissue.genes(); g++) {
                row.put(tissue.geneIds().get(g), g);
            }
            float[][] tissuePredicted = tissue.predicted();
            tissueMedian = new double[pops];
            delta = new double[pops];
            for (int p = 0; p < pops; p++) {
                double[] perFold = new double[folds];
                for (int f = 0; f < folds; f++) {
                    List<double[]> pairs = new java.util.ArrayList<>();
                    for (int g = 0; g < cp.genes(); g++) {
                        Integer t = row.get(cp.geneIds().get(g));
                        if (testFold[g] == f && t != null) {
                            pairs.add(new double[]{tissuePredicted[t][0], observed[g][p]});
                        }
                    }
                    perFold[f] = Metrics.pearson(pairs.stream().mapToDouble(v -> v[0]).toArray(),
                            pairs.stream().mapToDouble(v -> v[1]).toArray());
                }
                tissueMedian[p] = Metrics.median(perFold);
                delta[p] = median[p] - tissueMedian[p];
            }
        }
        double[] ceiling = null;
        if (truth != null) {
            ceiling = new double[pops];
            for (int p = 0; p < pops; p++) {
                String name = cp.populations().get(p);
                double[] perFold = new double[folds];
                for (int f = 0; f < folds; f++) {
                    List<double[]> pairs = new java.util.ArrayList<>();
                    for (int g = 0; g < cp.genes(); g++) {
                        Map<String, Double> t = truth.get(cp.geneIds().get(g));
                        if (testFold[g] == f && t != null && t.get(name) != null) {
                            pairs.add(new double[]{t.get(name), observed[g][p]});
                        }
                    }
                    perFold[f] = Metrics.pearson(pairs.stream().mapToDouble(v -> v[0]).toArray(),
                            pairs.stream().mapToDouble(v -> v[1]).toArray());
                }
                ceiling[p] = Metrics.median(perFold);
            }
        }
        return new Evaluation(cp.populations(), fold, median, pooled, across, tissueMedian, delta, ceiling);
    }

    /**
     * Reads a truth table: a header {@code gene_id, <population>...}, one row per gene, tab-separated (as
     * {@code scep simulate} writes {@code truth.tsv}: log10 expected mean count per cell).
     *
     * @param file the table (plain text)
     * @return gene id → population name → value
     * @throws InputFormatException naming the file and line for a wrong header, a row of the wrong width, a value that
     *                              is not a finite number, a gene twice, or a table without genes
     * @throws IOException          when the file cannot be read
     */
    public static Map<String, Map<String, Double>> readTruth(java.nio.file.Path file) throws IOException {
        List<String> lines = java.nio.file.Files.readAllLines(file);
        int first = 0;
        while (first < lines.size() && lines.get(first).startsWith("#")) {   // provenance lines
            first++;
        }
        if (first == lines.size() || !lines.get(first).startsWith("gene_id\t")) {
            throw new InputFormatException(file, first + 1, "expected a header 'gene_id, <population>...'");
        }
        String[] h = lines.get(first).split("\t", -1);
        Map<String, Map<String, Double>> out = new HashMap<>();
        for (int i = first + 1; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) {
                continue;
            }
            String[] f = lines.get(i).split("\t", -1);
            if (f.length != h.length) {
                throw new InputFormatException(file, i + 1, "has " + f.length + " fields, the header " + h.length);
            }
            Map<String, Double> row = new HashMap<>();
            for (int k = 1; k < f.length; k++) {
                double v;
                try {
                    v = Double.parseDouble(f[k].strip());
                } catch (NumberFormatException e) {
                    throw new InputFormatException(file, i + 1, h[k] + ": '" + f[k] + "' is not a number");
                }
                if (!Double.isFinite(v)) {
                    throw new InputFormatException(file, i + 1, h[k] + ": " + f[k] + " is not a finite number");
                }
                row.put(h[k], v);
            }
            if (out.put(f[0], row) != null) {
                throw new InputFormatException(file, i + 1, "gene " + f[0] + " appears twice");
            }
        }
        if (out.isEmpty()) {
            throw new InputFormatException(file, 0, "holds no genes, only a header");
        }
        return out;
    }

    /**
     * The evaluation's files in a folder: {@code metrics.tsv} ({@link #write}) and {@code report.html}
     * ({@link Report#write}), each written atomically; what {@code scep cv} and {@code scep evaluate} leave behind.
     *
     * @param folder the folder (it must exist)
     * @param cp     the predictions this evaluation was made of (the report plots them)
     * @param title  the report's title
     * @param inputs the files the job read (no output may replace one)
     * @throws IOException when a file cannot be written
     */
    public void writeFiles(Path folder, CvPredictions cp, String title, Path... inputs) throws IOException {
        writeFiles(folder, cp, title, List.of(), inputs);
    }

    /**
     * As {@link #writeFiles(Path, CvPredictions, String, Path...)}, with rows of the run's own appended to
     * {@code metrics.tsv} (e.g. the replicates that collapsed).
     *
     * @param folder the folder (it must exist)
     * @param cp     the predictions this evaluation was made of
     * @param title  the report's title
     * @param extra  rows of three fields each, in the table's columns, appended after the last row
     * @param inputs the files the job read (no output may replace one)
     * @throws IllegalArgumentException when a row does not have three fields, or a field holds a tab or a line break
     * @throws IOException when a file cannot be written
     */
    public void writeFiles(Path folder, CvPredictions cp, String title, List<List<String>> extra, Path... inputs)
            throws IOException {
        write(folder.resolve("metrics.tsv"), extra, inputs);
        Report.write(folder.resolve("report.html"), cp, this, title, inputs);
    }

    /**
     * {@code metrics.tsv}: one row per population and fold, then per population the median, pooled and Δcp,t rows.
     * Columns {@code population, fold, pearson}; folds count from 1, and the summary rows name themselves in the fold
     * column ({@code median}, {@code pooled}, {@code ceiling_median}, {@code tissue_model_median},
     * {@code delta_cp_t}); a last row gives the median of the per-gene correlations across populations.
     *
     * @param file   the table to write, through an {@link OutputFile}
     * @param inputs the files the job read (the output may not replace one)
     * @throws IllegalArgumentException when a population name holds a tab or a line break
     * @throws dev.scep.formats.io.OutputIsInputException when {@code file} is one of {@code inputs}
     * @throws IOException when the table cannot be written
     */
    public void write(Path file, Path... inputs) throws IOException {
        write(file, List.of(), inputs);
    }

    private void write(Path file, List<List<String>> extra, Path... inputs) throws IOException {
        for (List<String> row : extra) {
            if (row.size() != 3) {
                throw new IllegalArgumentException("a metrics row has 3 fields, got " + row);
            }
            for (String field : row) {
                dev.scep.formats.text.TsvField.check("metrics field", field);
            }
        }
        try (OutputFile f = OutputFile.createTable(file, inputs)) {
            Writer w = f.writer();
            w.write("population\tfold\tpearson\n");
            for (int p = 0; p < populations.size(); p++) {
                dev.scep.formats.text.TsvField.check("population", populations.get(p));
                for (int k = 0; k < foldPearson.length; k++) {
                    w.write(populations.get(p) + "\t" + (k + 1) + "\t" + foldPearson[k][p] + "\n");
                }
                w.write(populations.get(p) + "\tmedian\t" + medianPearson[p] + "\n");
                w.write(populations.get(p) + "\tpooled\t" + pooledPearson[p] + "\n");
                if (ceilingMedianPearson != null) {
                    w.write(populations.get(p) + "\tceiling_median\t" + ceilingMedianPearson[p] + "\n");
                }
                if (deltaCpT != null) {
                    w.write(populations.get(p) + "\ttissue_model_median\t" + tissueMedianPearson[p] + "\n");
                    w.write(populations.get(p) + "\tdelta_cp_t\t" + deltaCpT[p] + "\n");
                }
            }
            w.write("per_gene_across_populations\tmedian\t" + Metrics.median(geneAcross) + "\n");
            for (List<String> row : extra) {
                w.write(String.join("\t", row) + "\n");
            }
            f.commit();
        }
    }
}
