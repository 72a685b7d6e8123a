package dev.scep.runtime.ism;

import dev.scep.runtime.cpu.Kernels;
import dev.scep.runtime.network.NetworkShape;
import dev.scep.runtime.network.PackedWeights;
import dev.scep.runtime.network.PairTable;
import dev.scep.runtime.network.PoolGeometry;

import java.util.function.BiConsumer;

import static dev.scep.runtime.ism.IsmNetwork.act;

/** The cached activations of the reference window for one ensemble member: what every substitution starts from. */
final class ReferenceActivations {
    /** Runs {@code body(from, to)} over slices of [0, n), possibly in parallel. */
    @FunctionalInterface
    interface Slices {
        void run(int n, BiConsumer<Integer, Integer> body);
    }

    final IsmNetwork net;
    final IsmNetwork.Weights weights;
    final PackedWeights w;
    final byte[] padded;                 // codes with the conv1 padding (code 0)
    final int[] offsets;                 // table rows per tap pair and position (kept only without cached rows)
    final float[] conv1;                 // raw conv1 sums [q × stride1 + c]
    final float[] prefix1;               // max of conv1 from its pool window's start to q [q × stride1 + c]
    final float[] suffix1;               // max of conv1 from q to its pool window's end
    final float[] prefix2;               // the same over conv2 rows and pool2 windows [u × n2 + o]
    final float[] suffix2;
    final float[] pooled1;               // post-activation [j × stride1 + c]
    final float[] map;                   // pooled1 with conv2's zero padding (conv2's input)
    final float[] raw2;                  // raw conv2 [u × n2 + o]
    final float[] pooled2;               // post-activation [j2 × n2 + o]
    final float[] x;                     // flattened + half-life
    final float[] h1pre;                 // first dense layer before activation [dense1's outStride]
    final double[] y;                    // raw outputs

