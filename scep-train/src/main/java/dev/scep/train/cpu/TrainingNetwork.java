package dev.scep.train.cpu;

import dev.scep.formats.model.Architecture;
import dev.scep.formats.model.Layer;
import dev.scep.formats.model.SequenceEncoding;
import dev.scep.runtime.BaseCodes;
import dev.scep.runtime.cpu.Kernels;
import dev.scep.runtime.network.NetworkShape;
import dev.scep.runtime.network.PackedWeights;
import dev.scep.runtime.network.PairTable;
import dev.scep.runtime.network.PoolGeometry;
import dev.scep.runtime.network.WeightLayout;
import dev.scep.runtime.network.WeightSource;

import java.util.List;
import java.util.SplittableRandom;

/**
 * Forward and backward passes of a scEP-family network for training, one sequence at a time (DESIGN §4):
 * <ul>
 *   <li>the first convolution is a table look-up over the base codes (no one-hot tensor), fused with max pooling,
 *       and records the arg-max of each pooled value; its backward pass touches only those arg-max positions,
 *       accumulating into per-tap, per-base-code columns that become the weight gradient once per batch;</li>
 *   <li>later convolutions are one matrix product each forward; backward, only the conv outputs that won their
 *       pool window carry gradient, so weight and input gradients are a few hundred vector AXPYs;</li>
 *   <li>dense layers skip zero inputs and zero gradients.</li>
 * </ul>
 * Shapes come from {@link NetworkShape}. Parameters are kept in PyTorch layouts ({@link Parameters}); {@link #pack}
 * derives the layouts the kernels read ({@link WeightLayout}) once per optimiser step. The network object is
 * immutable; per-thread state lives in {@link Work}.
 */
public final class TrainingNetwork {
    private final Kernels kernels;
    private final Architecture architecture;
    private final SequenceEncoding encoding;
    private final NetworkShape shape;
    private final WeightLayout layout;
    // read in every forward and backward pass
    private final NetworkShape.LookupBlock first;
    private final List<NetworkShape.GemmBlock> blocks;
    private final List<NetworkShape.DenseStep> dense;

    public TrainingNetwork(Architecture architecture, SequenceEncoding encoding, int halfLifeCount, Kernels kernels) {
        this.kernels = kernels;
        this.architecture = architecture;
        this.encoding = encoding;
        this.shape = new NetworkShape(architecture, encoding.windowLength(), halfLifeCount);
        this.layout = new WeightLayout(shape, encoding);
        this.first = shape.first();
        this.blocks = shape.gemmBlocks();
        this.dense = shape.dense();
    }

    public Architecture architecture() {
        return architecture;
    }

    public SequenceEncoding encoding() {
        return encoding;
    }

    public int outputs() {
        return shape.outputs();
    }

    public int halfLifeCount() {
        return shape.halfLifeCount();
    }

    public int windowLength() {
        return shape.window();
    }

    // ------------------------------------------------------------------------------------------- packed weights

    /**
     * The weights in the layouts the kernels read, derived from the parameters after every step: the forward layouts
     * every CPU engine reads, the later convolutions output-major for the backward pass, and the dense weights as the
     * parameters hold them (the backward pass reads their rows).
     */
    public final class Packed {
        final PackedWeights forward;
        final float[][] wBack;
        final float[][] denseW;

        private Packed(Parameters p) {
            WeightSource source = p::get;
            forward = layout.pack(source);
            wBack = new float[blocks.size()][];
            for (int b = 0; b < blocks.size(); b++) {
                wBack[b] = WeightLayout.outputMajor(blocks.get(b), source.weight(blocks.get(b).conv()));
            }
            denseW = new float[dense.size()][];
            for (int i = 0; i < dense.size(); i++) {
                denseW[i] = source.weight(dense.get(i).layer());
            }
        }
    }

    public Packed pack(Parameters p) {
        return new Packed(p);
    }

    // ------------------------------------------------------------------------------------------------ gradients

    /**
     * Gradient accumulators in the layouts the backward pass writes ({@link WeightLayout}): the first convolution per
     * tap and base code, later convolutions output-major, dense layers in PyTorch layout. {@link #addTo} converts them.
     */
    public final class Gradients {
        final float[] column1 = new float[layout.tapColumnsLength()];
        final float[] bias1 = new float[first.outStride()];
        final float[][] wBack = new float[blocks.size()][];
        final float[][] gemmBias = new float[blocks.size()][];
        final float[][] denseW = new float[dense.size()][];
        final float[][] denseBias = new float[dense.size()][];

