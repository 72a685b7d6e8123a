package dev.scep.runtime.ism;

import dev.scep.runtime.cpu.Kernels;
import dev.scep.runtime.network.NetworkShape;
import dev.scep.runtime.network.PairTable;
import dev.scep.runtime.network.PoolGeometry;
import dev.scep.runtime.network.WeightLayout;

/**
 * One thread's propagation of a single-base substitution through the network, layer by layer, from a reference's
 * cached activations: conv1 rows and pool-1 windows ({@link #prepare}, {@link #pool1Changes}), conv2 rows by rank-one
 * updates ({@link #conv2Changes}), pool-2 windows into the first dense layer ({@link #dense1Changes}), then the head.
 * Each step stops the walk when nothing it produces changed. Holds the scratch of one substitution at a time.
 */
final class SubstitutionDelta {
    private final IsmNetwork net;
    private final Kernels kernels;
    private final int stride1;
    private final int n2;
    private final int[] oldOff;           // per affected conv1 row: the table row of the old tap pair
    private final int[] newOff;           // and of the new one
    private final float[] row;
    private final float[] other;
    private final float[] row2;
    private final float[] base2;
    private final float[] lanes = new float[Kernels.CHANNEL_ALIGN];
    private final int[] changed2;
    private final float[] delta2;
    private final int[] changedC;
    private final float[] changedD;
    private final int[] offsets;
    private final int[] segmentJ = new int[4];
    private float[] rows1 = new float[0];   // conv1 rows recomputed around the substitution (genes keep no conv1)
    private float[] rows;                   // where prepare() left the raw conv1 rows: the cache or rows1
    private int rowsFirst;                  // the conv1 position of rows' first row
    private int q0;
    private int q1;
    private int windows;
    private final int[] windowJ = new int[4];
    private final int[] windowLo = new int[4];
    private final int[] windowHi = new int[4];
    private final boolean[] hasBase = new boolean[4];
    private final float[][] base;
    private final int[] segmentStart = new int[4];
    private final int[] segmentEnd = new int[4];
    private int segments;
    private final float[] raw2;             // affected conv2 rows [u0, u1]
    private int u0;
    private int u1;
    private final float[] h;
    private final float[] hAct;
    private final double[] y;
    private final float[][] act;

    SubstitutionDelta(IsmNetwork net) {
        this.net = net;
        this.kernels = net.kernels;
        this.stride1 = net.stride1;
        this.n2 = net.n2;
        int k1 = net.c1.kernel();
        oldOff = new int[k1];
        newOff = new int[k1];
        row = new float[stride1];
        other = new float[stride1];
        row2 = new float[n2];
        base2 = new float[n2];
        changed2 = new int[n2];
        delta2 = new float[n2];
        changedC = new int[4 * stride1];
        changedD = new float[4 * stride1];
        offsets = new int[4 * stride1];
        base = new float[4][stride1];
        raw2 = new float[(2 * net.c2.kernel() + 2) * n2];
        h = new float[net.dense1.out()];
        hAct = new float[net.dense1.out()];
        y = new double[net.outputs];
        act = new float[net.shape.dense().size()][];
        for (int l = 0; l < act.length; l++) {
            act[l] = new float[net.shape.dense().get(l).outStride()];
        }
    }

