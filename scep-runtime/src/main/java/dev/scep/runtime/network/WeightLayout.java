package dev.scep.runtime.network;

import dev.scep.formats.model.Layer;
import dev.scep.formats.model.SequenceEncoding;
import dev.scep.runtime.BaseCodes;

import java.util.Arrays;
import java.util.List;

/**
 * How a member's PyTorch-layout weights are rearranged for the CPU inner loops, and how the trainer's gradient
 * accumulators map back: every packed index formula of the network lives here, next to its inverse.
 * <ul>
 *   <li>first convolution: a pair table ({@link PairTable}); its gradient is accumulated per tap and base code
 *       ({@link #tapColumn}) and folded into the weights by {@link #addTapColumns};</li>
 *   <li>later convolutions: input-major for the forward GEMM ({@link PackedWeights#gemmWeights}), output-major for the
 *       trainer's backward pass ({@link #outputMajor}, and its gradient), by input channel for ISM's rank-one updates
 *       ({@link #byInputChannel});</li>
 *   <li>dense layers: transposed, outputs padded ({@link PackedWeights#denseTransposed}).</li>
 * </ul>
 * The GPU engine needs none of this: cuDNN reads the convolution weights as stored (KCRS with R = 1) and cuBLAS
 * transposes the dense weights in the product itself.
 */
public final class WeightLayout {
    private final NetworkShape shape;
    private final SequenceEncoding encoding;

    /** {@code encoding} gives the pair table's base channels and ambiguity weights. */
    public WeightLayout(NetworkShape shape, SequenceEncoding encoding) {
        this.shape = shape;
        this.encoding = encoding;
    }

    public NetworkShape shape() {
        return shape;
    }

    /** The weights every CPU engine reads, packed once per member (per optimiser step in training). */
    public PackedWeights pack(WeightSource w) {
        NetworkShape.LookupBlock first = shape.first();
        Layer.Conv1d c1 = first.conv();
        float[] table = PairTable.build(w.weight(c1), c1.outChannels(), c1.kernel(), first.outStride(), encoding);
        float[] bias1 = padded(w.bias(c1), first.outStride());
        List<NetworkShape.GemmBlock> blocks = shape.gemmBlocks();
        float[][] gemmWeights = new float[blocks.size()][];
        float[][] gemmBias = new float[blocks.size()][];
        for (int b = 0; b < blocks.size(); b++) {
            NetworkShape.GemmBlock s = blocks.get(b);
            gemmWeights[b] = inputMajor(s, w.weight(s.conv()));
            gemmBias[b] = padded(w.bias(s.conv()), s.outStride());
        }
        List<NetworkShape.DenseStep> dense = shape.dense();
        float[][] denseTransposed = new float[dense.size()][];
        float[][] denseBias = new float[dense.size()][];
        for (int i = 0; i < dense.size(); i++) {
            NetworkShape.DenseStep d = dense.get(i);
            denseTransposed[i] = transposed(d, w.weight(d.layer()));
            denseBias[i] = padded(w.bias(d.layer()), d.outStride());
        }
        return new PackedWeights(table, bias1, gemmWeights, gemmBias, denseTransposed, denseBias);
    }

    /** A copy of {@code v} zero-padded (or cut) to {@code n} values. */
    public static float[] padded(float[] v, int n) {
        return Arrays.copyOf(v, n);
    }

    /** w[o][i][t] in PyTorch's conv layout [out][in][k]. */
    private static int torchIndex(Layer.Conv1d c, int o, int i, int t) {
        return (o * c.inChannels() + i) * c.kernel() + t;
    }

    /** Where w[o][i][t] goes in a packed convolution layout. */
    @FunctionalInterface
    private interface ConvIndex {
        int of(int o, int i, int t);
    }

    /** {@code size} floats with w[o][i][t] at {@code index.of(o, i, t)}, zeros elsewhere (the padding channels). */
    private static float[] rearranged(Layer.Conv1d c, float[] w, int size, ConvIndex index) {
        float[] packed = new float[size];
        for (int o = 0; o < c.outChannels(); o++) {
            for (int i = 0; i < c.inChannels(); i++) {
                for (int t = 0; t < c.kernel(); t++) {
                    packed[index.of(o, i, t)] = w[torchIndex(c, o, i, t)];
                }
            }
        }
        return packed;
    }

