package dev.scep.runtime.ism;

import dev.scep.runtime.BaseCodes;

/**
 * The rows of a whole-window ISM result as they are filled: at each position one row per base other than the
 * reference, in A, C, G, T order (three rows; four where the reference is an ambiguity code such as N). Threads fill
 * disjoint positions, so they write disjoint rows.
 */
final class SubstitutionTable {
    /** The alternative bases in row order; the k-th base that differs from the reference fills accumulator k. */
    static final int[] BASES = {BaseCodes.A, BaseCodes.C, BaseCodes.G, BaseCodes.T};

    private final byte[] codes;
    private final int outputs;
    private final double[] scale;
    private final int[] first;
    final int[] position;
    final byte[] alt;
    final float[] delta;

    /** {@code scale[o]}: what turns a raw output change summed over the members into output o's reported change. */
    SubstitutionTable(byte[] codes, double[] scale) {
        this.codes = codes;
        this.outputs = scale.length;
        this.scale = scale;
        int window = codes.length;
        first = new int[window + 1];
        for (int p = 0; p < window; p++) {
            first[p + 1] = first[p] + (Integer.bitCount(codes[p]) == 1 ? 3 : 4);
        }
        int n = first[window];
        position = new int[n];
        alt = new byte[n];
        delta = new float[n * outputs];
    }

    /** Writes position p's rows from {@code acc[k]}, the summed raw change for its k-th alternative base. */
    void record(int p, double[][] acc) {
        int e = first[p];
        int k = 0;
        for (int b : BASES) {
            if (b == codes[p]) {
                continue;
            }
            for (int o = 0; o < outputs; o++) {
                delta[e * outputs + o] = (float) (acc[k][o] * scale[o]);
            }
            position[e] = p;
            alt[e] = (byte) "ACGT".charAt(Integer.numberOfTrailingZeros(b));
            e++;
            k++;
        }
    }
}
