package dev.scep.formats.model;

import dev.scep.formats.text.TsvField;

/**
 * One layer of a scEP-family network, in the order data flows through it.
 *
 * <p>The set is closed on purpose: the CPU and GPU engines implement exactly these kinds, and the model
 * file stores each by a numeric kind code (see {@code formats/FORMAT.md}).
 *
 * <p>Lengths, kernels, strides and paddings count positions along the sequence (bases at the input). Every layer is
 * an immutable record whose constructor checks its values and throws {@link IllegalArgumentException} naming the layer
 * when one is out of range.
 */
public sealed interface Layer
        permits Layer.Conv1d, Layer.MaxPool1d, Layer.Flatten, Layer.ConcatHalfLife, Layer.Dense, Layer.Dropout {

    /**
     * Layer name; parameter tensors are named {@code <name>.weight} and {@code <name>.bias}.
     *
     * @return 1 to 128 letters, digits, '_', '-' or '.', unique within the architecture
     */
    String name();

    /**
     * A 1-D convolution over (channels, positions), stride 1, zero padding, with bias. Weight layout [out][in][k].
     *
     * @param name        the layer's name
     * @param inChannels  input channels (4 for the first layer: one per base)
     * @param outChannels output channels (filters)
     * @param kernel      kernel width, in positions
     * @param padLeft     zero positions added before the input
     * @param padRight    zero positions added after the input
     * @param activation  applied to the output
     */
    record Conv1d(String name, int inChannels, int outChannels, int kernel, int padLeft, int padRight,
                  Activation activation) implements Layer {
        /** Checks the values (see {@link Layer}). */
        public Conv1d {
            requireName(name);
            requireInRange(name, "inChannels", inChannels, 1, MAX_CHANNELS);
            requireInRange(name, "outChannels", outChannels, 1, MAX_CHANNELS);
            requireInRange(name, "kernel", kernel, 1, MAX_SPAN);
            requireInRange(name, "padLeft", padLeft, 0, MAX_SPAN);
            requireInRange(name, "padRight", padRight, 0, MAX_SPAN);
        }

        /**
         * The output length for an input of {@code inputLength} positions.
         *
         * @param inputLength positions in
         * @return {@code inputLength + padLeft + padRight - kernel + 1}; zero or negative when the input is too short
         * @throws ArithmeticException when the result does not fit an int
         */
        public int outputLength(int inputLength) {
            return Math.toIntExact(outputLength((long) inputLength));
        }

        /**
         * The same in long arithmetic, for checking shapes that may not fit an int.
         *
         * @param inputLength positions in
         * @return {@code inputLength + padLeft + padRight - kernel + 1}
         */
        public long outputLength(long inputLength) {
            return inputLength + padLeft + padRight - kernel + 1;
        }
    }

    /**
     * Max pooling. Padding positions count as -infinity (PyTorch semantics); Keras 'valid' pooling is padding 0.
     * Output length is floor((L + padLeft + padRight - size) / stride) + 1, as in both frameworks.
     *
     * @param name     the layer's name
     * @param size     the pooling window, in positions
     * @param stride   positions between the starts of consecutive windows
     * @param padLeft  padding positions before the input, fewer than {@code size}
     * @param padRight padding positions after the input, fewer than {@code size}
     */
    record MaxPool1d(String name, int size, int stride, int padLeft, int padRight) implements Layer {
        /** Checks the values (see {@link Layer}); the paddings must also be smaller than the window. */
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

        /**
         * The output length for an input of {@code inputLength} positions.
         *
         * @param inputLength positions in
         * @return {@code floor((inputLength + padLeft + padRight - size) / stride) + 1}; zero or negative when the
         *         input is too short
         * @throws ArithmeticException when the result does not fit an int
         */
        public int outputLength(int inputLength) {
            return Math.toIntExact(outputLength((long) inputLength));
        }

        /**
         * The same in long arithmetic, for checking shapes that may not fit an int.
         *
         * @param inputLength positions in
         * @return {@code floor((inputLength + padLeft + padRight - size) / stride) + 1}
         */
        public long outputLength(long inputLength) {
            return Math.floorDiv(inputLength + padLeft + padRight - size, stride) + 1;
        }
    }

    /**
     * Flattens (channels, positions) to a vector in the given order.
     *
     * @param name  the layer's name
     * @param order channel-major (PyTorch) or position-major (Keras)
     */
    record Flatten(String name, FlattenOrder order) implements Layer {
        /** Checks the name (see {@link Layer}). */
        public Flatten {
            requireName(name);
        }
    }

    /**
     * Appends the model's (normalised) half-life features after the flattened sequence features.
     *
     * @param name     the layer's name
     * @param features the number of half-life features appended (0 for a sequence-only model)
     */
    record ConcatHalfLife(String name, int features) implements Layer {
        /** Checks the values (see {@link Layer}). */
        public ConcatHalfLife {
            requireName(name);
            requireInRange(name, "features", features, 0, MAX_FEATURES);
        }
    }

    /**
     * Fully connected layer with bias. Weight layout [out][in] (PyTorch's Linear).
     *
     * @param name        the layer's name
     * @param inFeatures  inputs
     * @param outFeatures outputs
     * @param activation  applied to the output
     */
    record Dense(String name, int inFeatures, int outFeatures, Activation activation) implements Layer {
        /** Checks the values (see {@link Layer}). */
        public Dense {
            requireName(name);
            requireInRange(name, "inFeatures", inFeatures, 1, MAX_FEATURES);
            requireInRange(name, "outFeatures", outFeatures, 1, MAX_FEATURES);
        }
    }

    /**
     * Dropout: identity at inference; the rate is kept for training.
     *
     * @param name the layer's name
     * @param rate the probability of dropping an input during training, in [0, 1)
     */
    record Dropout(String name, float rate) implements Layer {
        /** Checks the values (see {@link Layer}). */
        public Dropout {
            requireName(name);
            if (!(rate >= 0f && rate < 1f)) {
                throw new IllegalArgumentException("layer " + name + ": dropout rate must be in [0, 1), got " + rate);
            }
        }
    }

    /*
     * Channels, kernel and pooling spans, and vector widths beyond any scEP-family network, so a corrupted
     * file cannot make an engine allocate from them (the largest here is far above the published models).
     */

    /** The most channels a convolution may take or give (65,536): beyond any scEP-family network. */
    int MAX_CHANNELS = 1 << 16;
    /** The largest kernel, pooling window, stride or padding, in positions: the longest window (16 Mb). */
    int MAX_SPAN = SequenceEncoding.MAX_WINDOW;
    /** The widest vector a Dense or ConcatHalfLife layer may take or give, or Flatten produce (2<sup>24</sup>). */
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
