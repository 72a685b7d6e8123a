package dev.scep.runtime.cpu;

import dev.scep.runtime.network.PairTable;
import dev.scep.runtime.network.PoolGeometry;
import dev.scep.formats.model.Activation;
import dev.scep.formats.model.Architecture;
import dev.scep.formats.model.FlattenOrder;
import dev.scep.formats.model.Layer;
import dev.scep.formats.model.ScepModel;
import dev.scep.formats.model.Tensor;
import dev.scep.runtime.BaseCodes;

import java.util.List;
import java.util.Map;

/**
 * The fast CPU forward pass (DESIGN §4):
 * <ul>
 *   <li>the first convolution reads tables of summed weight columns for pairs of bases ({@link PairTable}; no
 *       one-hot input at all), fused with max pooling; bias and ReLU are applied once per pooled value, which is
 *       exact because both are monotone;</li>
 *   <li>later convolutions are one matrix product each: on a zero-padded position-major map, the k rows an output
 *       position reads are contiguous, so im2col costs nothing;</li>
 *   <li>dense layers skip zero inputs (many, after ReLU).</li>
 * </ul>
 * Weights are packed once per ensemble member in the layouts the kernels read. Instances are immutable and
 * thread-safe; per-call state lives in {@link Buffers}.
 */
public final class FastForward {
    private final Kernels kernels;
    private final int window;
    // first block
    private final int kernel1;
    private final int pad1Left;
    private final int pad1Right;
    private final int channels1;          // padded
    private final PoolGeometry pool1;
    private final boolean relu1;
    // later convolution blocks
    private final BlockShape[] blocks;
    // head
    private final FlattenOrder flattenOrder;
    private final int finalChannels;      // real
    private final int finalStride;        // padded
    private final int finalLength;
    private final int flatSize;
    private final int halfLifeCount;
    private final DenseShape[] dense;
    private final int outputs;
    private final Member[] members;

    /** A GEMM block: its input is the previous pooled map ({@code inputLength} rows), zero-padded on both sides. */
    private record BlockShape(int inChannelsPadded, int outChannelsPadded, int kernel, int padLeft, int padRight,
                              int inputLength, PoolGeometry pool, boolean relu) {
        int depth() {
            return kernel * inChannelsPadded;
        }

        int inputRows() {
            return padLeft + inputLength + padRight;
        }
    }

    private record DenseShape(int in, int outPadded, int out, boolean relu) {
    }

    private record Member(float[] table, float[] bias1, float[][] gemmWeights, float[][] gemmBias, float[][] denseWT,
                          float[][] denseBias) {
    }

    /**
     * About how many bytes one thread's activation buffers take for {@code model} (every ensemble member's padded
     * input and output maps of each convolution), for checking that a number of threads fits before making them.
     */
    public static long bufferBytes(ScepModel model) {
        long floats = 0;
        long length = model.windowLength();
        for (dev.scep.formats.model.Layer l : model.architecture().layers()) {
            if (l instanceof dev.scep.formats.model.Layer.Conv1d c) {
                long in = length + c.padLeft() + c.padRight();
                length = c.outputLength(length);
                floats += in * Kernels.padChannels(c.inChannels()) + length * Kernels.padChannels(c.outChannels());
            } else if (l instanceof dev.scep.formats.model.Layer.MaxPool1d p) {
                length = p.outputLength(length);
            }
        }
        return dev.scep.formats.Memory.times(floats, (long) Float.BYTES * model.members().size()) + 2L * model.windowLength();
    }

