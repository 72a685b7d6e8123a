package dev.scep.formats.model;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/** Initial parameter values for an architecture. Stateless and thread-safe. */
public final class ParameterInit {
    private ParameterInit() {
    }

    /**
     * PyTorch's default initialisation of Conv1d and Linear: weights by kaiming_uniform(a = √5) and biases alike,
     * both U(−1/√fan_in, 1/√fan_in) with fan_in = in_channels × kernel (or in_features). Seeded, so reproducible.
     *
     * @param arch the architecture
     * @param seed the random seed; the same seed gives the same values
     * @return tensor name → tensor for every parameter ({@code <layer>.weight}, {@code <layer>.bias}), in the order of
     *         {@link Architecture#parameterShapes()}
     */
    public static Map<String, Tensor> pytorchDefault(Architecture arch, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (Layer layer : arch.layers()) {
            int fanIn;
            int[] weightShape;
            int outs;
            if (layer instanceof Layer.Conv1d c) {
                fanIn = c.inChannels() * c.kernel();
                weightShape = new int[]{c.outChannels(), c.inChannels(), c.kernel()};
                outs = c.outChannels();
            } else if (layer instanceof Layer.Dense d) {
                fanIn = d.inFeatures();
                weightShape = new int[]{d.outFeatures(), d.inFeatures()};
                outs = d.outFeatures();
            } else {
                continue;
            }
            double bound = 1.0 / Math.sqrt(fanIn);
            out.put(layer.name() + ".weight", Tensor.of(weightShape, uniform(rnd, (int) Tensor.elementCount(weightShape), bound)));
            out.put(layer.name() + ".bias", Tensor.of(new int[]{outs}, uniform(rnd, outs, bound)));
        }
        return out;
    }

    private static float[] uniform(SplittableRandom rnd, int n, double bound) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) rnd.nextDouble(-bound, bound);
        }
        return v;
    }
}