        Gradients() {
            for (int b = 0; b < blocks.size(); b++) {
                wBack[b] = new float[blocks.get(b).outStride() * blocks.get(b).depth()];
                gemmBias[b] = new float[blocks.get(b).outStride()];
            }
            for (int i = 0; i < dense.size(); i++) {
                NetworkShape.DenseStep d = dense.get(i);
                denseW[i] = new float[d.out() * d.in()];
                denseBias[i] = new float[d.outStride()];
            }
        }

        public void clear() {
            java.util.Arrays.fill(column1, 0);
            java.util.Arrays.fill(bias1, 0);
            for (float[][] group : new float[][][]{wBack, gemmBias, denseW, denseBias}) {
                for (float[] a : group) {
                    java.util.Arrays.fill(a, 0);
                }
            }
        }

        /** Adds these accumulators, converted to parameter layouts, into {@code into}. */
        public void addTo(Parameters into) {
            WeightSource target = into::get;
            layout.addTapColumns(column1, target.weight(first.conv()));
            add(target.bias(first.conv()), bias1);
            for (int b = 0; b < blocks.size(); b++) {
                NetworkShape.GemmBlock s = blocks.get(b);
                WeightLayout.addOutputMajor(s, wBack[b], target.weight(s.conv()));
                add(target.bias(s.conv()), gemmBias[b]);
            }
            for (int i = 0; i < dense.size(); i++) {
                Layer.Dense d = dense.get(i).layer();
                add(target.weight(d), denseW[i]);
                add(target.bias(d), denseBias[i]);
            }
        }

        /** Adds another thread's accumulators into these (same layouts). */
        public void add(Gradients other) {
            add(column1, other.column1);
            add(bias1, other.bias1);
            for (int b = 0; b < blocks.size(); b++) {
                add(wBack[b], other.wBack[b]);
                add(gemmBias[b], other.gemmBias[b]);
            }
            for (int i = 0; i < dense.size(); i++) {
                add(denseW[i], other.denseW[i]);
                add(denseBias[i], other.denseBias[i]);
            }
        }

        private static void add(float[] into, float[] from) {
            for (int i = 0; i < into.length && i < from.length; i++) {
                into[i] += from[i];
            }
        }
    }

    public Gradients newGradients() {
        return new Gradients();
    }

    // ------------------------------------------------------------------------------------------- per-thread work

    /** Per-thread activations and gradient scratch for one sequence at a time. */
    public final class Work {
        final byte[] codes = new byte[first.paddedInputLength()];
        final int[] offsets = new int[first.groups() * first.convLength()];
        /** pooled[b]: output of block b (b = 0 the look-up block), with the next block's zero padding rows. */
        final float[][] pooled = new float[blocks.size() + 1][];
        final int[][] argmax = new int[blocks.size() + 1][];
        final float[][] raw = new float[blocks.size()][];
        final float[][] gPooled = new float[blocks.size() + 1][];
        final float[] x = new float[shape.denseInputs()];
        final float[] gx = new float[shape.denseInputs()];
        final float[][] act = new float[dense.size()][];
        final float[][] keep = new float[dense.size()][];
        final float[][] g = new float[dense.size()][];
        final float[] y = new float[shape.outputs()];

        Work() {
            for (int b = 0; b <= blocks.size(); b++) {
                NetworkShape.ConvBlock block = shape.blocks().get(b);
                pooled[b] = new float[block.outRows() * block.outStride()];
                gPooled[b] = new float[block.outRows() * block.outStride()];
                argmax[b] = new int[block.pool().outputLength() * block.outStride()];
            }
            for (int b = 0; b < blocks.size(); b++) {
                raw[b] = new float[blocks.get(b).convLength() * blocks.get(b).outStride()];
            }
            for (int i = 0; i < dense.size(); i++) {
                act[i] = new float[dense.get(i).outStride()];
                keep[i] = new float[dense.get(i).outStride()];
                g[i] = new float[dense.get(i).outStride()];
            }
        }

        /** Sets the window: base masks ({@link BaseCodes}), one per position, without padding. */
        public void setCodes(byte[] masks) {
            System.arraycopy(masks, 0, codes, first.conv().padLeft(), shape.window());
            PairTable.offsets(codes, first.conv().kernel(), first.convLength(), first.outStride(), offsets);
        }

        /** The last forward pass's outputs (valid until the next call). */
        public float[] outputs() {
            return y;
        }
    }

    public Work newWork() {
        return new Work();
    }

    // ---------------------------------------------------------------------------------------------- forward