    public FastForward(ScepModel model, Kernels kernels) {
        this.kernels = kernels;
        Architecture arch = model.architecture();
        this.window = model.windowLength();
        List<Layer.Conv1d> convs = arch.convolutions();
        List<Layer.MaxPool1d> pools = arch.pools();
        Layer.Conv1d c1 = convs.getFirst();
        this.kernel1 = c1.kernel();
        this.pad1Left = c1.padLeft();
        this.pad1Right = c1.padRight();
        this.channels1 = Kernels.padChannels(c1.outChannels());
        int conv1Length = c1.outputLength(window);
        this.pool1 = PoolGeometry.of(pools.getFirst(), conv1Length);
        this.relu1 = c1.activation() == Activation.RELU;
        this.blocks = new BlockShape[convs.size() - 1];
        int length = pool1.outputLength();
        int inPadded = channels1;
        for (int b = 1; b < convs.size(); b++) {
            Layer.Conv1d c = convs.get(b);
            int convLength = c.outputLength(length);
            blocks[b - 1] = new BlockShape(inPadded, Kernels.padChannels(c.outChannels()), c.kernel(), c.padLeft(),
                    c.padRight(), length, PoolGeometry.of(pools.get(b), convLength), c.activation() == Activation.RELU);
            length = blocks[b - 1].pool().outputLength();
            inPadded = blocks[b - 1].outChannelsPadded();
        }
        this.flattenOrder = arch.flatten().order();
        this.finalChannels = convs.getLast().outChannels();
        this.finalStride = inPadded;
        this.finalLength = length;
        this.flatSize = finalChannels * finalLength;
        this.halfLifeCount = model.halfLifeFeatures().size();
        List<Layer.Dense> denseLayers = arch.denseLayers();
        this.dense = new DenseShape[denseLayers.size()];
        for (int i = 0; i < dense.length; i++) {
            Layer.Dense d = denseLayers.get(i);
            dense[i] = new DenseShape(d.inFeatures(), Kernels.padChannels(d.outFeatures()), d.outFeatures(),
                    d.activation() == Activation.RELU);
        }
        this.outputs = arch.outputCount();
        this.members = new Member[model.members().size()];
        for (int m = 0; m < members.length; m++) {
            members[m] = pack(model, model.members().get(m), convs, denseLayers);
        }
    }

    private Member pack(ScepModel model, Map<String, Tensor> w, List<Layer.Conv1d> convs, List<Layer.Dense> denseLayers) {
        Layer.Conv1d c1 = convs.getFirst();
        float[] table = PairTable.build(w.get(c1.name() + ".weight").toArray(), c1.outChannels(), kernel1, channels1,
                model.encoding());
        float[] bias1 = padded(w.get(c1.name() + ".bias").toArray(), channels1);
        float[][] gw = new float[blocks.length][];
        float[][] gb = new float[blocks.length][];
        for (int b = 0; b < blocks.length; b++) {
            Layer.Conv1d c = convs.get(b + 1);
            BlockShape s = blocks[b];
            float[] wt = w.get(c.name() + ".weight").toArray();
            // B[(t × Cin_padded + i) × Cout_padded + o] = w[o][i][t]
            float[] packed = new float[s.depth() * s.outChannelsPadded()];
            for (int o = 0; o < c.outChannels(); o++) {
                for (int i = 0; i < c.inChannels(); i++) {
                    for (int t = 0; t < c.kernel(); t++) {
                        packed[(t * s.inChannelsPadded() + i) * s.outChannelsPadded() + o] = wt[(o * c.inChannels() + i) * c.kernel() + t];
                    }
                }
            }
            gw[b] = packed;
            gb[b] = padded(w.get(c.name() + ".bias").toArray(), s.outChannelsPadded());
        }
        float[][] dw = new float[dense.length][];
        float[][] db = new float[dense.length][];
        for (int i = 0; i < dense.length; i++) {
            Layer.Dense d = denseLayers.get(i);
            DenseShape s = dense[i];
            float[] wt = w.get(d.name() + ".weight").toArray();
            float[] tr = new float[s.in() * s.outPadded()];
            for (int o = 0; o < s.out(); o++) {
                for (int in = 0; in < s.in(); in++) {
                    tr[in * s.outPadded() + o] = wt[o * s.in() + in];
                }
            }
            dw[i] = tr;
            db[i] = padded(w.get(d.name() + ".bias").toArray(), s.outPadded());
        }
        return new Member(table, bias1, gw, gb, dw, db);
    }

