package dev.scep.train.analysis;

import dev.scep.train.chart.Plot;

import dev.scep.train.evaluate.Metrics;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The resolution ladder (the paper's Figure 4B and S13): models of nested resolutions (a tissue model, a class-level
 * and a subclass-level cell-population model) all scored on the finest populations' targets, each finest population
 * taking the prediction of its ancestor at the coarser levels. The nesting comes from the population names
 * ({@code scep prepare --nested tissue,class,subclass}: {@code tissue=t/class=c/subclass=s}); the whole-tissue
 * population {@code all} is the ancestor of every population.
 *
 * <p>Each score is the median across folds of Pearson's r over the fold's test genes, the folds being those of the
 * run that predicts (so every prediction is out-of-fold), the genes matched by id with the run that holds the
 * finest population's observed values. Immutable.
 *
 * @param levels the levels scored, coarsest first (the column name of each depth, {@code all} for the tissue)
 * @param rows   one row per finest population and level, in population then level order
 */
public record ResolutionLadder(List<String> levels, List<Row> rows) {
    /**
     * One finest population scored by one level's model.
     *
     * @param population  the finest population (its observed values are the targets)
     * @param level       the level's name
     * @param depth       the level's depth, 0 for {@code all}
     * @param predictedBy {@code run:population} of the ancestor whose prediction is scored, or empty when no run
     *                    predicts that ancestor
     * @param genes       the genes scored (test genes matched by id)
     * @param medianR     the median across folds of Pearson's r, NaN without a prediction
     * @param foldR       r per fold of the predicting run (empty without a prediction)
     */
    public record Row(String population, String level, int depth, String predictedBy, int genes, double medianR,
                      List<Double> foldR) {
        /** Copies the fold list. */
        public Row {
            foldR = List.copyOf(foldR);
        }
    }

    /** Copies the lists. */
    public ResolutionLadder {
        levels = List.copyOf(levels);
        rows = List.copyOf(rows);
    }

    /**
     * Scores every finest population at every level that some run predicts.
     *
     * @param runs the cross-validations, e.g. a tissue run ({@code --tissue all}), a class-level and a subclass-level
     *             run; each population may be predicted by one run only
     * @return the ladder
     * @throws IllegalArgumentException when two runs predict the same population, or the names hold no nesting (no
     *                                  population below the tissue)
     */
    public static ResolutionLadder of(List<CvRun> runs) {
        Map<String, RunColumn> predicted = new LinkedHashMap<>();
        Map<String, RunColumn> observed = new LinkedHashMap<>();
        for (CvRun run : runs) {
            List<String> pops = run.predictions().populations();
            for (int p = 0; p < pops.size(); p++) {
                RunColumn c = new RunColumn(run, p);
                RunColumn before = predicted.putIfAbsent(pops.get(p), c);
                if (before != null) {
                    throw new IllegalArgumentException("population '" + pops.get(p) + "' is predicted by two runs, "
                            + before.run().label() + " and " + run.label() + ": give each level's model once");
                }
                observed.putIfAbsent(pops.get(p), c);
            }
        }
        int finest = observed.keySet().stream().mapToInt(PopulationPath::depth).max().orElse(0);
        if (finest < 1) {
            throw new IllegalArgumentException("no nested populations: the runs predict only 'all'; a ladder needs the"
                    + " populations of 'scep prepare --nested' (e.g. tissue=t/class=c/subclass=s)");
        }
        List<String> finestPops = observed.keySet().stream().filter(p -> PopulationPath.depth(p) == finest).toList();
        List<Integer> depths = new ArrayList<>();
        List<String> levels = new ArrayList<>();
        for (int d = 0; d <= finest; d++) {
            final int depth = d;
            if (finestPops.stream().anyMatch(p -> predicted.containsKey(PopulationPath.ancestor(p, depth)))) {
                depths.add(d);
                levels.add(PopulationPath.level(finestPops.getFirst(), d));
            }
        }
        Map<CvRun, Map<String, Integer>> rowsOf = new java.util.HashMap<>();
        List<Row> rows = new ArrayList<>();
        for (String pop : finestPops) {
            RunColumn target = observed.get(pop);
            Map<String, Integer> targetRows = rowsOf.computeIfAbsent(target.run(), CvRun::rows);
            for (int k = 0; k < depths.size(); k++) {
                int d = depths.get(k);
                RunColumn source = predicted.get(PopulationPath.ancestor(pop, d));
                if (source == null) {
                    rows.add(new Row(pop, levels.get(k), d, "", 0, Double.NaN, List.of()));
                    continue;
                }
                double[][] r = FoldCorrelation.pearson(source.run(), source.index(), target.run(), target.index(), targetRows);
                rows.add(new Row(pop, levels.get(k), d, source.label(), (int) r[1][0], Metrics.median(r[0]),
                        Arrays.stream(r[0]).boxed().toList()));
            }
        }
        return new ResolutionLadder(levels, rows);
    }

