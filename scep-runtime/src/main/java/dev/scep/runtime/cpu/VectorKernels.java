package dev.scep.runtime.cpu;

import dev.scep.runtime.network.PoolGeometry;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Kernels on the Vector API, vectorised across channels with the platform's preferred width (16 floats with
 * AVX-512). Loaded only when jdk.incubator.vector is present (see {@link KernelSelection}).
 */
public final class VectorKernels implements Kernels {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int VL = S.length();
    /** Int lanes matching the float lanes one to one (argmax indices). */
    private static final VectorSpecies<Integer> I = VectorSpecies.of(int.class, S.vectorShape());

    public VectorKernels() {
        if (Kernels.CHANNEL_ALIGN % (2 * VL) != 0) {
            throw new IllegalStateException("vector width " + VL + " does not divide the channel padding");
        }
    }

    @Override
    public String name() {
        return "vector-" + S.vectorBitSize();
    }

    @Override
    public void tableConvPool(float[] table, int groups, int stride, int[] offsets, int positions, PoolGeometry pool,
                              int j0, int j1, float[] bias, boolean relu, float[] out, int outRow0) {
        if (groups == 3) {
            tableConvPool3(table, stride, offsets, positions, pool, j0, j1, bias, relu, out, outRow0);
            return;
        }
        FloatVector negInf = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
        FloatVector zero = FloatVector.zero(S);
        for (int cv = 0; cv < stride; cv += VL) {
            FloatVector b = FloatVector.fromArray(S, bias, cv);
            for (int j = j0; j < j1; j++) {
                FloatVector m = negInf;
                for (int q = pool.start(j), qe = pool.end(j); q < qe; q++) {
                    FloatVector s = FloatVector.fromArray(S, table, offsets[q] + cv);
                    for (int g = 1; g < groups; g++) {
                        s = s.add(FloatVector.fromArray(S, table, offsets[g * positions + q] + cv));
                    }
                    m = m.max(s);
                }
                FloatVector v = m.add(b);
                if (relu) {
                    v = v.max(zero);
                }
                v.intoArray(out, (outRow0 + j) * stride + cv);
            }
        }
    }

    /**
     * The common case (kernel 5 or 6: three tap pairs). Two channel chunks share each position's offsets, and
     * even and odd positions keep separate running maxima: four independent dependency chains instead of one.
     */
    private static void tableConvPool3(float[] table, int stride, int[] offsets, int positions, PoolGeometry pool,
                                       int j0, int j1, float[] bias, boolean relu, float[] out, int outRow0) {
        FloatVector negInf = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
        FloatVector zero = FloatVector.zero(S);
        int g1 = positions;
        int g2 = 2 * positions;
        // Channel chunks outermost: the table rows they read stay in L1 across all positions.
        for (int cv = 0; cv < stride; cv += 2 * VL) {
            int cw = cv + VL;
            FloatVector b0 = FloatVector.fromArray(S, bias, cv);
            FloatVector b1 = FloatVector.fromArray(S, bias, cw);
            for (int j = j0; j < j1; j++) {
                FloatVector m0 = negInf, m1 = negInf, n0 = negInf, n1 = negInf;
                int q = pool.start(j);
                int qe = pool.end(j);
                for (; q + 1 < qe; q += 2) {
                    int a0 = offsets[q], a1 = offsets[g1 + q], a2 = offsets[g2 + q];
                    int c0 = offsets[q + 1], c1 = offsets[g1 + q + 1], c2 = offsets[g2 + q + 1];
                    m0 = m0.max(FloatVector.fromArray(S, table, a0 + cv).add(FloatVector.fromArray(S, table, a1 + cv))
                            .add(FloatVector.fromArray(S, table, a2 + cv)));
                    m1 = m1.max(FloatVector.fromArray(S, table, a0 + cw).add(FloatVector.fromArray(S, table, a1 + cw))
                            .add(FloatVector.fromArray(S, table, a2 + cw)));
                    n0 = n0.max(FloatVector.fromArray(S, table, c0 + cv).add(FloatVector.fromArray(S, table, c1 + cv))
                            .add(FloatVector.fromArray(S, table, c2 + cv)));
                    n1 = n1.max(FloatVector.fromArray(S, table, c0 + cw).add(FloatVector.fromArray(S, table, c1 + cw))
                            .add(FloatVector.fromArray(S, table, c2 + cw)));
                }
                if (q < qe) {
                    int a0 = offsets[q], a1 = offsets[g1 + q], a2 = offsets[g2 + q];
                    m0 = m0.max(FloatVector.fromArray(S, table, a0 + cv).add(FloatVector.fromArray(S, table, a1 + cv))
                            .add(FloatVector.fromArray(S, table, a2 + cv)));
                    m1 = m1.max(FloatVector.fromArray(S, table, a0 + cw).add(FloatVector.fromArray(S, table, a1 + cw))
                            .add(FloatVector.fromArray(S, table, a2 + cw)));
                }
                FloatVector v0 = m0.max(n0).add(b0);
                FloatVector v1 = m1.max(n1).add(b1);
                if (relu) {
                    v0 = v0.max(zero);
                    v1 = v1.max(zero);
                }
                int o = (outRow0 + j) * stride;
                v0.intoArray(out, o + cv);
                v1.intoArray(out, o + cw);
            }
        }
    }

