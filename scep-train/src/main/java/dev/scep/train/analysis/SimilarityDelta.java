package dev.scep.train.analysis;

import dev.scep.train.chart.Plot;

import dev.scep.train.evaluate.Evaluation;
import dev.scep.train.evaluate.Metrics;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Δcp,t against the similarity of population and tissue (the paper's Figure 2C): how much a cell-population model
 * gains over the tissue model on a population, against how much that population's expression resembles the whole
 * tissue's. Similarity is Pearson's r across genes (matched by id) between the population's observed log10 expression
 * and the tissue's; Δcp,t is as in {@link Evaluation} (median r of the cell-population model minus median r of the
 * tissue model, both on the population's observed values). Populations unlike the tissue are where the
 * cell-population model should gain most, so a negative rank correlation is expected. Immutable.
 *
 * @param rows     one per population of the cell-population run
 * @param spearman Spearman's ρ between similarity and Δcp,t across populations (NaN for fewer than 2)
 * @param pearson  Pearson's r between them
 */
public record SimilarityDelta(List<Row> rows, double spearman, double pearson) {
    /**
     * One population.
     *
     * @param population   its name
     * @param similarity   Pearson's r across genes between its observed values and the tissue's
     * @param cpMedianR    the cell-population model's median r across folds
     * @param tissueMedianR the tissue model's median r across folds, on this population's observed values
     * @param deltaCpT     {@code cpMedianR − tissueMedianR}
     */
    public record Row(String population, double similarity, double cpMedianR, double tissueMedianR, double deltaCpT) {
    }

    /** Copies the rows. */
    public SimilarityDelta {
        rows = List.copyOf(rows);
    }

    /**
     * Compares a cell-population run with a tissue run of the same genes.
     *
     * @param cellPopulations the cell-population cross-validation
     * @param tissue          the tissue model's cross-validation ({@code scep cv --tissue all}), one output
     * @return one row per population
     * @throws IllegalArgumentException when the tissue run has other than one output, or shares no gene with the
     *                                  cell-population run
     */
    public static SimilarityDelta of(CvRun cellPopulations, CvRun tissue) {
        if (tissue.predictions().populations().size() != 1) {
            throw new IllegalArgumentException(tissue.file() + " is not a tissue model's predictions: it has "
                    + tissue.predictions().populations().size() + " outputs, a tissue model one (scep cv --tissue all)");
        }
        Evaluation e = Evaluation.of(cellPopulations.predictions(), tissue.predictions());
        Map<String, Integer> tissueRows = tissue.rows();
        float[][] obs = cellPopulations.predictions().observed();
        float[][] tissueObs = tissue.predictions().observed();
        List<String> ids = cellPopulations.predictions().geneIds();
        List<Integer> shared = new ArrayList<>();
        for (int g = 0; g < ids.size(); g++) {
            if (tissueRows.containsKey(ids.get(g))) {
                shared.add(g);
            }
        }
        if (shared.isEmpty()) {
            throw new IllegalArgumentException(cellPopulations.file() + " and " + tissue.file() + " share no gene id");
        }
        double[] t = shared.stream().mapToDouble(g -> tissueObs[tissueRows.get(ids.get(g))][0]).toArray();
        List<Row> rows = new ArrayList<>();
        List<String> pops = cellPopulations.predictions().populations();
        for (int p = 0; p < pops.size(); p++) {
            final int col = p;
            double[] o = shared.stream().mapToDouble(g -> obs[g][col]).toArray();
            rows.add(new Row(pops.get(p), Metrics.pearson(o, t), e.medianPearson()[p], e.tissueMedianPearson()[p],
                    e.deltaCpT()[p]));
        }
        double[] s = rows.stream().mapToDouble(Row::similarity).toArray();
        double[] d = rows.stream().mapToDouble(Row::deltaCpT).toArray();
        return new SimilarityDelta(rows, Metrics.spearman(s, d), Metrics.pearson(s, d));
    }

    /**
     * Writes {@code similarity.tsv}, {@code similarity.png} and {@code similarity.html} into a folder.
     *
     * @param folder the output folder (made when its parent exists)
     * @param inputs the files read, which no output may replace
     * @return the files written
     * @throws IOException when a file cannot be written
     */
    public List<Path> write(Path folder, Path... inputs) throws IOException {
        List<List<String>> table = new ArrayList<>();
        for (Row r : rows) {
            table.add(List.of(r.population(), AnalysisReport.number(r.similarity()), AnalysisReport.number(r.cpMedianR()),
                    AnalysisReport.number(r.tissueMedianR()), AnalysisReport.number(r.deltaCpT())));
        }
        Plot plot = new Plot("Gain of the cell-population model against similarity to the tissue",
                "similarity to the tissue (r across genes, observed)", "Δcp,t (median r, cell population − tissue)")
                .labelled(rows.stream().mapToDouble(Row::similarity).toArray(), rows.stream().mapToDouble(Row::deltaCpT).toArray(),
                        rows.stream().map(r -> ResolutionLadder.shortName(r.population())).toArray(String[]::new), Plot.PALETTE[0]);
        return new AnalysisReport("similarity", "Δcp,t against similarity to the tissue")
                .paragraph(String.format(java.util.Locale.ROOT, "Across %d populations: Spearman's ρ = %.3f, Pearson's r = %.3f"
                        + " between similarity to the tissue and Δcp,t.", rows.size(), spearman, pearson))
                .figure("similarity.png", "Δcp,t against similarity to the tissue", plot.png(900, 520))
                .table("similarity.tsv", "Per population",
                        List.of("population", "similarity_to_tissue", "cp_median_r", "tissue_model_median_r", "delta_cp_t"),
                        table, 500)
                .write(folder, inputs);
    }
}