    /**
     * Forward pass for the window set in {@code w}. With {@code dropout} non-null, dropout is applied with masks
     * drawn from it (training); with null, dropout is the identity (evaluation). Returns {@code w.outputs()}.
     */
    public float[] forward(Packed p, Work w, float[] halfLife, SplittableRandom dropout) {
        PackedWeights pw = p.forward;
        kernels.tableConvPoolArgmax(pw.pairTable(), first.groups(), first.outStride(), w.offsets, first.convLength(),
                first.pool(), 0, first.pool().outputLength(), pw.conv1Bias(), first.relu(), w.pooled[0], first.outRow0(),
                w.argmax[0]);
        for (int b = 0; b < blocks.size(); b++) {
            NetworkShape.GemmBlock s = blocks.get(b);
            kernels.gemm(w.pooled[b], s.inStride(), s.depth(), pw.gemmWeights()[b], s.outStride(), 0, s.convLength(), w.raw[b]);
            poolWithArgmax(w.raw[b], s.outStride(), s.pool(), pw.gemmBias()[b], s.relu(), w.pooled[b + 1], s.outRow0(),
                    w.argmax[b + 1]);
        }
        float[] x = w.x;
        shape.flatten(w.pooled[blocks.size()], x);
        System.arraycopy(halfLife, 0, x, shape.flatSize(), shape.halfLifeCount());
        float[] in = x;
        for (int i = 0; i < dense.size(); i++) {
            NetworkShape.DenseStep d = dense.get(i);
            kernels.dense(in, d.in(), pw.denseTransposed()[i], d.outStride(), pw.denseBias()[i], d.relu(), w.act[i]);
            float[] keep = w.keep[i];
            int n = d.out();
            drawDropout(d, dropout, keep, 0);
            if (dropout != null && d.dropout() > 0f) {
                for (int o = 0; o < n; o++) {
                    w.act[i][o] *= keep[o];
                }
            }
            in = w.act[i];
        }
        System.arraycopy(w.act[dense.size() - 1], 0, w.y, 0, w.y.length);
        return w.y;
    }

    /**
     * A sample's dropout factors for dense layer {@code d}: each output kept with probability 1 - rate and then scaled
     * by 1 / (1 - rate), drawn from {@code random} in output order (one draw per output, only for a layer with
     * dropout); 1 everywhere when {@code random} is null (evaluation) or the layer has no dropout. Every engine draws
     * a sample's layers in order from the sample's generator ({@link Trainer#dropoutRandom}), so the CPU and the GPU
     * drop the same units.
     *
     * @param d      the layer
     * @param random the sample's generator, or null
     * @param keep   receives {@code d.out()} factors
     * @param offset where in {@code keep}
     */
    public static void drawDropout(NetworkShape.DenseStep d, SplittableRandom random, float[] keep, int offset) {
        int n = d.out();
        if (random != null && d.dropout() > 0f) {
            float scale = 1f / (1f - d.dropout());
            for (int o = 0; o < n; o++) {
                keep[offset + o] = random.nextDouble() < d.dropout() ? 0f : scale;
            }
        } else {
            java.util.Arrays.fill(keep, offset, offset + n, 1f);
        }
    }

    /**
     * A layer's activations from the last forward pass in {@code w}, in the GPU's layout, for the layer-by-layer
     * checks: a convolution block's pooled map channel by channel ({@code channels × length}, after bias and
     * activation), or a dense layer's outputs (after activation and dropout).
     *
     * @param w     the work area of the last forward pass
     * @param layer a convolution's or a dense layer's name
     * @return the values
     */
    public float[] activations(Work w, String layer) {
        for (int b = 0; b < shape.blocks().size(); b++) {
            NetworkShape.ConvBlock block = shape.blocks().get(b);
            if (block.conv().name().equals(layer)) {
                int channels = block.conv().outChannels();
                int length = block.pool().outputLength();
                float[] out = new float[channels * length];
                for (int c = 0; c < channels; c++) {
                    for (int j = 0; j < length; j++) {
                        out[c * length + j] = w.pooled[b][(block.outRow0() + j) * block.outStride() + c];
                    }
                }
                return out;
            }
        }
        for (int i = 0; i < dense.size(); i++) {
            if (dense.get(i).layer().name().equals(layer)) {
                return java.util.Arrays.copyOf(w.act[i], dense.get(i).out());
            }
        }
        throw new IllegalArgumentException("no convolution or dense layer named " + layer);
    }

    /** The dense steps, in order. */
    public List<NetworkShape.DenseStep> denseSteps() {
        return dense;
    }

