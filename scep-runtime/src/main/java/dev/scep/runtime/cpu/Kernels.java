package dev.scep.runtime.cpu;

import dev.scep.runtime.network.PairTable;
import dev.scep.runtime.network.PoolGeometry;

/**
 * The inner loops of the fast CPU engine. Two implementations compute the same thing: {@link VectorKernels}
 * (jdk.incubator.vector) and {@link ScalarKernels} (plain Java, used when the Vector API module is absent).
 *
 * <p>Layouts: feature maps are position-major, {@code map[row × stride + channel]}, with channel strides padded
 * to a multiple of {@link #CHANNEL_ALIGN} floats (padding channels hold zeros and zero weights).
 */
public interface Kernels {
    /** Channel dimensions are padded to this many floats so every vector width divides them. */
    int CHANNEL_ALIGN = 32;

    static int padChannels(int c) {
        return (c + CHANNEL_ALIGN - 1) / CHANNEL_ALIGN * CHANNEL_ALIGN;
    }

    /** Short name for logs and benchmarks, e.g. "vector-512" or "scalar". */
    String name();

    /**
     * First convolution by table look-up, fused with max pooling, bias and activation. The kernel's taps are
     * grouped in pairs; {@code table} holds, per group g, 256 rows (one per pair of base codes) of {@code stride}
     * floats: the summed weight columns of both taps. {@code offsets[g × positions + q]} is the float offset of
     * the row that conv position q reads for group g (precomputed once per window, see {@link PairTable}).
     * For pool window j in [j0, j1): out[(outRow0 + j) × stride + c] =
     * act(bias[c] + max over q in the window of Σ_g table[offsets[g × positions + q] + c]).
     */
    void tableConvPool(float[] table, int groups, int stride, int[] offsets, int positions, PoolGeometry pool,
                       int j0, int j1, float[] bias, boolean relu, float[] out, int outRow0);

    /**
     * {@link #tableConvPool} for training: the same pooled values (bias and activation applied), and in
     * {@code argmax[j × stride + c]} the conv position q of the maximum (the first one on ties, as PyTorch).
     */
    void tableConvPoolArgmax(float[] table, int groups, int stride, int[] offsets, int positions, PoolGeometry pool,
                             int j0, int j1, float[] bias, boolean relu, float[] out, int outRow0, int[] argmax);

    /** y[yOff + i] += a × x[xOff + i] for i &lt; n. */
    void axpy(float a, float[] x, int xOff, float[] y, int yOff, int n);

    /** y[yOff + i] += Σ_{from ≤ k &lt; to} a[k] × x[xOff[k] + shift + i] for i &lt; n (a few rows folded into one, for ISM). */
    void axpyMany(float[] a, int[] xOff, int from, int to, int shift, float[] x, float[] y, int yOff, int n);

    /**
     * m[c] = max over conv1 positions q0 ≤ q &lt; q1 (q1 > q0) of the raw table sums (the tap pairs added in order, as
     * {@link #tableConvPool} adds them, no bias), for c &lt; stride: a pool window's maximum over some of its rows (ISM).
     */
    void tableConvMax(float[] table, int groups, int stride, int[] offsets, int positions, int q0, int q1, float[] m);

    /**
     * out[c] = max(base[c] when hasBase, max over r &lt; count of rows[rowsOff + r × stride + c] − table[oldOff[from + r] + c]
     * + table[newOff[from + r] + c]) for c &lt; stride: a pool window's new maximum after a substitution replaced one
     * tap pair in each of the rows (ISM), without writing the edited rows out.
     */
    void editedRowsMax(float[] rows, int rowsOff, int count, int stride, float[] table, int[] oldOff, int[] newOff, int from,
                       boolean hasBase, float[] base, float[] out);

    /** m[mOff + i] = max(base[baseOff + i], max over r &lt; rows of x[xOff + r × stride + i]) for i &lt; n (pool updates, for ISM). */
    void maxRows(float[] base, int baseOff, float[] x, int xOff, int rows, int stride, float[] m, int mOff, int n);

    /**
     * The channels whose pooled value changes: for c &lt; n, v = act(m[c] + bias[c]); where v ≠ old[oldOff + c], appends c
     * to {@code channels} and v − old to {@code deltas} from index {@code at}. Returns the new end index.
     * {@code lanes} is scratch of at least {@link #CHANNEL_ALIGN} floats.
     */
    int changedChannels(float[] m, float[] bias, boolean relu, float[] old, int oldOff, int n, int[] channels, float[] deltas, int at, float[] lanes);

    /** Σ_i x[xOff + i] × y[yOff + i] for i &lt; n, accumulated in float. */
    float dot(float[] x, int xOff, float[] y, int yOff, int n);

    /**
     * raw[(p − p0) × n + o] = Σ_{kk &lt; depth} a[p × aStride + kk] × b[kk × n + o] for p in [p0, p1), o &lt; n.
     * (A convolution over a padded position-major map is this product with depth = kernel × channels.)
     */
    void gemm(float[] a, int aStride, int depth, float[] b, int n, int p0, int p1, float[] raw);

    /**
     * Max pooling over rows of {@code raw} (rows are conv positions starting at {@code rawRow0}), then bias and
     * activation: out[(outRow0 + j) × n + c] = act(bias[c] + max over q in window j of raw[(q − rawRow0) × n + c]).
     */
    void poolRows(float[] raw, int rawRow0, int n, PoolGeometry pool, int j0, int j1, float[] bias, boolean relu,
                  float[] out, int outRow0);

    /** y[o] = act(bias[o] + Σ_i x[i] × wT[i × n + o]) for o &lt; n (n padded; wT is the transposed weight). */
    void dense(float[] x, int in, float[] wT, int n, float[] bias, boolean relu, float[] y);

    /** Picks the Vector API kernels when the module is present and usable, else the scalar ones. */
    static Kernels best() {
        return KernelSelection.BEST;
    }
}
