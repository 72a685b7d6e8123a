package dev.scep.formats.model;

import dev.scep.formats.text.TsvField;

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
            requireName(name);
            requireInRange(name, "inChannels", inChannels, 1, MAX_CHANNELS);
            requireInRange(name, "outChannels", outChannels, 1, MAX_CHANNELS);
            requireInRange(name, "kernel", kernel, 1, MAX_SPAN);
            requireInRange(name, "padLeft", padLeft, 0, MAX_SPAN);
            requireInRange(name, "padRight", padRight, 0, MAX_SPAN);
        }

        public int outputLength(int inputLength) {
            return Math.toIntExact(outputLength((long) inputLength));
        }

        /** The same in long arithmetic, for checking shapes that may not fit an int. */
        public long outputLength(long inputLength) {
            return inputLength + padLeft + padRight - kernel + 1;
        }
    }

    /**
     * Max pooling. Padding positions count as -infinity (PyTorch semantics); Keras 'valid' pooling is padding 0.
     * Output length is floor((L + padLeft + padRight - size) / stride) + 1, as in both frameworks.
     */
    record MaxPool1d(String name, int size, int stride, int padLeft, int padRight) implements Layer {
        public MaxPool1d {
            requireName(name);
            requireInRange(name, "size", size, 1, MAX_SPAN);
            requireInRange(name, "stride", stride, 1, MAX_SPAN);
            requireInRange(name, "padLeft", padLeft, 0, MAX_SPAN);
            requireInRange(name, "padRight", padRight, 0, MAX_SPAN);
            if (padLeft >= size || padRight >= size) {
                throw new IllegalArgumentException("layer " + name + ": pooling padding must be smaller than the window");
            }
        }

        public int outputLength(int inputLength) {
            return Math.toIntExact(outputLength((long) inputLength));
        }

        /** The same in long arithmetic, for checking shapes that may not fit an int. */
        public long outputLength(long inputLength) {
            return Math.floorDiv(inputLength + padLeft + padRight - size, stride) + 1;
        }
    }

    /** Flattens (channels, positions) to a vector in the given order. */
    record Flatten(String name, FlattenOrder order) implements Layer {
        public Flatten {
            requireName(name);
        }
    }

    /** Appends the model's (normalised) half-life features after the flattened sequence features. */
    record ConcatHalfLife(String name, int features) implements Layer {
        public ConcatHalfLife {
            requireName(name);
            requireInRange(name, "features", features, 0, MAX_FEATURES);
        }
    }

    /** Fully connected layer with bias. Weight layout [out][in] (PyTorch's Linear). */
    record Dense(String name, int inFeatures, int outFeatures, Activation activation) implements Layer {
        public Dense {
            requireName(name);
            requireInRange(name, "inFeatures", inFeatures, 1, MAX_FEATURES);
            requireInRange(name, "outFeatures", outFeatures, 1, MAX_FEATURES);
        }
    }

    /** Dropout: identity at inference; the rate is kept for training. */
    record Dropout(String name, float rate) implements Layer {
        public Dropout {
            requireName(name);
            if (!(rate >= 0f && rate < 1f)) {
                throw new IllegalArgumentException("layer " + name + ": dropout rate must be in [0, 1), got " + rate);
            }
        }
    }

    /** Channels, kernel and pooling spans, and vector widths beyond any scEP-family network, so a corrupted
     *  file cannot make an engine allocate from them (the largest here is far above the published models). */
    int MAX_CHANNELS = 1 << 16;
    int MAX_SPAN = SequenceEncoding.MAX_WINDOW;
    int MAX_FEATURES = 1 << 24;

    /** Layer names become tensor names and, in {@code export-weights}, file names: letters, digits, '_', '-', '.'. */
    private static void requireName(String name) {
        if (name == null || !name.matches("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}")) {
            throw new IllegalArgumentException("layer name '" + (name == null ? "null" : TsvField.printable(name))
                    + "' must be 1 to 128 letters, digits, '_', '-' or '.', not starting with '.' or '-'");
        }
    }

    private static void requireInRange(String layer, String what, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException("layer " + layer + ": " + what + " must be between "
                    + min + " and " + max + ", got " + value);
        }
    }
}
