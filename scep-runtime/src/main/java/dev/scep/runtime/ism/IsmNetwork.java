package dev.scep.runtime.ism;

import dev.scep.formats.model.Layer;
import dev.scep.runtime.cpu.Kernels;
import dev.scep.runtime.network.NetworkShape;
import dev.scep.runtime.network.PackedWeights;
import dev.scep.runtime.network.PoolGeometry;
import dev.scep.runtime.network.WeightLayout;
import dev.scep.runtime.network.WeightSource;

/**
 * What the parts of incremental ISM share: the two-block network's shape (from {@link NetworkShape}, under the short
 * names the propagation code reads), the kernels, and the running-maximum steps of both pooling layers.
 */
final class IsmNetwork {
    final Kernels kernels;
    final NetworkShape shape;
    final NetworkShape.LookupBlock block1;
    final NetworkShape.GemmBlock block2;
    final NetworkShape.DenseStep dense1;
    final Layer.Conv1d c1;
    final Layer.Conv1d c2;
    final int stride1;          // conv1 / pool1 channels, padded
    final int n2;               // conv2 / pool2 channels, padded
    final int groups;           // conv1's tap pairs
    final int positions1;       // conv1 outputs
    final PoolGeometry pool1;
    final int conv2Length;
    final PoolGeometry pool2;
    final int outputs;

    /** One member's weights: the layouts every CPU engine reads, plus conv2 by input channel for rank-one updates. */
    record Weights(PackedWeights packed, float[] conv2ByInput) {
    }

    IsmNetwork(NetworkShape shape, Kernels kernels) {
        this.kernels = kernels;
        this.shape = shape;
        this.block1 = shape.first();
        this.block2 = shape.gemmBlocks().getFirst();
        this.dense1 = shape.dense().getFirst();
        this.c1 = block1.conv();
        this.c2 = block2.conv();
        this.stride1 = block1.outStride();
        this.n2 = block2.outStride();
        this.groups = block1.groups();
        this.positions1 = block1.convLength();
        this.pool1 = block1.pool();
        this.conv2Length = block2.convLength();
        this.pool2 = block2.pool();
        this.outputs = shape.outputs();
    }

    Weights pack(WeightLayout layout, WeightSource member) {
        return new Weights(layout.pack(member), WeightLayout.byInputChannel(block2, member.weight(c2)));
    }

    /** Running maxima from each pool window's start (prefix) and to its end (suffix), per channel, windows [j0, j1). */
    void prefixSuffix(float[] map, int stride, PoolGeometry pool, int j0, int j1, float[] prefix, float[] suffix) {
        for (int j = j0; j < j1; j++) {
            int ws = pool.start(j);
            int we = pool.end(j);
            System.arraycopy(map, ws * stride, prefix, ws * stride, stride);
            for (int q = ws + 1; q < we; q++) {
                kernels.maxRows(prefix, (q - 1) * stride, map, q * stride, 1, 0, prefix, q * stride, stride);
            }
            System.arraycopy(map, (we - 1) * stride, suffix, (we - 1) * stride, stride);
            for (int q = we - 2; q >= ws; q--) {
                kernels.maxRows(suffix, (q + 1) * stride, map, q * stride, 1, 0, suffix, q * stride, stride);
            }
        }
    }

    /**
     * out[c] = max over the rows of pool window [ws, we) outside [lo, hi], from the prefix maximum before lo and the
     * suffix maximum after hi; false (out untouched) when [lo, hi] covers the whole window.
     */
    boolean unchangedMax(float[] prefix, float[] suffix, int stride, int ws, int we, int lo, int hi, float[] out) {
        if (lo > ws && hi < we - 1) {
            kernels.maxRows(prefix, (lo - 1) * stride, suffix, (hi + 1) * stride, 1, 0, out, 0, stride);
        } else if (lo > ws) {
            System.arraycopy(prefix, (lo - 1) * stride, out, 0, stride);
        } else if (hi < we - 1) {
            System.arraycopy(suffix, (hi + 1) * stride, out, 0, stride);
        } else {
            return false;
        }
        return true;
    }

    /** out[c] = max(base[c] when hasBase, the {@code rows} new rows at {@code newRows[newOff...]}). */
    void withNewRows(boolean hasBase, float[] base, float[] newRows, int newOff, int rows, int stride, float[] out) {
        if (hasBase) {
            kernels.maxRows(base, 0, newRows, newOff, rows, stride, out, 0, stride);
        } else {
            kernels.maxRows(newRows, newOff, newRows, newOff + stride, rows - 1, stride, out, 0, stride);
        }
    }

    static float act(float v, boolean relu) {
        return relu ? Math.max(0f, v) : v;
    }
}