    private static float[] padded(float[] v, int n) {
        return java.util.Arrays.copyOf(v, n);
    }

    public String kernelsName() {
        return kernels.name();
    }

    /** Per-call working memory; reusable across calls, not shareable between concurrent calls. */
    public final class Buffers {
        final byte[] codes = new byte[window + pad1Left + pad1Right];
        /** Table row offsets of the current window (see {@link PairTable#offsets}), shared by all members. */
        final int[] offsets = new int[PairTable.groups(kernel1) * pool1.inputLength()];
        final float[][][] maps = new float[members.length][blocks.length][];   // [member][block]
        final float[][] finalMap = new float[members.length][];
        final float[][] raw;
        final float[] x = new float[flatSize + halfLifeCount];
        final float[][] denseOut = new float[dense.length][];

        Buffers(int parts) {
            for (int m = 0; m < members.length; m++) {
                for (int b = 0; b < blocks.length; b++) {
                    maps[m][b] = new float[blocks[b].inputRows() * blocks[b].inChannelsPadded()];
                }
                finalMap[m] = new float[finalLength * finalStride];
            }
            raw = new float[parts][];
            int maxRaw = 0;
            for (BlockShape s : blocks) {
                maxRaw = Math.max(maxRaw, s.pool().inputLength() * s.outChannelsPadded());
            }
            for (int i = 0; i < parts; i++) {
                raw[i] = new float[maxRaw];
            }
            for (int i = 0; i < dense.length; i++) {
                denseOut[i] = new float[dense[i].outPadded()];
            }
        }

        /** Encodes a window into these buffers (validating length and characters). */
        public void setWindow(byte[] ascii) {
            BaseCodes.encode(ascii, window, codes, pad1Left);
            PairTable.offsets(codes, kernel1, pool1.inputLength(), channels1, offsets);
        }
    }

    /** Buffers for calls that split one sequence into {@code parts} parallel pieces. */
    public Buffers newBuffers(int parts) {
        return new Buffers(parts);
    }

    /** Runs {@code body(part)} for part in [0, parts); implementations may run parts concurrently. */
    @FunctionalInterface
    public interface PartRunner {
        void run(int parts, java.util.function.IntConsumer body);
    }

    private static final PartRunner SEQUENTIAL = (parts, body) -> {
        for (int i = 0; i < parts; i++) {
            body.accept(i);
        }
    };

    /** Raw (z-scored) outputs averaged over the ensemble, for the window set in {@code buf}, on the calling thread. */
    public void forward(Buffers buf, float[] halfLife, double[] out) {
        forward(buf, halfLife, out, 1, SEQUENTIAL);
    }

    /**
     * Raw (z-scored) outputs averaged over the ensemble. The convolution part is split into {@code parts} slices
     * of the last pooled map, run by {@code runner} (possibly in parallel; {@code buf} must have been made for at
     * least that many parts). Each slice computes exactly the upstream rows it needs, recomputing the few rows
     * at slice edges, so the parts never wait for each other: one fork and one join per window.
     */
    public void forward(Buffers buf, float[] halfLife, double[] out, int parts, PartRunner runner) {
        int[] offsets = buf.offsets;
        runner.run(parts, part -> {
            int[][] ranges = ranges(part, parts);
            for (int m = 0; m < members.length; m++) {
                convolutions(members[m], buf.maps[m], buf.finalMap[m], offsets, ranges, buf.raw[part]);
            }
        });
        java.util.Arrays.fill(out, 0, outputs, 0);
        for (int m = 0; m < members.length; m++) {
            head(members[m], buf, buf.finalMap[m], halfLife);
            float[] y = buf.denseOut[dense.length - 1];
            for (int o = 0; o < outputs; o++) {
                out[o] += y[o];
            }
        }
        for (int o = 0; o < outputs; o++) {
            out[o] /= members.length;
        }
    }