    /**
     * Per level, the mean over the finest populations of their median r (NaN ones left out).
     *
     * @return one value per level, in level order
     */
    public double[] meanPerLevel() {
        double[] out = new double[levels.size()];
        for (int k = 0; k < levels.size(); k++) {
            String level = levels.get(k);
            out[k] = rows.stream().filter(r -> r.level().equals(level)).mapToDouble(Row::medianR).filter(Double::isFinite)
                    .average().orElse(Double.NaN);
        }
        return out;
    }

    /**
     * Writes {@code ladder.tsv} (one row per finest population and level), {@code ladder-folds.tsv} (the r of every
     * fold), {@code ladder.png} and {@code ladder.html} into a folder.
     *
     * @param folder the output folder (made when its parent exists)
     * @param inputs the files read, which no output may replace
     * @return the files written
     * @throws IOException when a file cannot be written
     */
    public List<Path> write(Path folder, Path... inputs) throws IOException {
        List<List<String>> table = new ArrayList<>();
        List<List<String>> folds = new ArrayList<>();
        for (Row r : rows) {
            table.add(List.of(r.population(), r.level(), Integer.toString(r.depth()), r.predictedBy(),
                    Integer.toString(r.genes()), AnalysisReport.number(r.medianR())));
            for (int f = 0; f < r.foldR().size(); f++) {
                folds.add(List.of(r.population(), r.level(), Integer.toString(f + 1), AnalysisReport.number(r.foldR().get(f))));
            }
        }
        Plot plot = new Plot("Resolution ladder: finest populations scored at each level", "model level",
                "median Pearson's r (test genes)").categories(levels);
        List<String> pops = rows.stream().map(Row::population).distinct().toList();
        double[] x = java.util.stream.IntStream.range(0, levels.size()).asDoubleStream().toArray();
        for (int p = 0; p < pops.size(); p++) {
            String pop = pops.get(p);
            double[] y = rows.stream().filter(r -> r.population().equals(pop)).mapToDouble(Row::medianR).toArray();
            plot.line(x, y, Plot.PALETTE[p % Plot.PALETTE.length], pops.size() <= 12 ? shortName(pop) : null);
        }
        plot.line(x, meanPerLevel(), java.awt.Color.BLACK, "mean");
        return new AnalysisReport("ladder", "Resolution ladder")
                .paragraph("Each finest population's observed expression scored against the prediction of its ancestor"
                        + " at every level (" + String.join(" ⊃ ", levels) + "): median across folds of Pearson's r over"
                        + " each fold's test genes.")
                .figure("ladder.png", "Median r per finest population and model level; black: the mean",
                        plot.png(900, 520))
                .table("ladder.tsv", "Per population and level",
                        List.of("population", "level", "depth", "predicted_by", "genes", "median_r"), table, 500)
                .table("ladder-folds.tsv", "Per fold", List.of("population", "level", "fold", "r"), folds, 0)
                .write(folder, inputs);
    }

    /** The last step of a nested name, for legends. */
    static String shortName(String population) {
        List<String> steps = PopulationPath.steps(population);
        return steps.isEmpty() ? population : steps.getLast();
    }
}
