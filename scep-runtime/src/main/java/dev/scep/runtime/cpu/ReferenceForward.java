package dev.scep.runtime.cpu;

import dev.scep.formats.model.Activation;
import dev.scep.formats.model.FlattenOrder;
import dev.scep.formats.model.Layer;
import dev.scep.formats.model.ScepModel;
import dev.scep.formats.model.SequenceEncoding;
import dev.scep.runtime.BaseCodes;

import java.util.Map;

/**
 * The reference forward pass: each layer computed literally from its definition, in double precision, on the
 * explicit (channels × positions) input. Slow and easy to check by eye; every faster path is tested against it.
 */
public final class ReferenceForward {
    private ReferenceForward() {
    }

    /**
     * The network's raw (z-scored) outputs for one ensemble member.
     *
     * @param codes          the window as IUPAC masks ({@link BaseCodes}), one per base
     * @param halfLife       the normalised half-life features
     */
    public static double[] forward(ScepModel model, int member, byte[] codes, float[] halfLife) {
        Map<String, dev.scep.formats.model.Tensor> w = model.members().get(member);
        double[][] map = oneHot(model.encoding(), codes);
        double[] vector = null;
        for (Layer layer : model.architecture().layers()) {
            switch (layer) {
                case Layer.Conv1d c -> map = conv(map, c, w.get(c.name() + ".weight").toArray(), w.get(c.name() + ".bias").toArray());
                case Layer.MaxPool1d p -> map = maxPool(map, p);
                case Layer.Flatten f -> vector = flatten(map, f.order());
                case Layer.ConcatHalfLife h -> {
                    double[] v = java.util.Arrays.copyOf(vector, vector.length + h.features());
                    for (int i = 0; i < h.features(); i++) {
                        v[vector.length + i] = halfLife[i];
                    }
                    vector = v;
                }
                case Layer.Dense d -> vector = dense(vector, d, w.get(d.name() + ".weight").toArray(), w.get(d.name() + ".bias").toArray());
                case Layer.Dropout ignored -> {
                }
            }
        }
        return vector;
    }

    /** input[channel][position] as the encoding defines it. */
    static double[][] oneHot(SequenceEncoding enc, byte[] codes) {
        int[] bases = BaseCodes.channelBases(enc);
        double[][] x = new double[4][codes.length];
        for (int ch = 0; ch < 4; ch++) {
            for (int i = 0; i < codes.length; i++) {
                x[ch][i] = BaseCodes.channelValue(codes[i], bases[ch], enc.ambiguity());
            }
        }
        return x;
    }

    /** out[o][q] = b[o] + Σ_i Σ_t w[o][i][t] · in[i][q + t − padLeft], zero outside the input. */
    static double[][] conv(double[][] in, Layer.Conv1d c, float[] weight, float[] bias) {
        int length = in[0].length;
        int outLength = c.outputLength(length);
        double[][] out = new double[c.outChannels()][outLength];
        for (int o = 0; o < c.outChannels(); o++) {
            for (int q = 0; q < outLength; q++) {
                double s = bias[o];
                for (int i = 0; i < c.inChannels(); i++) {
                    for (int t = 0; t < c.kernel(); t++) {
                        int pos = q + t - c.padLeft();
                        if (pos >= 0 && pos < length) {
                            s += weight[(o * c.inChannels() + i) * c.kernel() + t] * in[i][pos];
                        }
                    }
                }
                out[o][q] = activate(s, c.activation());
            }
        }
        return out;
    }

    /** out[c][j] = max over in[c][j·stride − padLeft + r], r &lt; size, positions outside the input ignored (−∞). */
    static double[][] maxPool(double[][] in, Layer.MaxPool1d p) {
        int length = in[0].length;
        int outLength = p.outputLength(length);
        double[][] out = new double[in.length][outLength];
        for (int c = 0; c < in.length; c++) {
            for (int j = 0; j < outLength; j++) {
                double m = Double.NEGATIVE_INFINITY;
                for (int r = 0; r < p.size(); r++) {
                    int pos = j * p.stride() - p.padLeft() + r;
                    if (pos >= 0 && pos < length) {
                        m = Math.max(m, in[c][pos]);
                    }
                }
                out[c][j] = m;
            }
        }
        return out;
    }

    static double[] flatten(double[][] map, FlattenOrder order) {
        int channels = map.length;
        int length = map[0].length;
        double[] v = new double[channels * length];
        for (int c = 0; c < channels; c++) {
            for (int j = 0; j < length; j++) {
                v[order == FlattenOrder.CHANNEL_MAJOR ? c * length + j : j * channels + c] = map[c][j];
            }
        }
        return v;
    }

    static double[] dense(double[] x, Layer.Dense d, float[] weight, float[] bias) {
        double[] y = new double[d.outFeatures()];
        for (int o = 0; o < d.outFeatures(); o++) {
            double s = bias[o];
            for (int i = 0; i < d.inFeatures(); i++) {
                s += weight[o * d.inFeatures() + i] * x[i];
            }
            y[o] = activate(s, d.activation());
        }
        return y;
    }

    private static double activate(double v, Activation a) {
        return a == Activation.RELU ? Math.max(0, v) : v;
    }
}
