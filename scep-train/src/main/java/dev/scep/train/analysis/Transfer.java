package dev.scep.train.analysis;

import dev.scep.train.chart.Plot;

import dev.scep.train.evaluate.Metrics;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Transfer (the paper's Figure 3): every model of the given cross-validations scored on every population's observed
 * values, across runs and datasets, the genes matched by id. Each cell is the median across the source run's folds of
 * Pearson's r over the fold's test genes that the target holds (so every prediction is out-of-fold for its model).
 * Where the target's own model is among the sources, a one-sided Wilcoxon rank-sum test across folds asks whether
 * the own model's per-fold r is greater than the transferred model's ({@link RankSumTest}).
 *
 * <p>Targets: one per population name and dataset. Two runs that observe the same population with the same values
 * on their shared genes (runs of one dataset) give one target; otherwise each is its own. Immutable.
 *
 * @param sources the models, {@code run:population}, in run then output order
 * @param targets the observed populations, {@code run:population} of the first run observing each
 * @param cells   one per source and target, source-major
 */
public record Transfer(List<String> sources, List<String> targets, List<Cell> cells) {
    /**
     * One model scored on one population.
     *
     * @param source       {@code run:population} of the model
     * @param target       {@code run:population} of the observed values
     * @param genes        test genes matched by id
     * @param medianR      median across the source's folds of Pearson's r; NaN when no fold has 2 matched genes
     * @param foldR        r per fold of the source run
     * @param own          whether the source is the target's own model
     * @param pOwnGreater  one-sided rank-sum p-value that the target's own model scores higher across folds; NaN for
     *                     the own model itself or when the target has no own model among the sources
     */
    public record Cell(String source, String target, int genes, double medianR, List<Double> foldR, boolean own,
                       double pOwnGreater) {
        /** Copies the fold list. */
        public Cell {
            foldR = List.copyOf(foldR);
        }
    }

    /** Copies the lists. */
    public Transfer {
        sources = List.copyOf(sources);
        targets = List.copyOf(targets);
        cells = List.copyOf(cells);
    }

    /**
     * Scores every model on every population.
     *
     * @param runs the cross-validations (of one or several datasets); their labels must differ
     * @return the matrix
     * @throws IllegalArgumentException when two runs have the same label, or no gene id is shared between a source
     *                                  and a target at all
     */
    public static Transfer of(List<CvRun> runs) {
        if (runs.stream().map(CvRun::label).distinct().count() != runs.size()) {
            throw new IllegalArgumentException("two runs have the same label: name them LABEL=DIR");
        }
        List<RunColumn> sources = new ArrayList<>();
        List<RunColumn> targets = new ArrayList<>();
        Map<CvRun, Map<String, Integer>> rows = new HashMap<>();
        Map<RunColumn, Integer> targetOf = new HashMap<>();
        for (CvRun run : runs) {
            rows.put(run, run.rows());
        }
        for (CvRun run : runs) {
            for (int p = 0; p < run.predictions().populations().size(); p++) {
                RunColumn c = new RunColumn(run, p);
                sources.add(c);
                int same = -1;
                for (int t = 0; t < targets.size() && same < 0; t++) {
                    if (sameObserved(targets.get(t), c, rows)) {
                        same = t;
                    }
                }
                if (same < 0) {
                    targets.add(c);
                    same = targets.size() - 1;
                }
                targetOf.put(c, same);
            }
        }
        // each target's own model: the first source observing it (its own run predicts it)
        RunColumn[] ownOf = new RunColumn[targets.size()];
        for (RunColumn s : sources) {
            int t = targetOf.get(s);
            if (ownOf[t] == null) {
                ownOf[t] = s;
            }
        }
        double[][][] fold = new double[sources.size()][targets.size()][];
        int[][] genes = new int[sources.size()][targets.size()];
        for (int s = 0; s < sources.size(); s++) {
            for (int t = 0; t < targets.size(); t++) {
                RunColumn src = sources.get(s);
                RunColumn tgt = targets.get(t);
                double[][] r = FoldCorrelation.pearson(src.run(), src.index(), tgt.run(), tgt.index(), rows.get(tgt.run()));
                fold[s][t] = r[0];
                genes[s][t] = (int) r[1][0];
            }
        }
        List<Cell> cells = new ArrayList<>();
        for (int s = 0; s < sources.size(); s++) {
            for (int t = 0; t < targets.size(); t++) {
                int own = ownOf[t] == null ? -1 : sources.indexOf(ownOf[t]);
                boolean isOwn = own == s;
                double p = own < 0 || isOwn ? Double.NaN : RankSumTest.greater(fold[own][t], fold[s][t]).p();
                cells.add(new Cell(sources.get(s).label(), targets.get(t).label(), genes[s][t], Metrics.median(fold[s][t]),
                        Arrays.stream(fold[s][t]).boxed().toList(), isOwn, p));
            }
        }
        if (cells.stream().allMatch(c -> c.genes() == 0)) {
            throw new IllegalArgumentException("the runs share no gene id: transfer matches genes by id");
        }
        return new Transfer(sources.stream().map(RunColumn::label).toList(), targets.stream().map(RunColumn::label).toList(), cells);
    }

    /** The same population name observed with the same values on the shared genes (at least one). */
    private static boolean sameObserved(RunColumn a, RunColumn b, Map<CvRun, Map<String, Integer>> rows) {
        String name = a.run().predictions().populations().get(a.index());
        if (!name.equals(b.run().predictions().populations().get(b.index()))) {
            return false;
        }
        if (a.run() == b.run()) {
            return true;
        }
        float[][] oa = a.run().predictions().observed();
        float[][] ob = b.run().predictions().observed();
        Map<String, Integer> rowsB = rows.get(b.run());
        int shared = 0;
        List<String> ids = a.run().predictions().geneIds();
        for (int g = 0; g < ids.size(); g++) {
            Integer h = rowsB.get(ids.get(g));
            if (h != null) {
                if (Math.abs(oa[g][a.index()] - ob[h][b.index()]) > 1e-6f) {
                    return false;
                }
                shared++;
            }
        }
        return shared > 0;
    }

    /**
     * Writes {@code transfer.tsv} (one row per model and population), {@code transfer-matrix.tsv} (the median r,
     * models by populations), {@code transfer.png} (the matrix as a heatmap, * where the own model is significantly
     * better at p &lt; 0.05) and {@code transfer.html} into a folder.
     *
     * @param folder the output folder (made when its parent exists)
     * @param inputs the files read, which no output may replace
     * @return the files written
     * @throws IOException when a file cannot be written
     */
    public List<Path> write(Path folder, Path... inputs) throws IOException {
        List<List<String>> table = new ArrayList<>();
        for (Cell c : cells) {
            table.add(List.of(c.source(), c.target(), Integer.toString(c.genes()), AnalysisReport.number(c.medianR()),
                    c.own() ? "yes" : "no", AnalysisReport.number(c.pOwnGreater())));
        }
        List<List<String>> matrix = new ArrayList<>();
        double[][] values = new double[sources.size()][targets.size()];
        boolean[][] marked = new boolean[sources.size()][targets.size()];
        for (int s = 0; s < sources.size(); s++) {
            List<String> row = new ArrayList<>();
            row.add(sources.get(s));
            for (int t = 0; t < targets.size(); t++) {
                Cell c = cells.get(s * targets.size() + t);
                values[s][t] = c.medianR();
                marked[s][t] = c.pOwnGreater() < 0.05;
                row.add(AnalysisReport.number(c.medianR()));
            }
            matrix.add(row);
        }
        List<String> header = new ArrayList<>();
        header.add("model");
        header.addAll(targets);
        byte[] png = Plot.heatmap("Transfer: median r of each model (rows) on each population (columns)",
                sources.stream().map(Transfer::shortLabel).toList(), targets.stream().map(Transfer::shortLabel).toList(),
                values, marked, "*");
        return new AnalysisReport("transfer", "Transfer between populations")
                .paragraph("Each model's out-of-fold predictions scored against every population's observed expression,"
                        + " genes matched by id: median across the model's folds of Pearson's r. * : the population's own"
                        + " model is better across folds (one-sided Wilcoxon rank-sum test, p < 0.05).")
                .figure("transfer.png", "Median r, models by populations", png)
                .table("transfer-matrix.tsv", "Median r, models by populations", header, matrix, 200)
                .table("transfer.tsv", "Per model and population",
                        List.of("model", "population", "genes", "median_r", "own_model", "p_own_greater"), table, 500)
                .write(folder, inputs);
    }

    /** {@code run:} and the last step of the population's nested name, for the heatmap's labels. */
    private static String shortLabel(String label) {
        int colon = label.indexOf(':');
        return label.substring(0, colon + 1) + ResolutionLadder.shortName(label.substring(colon + 1));
    }
}
