package dev.scep.train.analysis;

import java.util.Arrays;

/**
 * The one-sided Wilcoxon rank-sum (Mann–Whitney U) test the paper uses to compare per-fold correlations (Figure 3):
 * is the first sample stochastically greater than the second? As scipy's
 * {@code mannwhitneyu(x, y, alternative='greater')}: the exact distribution of U when there are no ties and both
 * samples have at most 50 values, otherwise the normal approximation with the tie correction and the continuity
 * correction. NaN values are left out. Pure functions, safe from any thread.
 */
public final class RankSumTest {
    private static final int EXACT_MAX = 50;

    private RankSumTest() {
    }

    /**
     * The result of a test.
     *
     * @param u     the Mann–Whitney U of the first sample (the number of pairs in which it is the greater, ties half)
     * @param p     the one-sided p-value, P(U ≥ u) under the null hypothesis; NaN when a sample is empty
     * @param exact whether p comes from the exact distribution (else from the normal approximation)
     */
    public record Result(double u, double p, boolean exact) {
    }

    /**
     * Tests whether {@code x} tends to be greater than {@code y}.
     *
     * @param x the sample expected to be greater (e.g. the per-fold r of the population's own model)
     * @param y the other sample (e.g. the per-fold r of a model trained elsewhere)
     * @return U and the one-sided p-value
     */
    public static Result greater(double[] x, double[] y) {
        double[] a = Arrays.stream(x).filter(v -> !Double.isNaN(v)).toArray();
        double[] b = Arrays.stream(y).filter(v -> !Double.isNaN(v)).toArray();
        int n1 = a.length;
        int n2 = b.length;
        if (n1 == 0 || n2 == 0) {
            return new Result(Double.NaN, Double.NaN, false);
        }
        int n = n1 + n2;
        double[] all = new double[n];
        System.arraycopy(a, 0, all, 0, n1);
        System.arraycopy(b, 0, all, n1, n2);
        double[] ranks = dev.scep.train.evaluate.Metrics.ranks(all);
        double r1 = 0;
        for (int i = 0; i < n1; i++) {
            r1 += ranks[i];
        }
        double u = r1 - n1 * (n1 + 1) / 2.0;
        double ties = tieSum(all);
        if (ties == 0 && n1 <= EXACT_MAX && n2 <= EXACT_MAX) {
            return new Result(u, exactUpperTail(n1, n2, (int) Math.round(u)), true);
        }
        double mean = n1 * (double) n2 / 2;
        double var = n1 * (double) n2 / 12 * ((n + 1) - ties / ((double) n * (n - 1)));
        if (var <= 0) {
            return new Result(u, 1, false);      // every value tied: no evidence either way
        }
        double z = (u - mean - 0.5) / Math.sqrt(var);
        return new Result(u, 0.5 * erfc(z / Math.sqrt(2)), false);
    }

    /** Σ (t³ − t) over the groups of tied values. */
    private static double tieSum(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        double sum = 0;
        for (int i = 0; i < v.length; ) {
            int j = i;
            while (j + 1 < v.length && v[j + 1] == v[i]) {
                j++;
            }
            double t = j - i + 1;
            sum += t * t * t - t;
            i = j + 1;
        }
        return sum;
    }

    /**
     * P(U ≥ u) for samples of n1 and n2 distinct values: the share of the C(n1 + n2, n1) equally likely rank sets
     * whose U reaches u, counted by the recurrence c(m, n, u) = c(m − 1, n, u − n) + c(m, n − 1, u).
     */
    static double exactUpperTail(int n1, int n2, int u) {
        int max = n1 * n2;
        if (u <= 0) {
            return 1;
        }
        if (u > max) {
            return 0;
        }
        // c[m][k]: counts for samples (m, n) as n grows from 0 to n2, for every U value k
        double[][] c = new double[n1 + 1][max + 1];
        for (int m = 0; m <= n1; m++) {
            c[m][0] = 1;                     // n = 0: U is 0
        }
        for (int n = 1; n <= n2; n++) {
            double[][] next = new double[n1 + 1][max + 1];
            next[0][0] = 1;
            for (int m = 1; m <= n1; m++) {
                for (int k = 0; k <= m * n; k++) {
                    next[m][k] = (k >= n ? next[m - 1][k - n] : 0) + c[m][k];
                }
            }
            c = next;
        }
        double total = 0;
        double tail = 0;
        for (int k = 0; k <= max; k++) {
            total += c[n1][k];
            if (k >= u) {
                tail += c[n1][k];
            }
        }
        return tail / total;
    }

    /** The complementary error function, relative error below 1.2e-7 (Numerical Recipes' erfcc, Chebyshev fit). */
    static double erfc(double x) {
        double z = Math.abs(x);
        double t = 1 / (1 + 0.5 * z);
        double r = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418
                + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587
                + t * (-0.82215223 + t * 0.17087277)))))))));
        return x >= 0 ? r : 2 - r;
    }
}