    /**
     * Pooled windows [from, to) each convolution block must produce for slice {@code part} of the last pooled map:
     * ranges[0] for the look-up block, ranges[b + 1] for GEMM block b.
     */
    private int[][] ranges(int part, int parts) {
        int[][] r = new int[blocks.length + 1][];
        int last = blocks.length == 0 ? pool1.outputLength() : blocks[blocks.length - 1].pool().outputLength();
        r[blocks.length] = new int[]{split(last, parts, part), split(last, parts, part + 1)};
        for (int b = blocks.length - 1; b >= 0; b--) {
            BlockShape s = blocks[b];
            int j0 = r[b + 1][0];
            int j1 = r[b + 1][1];
            if (j0 >= j1) {
                r[b] = new int[]{0, 0};
                continue;
            }
            // conv positions [p0, p1) read padded input rows [p0, p1 - 1 + k), i.e. pooled rows shifted by padLeft
            int p0 = s.pool().start(j0);
            int p1 = s.pool().end(j1 - 1);
            r[b] = new int[]{Math.max(0, p0 - s.padLeft()), Math.min(s.inputLength(), p1 - 1 + s.kernel() - s.padLeft())};
        }
        return r;
    }

    private void convolutions(Member m, float[][] maps, float[] finalMap, int[] offsets, int[][] ranges, float[] raw) {
        float[] target0 = blocks.length > 0 ? maps[0] : finalMap;
        int row0 = blocks.length > 0 ? blocks[0].padLeft() : 0;
        if (ranges[0][0] < ranges[0][1]) {
            kernels.tableConvPool(m.table(), PairTable.groups(kernel1), channels1, offsets, pool1.inputLength(), pool1,
                    ranges[0][0], ranges[0][1], m.bias1(), relu1, target0, row0);
        }
        for (int b = 0; b < blocks.length; b++) {
            BlockShape s = blocks[b];
            int j0 = ranges[b + 1][0];
            int j1 = ranges[b + 1][1];
            if (j0 >= j1) {
                continue;
            }
            float[] target = b + 1 < blocks.length ? maps[b + 1] : finalMap;
            int targetRow0 = b + 1 < blocks.length ? blocks[b + 1].padLeft() : 0;
            int p0 = s.pool().start(j0);
            int p1 = s.pool().end(j1 - 1);
            kernels.gemm(maps[b], s.inChannelsPadded(), s.depth(), m.gemmWeights()[b], s.outChannelsPadded(), p0, p1, raw);
            kernels.poolRows(raw, p0, s.outChannelsPadded(), s.pool(), j0, j1, m.gemmBias()[b], s.relu(), target, targetRow0);
        }
    }

    private void head(Member m, Buffers buf, float[] fm, float[] halfLife) {
        float[] x = buf.x;
        if (flattenOrder == FlattenOrder.CHANNEL_MAJOR) {
            for (int j = 0; j < finalLength; j++) {
                for (int c = 0; c < finalChannels; c++) {
                    x[c * finalLength + j] = fm[j * finalStride + c];
                }
            }
        } else {
            for (int j = 0; j < finalLength; j++) {
                System.arraycopy(fm, j * finalStride, x, j * finalChannels, finalChannels);
            }
        }
        System.arraycopy(halfLife, 0, x, flatSize, halfLifeCount);
        float[] in = x;
        for (int i = 0; i < dense.length; i++) {
            DenseShape d = dense[i];
            kernels.dense(in, d.in(), m.denseWT()[i], d.outPadded(), m.denseBias()[i], d.relu(), buf.denseOut[i]);
            in = buf.denseOut[i];
        }
    }

    private static int split(int n, int parts, int part) {
        return (int) ((long) n * part / parts);
    }
}
