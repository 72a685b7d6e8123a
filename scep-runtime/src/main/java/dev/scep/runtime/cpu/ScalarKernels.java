package dev.scep.runtime.cpu;

import dev.scep.runtime.network.PoolGeometry;

/**
 * Plain-Java kernels: the fallback when jdk.incubator.vector is not available. Each inner loop is a long,
 * simple loop over contiguous arrays, the shape C2's auto-vectorisation turns into SIMD code.
 */
public final class ScalarKernels implements Kernels {
    /** Per-thread scratch for the GEMM: the input rows transposed to channel-major, and one output row. */
    private static final ThreadLocal<float[][]> SCRATCH = ThreadLocal.withInitial(() -> new float[2][0]);

    @Override
    public String name() {
        return "scalar";
    }

    @Override
    public void tableConvPool(float[] table, int groups, int stride, int[] offsets, int positions, PoolGeometry pool,
                              int j0, int j1, float[] bias, boolean relu, float[] out, int outRow0) {
        float[] m = new float[stride];
        float[] s = new float[stride];
        for (int j = j0; j < j1; j++) {
            java.util.Arrays.fill(m, Float.NEGATIVE_INFINITY);
            for (int q = pool.start(j), qe = pool.end(j); q < qe; q++) {
                if (groups == 3) {
                    int o0 = offsets[q];
                    int o1 = offsets[positions + q];
                    int o2 = offsets[2 * positions + q];
                    for (int c = 0; c < stride; c++) {
                        m[c] = Math.max(m[c], table[o0 + c] + table[o1 + c] + table[o2 + c]);
                    }
                    continue;
                }
                System.arraycopy(table, offsets[q], s, 0, stride);
                for (int g = 1; g < groups; g++) {
                    int base = offsets[g * positions + q];
                    for (int c = 0; c < stride; c++) {
                        s[c] += table[base + c];
                    }
                }
                for (int c = 0; c < stride; c++) {
                    m[c] = Math.max(m[c], s[c]);
                }
            }
            int o = (outRow0 + j) * stride;
            for (int c = 0; c < stride; c++) {
                float v = m[c] + bias[c];
                out[o + c] = relu ? Math.max(0f, v) : v;
            }
        }
    }

    @Override
    public void tableConvPoolArgmax(float[] table, int groups, int stride, int[] offsets, int positions, PoolGeometry pool,
                                    int j0, int j1, float[] bias, boolean relu, float[] out, int outRow0, int[] argmax) {
        float[] m = new float[stride];
        float[] s = new float[stride];
        for (int j = j0; j < j1; j++) {
            java.util.Arrays.fill(m, Float.NEGATIVE_INFINITY);
            int a = j * stride;
            for (int q = pool.start(j), qe = pool.end(j); q < qe; q++) {
                System.arraycopy(table, offsets[q], s, 0, stride);
                for (int g = 1; g < groups; g++) {
                    int base = offsets[g * positions + q];
                    for (int c = 0; c < stride; c++) {
                        s[c] += table[base + c];
                    }
                }
                for (int c = 0; c < stride; c++) {
                    if (s[c] > m[c]) {
                        m[c] = s[c];
                        argmax[a + c] = q;
                    }
                }
            }
            int o = (outRow0 + j) * stride;
            for (int c = 0; c < stride; c++) {
                float v = m[c] + bias[c];
                out[o + c] = relu ? Math.max(0f, v) : v;
            }
        }
    }

    @Override
    public void axpy(float a, float[] x, int xOff, float[] y, int yOff, int n) {
        for (int i = 0; i < n; i++) {
            y[yOff + i] += a * x[xOff + i];
        }
    }

    @Override
    public void axpyMany(float[] a, int[] xOff, int from, int to, int shift, float[] x, float[] y, int yOff, int n) {
        for (int k = from; k < to; k++) {
            axpy(a[k], x, xOff[k] + shift, y, yOff, n);
        }
    }

    @Override
    public int changedChannels(float[] m, float[] bias, boolean relu, float[] old, int oldOff, int n, int[] channels,
                               float[] deltas, int at, float[] lanes) {
        return changedChannels(m, bias, relu, old, oldOff, 0, n, channels, deltas, at);
    }

    /** The scalar loop over channels [from, n); also the Vector API kernel's tail. */
    static int changedChannels(float[] m, float[] bias, boolean relu, float[] old, int oldOff, int from, int n,
                               int[] channels, float[] deltas, int at) {
        for (int c = from; c < n; c++) {
            float v = m[c] + bias[c];
            if (relu) {
                v = Math.max(0f, v);
            }
            float d = v - old[oldOff + c];
            if (d != 0f) {
                channels[at] = c;
                deltas[at++] = d;
            }
        }
        return at;
    }

