package dev.scep.formats.model;

import java.util.ArrayList;
import java.util.List;

/**
 * The network as a list of layers, validated as a member of the scEP family:
 * {@code (Conv1d MaxPool1d)+ Flatten ConcatHalfLife (Dense Dropout?)+}, the last Dense without activation.
 * This covers the scEP multitask and tissue models, the sequence-only variant (0 half-life features) and Xpresso.
 * Lengths are in positions (bases at the input); immutable.
 *
 * @param layers the layers in the order data flows through them (copied)
 */
public record Architecture(List<Layer> layers) {

    /**
     * Shape of the tensor parameters a layer owns.
     *
     * @param name  the tensor's name, {@code <layer>.weight} or {@code <layer>.bias}
     * @param shape its dimensions: [out][in][k] for a convolution weight, [out][in] for a dense weight, [out] for a
     *              bias (the array is shared: do not modify it)
     */
    public record ParameterShape(String name, int[] shape) {
    }

    /**
     * Copies and checks the layers.
     *
     * @throws IllegalArgumentException when two layers share a name or the layers are not a member of the scEP family
     */
    public Architecture {
        layers = List.copyOf(layers);
        checkFamily(layers);
    }

    /**
     * Shape of the data after the convolution/pooling part, for a window of the given length.
     *
     * @param channels the channels of the last convolution
     * @param length   the positions left after the last pooling
     */
    public record FeatureMap(int channels, int length) {
    }

    /**
     * Checks that lengths and channel counts chain through the network for a window of {@code inputLength} bases,
     * and returns the map that reaches the Flatten layer.
     *
     * @param inputLength      the window length, in bases
     * @param halfLifeFeatures the number of half-life inputs the model declares
     * @return the channels and positions that reach the Flatten layer
     * @throws IllegalArgumentException naming the layer where channels, positions or input counts do not chain, where
     *                                  no positions are left, or where a size exceeds the family's bounds
     */
    public FeatureMap checkShapes(int inputLength, int halfLifeFeatures) {
        int channels = 4;
        long length = inputLength;   // long: the layers' bounds keep every step far from overflow
        long vector = -1;
        FeatureMap atFlatten = null;
        for (Layer layer : layers) {
            switch (layer) {
                case Layer.Conv1d c -> {
                    if (c.inChannels() != channels) {
                        throw new IllegalArgumentException("layer " + c.name() + " expects " + c.inChannels()
                                + " input channels but receives " + channels);
                    }
                    length = c.outputLength(length);
                    channels = c.outChannels();
                }
                case Layer.MaxPool1d p -> length = p.outputLength(length);
                case Layer.Flatten f -> {
                    if (length > Integer.MAX_VALUE || (long) channels * length > Layer.MAX_FEATURES) {
                        throw new IllegalArgumentException("layer " + f.name() + " would flatten " + channels + " x " + length
                                + " values, more than " + Layer.MAX_FEATURES);
                    }
                    atFlatten = new FeatureMap(channels, (int) length);
                    vector = channels * length;
                }
                case Layer.ConcatHalfLife h -> {
                    if (h.features() != halfLifeFeatures) {
                        throw new IllegalArgumentException("layer " + h.name() + " concatenates " + h.features()
                                + " half-life features but the model declares " + halfLifeFeatures);
                    }
                    vector += h.features();
                }
                case Layer.Dense d -> {
                    if (d.inFeatures() != vector) {
                        throw new IllegalArgumentException("layer " + d.name() + " expects " + d.inFeatures()
                                + " inputs but receives " + vector);
                    }
                    vector = d.outFeatures();
                }
                case Layer.Dropout ignored -> {
                }
            }
            if (length <= 0) {
                throw new IllegalArgumentException("layer " + layer.name() + " leaves no positions for a window of "
                        + inputLength + " bases");
            }
            if (length > 4L * SequenceEncoding.MAX_WINDOW) {
                throw new IllegalArgumentException("layer " + layer.name() + " produces " + length + " positions, more than "
                        + 4L * SequenceEncoding.MAX_WINDOW);
            }
        }
        return atFlatten;
    }

    /**
     * The number of values the network predicts per window.
     *
     * @return the output features of the last Dense layer
     */
    public int outputCount() {
        return ((Layer.Dense) layers.getLast()).outFeatures();
    }

    /**
     * The Flatten layer (there is exactly one).
     *
     * @return the Flatten layer
     */
    public Layer.Flatten flatten() {
        return layers.stream().filter(l -> l instanceof Layer.Flatten).map(l -> (Layer.Flatten) l).findFirst().orElseThrow();
    }

