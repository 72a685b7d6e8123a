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
 */
public record Evaluation(List<String> populations, double[][] foldPearson, double[] medianPearson, double[] pooledPearson,
                         double[] geneAcross, double[] tissueMedianPearson, double[] deltaCpT, double[] ceilingMedianPearson) {

    public static Evaluation of(CvPredictions cp, CvPredictions tissue) {
        return of(cp, tissue, null);
    }

    /**
     * @param truth noise-free expression per gene id and population name (a simulation's {@code truth.tsv}), or
     *              null; with it, the ceiling per population is the median over folds of r(truth, observed): what a
     *              perfect model could reach given the sampling noise in the observed pseudobulk
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
        double[] across = new double[cp.genes()];
        for (int g = 0; g < cp.genes(); g++) {
            double[] x = new double[pops];
            double[] y = new double[pops];
            for (int p = 0; p < pops; p++) {
                x[p] = cp.predicted()[g][p];
                y[p] = cp.observed()[g][p];
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
            tissueMedian = new double[pops];
            delta = new double[pops];
            for (int p = 0; p < pops; p++) {
                double[] perFold = new double[folds];
                for (int f = 0; f < folds; f++) {
                    List<double[]> pairs = new java.util.ArrayList<>();
                    for (int g = 0; g < cp.genes(); g++) {
                        Integer t = row.get(cp.geneIds().get(g));
                        if (cp.fold()[g] == f && t != null) {
                            pairs.add(new double[]{tissue.predicted()[t][0], cp.observed()[g][p]});
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
                        if (cp.fold()[g] == f && t != null && t.get(name) != null) {
                            pairs.add(new double[]{t.get(name), cp.observed()[g][p]});
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

    /** Reads a truth table: a header {@code gene_id, <population>...}, one row per gene. */
    public static Map<String, Map<String, Double>> readTruth(java.nio.file.Path file) throws IOException {
        List<String> lines = java.nio.file.Files.readAllLines(file);
        if (lines.isEmpty() || !lines.getFirst().startsWith("gene_id\t")) {
            throw new InputFormatException(file, 1, "expected a header 'gene_id, <population>...'");
        }
        String[] h = lines.getFirst().split("\t", -1);
        Map<String, Map<String, Double>> out = new HashMap<>();
        for (int i = 1; i < lines.size(); i++) {
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

    /** {@code metrics.tsv}: one row per population and fold, then per population the median, pooled and Δcp,t rows. */
    public void write(Path file, Path... inputs) throws IOException {
        try (OutputFile f = OutputFile.create(file, inputs)) {
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
            f.commit();
        }
    }
}
