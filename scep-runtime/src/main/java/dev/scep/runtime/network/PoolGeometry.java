package dev.scep.runtime.network;

import dev.scep.formats.model.Layer;

/** Which input positions each max-pool window covers (padding positions are skipped, i.e. count as −∞). */
public record PoolGeometry(int size, int stride, int padLeft, int inputLength, int outputLength) {

    public static PoolGeometry of(Layer.MaxPool1d p, int inputLength) {
        return new PoolGeometry(p.size(), p.stride(), p.padLeft(), inputLength, p.outputLength(inputLength));
    }

    /** First input position of window j (inclusive). */
    public int start(int j) {
        return Math.max(0, j * stride - padLeft);
    }

    /** Last input position of window j (exclusive). */
    public int end(int j) {
        return Math.min(inputLength, j * stride - padLeft + size);
    }

    /** The first window that holds input position q (ISM walks from there to the windows a change reaches). */
    public int firstWindowContaining(int q) {
        int j = Math.max(0, (q + padLeft - size) / stride);
        while (j > 0 && end(j - 1) > q) {
            j--;
        }
        while (j < outputLength - 1 && end(j) <= q) {
            j++;
        }
        return j;
    }
}
