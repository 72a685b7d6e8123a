package dev.scep.train.cpu;

import dev.scep.formats.model.Activation;
import dev.scep.formats.model.Architecture;
import dev.scep.formats.model.FlattenOrder;
import dev.scep.formats.model.Layer;
import dev.scep.formats.model.SequenceEncoding;
import dev.scep.runtime.BaseCodes;
import dev.scep.runtime.cpu.Kernels;
import dev.scep.runtime.network.PairTable;
import dev.scep.runtime.network.PoolGeometry;

import java.util.ArrayList;
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
 * Parameters are kept in PyTorch layouts ({@link Parameters}); {@link #pack} derives the layouts the kernels read
 * once per optimiser step. The network object is immutable; per-thread state lives in {@link Work}.
 */
public final class TrainingNetwork {
    private final Kernels kernels;
    private final Architecture architecture;
    private final SequenceEncoding encoding;
    private final int window;
    private final int halfLifeCount;
    // first block
    private final Layer.Conv1d conv1;
    private final int stride1;
    private final int groups1;
    private final PoolGeometry pool1;
    private final int positions1;
    // later blocks
    private final Block[] blocks;
    // head
    private final FlattenOrder flattenOrder;
    private final int finalChannels;
    private final int finalStride;
    private final int finalLength;
    private final int flatSize;
    private final DenseStep[] dense;
    private final int outputs;

    private record Block(Layer.Conv1d conv, int inPad, int outPad, int inLength, int convLength, PoolGeometry pool) {
        int depth() {
            return conv.kernel() * inPad;
        }

        int inputRows() {
            return conv.padLeft() + inLength + conv.padRight();
        }
    }

    private record DenseStep(Layer.Dense layer, int outPad, float dropout) {
    }

    public TrainingNetwork(Architecture architecture, SequenceEncoding encoding, int halfLifeCount, Kernels kernels) {
        this.kernels = kernels;
        this.architecture = architecture;
        this.encoding = encoding;
        this.window = encoding.windowLength();
        this.halfLifeCount = halfLifeCount;
        architecture.checkShapes(window, halfLifeCount);
        List<Layer.Conv1d> convs = architecture.convolutions();
        List<Layer.MaxPool1d> pools = architecture.pools();
        this.conv1 = convs.getFirst();
        if (conv1.inChannels() != 4) {
            throw new IllegalArgumentException("the first convolution must read the 4 base channels");
        }
        this.stride1 = Kernels.padChannels(conv1.outChannels());
        this.groups1 = PairTable.groups(conv1.kernel());
        this.positions1 = conv1.outputLength(window);
        this.pool1 = PoolGeometry.of(pools.getFirst(), positions1);
        this.blocks = new Block[convs.size() - 1];
        int length = pool1.outputLength();
        int inPad = stride1;
        for (int b = 1; b < convs.size(); b++) {
            Layer.Conv1d c = convs.get(b);
            int convLength = c.outputLength(length);
            blocks[b - 1] = new Block(c, inPad, Kernels.padChannels(c.outChannels()), length, convLength,
                    PoolGeometry.of(pools.get(b), convLength));
            length = blocks[b - 1].pool().outputLength();
            inPad = blocks[b - 1].outPad();
        }
        this.flattenOrder = architecture.flatten().order();
        this.finalChannels = convs.getLast().outChannels();
        this.finalStride = inPad;
        this.finalLength = length;
        this.flatSize = finalChannels * finalLength;
        List<DenseStep> steps = new ArrayList<>();
        List<Layer> layers = architecture.layers();
        for (int i = 0; i < layers.size(); i++) {
            if (layers.get(i) instanceof Layer.Dense d) {
                float rate = i + 1 < layers.size() && layers.get(i + 1) instanceof Layer.Dropout dr ? dr.rate() : 0f;
                steps.add(new DenseStep(d, Kernels.padChannels(d.outFeatures()), rate));
            }
        }
        this.dense = steps.toArray(DenseStep[]::new);
        this.outputs = architecture.outputCount();
        for (Block b : blocks) {
            if (b.conv().activation() != Activation.RELU && b.conv().activation() != Activation.NONE) {
                throw new IllegalArgumentException("unsupported activation " + b.conv().activation());
            }
        }
    }

    public Architecture architecture() {
        return architecture;
    }

    public SequenceEncoding encoding() {
        return encoding;
    }

    public int outputs() {
        return outputs;
    }

    public int halfLifeCount() {
        return halfLifeCount;
    }

    public int windowLength() {
        return window;
    }

    // ------------------------------------------------------------------------------------------- packed weights

    /** The weights in the layouts the kernels read, derived from the parameters after every step. */
    public final class Packed {
        final float[] table;
        final float[] bias1;
        final float[][] gemmB;
        final float[][] gemmBias;
        final float[][] wBack;
        final float[][] denseWT;
        final float[][] denseBias;
        final float[][] denseW;

        private Packed(Parameters p) {
            table = PairTable.build(p.get(conv1.name() + ".weight"), conv1.outChannels(), conv1.kernel(), stride1, encoding);
            bias1 = java.util.Arrays.copyOf(p.get(conv1.name() + ".bias"), stride1);
            gemmB = new float[blocks.length][];
            gemmBias = new float[blocks.length][];
            wBack = new float[blocks.length][];
            for (int b = 0; b < blocks.length; b++) {
                Block s = blocks[b];
                Layer.Conv1d c = s.conv();
                float[] w = p.get(c.name() + ".weight");
                float[] fwd = new float[s.depth() * s.outPad()];
                float[] back = new float[s.outPad() * s.depth()];
                for (int o = 0; o < c.outChannels(); o++) {
                    for (int i = 0; i < c.inChannels(); i++) {
                        for (int t = 0; t < c.kernel(); t++) {
                            float v = w[(o * c.inChannels() + i) * c.kernel() + t];
                            fwd[(t * s.inPad() + i) * s.outPad() + o] = v;
                            back[o * s.depth() + t * s.inPad() + i] = v;
                        }
                    }
                }
                gemmB[b] = fwd;
                wBack[b] = back;
                gemmBias[b] = java.util.Arrays.copyOf(p.get(c.name() + ".bias"), s.outPad());
            }
            denseWT = new float[dense.length][];
            denseBias = new float[dense.length][];
            denseW = new float[dense.length][];
            for (int i = 0; i < dense.length; i++) {
                Layer.Dense d = dense[i].layer();
                float[] w = p.get(d.name() + ".weight");
                float[] wt = new float[d.inFeatures() * dense[i].outPad()];
                for (int o = 0; o < d.outFeatures(); o++) {
                    for (int in = 0; in < d.inFeatures(); in++) {
                        wt[in * dense[i].outPad() + o] = w[o * d.inFeatures() + in];
                    }
                }
                denseWT[i] = wt;
                denseW[i] = w;
                denseBias[i] = java.util.Arrays.copyOf(p.get(d.name() + ".bias"), dense[i].outPad());
            }
        }
    }

    public Packed pack(Parameters p) {
        return new Packed(p);
    }

    // ------------------------------------------------------------------------------------------------ gradients

    /**
     * Gradient accumulators in the layouts the backward pass writes: the first convolution per tap and base code,
     * later convolutions output-major, dense layers in PyTorch layout. {@link #addTo} converts them.
     */
    public final class Gradients {
        final float[] column1 = new float[conv1.kernel() * 16 * stride1];
        final float[] bias1 = new float[stride1];
        final float[][] wBack = new float[blocks.length][];
        final float[][] gemmBias = new float[blocks.length][];
        final float[][] denseW = new float[dense.length][];
        final float[][] denseBias = new float[dense.length][];

        Gradients() {
            for (int b = 0; b < blocks.length; b++) {
                wBack[b] = new float[blocks[b].outPad() * blocks[b].depth()];
                gemmBias[b] = new float[blocks[b].outPad()];
            }
            for (int i = 0; i < dense.length; i++) {
                Layer.Dense d = dense[i].layer();
                denseW[i] = new float[d.outFeatures() * d.inFeatures()];
                denseBias[i] = new float[dense[i].outPad()];
            }
        }

        public void clear() {
            java.util.Arrays.fill(column1, 0);
            java.util.Arrays.fill(bias1, 0);
            for (float[] a : wBack) {
                java.util.Arrays.fill(a, 0);
            }
            for (float[] a : gemmBias) {
                java.util.Arrays.fill(a, 0);
            }
            for (float[] a : denseW) {
                java.util.Arrays.fill(a, 0);
            }
            for (float[] a : denseBias) {
                java.util.Arrays.fill(a, 0);
            }
        }

        /** Adds these accumulators, converted to parameter layouts, into {@code into}. */
        public void addTo(Parameters into) {
            float[] w1 = into.get(conv1.name() + ".weight");
            int[] bases = BaseCodes.channelBases(encoding);
            int k = conv1.kernel();
            for (int t = 0; t < k; t++) {
                for (int mask = 1; mask < 16; mask++) {
                    int row = (t * 16 + mask) * stride1;
                    for (int ch = 0; ch < 4; ch++) {
                        float v = (float) BaseCodes.channelValue(mask, bases[ch], encoding.ambiguity());
                        if (v == 0f) {
                            continue;
                        }
                        for (int o = 0; o < conv1.outChannels(); o++) {
                            w1[(o * 4 + ch) * k + t] += v * column1[row + o];
                        }
                    }
                }
            }
            add(into.get(conv1.name() + ".bias"), bias1);
            for (int b = 0; b < blocks.length; b++) {
                Block s = blocks[b];
                Layer.Conv1d c = s.conv();
                float[] w = into.get(c.name() + ".weight");
                for (int o = 0; o < c.outChannels(); o++) {
                    for (int i = 0; i < c.inChannels(); i++) {
                        for (int t = 0; t < c.kernel(); t++) {
                            w[(o * c.inChannels() + i) * c.kernel() + t] += wBack[b][o * s.depth() + t * s.inPad() + i];
                        }
                    }
                }
                add(into.get(c.name() + ".bias"), gemmBias[b]);
            }
            for (int i = 0; i < dense.length; i++) {
                Layer.Dense d = dense[i].layer();
                add(into.get(d.name() + ".weight"), denseW[i]);
                add(into.get(d.name() + ".bias"), denseBias[i]);
            }
        }

        /** Adds another thread's accumulators into these (same layouts). */
        public void add(Gradients other) {
            add(column1, other.column1);
            add(bias1, other.bias1);
            for (int b = 0; b < blocks.length; b++) {
                add(wBack[b], other.wBack[b]);
                add(gemmBias[b], other.gemmBias[b]);
            }
            for (int i = 0; i < dense.length; i++) {
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
        final byte[] codes = new byte[window + conv1.padLeft() + conv1.padRight()];
        final int[] offsets = new int[groups1 * positions1];
        /** pooled[b]: output of block b (b = 0 the look-up block), with the next block's zero padding rows. */
        final float[][] pooled = new float[blocks.length + 1][];
        final int[][] argmax = new int[blocks.length + 1][];
        final float[][] raw = new float[blocks.length][];
        final float[][] gPooled = new float[blocks.length + 1][];
        final float[] x = new float[flatSize + halfLifeCount];
        final float[] gx = new float[flatSize + halfLifeCount];
        final float[][] act = new float[dense.length][];
        final float[][] keep = new float[dense.length][];
        final float[][] g = new float[dense.length][];
        final float[] y = new float[outputs];

        Work() {
            for (int b = 0; b <= blocks.length; b++) {
                int rows = b < blocks.length ? blocks[b].inputRows() : finalLength;
                int stride = b == 0 ? stride1 : blocks[b - 1].outPad();
                int pooledLength = b == 0 ? pool1.outputLength() : blocks[b - 1].pool().outputLength();
                pooled[b] = new float[rows * stride];
                gPooled[b] = new float[rows * stride];
                argmax[b] = new int[pooledLength * stride];
            }
            for (int b = 0; b < blocks.length; b++) {
                raw[b] = new float[blocks[b].convLength() * blocks[b].outPad()];
            }
            for (int i = 0; i < dense.length; i++) {
                act[i] = new float[dense[i].outPad()];
                keep[i] = new float[dense[i].outPad()];
                g[i] = new float[dense[i].outPad()];
            }
        }

        /** Sets the window: base masks ({@link BaseCodes}), one per position, without padding. */
        public void setCodes(byte[] masks) {
            System.arraycopy(masks, 0, codes, conv1.padLeft(), window);
            PairTable.offsets(codes, conv1.kernel(), positions1, stride1, offsets);
        }

        /** The last forward pass's outputs (valid until the next call). */
        public float[] outputs() {
            return y;
        }
    }

    public Work newWork() {
        return new Work();
    }

    private int rowOffset(int b) {
        return b < blocks.length ? blocks[b].conv().padLeft() : 0;
    }


    // ---------------------------------------------------------------------------------------------- forward

    /**
     * Forward pass for the window set in {@code w}. With {@code dropout} non-null, dropout is applied with masks
     * drawn from it (training); with null, dropout is the identity (evaluation). Returns {@code w.outputs()}.
     */
    public float[] forward(Packed p, Work w, float[] halfLife, SplittableRandom dropout) {
        float[] target0 = w.pooled[0];
        kernels.tableConvPoolArgmax(p.table, groups1, stride1, w.offsets, positions1, pool1, 0, pool1.outputLength(),
                p.bias1, conv1.activation() == Activation.RELU, target0, rowOffset(0), w.argmax[0]);
        for (int b = 0; b < blocks.length; b++) {
            Block s = blocks[b];
            kernels.gemm(w.pooled[b], s.inPad(), s.depth(), p.gemmB[b], s.outPad(), 0, s.convLength(), w.raw[b]);
            poolWithArgmax(w.raw[b], s.outPad(), s.pool(), p.gemmBias[b], s.conv().activation() == Activation.RELU,
                    w.pooled[b + 1], rowOffset(b + 1), w.argmax[b + 1]);
        }
        float[] fm = w.pooled[blocks.length];
        float[] x = w.x;
        for (int j = 0; j < finalLength; j++) {
            for (int c = 0; c < finalChannels; c++) {
                x[flatIndex(c, j)] = fm[j * finalStride + c];
            }
        }
        System.arraycopy(halfLife, 0, x, flatSize, halfLifeCount);
        float[] in = x;
        for (int i = 0; i < dense.length; i++) {
            DenseStep d = dense[i];
            boolean relu = d.layer().activation() == Activation.RELU;
            kernels.dense(in, d.layer().inFeatures(), p.denseWT[i], d.outPad(), p.denseBias[i], relu, w.act[i]);
            float[] keep = w.keep[i];
            int n = d.layer().outFeatures();
            if (dropout != null && d.dropout() > 0f) {
                float scale = 1f / (1f - d.dropout());
                for (int o = 0; o < n; o++) {
                    keep[o] = dropout.nextDouble() < d.dropout() ? 0f : scale;
                    w.act[i][o] *= keep[o];
                }
            } else {
                java.util.Arrays.fill(keep, 0, n, 1f);
            }
            in = w.act[i];
        }
        System.arraycopy(w.act[dense.length - 1], 0, w.y, 0, outputs);
        return w.y;
    }

    private int flatIndex(int c, int j) {
        return flattenOrder == FlattenOrder.CHANNEL_MAJOR ? c * finalLength + j : j * finalChannels + c;
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
        for (int i = dense.length - 1; i >= 0; i--) {
            DenseStep d = dense[i];
            int n = d.layer().outFeatures();
            int inSize = d.layer().inFeatures();
            boolean relu = d.layer().activation() == Activation.RELU;
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
        float[] gFinal = w.gPooled[blocks.length];
        java.util.Arrays.fill(gFinal, 0f);
        for (int j = 0; j < finalLength; j++) {
            for (int c = 0; c < finalChannels; c++) {
                gFinal[j * finalStride + c] = w.gx[flatIndex(c, j)];
            }
        }
        // convolution blocks, last to first
        for (int b = blocks.length - 1; b >= 0; b--) {
            Block s = blocks[b];
            float[] gIn = w.gPooled[b];
            java.util.Arrays.fill(gIn, 0f);
            float[] gOutMap = w.gPooled[b + 1];
            float[] outMap = w.pooled[b + 1];
            int row0 = rowOffset(b + 1);
            boolean relu = s.conv().activation() == Activation.RELU;
            int n = s.outPad();
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
                    kernels.axpy(go, w.pooled[b], q * s.inPad(), grads.wBack[b], c * depth, depth);
                    kernels.axpy(go, p.wBack[b], c * depth, gIn, q * s.inPad(), depth);
                }
            }
        }
        // the look-up block: only the arg-max position of each pooled value carries gradient
        float[] g0 = w.gPooled[0];
        float[] out0 = w.pooled[0];
        int row0 = rowOffset(0);
        boolean relu1 = conv1.activation() == Activation.RELU;
        int k = conv1.kernel();
        int channels = conv1.outChannels();
        byte[] codes = w.codes;
        for (int j = 0; j < pool1.outputLength(); j++) {
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
                    grads.column1[(t * 16 + codes[q + t]) * stride1 + c] += go;
                }
            }
        }
    }
}