    /**
     * The convolutions.
     *
     * @return the Conv1d layers in data-flow order (at least one)
     */
    public List<Layer.Conv1d> convolutions() {
        return layers.stream().filter(l -> l instanceof Layer.Conv1d).map(l -> (Layer.Conv1d) l).toList();
    }

    /**
     * The poolings; the i-th follows the i-th convolution.
     *
     * @return the MaxPool1d layers in data-flow order
     */
    public List<Layer.MaxPool1d> pools() {
        return layers.stream().filter(l -> l instanceof Layer.MaxPool1d).map(l -> (Layer.MaxPool1d) l).toList();
    }

    /**
     * The fully connected layers.
     *
     * @return the Dense layers in data-flow order; the last one gives the outputs
     */
    public List<Layer.Dense> denseLayers() {
        return layers.stream().filter(l -> l instanceof Layer.Dense).map(l -> (Layer.Dense) l).toList();
    }

    /**
     * Every parameter tensor this architecture needs, in a stable order.
     *
     * @return per Conv1d and Dense layer in data-flow order, its weight then its bias
     */
    public List<ParameterShape> parameterShapes() {
        List<ParameterShape> out = new ArrayList<>();
        for (Layer layer : layers) {
            if (layer instanceof Layer.Conv1d c) {
                out.add(new ParameterShape(c.name() + ".weight", new int[]{c.outChannels(), c.inChannels(), c.kernel()}));
                out.add(new ParameterShape(c.name() + ".bias", new int[]{c.outChannels()}));
            } else if (layer instanceof Layer.Dense d) {
                out.add(new ParameterShape(d.name() + ".weight", new int[]{d.outFeatures(), d.inFeatures()}));
                out.add(new ParameterShape(d.name() + ".bias", new int[]{d.outFeatures()}));
            }
        }
        return out;
    }

    private static void checkFamily(List<Layer> layers) {
        int i = 0;
        int blocks = 0;
        java.util.Set<String> names = new java.util.HashSet<>();
        for (Layer l : layers) {
            if (!names.add(l.name())) {
                throw new IllegalArgumentException("two layers are named " + l.name());
            }
        }
        while (i + 1 < layers.size() && layers.get(i) instanceof Layer.Conv1d && layers.get(i + 1) instanceof Layer.MaxPool1d) {
            i += 2;
            blocks++;
        }
        if (blocks == 0) {
            throw new IllegalArgumentException(describe(layers) + ": must start with Conv1d, MaxPool1d");
        }
        if (i >= layers.size() || !(layers.get(i++) instanceof Layer.Flatten)) {
            throw new IllegalArgumentException(describe(layers) + ": the convolution blocks must be followed by Flatten");
        }
        if (i >= layers.size() || !(layers.get(i++) instanceof Layer.ConcatHalfLife)) {
            throw new IllegalArgumentException(describe(layers) + ": Flatten must be followed by ConcatHalfLife");
        }
        int dense = 0;
        while (i < layers.size()) {
            if (!(layers.get(i++) instanceof Layer.Dense)) {
                throw new IllegalArgumentException(describe(layers) + ": after ConcatHalfLife only Dense layers, each"
                        + " optionally followed by Dropout, may follow");
            }
            dense++;
            if (i < layers.size() && layers.get(i) instanceof Layer.Dropout) {
                i++;
            }
        }
        if (dense == 0) {
            throw new IllegalArgumentException(describe(layers) + ": needs at least one Dense layer");
        }
        if (!(layers.getLast() instanceof Layer.Dense last) || last.activation() != Activation.NONE) {
            throw new IllegalArgumentException(describe(layers) + ": must end with a Dense layer without activation");
        }
    }

    private static String describe(List<Layer> layers) {
        return "architecture " + layers.stream().map(l -> l.getClass().getSimpleName()).toList();
    }