    /**
     * The work shared by every substitution at {@code p}: which pool-1 windows it touches and, per window, the
     * maximum of the conv1 rows it leaves unchanged.
     */
    void prepare(ReferenceActivations ref, int p) {
        PoolGeometry pool1 = net.pool1;
        int positions1 = net.positions1;
        int padL = net.c1.padLeft();
        int q0 = Math.max(0, p + padL - net.c1.kernel() + 1);
        int q1 = Math.min(positions1 - 1, p + padL);
        this.q0 = q0;
        this.q1 = q1;
        windows = 0;
        for (int j = pool1.firstWindowContaining(q0); j < pool1.outputLength() && pool1.start(j) <= q1; j++) {
            int ws = pool1.start(j);
            int we = pool1.end(j);
            if (we <= q0) {
                continue;
            }
            int wi = windows++;
            windowJ[wi] = j;
            windowLo[wi] = Math.max(q0, ws);
            windowHi[wi] = Math.min(q1, we - 1);
        }
        if (ref.conv1 != null) {
            rows = ref.conv1;
            rowsFirst = 0;
            for (int wi = 0; wi < windows; wi++) {
                int j = windowJ[wi];
                hasBase[wi] = net.unchangedMax(ref.prefix1, ref.suffix1, stride1, pool1.start(j), pool1.end(j), windowLo[wi],
                        windowHi[wi], base[wi]);
            }
            return;
        }
        // no cached rows: rows q0..q1 recomputed, and each touched window's maximum over its other rows straight
        // from the table (the fused kernel stores no rows)
        int need = (q1 - q0 + 1) * stride1;
        if (rows1.length < need) {
            rows1 = new float[need];
        }
        for (int q = q0; q <= q1; q++) {
            ref.conv1Row(q, rows1, (q - q0) * stride1);
        }
        rows = rows1;
        rowsFirst = q0;
        float[] table = ref.w.pairTable();
        for (int wi = 0; wi < windows; wi++) {
            int j = windowJ[wi];
            int ws = pool1.start(j);
            int we = pool1.end(j);
            int lo = windowLo[wi];
            int hi = windowHi[wi];
            float[] out = base[wi];
            boolean has = false;
            if (lo > ws) {
                kernels.tableConvMax(table, net.groups, stride1, ref.offsets, positions1, ws, lo, out);
                has = true;
            }
            if (hi < we - 1) {
                if (has) {
                    kernels.tableConvMax(table, net.groups, stride1, ref.offsets, positions1, hi + 1, we, other);
                    kernels.maxRows(out, 0, other, 0, 1, 0, out, 0, stride1);
                } else {
                    kernels.tableConvMax(table, net.groups, stride1, ref.offsets, positions1, hi + 1, we, out);
                }
                has = true;
            }
            hasBase[wi] = has;
        }
    }

    /**
     * Adds (mutant − reference) raw outputs for base {@code b} at window position {@code p} into {@code acc};
     * {@link #prepare} must have run for p with the same reference.
     */
    void substitute(ReferenceActivations ref, int p, byte b, double[] acc) {
        int changed = pool1Changes(ref, p, b);
        if (changed == 0 || !conv2Changes(ref, changed) || !dense1Changes(ref)) {
            return;
        }
        ref.head(h, hAct, act, y);
        for (int o = 0; o < y.length; o++) {
            acc[o] += y[o] - ref.y[o];
        }
    }

    /**
     * conv1 and pool 1: the touched windows' new maxima; lists the pooled channels that change (channel and delta in
     * changedC/changedD, grouped by window into segments). Returns how many changed.
     */
    private int pool1Changes(ReferenceActivations ref, int p, byte b) {
        int padL = net.c1.padLeft();
        int k = net.c1.kernel();
        int changed = 0;
        segments = 0;
        // new conv1 rows: only the tap pair holding p changes, so row = cached row − old pair + new pair (fused into
        // the pool window's maximum below)
        int mutated = p + padL;
        for (int q = q0; q <= q1; q++) {
            int g = (mutated - q) / 2;
            int t1 = 2 * g;
            int cA = ref.padded[q + t1];
            int cB = t1 + 1 < k ? ref.padded[q + t1 + 1] : 0;
            int nA = q + t1 == mutated ? b : cA;
            int nB = t1 + 1 < k && q + t1 + 1 == mutated ? b : cB;
            oldOff[q - q0] = PairTable.rowOffset(g, cA, cB, stride1);
            newOff[q - q0] = PairTable.rowOffset(g, nA, nB, stride1);
        }
        boolean relu1 = net.block1.relu();
        for (int wi = 0; wi < windows; wi++) {
            int j = windowJ[wi];
            int lo = windowLo[wi];
            int hi = windowHi[wi];
            kernels.editedRowsMax(rows, (lo - rowsFirst) * stride1, hi - lo + 1, stride1, ref.w.pairTable(), oldOff, newOff,
                    lo - q0, hasBase[wi], base[wi], row);
            int start = changed;
            changed = kernels.changedChannels(row, ref.w.conv1Bias(), relu1, ref.pooled1, j * stride1, net.c1.outChannels(),
                    changedC, changedD, changed, lanes);
            if (changed > start) {
                segmentJ[segments] = j;
                segmentStart[segments] = start;
                segmentEnd[segments] = changed;
                segments++;
            }
        }
        return changed;
    }

