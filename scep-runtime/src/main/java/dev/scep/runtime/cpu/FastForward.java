package dev.scep.runtime.cpu;

import dev.scep.formats.model.ScepModel;
import dev.scep.runtime.BaseCodes;
import dev.scep.runtime.network.NetworkShape;
import dev.scep.runtime.network.PackedWeights;
import dev.scep.runtime.network.PairTable;
import dev.scep.runtime.network.WeightLayout;
import dev.scep.runtime.network.WeightSource;

import java.util.List;

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
 * Shapes come from {@link NetworkShape}; weights are packed once per ensemble member by {@link WeightLayout}.
 * Instances are immutable and thread-safe; per-call state lives in {@link Buffers}.
 */
public final class FastForward {
    private final Kernels kernels;
    private final NetworkShape shape;
    private final PackedWeights[] members;

    /**
     * About how many bytes one thread's activation buffers take for {@code model} (every ensemble member's padded
     * input and output maps of each convolution), for checking that a number of threads fits before making them.
     */
    public static long bufferBytes(ScepModel model) {
        long floats = 0;
        for (NetworkShape.ConvBlock b : NetworkShape.of(model).blocks()) {
            floats += (long) b.paddedInputLength() * Kernels.padChannels(b.conv().inChannels())
                    + (long) b.convLength() * b.outStride();
        }
        return dev.scep.formats.Memory.times(floats, (long) Float.BYTES * model.members().size()) + 2L * model.windowLength();
    }

    public FastForward(ScepModel model, Kernels kernels) {
        this.kernels = kernels;
        this.shape = NetworkShape.of(model);
        WeightLayout layout = new WeightLayout(shape, model.encoding());
        this.members = model.members().stream().map(m -> layout.pack(WeightSource.of(m))).toArray(PackedWeights[]::new);
    }

    public String kernelsName() {
        return kernels.name();
    }

    /** Per-call working memory; reusable across calls, not shareable between concurrent calls. */
    public final class Buffers {
        final byte[] codes = new byte[shape.first().paddedInputLength()];
        /** Table row offsets of the current window (see {@link PairTable#offsets}), shared by all members. */
        final int[] offsets = new int[shape.first().groups() * shape.first().convLength()];
        final float[][][] maps = new float[members.length][shape.gemmBlocks().size()][];   // [member][GEMM block input]
        final float[][] finalMap = new float[members.length][];
        final float[][] raw;
        final float[] x = new float[shape.denseInputs()];
        final float[][] denseOut = new float[shape.dense().size()][];

        Buffers(int parts) {
            List<NetworkShape.GemmBlock> blocks = shape.gemmBlocks();
            for (int m = 0; m < members.length; m++) {
                for (int b = 0; b < blocks.size(); b++) {
                    maps[m][b] = new float[blocks.get(b).paddedInputLength() * blocks.get(b).inStride()];
                }
                finalMap[m] = new float[shape.finalLength() * shape.finalStride()];
            }
            raw = new float[parts][];
            int maxRaw = 0;
            for (NetworkShape.GemmBlock s : blocks) {
                maxRaw = Math.max(maxRaw, s.convLength() * s.outStride());
            }
            for (int i = 0; i < parts; i++) {
                raw[i] = new float[maxRaw];
            }
            for (int i = 0; i < denseOut.length; i++) {
                denseOut[i] = new float[shape.dense().get(i).outStride()];
            }
        }

        /** Encodes a window into these buffers (validating length and characters). */
        public void setWindow(byte[] ascii) {
            NetworkShape.LookupBlock first = shape.first();
            BaseCodes.encode(ascii, shape.window(), codes, first.conv().padLeft());
            PairTable.offsets(codes, first.conv().kernel(), first.convLength(), first.outStride(), offsets);
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
        int outputs = shape.outputs();
        java.util.Arrays.fill(out, 0, outputs, 0);
        for (int m = 0; m < members.length; m++) {
            head(members[m], buf, buf.finalMap[m], halfLife);
            float[] y = buf.denseOut[buf.denseOut.length - 1];
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
        List<NetworkShape.GemmBlock> blocks = shape.gemmBlocks();
        int n = blocks.size();
        int[][] r = new int[n + 1][];
        int last = shape.lastPool().outputLength();
        r[n] = new int[]{split(last, parts, part), split(last, parts, part + 1)};
        for (int b = n - 1; b >= 0; b--) {
            NetworkShape.GemmBlock s = blocks.get(b);
            int j0 = r[b + 1][0];
            int j1 = r[b + 1][1];
            if (j0 >= j1) {
                r[b] = new int[]{0, 0};
                continue;
            }
            // conv positions [p0, p1) read padded input rows [p0, p1 - 1 + k), i.e. pooled rows shifted by padLeft
            int p0 = s.pool().start(j0);
            int p1 = s.pool().end(j1 - 1);
            int padLeft = s.conv().padLeft();
            r[b] = new int[]{Math.max(0, p0 - padLeft), Math.min(s.inLength(), p1 - 1 + s.conv().kernel() - padLeft)};
        }
        return r;
    }

    private void convolutions(PackedWeights m, float[][] maps, float[] finalMap, int[] offsets, int[][] ranges, float[] raw) {
        List<NetworkShape.GemmBlock> blocks = shape.gemmBlocks();
        NetworkShape.LookupBlock first = shape.first();
        if (ranges[0][0] < ranges[0][1]) {
            kernels.tableConvPool(m.pairTable(), first.groups(), first.outStride(), offsets, first.convLength(), first.pool(),
                    ranges[0][0], ranges[0][1], m.conv1Bias(), first.relu(), blocks.isEmpty() ? finalMap : maps[0],
                    first.outRow0());
        }
        for (int b = 0; b < blocks.size(); b++) {
            NetworkShape.GemmBlock s = blocks.get(b);
            int j0 = ranges[b + 1][0];
            int j1 = ranges[b + 1][1];
            if (j0 >= j1) {
                continue;
            }
            float[] target = b + 1 < blocks.size() ? maps[b + 1] : finalMap;
            int p0 = s.pool().start(j0);
            int p1 = s.pool().end(j1 - 1);
            kernels.gemm(maps[b], s.inStride(), s.depth(), m.gemmWeights()[b], s.outStride(), p0, p1, raw);
            kernels.poolRows(raw, p0, s.outStride(), s.pool(), j0, j1, m.gemmBias()[b], s.relu(), target, s.outRow0());
        }
    }

    private void head(PackedWeights m, Buffers buf, float[] fm, float[] halfLife) {
        float[] x = buf.x;
        shape.flatten(fm, x);
        System.arraycopy(halfLife, 0, x, shape.flatSize(), shape.halfLifeCount());
        float[] in = x;
        for (int i = 0; i < buf.denseOut.length; i++) {
            NetworkShape.DenseStep d = shape.dense().get(i);
            kernels.dense(in, d.in(), m.denseTransposed()[i], d.outStride(), m.denseBias()[i], d.relu(), buf.denseOut[i]);
            in = buf.denseOut[i];
        }
    }

    private static int split(int n, int parts, int part) {
        return (int) ((long) n * part / parts);
    }
}
