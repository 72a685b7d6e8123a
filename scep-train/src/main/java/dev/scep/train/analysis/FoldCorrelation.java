package dev.scep.train.analysis;

import dev.scep.train.evaluate.Metrics;

import java.util.Map;

/**
 * Correlations fold by fold between one run's predictions and another's (or the same run's) observed values, the
 * genes matched by id: what every analysis here is made of. Stateless.
 */
final class FoldCorrelation {
    private FoldCorrelation() {
    }

    /**
     * Per fold of the predicting run, Pearson's r over its test genes that the observing run holds too.
     *
     * @param source    the run whose predictions are scored; its folds group the genes, so each prediction is an
     *                  out-of-fold one
     * @param predicted the source's output index
     * @param target    the run whose observed values are the truth (may be {@code source})
     * @param observed  the target's output index
     * @param targetRows the target's rows by gene id
     * @return [0] r per fold (NaN for a fold with fewer than 2 matched genes), [1][0] the number of matched genes
     */
    static double[][] pearson(CvRun source, int predicted, CvRun target, int observed, Map<String, Integer> targetRows) {
        var s = source.predictions();
        int folds = s.folds();
        int[] fold = s.fold();
        float[][] pred = s.predicted();
        float[][] obs = target.predictions().observed();
        int[] count = new int[folds];
        int[] rowInTarget = new int[s.genes()];
        for (int g = 0; g < s.genes(); g++) {
            Integer t = targetRows.get(s.geneIds().get(g));
            rowInTarget[g] = t == null ? -1 : t;
            if (t != null) {
                count[fold[g]]++;
            }
        }
        double[] r = new double[folds];
        int matched = 0;
        for (int f = 0; f < folds; f++) {
            double[] x = new double[count[f]];
            double[] y = new double[count[f]];
            int k = 0;
            for (int g = 0; g < s.genes(); g++) {
                if (fold[g] == f && rowInTarget[g] >= 0) {
                    x[k] = pred[g][predicted];
                    y[k] = obs[rowInTarget[g]][observed];
                    k++;
                }
            }
            r[f] = Metrics.pearson(x, y);
            matched += count[f];
        }
        return new double[][]{r, {matched}};
    }
}
