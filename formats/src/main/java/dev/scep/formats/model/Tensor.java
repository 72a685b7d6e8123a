package dev.scep.formats.model;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A dense float32 tensor, row-major. The data is a {@link MemorySegment}: a slice of the memory-mapped model file
 * when read, or a heap segment when built in memory. Values are little-endian in both cases.
 */
public final class Tensor {
    private static final ValueLayout.OfFloat LE_FLOAT =
            ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final int[] shape;
    private final MemorySegment data;

    private Tensor(int[] shape, MemorySegment data) {
        this.shape = shape.clone();
        this.data = data;
        long expected = elementCount(shape) * Float.BYTES;
        if (data.byteSize() != expected) {
            throw new IllegalArgumentException("tensor of shape " + Arrays.toString(shape) + " needs " + expected
                    + " bytes, got " + data.byteSize());
        }
    }

    /** Wraps little-endian float32 bytes, e.g. a slice of a mapped file. */
    public static Tensor wrap(int[] shape, MemorySegment littleEndianFloats) {
        return new Tensor(shape, littleEndianFloats);
    }

    /** Copies the values into a new tensor. */
    public static Tensor of(int[] shape, float[] values) {
        MemorySegment seg = MemorySegment.ofArray(new byte[Math.multiplyExact(values.length, Float.BYTES)]);
        for (int i = 0; i < values.length; i++) {
            seg.setAtIndex(LE_FLOAT, i, values[i]);
        }
        return new Tensor(shape, seg);
    }

    public static long elementCount(int[] shape) {
        long n = 1;
        for (int d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in " + Arrays.toString(shape));
            }
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    public int[] shape() {
        return shape.clone();
    }

    public int rank() {
        return shape.length;
    }

    int dim(int i) {
        return shape[i];
    }

    public long size() {
        return elementCount(shape);
    }

    /** The raw little-endian bytes (read-only view semantics: callers must not write). */
    public MemorySegment segment() {
        return data;
    }

    public float get(long index) {
        return data.getAtIndex(LE_FLOAT, index);
    }

    public float[] toArray() {
        float[] out = new float[Math.toIntExact(size())];
        for (int i = 0; i < out.length; i++) {
            out[i] = data.getAtIndex(LE_FLOAT, i);
        }
        return out;
    }

    /** Index of the first non-finite value, or -1. */
    long firstNonFinite() {
        long n = size();
        for (long i = 0; i < n; i++) {
            if (!Float.isFinite(get(i))) {
                return i;
            }
        }
        return -1;
    }

    public boolean contentEquals(Tensor other) {
        return Arrays.equals(shape, other.shape) && data.mismatch(other.data) == -1;
    }

    @Override
    public String toString() {
        return "Tensor" + Arrays.toString(shape);
    }
}