    @Override
    public void tableConvPoolArgmax(float[] table, int groups, int stride, int[] offsets, int positions, PoolGeometry pool,
                                    int j0, int j1, float[] bias, boolean relu, float[] out, int outRow0, int[] argmax) {
        FloatVector negInf = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
        FloatVector zero = FloatVector.zero(S);
        for (int cv = 0; cv < stride; cv += VL) {
            FloatVector b = FloatVector.fromArray(S, bias, cv);
            for (int j = j0; j < j1; j++) {
                FloatVector m = negInf;
                IntVector idx = IntVector.zero(I);
                for (int q = pool.start(j), qe = pool.end(j); q < qe; q++) {
                    FloatVector s = FloatVector.fromArray(S, table, offsets[q] + cv);
                    for (int g = 1; g < groups; g++) {
                        s = s.add(FloatVector.fromArray(S, table, offsets[g * positions + q] + cv));
                    }
                    VectorMask<Float> greater = s.compare(VectorOperators.GT, m);
                    m = m.blend(s, greater);
                    idx = idx.blend(q, greater.cast(I));
                }
                idx.intoArray(argmax, j * stride + cv);
                FloatVector v = m.add(b);
                if (relu) {
                    v = v.max(zero);
                }
                v.intoArray(out, (outRow0 + j) * stride + cv);
            }
        }
    }

