package dev.scep.formats.model;

/**
 * One layer of a scEP-family network, in the order data flows through it.
 *
 * <p>The set is closed on purpose: the CPU and GPU engines implement exactly these kinds, and the model
 * file stores each by a numeric kind code (see {@code formats/FORMAT.md}).
 */
public sealed interface Layer
        permits Layer.Conv1d, Layer.MaxPool1d, Layer.Flatten, Layer.ConcatHalfLife, Layer.Dense, Layer.Dropout {

    /** Layer name; parameter tensors are named {@code <name>.weight} and {@code <name>.bias}. */
    String name();

    /** A 1-D convolution over (channels, positions), stride 1, zero padding, with bias. Weight layout [out][in][k]. */
    record Conv1d(String name, int inChannels, int outChannels, int kernel, int padLeft, int padRight,
                  Activation activation) implements Layer {
        public Conv1d {
            requirePositive(name, "inChannels", inChannels);
            requirePositive(name, "outChannels", outChannels);
            requirePositive(name, "kernel", kernel);
            requireNonNegative(name, "padLeft", padLeft);
            requireNonNegative(name, "padRight", padRight);
        }

        public int outputLength(int inputLength) {
            return inputLength + padLeft + padRight - kernel + 1;
        }
    }

    /**
     * Max pooling. Padding positions count as -infinity (PyTorch semantics); Keras 'valid' pooling is padding 0.
     * Output length is floor((L + padLeft + padRight - size) / stride) + 1, as in both frameworks.
     */
    record MaxPool1d(String name, int size, int stride, int padLeft, int padRight) implements Layer {
        public MaxPool1d {
            requirePositive(name, "size", size);
            requirePositive(name, "stride", stride);
            requireNonNegative(name, "padLeft", padLeft);
            requireNonNegative(name, "padRight", padRight);
            if (padLeft >= size || padRight >= size) {
                throw new IllegalArgumentException("layer " + name + ": pooling padding must be smaller than the window");
            }
        }

        public int outputLength(int inputLength) {
            return Math.floorDiv(inputLength + padLeft + padRight - size, stride) + 1;
        }
    }

    /** Flattens (channels, positions) to a vector in the given order. */
    record Flatten(String name, FlattenOrder order) implements Layer {
    }

    /** Appends the model's (normalised) half-life features after the flattened sequence features. */
    record ConcatHalfLife(String name, int features) implements Layer {
        public ConcatHalfLife {
            requireNonNegative(name, "features", features);
        }
    }

    /** Fully connected layer with bias. Weight layout [out][in] (PyTorch's Linear). */
    record Dense(String name, int inFeatures, int outFeatures, Activation activation) implements Layer {
        public Dense {
            requirePositive(name, "inFeatures", inFeatures);
            requirePositive(name, "outFeatures", outFeatures);
        }
    }

    /** Dropout: identity at inference; the rate is kept for training. */
    record Dropout(String name, float rate) implements Layer {
        public Dropout {
            if (!(rate >= 0f && rate < 1f)) {
                throw new IllegalArgumentException("layer " + name + ": dropout rate must be in [0, 1), got " + rate);
            }
        }
    }

    private static void requirePositive(String layer, String what, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException("layer " + layer + ": " + what + " must be positive, got " + value);
        }
    }

    private static void requireNonNegative(String layer, String what, int value) {
        if (value < 0) {
            throw new IllegalArgumentException("layer " + layer + ": " + what + " must not be negative, got " + value);
        }
    }
}
