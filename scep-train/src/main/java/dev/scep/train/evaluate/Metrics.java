package dev.scep.train.evaluate;

import java.util.Arrays;

/** The evaluation statistics of DESIGN §3. Pure functions of their arguments, safe to call from any thread. */
public final class Metrics {
    private Metrics() {
    }

    /**
     * Pearson's r of two equally long series; NaN when either is constant or there are fewer than 2 values.
     *
     * @param x one series
     * @param y the other, as long
     * @return r in [−1, 1], or NaN
     * @throws IllegalArgumentException when the lengths differ
     */
    public static double pearson(double[] x, double[] y) {
        int n = x.length;
        if (n != y.length) {
            throw new IllegalArgumentException(n + " vs " + y.length + " values");
        }
        if (n < 2) {
            return Double.NaN;
        }
        double mx = 0;
        double my = 0;
        for (int i = 0; i < n; i++) {
            mx += x[i];
            my += y[i];
        }
        mx /= n;
        my /= n;
        double sxy = 0;
        double sxx = 0;
        double syy = 0;
        for (int i = 0; i < n; i++) {
            double dx = x[i] - mx;
            double dy = y[i] - my;
            sxy += dx * dy;
            sxx += dx * dx;
            syy += dy * dy;
        }
        return sxx == 0 || syy == 0 ? Double.NaN : sxy / Math.sqrt(sxx * syy);
    }

    /**
     * Spearman's rank correlation: Pearson's r of the ranks, ties given their average rank.
     *
     * @param x one series
     * @param y the other, as long
     * @return ρ in [−1, 1], or NaN as for {@link #pearson}
     */
    public static double spearman(double[] x, double[] y) {
        return pearson(ranks(x), ranks(y));
    }

    /**
     * Ranks 1..n, tied values sharing their average rank.
     *
     * @param v the values (not changed; NaN ranks as the largest)
     * @return each value's rank, in the values' order
     */
    public static double[] ranks(double[] v) {
        Integer[] order = new Integer[v.length];
        for (int i = 0; i < v.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(v[a], v[b]));
        double[] r = new double[v.length];
        for (int i = 0; i < v.length; ) {
            int j = i;
            while (j + 1 < v.length && v[order[j + 1]] == v[order[i]]) {
                j++;
            }
            double rank = (i + j) / 2.0 + 1;
            for (int k = i; k <= j; k++) {
                r[order[k]] = rank;
            }
            i = j + 1;
        }
        return r;
    }

    /** The least-squares slope of y on x; NaN when x is constant or there are fewer than 2 values. */
    static double slope(double[] x, double[] y) {
        int n = x.length;
        if (n < 2) {
            return Double.NaN;
        }
        double mx = Arrays.stream(x).average().orElse(0);
        double my = Arrays.stream(y).average().orElse(0);
        double sxy = 0;
        double sxx = 0;
        for (int i = 0; i < n; i++) {
            sxy += (x[i] - mx) * (y[i] - my);
            sxx += (x[i] - mx) * (x[i] - mx);
        }
        return sxx == 0 ? Double.NaN : sxy / sxx;
    }

    /**
     * The median of the finite values (NaN when there are none); NaN and infinite values are left out.
     *
     * @param values the values (not changed)
     * @return the median (the mean of the two middle values for an even count), or NaN
     */
    public static double median(double[] values) {
        double[] v = Arrays.stream(values).filter(Double::isFinite).sorted().toArray();
        if (v.length == 0) {
            return Double.NaN;
        }
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }
}
