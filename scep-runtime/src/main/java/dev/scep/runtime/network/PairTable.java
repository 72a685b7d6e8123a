package dev.scep.runtime.network;

import dev.scep.formats.model.SequenceEncoding;
import dev.scep.runtime.BaseCodes;

/**
 * The first convolution as look-ups (DESIGN §4: over a one-hot input it is a sum of weight columns picked by
 * the bases). Taps are grouped in pairs, so each output position needs ⌈k/2⌉ vector loads and adds instead of
 * k: group g holds, for every pair of 4-bit base codes (c1, c2), the column sum w[·][·][2g]·x(c1) +
 * w[·][·][2g+1]·x(c2). Only 16 of its 256 rows are hot for A/C/G/T, so the working set stays in L1.
 */
public final class PairTable {
    private PairTable() {
    }

    public static int groups(int kernel) {
        return (kernel + 1) / 2;
    }

    /**
     * The float offset of the row for tap pair {@code group} reading base codes {@code code1} (tap 2·group) and
     * {@code code2} (tap 2·group + 1, 0 past the kernel's end) in a table of {@code stride} floats per row.
     */
    public static int rowOffset(int group, int code1, int code2, int stride) {
        return (group * 256 + (code1 << 4) + code2) * stride;
    }

    /**
     * Builds table[(g × 256 + c1 × 16 + c2) × stride + o] for weight w[o][channel][t] (layout [out][4][k]).
     */
    public static float[] build(float[] w, int outChannels, int kernel, int stride, SequenceEncoding enc) {
        int groups = groups(kernel);
        int[] bases = BaseCodes.channelBases(enc);
        // column[t][mask][o] = Σ_channels value(mask, channel) × w[o][channel][t], in double
        double[][][] column = new double[kernel][16][outChannels];
        for (int t = 0; t < kernel; t++) {
            for (int mask = 0; mask < 16; mask++) {
                for (int o = 0; o < outChannels; o++) {
                    double s = 0;
                    for (int ch = 0; ch < 4; ch++) {
                        double v = BaseCodes.channelValue(mask, bases[ch], enc.ambiguity());
                        if (v != 0) {
                            s += v * w[(o * 4 + ch) * kernel + t];
                        }
                    }
                    column[t][mask][o] = s;
                }
            }
        }
        float[] table = new float[groups * 256 * stride];
        for (int g = 0; g < groups; g++) {
            int t1 = 2 * g;
            int t2 = 2 * g + 1;
            for (int c1 = 0; c1 < 16; c1++) {
                for (int c2 = 0; c2 < 16; c2++) {
                    int row = rowOffset(g, c1, c2, stride);
                    for (int o = 0; o < outChannels; o++) {
                        double v = column[t1][c1][o] + (t2 < kernel ? column[t2][c2][o] : 0);
                        table[row + o] = (float) v;
                    }
                }
            }
        }
        return table;
    }

    /**
     * offsets[g × positions + q] = float offset of the table row conv position q reads in group g, where
     * {@code codes} holds the window's base codes preceded by the convolution's left padding (code 0).
     */
    public static void offsets(byte[] codes, int kernel, int positions, int stride, int[] offsets) {
        int groups = groups(kernel);
        for (int g = 0; g < groups; g++) {
            int t1 = 2 * g;
            boolean pair = 2 * g + 1 < kernel;
            int base = g * positions;
            for (int q = 0; q < positions; q++) {
                int c1 = codes[q + t1];
                int c2 = pair ? codes[q + t1 + 1] : 0;
                offsets[base + q] = rowOffset(g, c1, c2, stride);
            }
        }
    }
}