    /** Max pooling over conv rows with bias and activation, recording the first arg-max (PyTorch's tie rule). */
    private static void poolWithArgmax(float[] raw, int n, PoolGeometry pool, float[] bias, boolean relu, float[] out,
                                       int outRow0, int[] argmax) {
        for (int j = 0; j < pool.outputLength(); j++) {
            int qs = pool.start(j);
            int qe = pool.end(j);
            int o = (outRow0 + j) * n;
            for (int c = 0; c < n; c++) {
                float m = raw[qs * n + c];
                int at = qs;
                for (int q = qs + 1; q < qe; q++) {
                    float v = raw[q * n + c];
                    if (v > m) {
                        m = v;
                        at = q;
                    }
                }
                argmax[j * n + c] = at;
                float v = m + bias[c];
                out[o + c] = relu ? Math.max(0f, v) : v;
            }
        }
    }

    // --------------------------------------------------------------------------------------------- backward

    /**
     * Backward pass for the last forward pass in {@code w}, given dLoss/dOutput in {@code gy}; adds every
     * parameter's gradient into {@code grads}. The parameters must be the ones {@code p} was packed from.
     */
    public void backward(Packed p, Work w, float[] gy, Gradients grads) {
        // dense layers, last to first
        float[] gOut = gy;
        for (int i = dense.size() - 1; i >= 0; i--) {
            NetworkShape.DenseStep d = dense.get(i);
            int n = d.out();
            int inSize = d.in();
            boolean relu = d.relu();
            float[] g = w.g[i];
            for (int o = 0; o < n; o++) {
                // act holds the value after activation and dropout; a zero means no gradient passes
                float v = gOut[o] * w.keep[i][o];
                g[o] = relu && w.act[i][o] <= 0f ? 0f : v;
            }
            float[] in = i == 0 ? w.x : w.act[i - 1];
            float[] gIn = i == 0 ? w.gx : w.g[i - 1];
            java.util.Arrays.fill(gIn, 0, inSize, 0f);
            float[] wt = p.denseW[i];
            for (int o = 0; o < n; o++) {
                float go = g[o];
                if (go == 0f) {
                    continue;
                }
                grads.denseBias[i][o] += go;
                kernels.axpy(go, in, 0, grads.denseW[i], o * inSize, inSize);
                kernels.axpy(go, wt, o * inSize, gIn, 0, inSize);
            }
            gOut = gIn;
        }
        // un-flatten into the last pooled map's gradient
        float[] gFinal = w.gPooled[blocks.size()];
        java.util.Arrays.fill(gFinal, 0f);
        shape.unflatten(w.gx, gFinal);
        // convolution blocks, last to first
        for (int b = blocks.size() - 1; b >= 0; b--) {
            NetworkShape.GemmBlock s = blocks.get(b);
            float[] gIn = w.gPooled[b];
            java.util.Arrays.fill(gIn, 0f);
            float[] gOutMap = w.gPooled[b + 1];
            float[] outMap = w.pooled[b + 1];
            int row0 = s.outRow0();
            boolean relu = s.relu();
            int n = s.outStride();
            int outChannels = s.conv().outChannels();
            int depth = s.depth();
            for (int j = 0; j < s.pool().outputLength(); j++) {
                int o = (row0 + j) * n;
                for (int c = 0; c < outChannels; c++) {
                    float go = gOutMap[o + c];
                    if (go == 0f || (relu && outMap[o + c] <= 0f)) {
                        continue;
                    }
                    grads.gemmBias[b][c] += go;
                    int q = w.argmax[b + 1][j * n + c];
                    // conv output q read padded input rows q .. q + k − 1: depth contiguous floats
                    kernels.axpy(go, w.pooled[b], q * s.inStride(), grads.wBack[b], c * depth, depth);
                    kernels.axpy(go, p.wBack[b], c * depth, gIn, q * s.inStride(), depth);
                }
            }
        }
        // the look-up block: only the arg-max position of each pooled value carries gradient
        float[] g0 = w.gPooled[0];
        float[] out0 = w.pooled[0];
        int row0 = first.outRow0();
        int stride1 = first.outStride();
        boolean relu1 = first.relu();
        int k = first.conv().kernel();
        int channels = first.conv().outChannels();
        byte[] codes = w.codes;
        for (int j = 0; j < first.pool().outputLength(); j++) {
            int o = (row0 + j) * stride1;
            int a = j * stride1;
            for (int c = 0; c < channels; c++) {
                float go = g0[o + c];
                if (go == 0f || (relu1 && out0[o + c] <= 0f)) {
                    continue;
                }
                grads.bias1[c] += go;
                int q = w.argmax[0][a + c];
                for (int t = 0; t < k; t++) {
                    grads.column1[WeightLayout.tapColumn(t, codes[q + t], stride1) + c] += go;
                }
            }
        }
    }
}
