package dev.scep.runtime.cpu;

/** Plain-Java kernels: the fallback when jdk.incubator.vector is not available. Inner loops run over channels
 *  so that C2's auto-vectorisation can still use SIMD where it applies. */
public final class ScalarKernels implements Kernels {

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
    public void gemm(float[] a, int aStride, int depth, float[] b, int n, int p0, int p1, float[] raw) {
        for (int p = p0; p < p1; p++) {
            int r = (p - p0) * n;
            java.util.Arrays.fill(raw, r, r + n, 0f);
            int aRow = p * aStride;
            for (int kk = 0; kk < depth; kk++) {
                float av = a[aRow + kk];
                if (av == 0f) {
                    continue; // after ReLU many inputs are exactly zero
                }
                int bRow = kk * n;
                for (int o = 0; o < n; o++) {
                    raw[r + o] += av * b[bRow + o];
                }
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