    @Override
    public void axpy(float a, float[] x, int xOff, float[] y, int yOff, int n) {
        FloatVector av = FloatVector.broadcast(S, a);
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += VL) {
            av.fma(FloatVector.fromArray(S, x, xOff + i), FloatVector.fromArray(S, y, yOff + i)).intoArray(y, yOff + i);
        }
        for (; i < n; i++) {
            y[yOff + i] += a * x[xOff + i];
        }
    }

    @Override
    public void axpyMany(float[] a, int[] xOff, int from, int to, int shift, float[] x, float[] y, int yOff, int n) {
        int i = 0;
        for (; i + 2 * VL <= n; i += 2 * VL) {
            FloatVector y0 = FloatVector.fromArray(S, y, yOff + i);
            FloatVector y1 = FloatVector.fromArray(S, y, yOff + i + VL);
            for (int k = from; k < to; k++) {
                FloatVector ak = FloatVector.broadcast(S, a[k]);
                int o = xOff[k] + shift + i;
                y0 = ak.fma(FloatVector.fromArray(S, x, o), y0);
                y1 = ak.fma(FloatVector.fromArray(S, x, o + VL), y1);
            }
            y0.intoArray(y, yOff + i);
            y1.intoArray(y, yOff + i + VL);
        }
        for (; i < n; i++) {
            float s = y[yOff + i];
            for (int k = from; k < to; k++) {
                s += a[k] * x[xOff[k] + shift + i];
            }
            y[yOff + i] = s;
        }
    }

    @Override
    public int changedChannels(float[] m, float[] bias, boolean relu, float[] old, int oldOff, int n, int[] channels,
                               float[] deltas, int at, float[] lanes) {
        FloatVector zero = FloatVector.zero(S);
        int c = 0;
        for (int bound = S.loopBound(n); c < bound; c += VL) {
            FloatVector v = FloatVector.fromArray(S, m, c).add(FloatVector.fromArray(S, bias, c));
            if (relu) {
                v = v.max(zero);
            }
            FloatVector d = v.sub(FloatVector.fromArray(S, old, oldOff + c));
            VectorMask<Float> nz = d.compare(VectorOperators.NE, 0f);
            if (nz.anyTrue()) {
                // compress the changed lanes: store all lanes, keep the non-zero ones
                d.intoArray(lanes, 0);
                long bits = nz.toLong();
                while (bits != 0) {
                    int lane = Long.numberOfTrailingZeros(bits);
                    channels[at] = c + lane;
                    deltas[at++] = lanes[lane];
                    bits &= bits - 1;
                }
            }
        }
        return ScalarKernels.changedChannels(m, bias, relu, old, oldOff, c, n, channels, deltas, at);
    }

    @Override
    public void editedRowsMax(float[] rows, int rowsOff, int count, int stride, float[] table, int[] oldOff, int[] newOff, int from,
                              boolean hasBase, float[] base, float[] out) {
        for (int cv = 0; cv < stride; cv += VL) {
            FloatVector m = hasBase ? FloatVector.fromArray(S, base, cv) : FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
            for (int r = 0; r < count; r++) {
                FloatVector v = FloatVector.fromArray(S, rows, rowsOff + r * stride + cv)
                        .sub(FloatVector.fromArray(S, table, oldOff[from + r] + cv))
                        .add(FloatVector.fromArray(S, table, newOff[from + r] + cv));
                m = m.max(v);
            }
            m.intoArray(out, cv);
        }
    }

    @Override
    public void tableConvMax(float[] table, int groups, int stride, int[] offsets, int positions, int q0, int q1, float[] m) {
        for (int cv = 0; cv < stride; cv += VL) {
            FloatVector mx = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
            for (int q = q0; q < q1; q++) {
                FloatVector s = FloatVector.fromArray(S, table, offsets[q] + cv);
                for (int g = 1; g < groups; g++) {
                    s = s.add(FloatVector.fromArray(S, table, offsets[g * positions + q] + cv));
                }
                mx = mx.max(s);
            }
            mx.intoArray(m, cv);
        }
    }

    @Override
    public void maxRows(float[] base, int baseOff, float[] x, int xOff, int rows, int stride, float[] m, int mOff, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += VL) {
            FloatVector v = FloatVector.fromArray(S, base, baseOff + i);
            for (int r = 0; r < rows; r++) {
                v = v.max(FloatVector.fromArray(S, x, xOff + r * stride + i));
            }
            v.intoArray(m, mOff + i);
        }
        for (; i < n; i++) {
            float v = base[baseOff + i];
            for (int r = 0; r < rows; r++) {
                v = Math.max(v, x[xOff + r * stride + i]);
            }
            m[mOff + i] = v;
        }
    }

    @Override
    public float dot(float[] x, int xOff, float[] y, int yOff, int n) {
        FloatVector acc = FloatVector.zero(S);
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += VL) {
            acc = FloatVector.fromArray(S, x, xOff + i).fma(FloatVector.fromArray(S, y, yOff + i), acc);
        }
        float s = acc.reduceLanes(VectorOperators.ADD);
        for (; i < n; i++) {
            s += x[xOff + i] * y[yOff + i];
        }
        return s;
    }

    @Override
    public void gemm(float[] a, int aStride, int depth, float[] b, int n, int p0, int p1, float[] raw) {
        int p = p0;
        // 6 rows × 2 vectors of accumulators: 12 registers, plus 2 for B and 1 broadcast.
        for (; p + 6 <= p1; p += 6) {
            int a0 = p * aStride;
            int a1 = a0 + aStride, a2 = a1 + aStride, a3 = a2 + aStride, a4 = a3 + aStride, a5 = a4 + aStride;
            for (int o = 0; o < n; o += 2 * VL) {
                FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S);
                FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S);
                FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S);
                FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(S);
                FloatVector c40 = FloatVector.zero(S), c41 = FloatVector.zero(S);
                FloatVector c50 = FloatVector.zero(S), c51 = FloatVector.zero(S);
                for (int kk = 0, bi = o; kk < depth; kk++, bi += n) {
                    FloatVector b0 = FloatVector.fromArray(S, b, bi);
                    FloatVector b1 = FloatVector.fromArray(S, b, bi + VL);
                    FloatVector x = FloatVector.broadcast(S, a[a0 + kk]);
                    c00 = x.fma(b0, c00);
                    c01 = x.fma(b1, c01);
                    x = FloatVector.broadcast(S, a[a1 + kk]);
                    c10 = x.fma(b0, c10);
                    c11 = x.fma(b1, c11);
                    x = FloatVector.broadcast(S, a[a2 + kk]);
                    c20 = x.fma(b0, c20);
                    c21 = x.fma(b1, c21);
                    x = FloatVector.broadcast(S, a[a3 + kk]);
                    c30 = x.fma(b0, c30);
                    c31 = x.fma(b1, c31);
                    x = FloatVector.broadcast(S, a[a4 + kk]);
                    c40 = x.fma(b0, c40);
                    c41 = x.fma(b1, c41);
                    x = FloatVector.broadcast(S, a[a5 + kk]);
                    c50 = x.fma(b0, c50);
                    c51 = x.fma(b1, c51);
                }
                int r = (p - p0) * n + o;
                c00.intoArray(raw, r);
                c01.intoArray(raw, r + VL);
                c10.intoArray(raw, r + n);
                c11.intoArray(raw, r + n + VL);
                c20.intoArray(raw, r + 2 * n);
                c21.intoArray(raw, r + 2 * n + VL);
                c30.intoArray(raw, r + 3 * n);
                c31.intoArray(raw, r + 3 * n + VL);
                c40.intoArray(raw, r + 4 * n);
                c41.intoArray(raw, r + 4 * n + VL);
                c50.intoArray(raw, r + 5 * n);
                c51.intoArray(raw, r + 5 * n + VL);
            }
        }
        for (; p < p1; p++) {
            int a0 = p * aStride;
            for (int o = 0; o < n; o += 2 * VL) {
                FloatVector c0 = FloatVector.zero(S), c1 = FloatVector.zero(S);
                for (int kk = 0, bi = o; kk < depth; kk++, bi += n) {
                    FloatVector x = FloatVector.broadcast(S, a[a0 + kk]);
                    c0 = x.fma(FloatVector.fromArray(S, b, bi), c0);
                    c1 = x.fma(FloatVector.fromArray(S, b, bi + VL), c1);
                }
                int r = (p - p0) * n + o;
                c0.intoArray(raw, r);
                c1.intoArray(raw, r + VL);
            }
        }
    }

    @Override
    public void poolRows(float[] raw, int rawRow0, int n, PoolGeometry pool, int j0, int j1, float[] bias, boolean relu,
                         float[] out, int outRow0) {
        FloatVector zero = FloatVector.zero(S);
        for (int j = j0; j < j1; j++) {
            int qs = pool.start(j);
            int qe = pool.end(j);
            for (int cv = 0; cv < n; cv += VL) {
                FloatVector m = FloatVector.fromArray(S, raw, (qs - rawRow0) * n + cv);
                for (int q = qs + 1; q < qe; q++) {
                    m = m.max(FloatVector.fromArray(S, raw, (q - rawRow0) * n + cv));
                }
                FloatVector v = m.add(FloatVector.fromArray(S, bias, cv));
                if (relu) {
                    v = v.max(zero);
                }
                v.intoArray(out, (outRow0 + j) * n + cv);
            }
        }
    }

    @Override
    public void dense(float[] x, int in, float[] wT, int n, float[] bias, boolean relu, float[] y) {
        System.arraycopy(bias, 0, y, 0, n);
        for (int o = 0; o < n; o += VL) {
            FloatVector acc = FloatVector.fromArray(S, y, o);
            for (int i = 0; i < in; i++) {
                float xv = x[i];
                if (xv != 0f) {
                    acc = FloatVector.broadcast(S, xv).fma(FloatVector.fromArray(S, wT, i * n + o), acc);
                }
            }
            if (relu) {
                acc = acc.lanewise(VectorOperators.MAX, 0f);
            }
            acc.intoArray(y, o);
        }
    }
}