    @Override
    public void editedRowsMax(float[] rows, int rowsOff, int count, int stride, float[] table, int[] oldOff, int[] newOff, int from,
                              boolean hasBase, float[] base, float[] out) {
        for (int c = 0; c < stride; c++) {
            float m = hasBase ? base[c] : Float.NEGATIVE_INFINITY;
            for (int r = 0; r < count; r++) {
                m = Math.max(m, rows[rowsOff + r * stride + c] - table[oldOff[from + r] + c] + table[newOff[from + r] + c]);
            }
            out[c] = m;
        }
    }

    @Override
    public void tableConvMax(float[] table, int groups, int stride, int[] offsets, int positions, int q0, int q1, float[] m) {
        java.util.Arrays.fill(m, 0, stride, Float.NEGATIVE_INFINITY);
        for (int q = q0; q < q1; q++) {
            int o0 = offsets[q];
            for (int c = 0; c < stride; c++) {
                float s = table[o0 + c];
                for (int g = 1; g < groups; g++) {
                    s += table[offsets[g * positions + q] + c];
                }
                m[c] = Math.max(m[c], s);
            }
        }
    }

    @Override
    public void maxRows(float[] base, int baseOff, float[] x, int xOff, int rows, int stride, float[] m, int mOff, int n) {
        System.arraycopy(base, baseOff, m, mOff, n);
        for (int r = 0; r < rows; r++) {
            int off = xOff + r * stride;
            for (int i = 0; i < n; i++) {
                m[mOff + i] = Math.max(m[mOff + i], x[off + i]);
            }
        }
    }

    @Override
    public float dot(float[] x, int xOff, float[] y, int yOff, int n) {
        float s = 0;
        for (int i = 0; i < n; i++) {
            s += x[xOff + i] * y[yOff + i];
        }
        return s;
    }

    /**
     * The same product computed as SAXPYs over positions: the input rows are copied channel-major once, then
     * for each output column, tap and input channel, a whole row of positions is updated. Products are summed
     * in the same order as the Vector API kernel (tap-major, then channel), without fused multiply-add.
     */
    @Override
    public void gemm(float[] a, int aStride, int depth, float[] b, int n, int p0, int p1, float[] raw) {
        int kernel = depth / aStride;
        int len = p1 - p0;
        int rows = len + kernel - 1;
        float[][] scratch = SCRATCH.get();
        if (scratch[0].length < aStride * rows) {
            scratch[0] = new float[aStride * rows];
        }
        if (scratch[1].length < len) {
            scratch[1] = new float[len];
        }
        float[] at = scratch[0];
        float[] acc = scratch[1];
        for (int r = 0; r < rows; r++) {
            int src = (p0 + r) * aStride;
            for (int i = 0; i < aStride; i++) {
                at[i * rows + r] = a[src + i];
            }
        }
        for (int o = 0; o < n; o++) {
            java.util.Arrays.fill(acc, 0, len, 0f);
            for (int t = 0; t < kernel; t++) {
                for (int i = 0; i < aStride; i++) {
                    float w = b[(t * aStride + i) * n + o];
                    if (w == 0f) {
                        continue; // padding channels and columns
                    }
                    int base = i * rows + t;
                    for (int p = 0; p < len; p++) {
                        acc[p] += w * at[base + p];
                    }
                }
            }
            for (int p = 0; p < len; p++) {
                raw[p * n + o] = acc[p];
            }
        }
    }

    @Override
    public void poolRows(float[] raw, int rawRow0, int n, PoolGeometry pool, int j0, int j1, float[] bias, boolean relu,
                         float[] out, int outRow0) {
        for (int j = j0; j < j1; j++) {
            int o = (outRow0 + j) * n;
            int qs = pool.start(j);
            int qe = pool.end(j);
            for (int c = 0; c < n; c++) {
                float m = Float.NEGATIVE_INFINITY;
                for (int q = qs; q < qe; q++) {
                    m = Math.max(m, raw[(q - rawRow0) * n + c]);
                }
                float v = m + bias[c];
                out[o + c] = relu ? Math.max(0f, v) : v;
            }
        }
    }

    @Override
    public void dense(float[] x, int in, float[] wT, int n, float[] bias, boolean relu, float[] y) {
        System.arraycopy(bias, 0, y, 0, n);
        for (int i = 0; i < in; i++) {
            float xv = x[i];
            if (xv == 0f) {
                continue;
            }
            int row = i * n;
            for (int o = 0; o < n; o++) {
                y[o] += xv * wT[row + o];
            }
        }
        if (relu) {
            for (int o = 0; o < n; o++) {
                y[o] = Math.max(0f, y[o]);
            }
        }
    }
}