    /**
     * conv2: the outputs u0..u1 that read a changed pooled row, as the reference's raw rows plus one rank-one update per
     * changed channel and tap, into raw2. False when no conv2 output reads one.
     */
    private boolean conv2Changes(ReferenceActivations ref, int changed) {
        NetworkShape.GemmBlock block2 = net.block2;
        int conv2Length = net.conv2Length;
        // conv2 outputs u reading a changed pooled row j: u + t − padL2 = j
        int padL2 = net.c2.padLeft();
        int k2 = net.c2.kernel();
        u0 = conv2Length;
        u1 = -1;
        for (int g = 0; g < segments; g++) {
            u0 = Math.min(u0, Math.max(0, segmentJ[g] + padL2 - k2 + 1));
            u1 = Math.max(u1, Math.min(conv2Length - 1, segmentJ[g] + padL2));
        }
        if (u1 < u0) {
            return false;
        }
        for (int i = 0; i < changed; i++) {
            offsets[i] = WeightLayout.byInputChannelRow(block2, changedC[i], 0);
        }
        System.arraycopy(ref.raw2, u0 * n2, raw2, 0, (u1 - u0 + 1) * n2);
        for (int u = u0; u <= u1; u++) {
            for (int g = 0; g < segments; g++) {
                int t = segmentJ[g] + padL2 - u;
                if (t >= 0 && t < k2) {
                    kernels.axpyMany(changedD, offsets, segmentStart[g], segmentEnd[g], WeightLayout.byInputChannelRow(block2, 0, t),
                            ref.weights.conv2ByInput(), raw2, (u - u0) * n2, n2);
                }
            }
        }
        return true;
    }

    /**
     * pool 2, flatten and the first dense layer: the pool-2 windows holding u0..u1, and for each changed pooled value
     * its column of the first dense layer added into h. False when no pooled value changed.
     */
    private boolean dense1Changes(ReferenceActivations ref) {
        PoolGeometry pool2 = net.pool2;
        NetworkShape.DenseStep d1 = net.dense1;
        boolean relu2 = net.block2.relu();
        float[] pre = h;
        System.arraycopy(ref.h1pre, 0, pre, 0, pre.length);
        boolean any = false;
        int hidden = d1.out();
        for (int j = pool2.firstWindowContaining(u0); j < pool2.outputLength() && pool2.start(j) <= u1; j++) {
            if (pool2.end(j) <= u0) {
                continue;
            }
            int ws = pool2.start(j);
            int we = pool2.end(j);
            int lo = Math.max(u0, ws);
            int hi = Math.min(u1, we - 1);
            boolean hasBase = net.unchangedMax(ref.prefix2, ref.suffix2, n2, ws, we, lo, hi, base2);
            net.withNewRows(hasBase, base2, raw2, (lo - u0) * n2, hi - lo + 1, n2, row2);
            int count = kernels.changedChannels(row2, ref.w.gemmBias()[0], relu2, ref.pooled2, j * n2, net.c2.outChannels(),
                    changed2, delta2, 0, lanes);
            for (int i = 0; i < count; i++) {
                kernels.axpy(delta2[i], ref.w.denseTransposed()[0], net.shape.flatIndex(changed2[i], j) * d1.outStride(), pre, 0,
                        hidden);
            }
            any |= count > 0;
        }
        return any;
    }
}