    /** B[(t × inStride + i) × outStride + o] = w[o][i][t]: the forward GEMM's right-hand side. */
    private static float[] inputMajor(NetworkShape.GemmBlock s, float[] w) {
        return rearranged(s.conv(), w, s.depth() * s.outStride(), (o, i, t) -> (t * s.inStride() + i) * s.outStride() + o);
    }

    private static int outputMajorIndex(NetworkShape.GemmBlock s, int o, int i, int t) {
        return o * s.depth() + t * s.inStride() + i;
    }

    /**
     * [o × depth + t × inStride + i] = w[o][i][t]: per output channel, the depth floats that meet the padded input
     * rows an output reads, so the trainer's backward pass is one AXPY per pooled arg-max. Its weight gradient is
     * accumulated in the same layout ({@link #addOutputMajor}).
     */
    public static float[] outputMajor(NetworkShape.GemmBlock s, float[] w) {
        return rearranged(s.conv(), w, s.outStride() * s.depth(), (o, i, t) -> outputMajorIndex(s, o, i, t));
    }

    /** Adds a gradient accumulated in {@link #outputMajor}'s layout into {@code into} (PyTorch layout). */
    public static void addOutputMajor(NetworkShape.GemmBlock s, float[] packed, float[] into) {
        Layer.Conv1d c = s.conv();
        for (int o = 0; o < c.outChannels(); o++) {
            for (int i = 0; i < c.inChannels(); i++) {
                for (int t = 0; t < c.kernel(); t++) {
                    into[torchIndex(c, o, i, t)] += packed[outputMajorIndex(s, o, i, t)];
                }
            }
        }
    }

    /**
     * [(i × k + t) × outStride + o] = w[o][i][t]: for ISM, the outStride-wide row a changed input channel i adds at
     * tap t, so a changed pooled value updates each later output with one AXPY.
     */
    public static float[] byInputChannel(NetworkShape.GemmBlock s, float[] w) {
        Layer.Conv1d c = s.conv();
        return rearranged(c, w, c.inChannels() * c.kernel() * s.outStride(), (o, i, t) -> byInputChannelRow(s, i, t) + o);
    }

    /** Where input channel i's row for tap t starts in {@link #byInputChannel}'s layout. */
    public static int byInputChannelRow(NetworkShape.GemmBlock s, int i, int t) {
        return (i * s.conv().kernel() + t) * s.outStride();
    }

    /** wT[in × outStride + o] = w[o][in]: the dense kernel reads one input's outputs contiguously. */
    private static float[] transposed(NetworkShape.DenseStep d, float[] w) {
        float[] t = new float[d.in() * d.outStride()];
        for (int o = 0; o < d.out(); o++) {
            for (int in = 0; in < d.in(); in++) {
                t[in * d.outStride() + o] = w[o * d.in() + in];
            }
        }
        return t;
    }

    /**
     * The first convolution's gradient accumulator: per tap and 4-bit base code, a column of the first block's
     * outStride floats; this is where column (tap, code) starts. A pooled arg-max adds its upstream gradient to the
     * columns its bases select, so the backward pass never expands the one-hot input.
     */
    public static int tapColumn(int tap, int code, int stride) {
        return (tap * 16 + code) * stride;
    }

    /** Floats of the first convolution's gradient accumulator ({@link #tapColumn}). */
    public int tapColumnsLength() {
        NetworkShape.LookupBlock first = shape.first();
        return first.conv().kernel() * 16 * first.outStride();
    }

    /** Adds the tap-column accumulator, as weights of the encoding's one-hot channels, into {@code into} ([out][4][k]). */
    public void addTapColumns(float[] columns, float[] into) {
        NetworkShape.LookupBlock first = shape.first();
        Layer.Conv1d c1 = first.conv();
        int[] bases = BaseCodes.channelBases(encoding);
        int k = c1.kernel();
        for (int t = 0; t < k; t++) {
            for (int mask = 1; mask < 16; mask++) {
                int row = tapColumn(t, mask, first.outStride());
                for (int ch = 0; ch < 4; ch++) {
                    float v = (float) BaseCodes.channelValue(mask, bases[ch], encoding.ambiguity());
                    if (v == 0f) {
                        continue;
                    }
                    for (int o = 0; o < c1.outChannels(); o++) {
                        into[torchIndex(c1, o, ch, t)] += v * columns[row + o];
                    }
                }
            }
        }
    }
}
