package dev.scep.formats.model;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A dense float32 tensor, row-major. The data is a {@link MemorySegment}: a slice of the memory-mapped model file
 * when read, or a heap segment when built in memory. Values are little-endian in both cases.
 *
 * <p>Immutable (the segment is given out read-only); safe to share between threads.
 * Indices are flat, row-major and 0-based.
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

    /**
     * Wraps little-endian float32 bytes, e.g. a slice of a mapped file.
     *
     * @param shape              the dimensions (copied)
     * @param littleEndianFloats the values, row-major; not copied, so they must not change afterwards
     * @return the tensor
     * @throws IllegalArgumentException when the segment's size is not 4 bytes per element of {@code shape}, or a
     *                                  dimension is negative
     * @throws ArithmeticException      when the element count overflows a long
     */
    public static Tensor wrap(int[] shape, MemorySegment littleEndianFloats) {
        return new Tensor(shape, littleEndianFloats);
    }

    /**
     * Copies the values into a new tensor.
     *
     * @param shape  the dimensions (copied)
     * @param values the values, row-major (copied)
     * @return the tensor, on the heap
     * @throws IllegalArgumentException when the number of values does not fit {@code shape}, or a dimension is negative
     * @throws ArithmeticException      when the element count overflows
     */
    public static Tensor of(int[] shape, float[] values) {
        MemorySegment seg = MemorySegment.ofArray(new byte[Math.multiplyExact(values.length, Float.BYTES)]);
        for (int i = 0; i < values.length; i++) {
            seg.setAtIndex(LE_FLOAT, i, values[i]);
        }
        return new Tensor(shape, seg);
    }

    /**
     * The number of elements a shape holds.
     *
     * @param shape the dimensions
     * @return their product (1 for rank 0)
     * @throws IllegalArgumentException when a dimension is negative
     * @throws ArithmeticException      when the product overflows a long
     */
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

    /**
     * The dimensions.
     *
     * @return a copy of the shape
     */
    public int[] shape() {
        return shape.clone();
    }

    /**
     * The number of dimensions.
     *
     * @return the rank
     */
    public int rank() {
        return shape.length;
    }

    int dim(int i) {
        return shape[i];
    }

    /**
     * The number of elements.
     *
     * @return the product of the dimensions
     */
    public long size() {
        return elementCount(shape);
    }

    /**
     * The raw little-endian bytes.
     *
     * @return a read-only view of the values, 4 bytes each, row-major
     */
    public MemorySegment segment() {
        return data.asReadOnly();
    }

    /**
     * One element.
     *
     * @param index the flat row-major index, {@code < size()}
     * @return the value
     * @throws IndexOutOfBoundsException when the index is outside the tensor
     */
    public float get(long index) {
        return data.getAtIndex(LE_FLOAT, index);
    }

    /**
     * All elements.
     *
     * @return a new array of the values, row-major
     * @throws ArithmeticException when the tensor has more elements than an array holds
     */
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

    /**
     * Whether two tensors hold the same values.
     *
     * @param other another tensor
     * @return true when the shapes are equal and the bytes are identical (so {@code -0.0} differs from {@code 0.0},
     *         and a NaN equals the same NaN)
     */
    public boolean contentEquals(Tensor other) {
        return Arrays.equals(shape, other.shape) && data.mismatch(other.data) == -1;
    }

    @Override
    public String toString() {
        return "Tensor" + Arrays.toString(shape);
    }
}