    /**
     * {@code rowBuffers}: three arrays of positions × channels to keep every raw conv1 row and its running maxima in
     * (whole-window ISM), or null to keep only the pooled maps (single substitutions). {@code recycle}: a
     * reference of the same member and mode whose arrays are overwritten and taken over, or null. Every array
     * taken over is either written whole below or only ever written in the same places (the padding stays zero).
     */
    ReferenceActivations(IsmNetwork net, IsmNetwork.Weights weights, byte[] codes, float[] hl, float[][] rowBuffers,
                         ReferenceActivations recycle, Slices slices) {
        boolean cacheRows = rowBuffers != null;
        boolean reuse = recycle != null && !cacheRows && recycle.offsets != null;
        this.net = net;
        this.weights = weights;
        this.w = weights.packed();
        Kernels kernels = net.kernels;
        NetworkShape shape = net.shape;
        int stride1 = net.stride1;
        int n2 = net.n2;
        int positions1 = net.positions1;
        PoolGeometry pool1 = net.pool1;
        PoolGeometry pool2 = net.pool2;
        padded = reuse ? recycle.padded : new byte[net.block1.paddedInputLength()];
        System.arraycopy(codes, 0, padded, net.c1.padLeft(), shape.window());
        int[] offsets = reuse ? recycle.offsets : new int[net.groups * positions1];
        PairTable.offsets(padded, net.c1.kernel(), positions1, stride1, offsets);
        this.offsets = cacheRows ? null : offsets;
        int l1 = pool1.outputLength();
        pooled1 = reuse ? recycle.pooled1 : new float[l1 * stride1];
        boolean relu1 = net.block1.relu();
        if (cacheRows) {
            conv1 = rowBuffers[0];
            prefix1 = rowBuffers[1];
            suffix1 = rowBuffers[2];
            // the first block's reference activations, pool window by pool window, spread over the threads
            slices.run(l1, (j0, j1) -> {
                int qs = j0 == 0 ? 0 : pool1.start(j0);
                int qe = j1 == l1 ? positions1 : pool1.start(j1);
                for (int q = qs; q < qe; q++) {
                    conv1Row(q, conv1, q * stride1);
                }
                net.prefixSuffix(conv1, stride1, pool1, j0, j1, prefix1, suffix1);
            });
            for (int j = 0; j < l1; j++) {
                for (int c = 0; c < stride1; c++) {
                    float m = prefix1[(pool1.end(j) - 1) * stride1 + c];
                    pooled1[j * stride1 + c] = act(m + w.conv1Bias()[c], relu1);
                }
            }
        } else {
            conv1 = null;
            prefix1 = null;
            suffix1 = null;
            // the forward pass's fused kernel: same sums in the same order, so unchanged maxima compare equal
            kernels.tableConvPool(w.pairTable(), net.groups, stride1, offsets, positions1, pool1, 0, l1, w.conv1Bias(), relu1,
                    pooled1, 0);
        }
        // conv2 over the zero-padded pooled map
        map = reuse ? recycle.map : new float[net.block1.outRows() * stride1];
        System.arraycopy(pooled1, 0, map, net.block1.outRow0() * stride1, l1 * stride1);
        raw2 = reuse ? recycle.raw2 : new float[net.conv2Length * n2];
        kernels.gemm(map, stride1, net.block2.depth(), w.gemmWeights()[0], n2, 0, net.conv2Length, raw2);
        prefix2 = reuse ? recycle.prefix2 : new float[net.conv2Length * n2];
        suffix2 = reuse ? recycle.suffix2 : new float[net.conv2Length * n2];
        net.prefixSuffix(raw2, n2, pool2, 0, pool2.outputLength(), prefix2, suffix2);
        pooled2 = reuse ? recycle.pooled2 : new float[pool2.outputLength() * n2];
        boolean relu2 = net.block2.relu();
        for (int j = 0; j < pool2.outputLength(); j++) {
            int last = (pool2.end(j) - 1) * n2;      // the running maximum at the window's last row is its maximum
            for (int o = 0; o < n2; o++) {
                pooled2[j * n2 + o] = act(prefix2[last + o] + w.gemmBias()[0][o], relu2);
            }
        }
        x = reuse ? recycle.x : new float[shape.denseInputs()];
        shape.flatten(pooled2, x);
        System.arraycopy(hl, 0, x, shape.flatSize(), shape.halfLifeCount());
        NetworkShape.DenseStep d1 = net.dense1;
        h1pre = reuse ? recycle.h1pre : new float[d1.outStride()];
        System.arraycopy(w.denseBias()[0], 0, h1pre, 0, h1pre.length);
        for (int i = 0; i < d1.in(); i++) {
            if (x[i] != 0f) {
                kernels.axpy(x[i], w.denseTransposed()[0], i * d1.outStride(), h1pre, 0, d1.out());
            }
        }
        float[][] act = new float[shape.dense().size()][];
        for (int l = 0; l < act.length; l++) {
            act[l] = new float[shape.dense().get(l).outStride()];
        }
        y = reuse ? recycle.y : new double[net.outputs];
        head(h1pre, new float[d1.out()], act, y);
    }

    /** The raw conv1 sums of the reference at position q: the tap pairs' table rows added in order. */
    void conv1Row(int q, float[] out, int outOff) {
        int k = net.c1.kernel();
        int stride1 = net.stride1;
        for (int g = 0; g < net.groups; g++) {
            int t1 = 2 * g;
            int cA = padded[q + t1];
            int cB = t1 + 1 < k ? padded[q + t1 + 1] : 0;
            int off = PairTable.rowOffset(g, cA, cB, stride1);
            if (g == 0) {
                System.arraycopy(w.pairTable(), off, out, outOff, stride1);
            } else {
                net.kernels.axpy(1f, w.pairTable(), off, out, outOff, stride1);
            }
        }
    }

    /** The rest of the network from the first dense layer's pre-activation, into {@code yy}. */
    void head(float[] pre, float[] scratchH, float[][] act, double[] yy) {
        NetworkShape.DenseStep d1 = net.dense1;
        boolean relu = d1.relu();
        float[] in = scratchH;
        for (int o = 0; o < d1.out(); o++) {
            in[o] = act(pre[o], relu);
        }
        for (int l = 1; l < net.shape.dense().size(); l++) {
            NetworkShape.DenseStep d = net.shape.dense().get(l);
            net.kernels.dense(in, d.in(), w.denseTransposed()[l], d.outStride(), w.denseBias()[l], d.relu(), act[l]);
            in = act[l];
        }
        for (int o = 0; o < yy.length; o++) {
            yy[o] = in[o];
        }
    }
}