    /**
     * The shared trunk of DESIGN §3: conv(4→128, k 6) → pool 30 → conv(128→32, k 9) → pool 10 → flatten →
     * half-life features → dense 64 (ReLU) → dropout. PyTorch semantics (symmetric padding, pool padding 1,
     * channel-major flatten) for scEP; Keras semantics ('same' padding, 'valid' pooling, position-major) for Xpresso.
     */
    private static List<Layer> trunk(boolean keras, int halfLifeFeatures, float dropout, int window) {
        Layer.Conv1d conv1 = new Layer.Conv1d("conv1", 4, 128, 6, 2, keras ? 3 : 2, Activation.RELU);
        Layer.MaxPool1d pool1 = new Layer.MaxPool1d("pool1", 30, 30, keras ? 0 : 1, keras ? 0 : 1);
        Layer.Conv1d conv2 = new Layer.Conv1d("conv2", 128, 32, 9, 4, 4, Activation.RELU);
        Layer.MaxPool1d pool2 = new Layer.MaxPool1d("pool2", 10, 10, 0, 0);
        int length = pool2.outputLength(conv2.outputLength(pool1.outputLength(conv1.outputLength(window))));
        if (length < 1) {
            throw new IllegalArgumentException("a " + window + "-nt window is too short for the scEP network (at least ~300 nt)");
        }
        return new ArrayList<>(List.of(conv1, pool1, conv2, pool2,
                new Layer.Flatten("flatten", keras ? FlattenOrder.POSITION_MAJOR : FlattenOrder.CHANNEL_MAJOR),
                new Layer.ConcatHalfLife("halflife", halfLifeFeatures),
                new Layer.Dense("dense1", 32 * length + halfLifeFeatures, 64, Activation.RELU),
                new Layer.Dropout("dropout1", dropout)));
    }

    /** The tissue-style head: Dense(2) → ReLU → Dropout → Dense(1). */
    private static Architecture withTissueHead(List<Layer> trunk, float dropout) {
        trunk.add(new Layer.Dense("dense2", 64, 2, Activation.RELU));
        trunk.add(new Layer.Dropout("dropout2", dropout));
        trunk.add(new Layer.Dense("dense3", 2, 1, Activation.NONE));
        return new Architecture(trunk);
    }

    /**
     * The scEP cell-population network of DESIGN §3 (PyTorch semantics) with the given number of outputs, for
     * 10,500-nt windows.
     *
     * @param outputs          the number of populations predicted
     * @param halfLifeFeatures the number of half-life inputs (5 for scEP, 0 for the sequence-only variant)
     * @return the architecture
     * @throws IllegalArgumentException when a count is out of range
     */
    public static Architecture scepMultitask(int outputs, int halfLifeFeatures) {
        return scepMultitask(outputs, halfLifeFeatures, 10_500);
    }

    /**
     * The scEP cell-population network for windows of {@code window} nt (the paper also tried 7,000 and 15,000).
     *
     * @param outputs          the number of populations predicted
     * @param halfLifeFeatures the number of half-life inputs (5 for scEP, 0 for the sequence-only variant)
     * @param window           the window length, in bases
     * @return the architecture
     * @throws IllegalArgumentException when a count is out of range or the window is too short (under ~300 nt)
     */
    public static Architecture scepMultitask(int outputs, int halfLifeFeatures, int window) {
        List<Layer> layers = trunk(false, halfLifeFeatures, 0.00099f, window);
        layers.add(new Layer.Dense("dense2", 64, outputs, Activation.NONE));
        return new Architecture(layers);
    }

    /**
     * The single-output scEP tissue network of DESIGN §3: two hidden dense layers, like Xpresso; 10,500-nt windows.
     *
     * @param halfLifeFeatures the number of half-life inputs (5 for scEP, 0 for the sequence-only variant)
     * @return the architecture
     * @throws IllegalArgumentException when the count is out of range
     */
    public static Architecture scepTissue(int halfLifeFeatures) {
        return scepTissue(halfLifeFeatures, 10_500);
    }

    /**
     * The scEP tissue network for windows of {@code window} nt.
     *
     * @param halfLifeFeatures the number of half-life inputs (5 for scEP, 0 for the sequence-only variant)
     * @param window           the window length, in bases
     * @return the architecture
     * @throws IllegalArgumentException when the count is out of range or the window is too short (under ~300 nt)
     */
    public static Architecture scepTissue(int halfLifeFeatures, int window) {
        return withTissueHead(trunk(false, halfLifeFeatures, 0.00099f, window), 0.01546f);
    }

    /**
     * The published Xpresso network (Keras semantics: 'same' conv padding, 'valid' pooling, position-major flatten),
     * for 10,500-nt windows.
     *
     * @param halfLifeFeatures the number of half-life inputs (6 in the published models)
     * @return the architecture
     * @throws IllegalArgumentException when the count is out of range
     */
    public static Architecture xpresso(int halfLifeFeatures) {
        return withTissueHead(trunk(true, halfLifeFeatures, 0.000992864149624538f, 10_500), 0.015461061523035332f);
    }
}
