package dev.scep.formats.keras;

import dev.scep.formats.json.Json;
import dev.scep.formats.model.Activation;
import dev.scep.formats.model.Architecture;
import dev.scep.formats.model.FlattenOrder;
import dev.scep.formats.model.HalfLifeFeature;
import dev.scep.formats.model.Layer;
import dev.scep.formats.model.ModelFormatException;
import dev.scep.formats.model.OutputSpec;
import dev.scep.formats.model.ScepModel;
import dev.scep.formats.model.SequenceEncoding;
import dev.scep.formats.model.Tensor;
import io.jhdf.HdfFile;
import io.jhdf.api.Attribute;
import io.jhdf.api.Dataset;
import io.jhdf.api.Node;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Imports a Keras (HDF5) model of the Xpresso family into a {@link ScepModel}.
 *
 * <p>The architecture is read from the file's own {@code model_config}, not assumed: Conv1D ('same' or 'valid'),
 * MaxPooling1D ('valid'), Flatten, a second input concatenated after it, then Dense layers whose ReLU may be a
 * separate Activation layer, with Dropout between. Anything else is refused with the layer named. Keras semantics
 * are recorded in the result: 'same' padding (for even kernels one more zero on the right), position-major
 * flatten, channels A, C, G, T with N all zero. Keras kernels ([k][in][out], [in][out]) are transposed to the
 * .scep layout ([out][in][k], [out][in]).
 *
 * <p>Stateless: {@link #importModel} may be called from several threads at once.
 */
public final class KerasImporter {

    /**
     * What the Keras file cannot say: window geometry, names, and where the model came from.
     *
     * @param upstream      bases of the model's input before the TSS: the TSS is input position {@code upstream}
     *                      (0-based) and the rest of the input is downstream
     * @param outputName    the name of the model's single output
     * @param halfLifeNames the names of the half-life inputs, in input order; null for {@code halflife_1},
     *                      {@code halflife_2}...
     */
    public record Options(int upstream, String outputName, List<String> halfLifeNames) {
        /**
         * The published Xpresso models' options.
         *
         * @return 7,000 bases upstream, output {@code expression}, half-life inputs named {@code halflife_1}...
         */
        public static Options xpressoDefaults() {
            return new Options(7000, "expression", null);
        }
    }

    private KerasImporter() {
    }

    /**
     * Imports a Keras model.
     *
     * @param h5      a Keras HDF5 file, as {@code model.save()} writes it
     * @param options what the file cannot say
     * @return the model with one ensemble member, {@link dev.scep.formats.model.SequenceEncoding#XPRESSO}-style
     *         encoding (channels A, C, G, T; N all zero), half-life inputs passed through unchanged, and the file's
     *         name, MD5 and SHA-256 as provenance
     * @throws java.nio.file.NoSuchFileException when {@code h5} is not a regular file
     * @throws ModelFormatException naming the file when it is not a Keras model, holds a layer or setting scep does not
     *                              support, or does not fit {@code options}
     * @throws IOException          when the file cannot be read
     */
    public static ScepModel importModel(Path h5, Options options) throws IOException {
        if (!Files.isRegularFile(h5)) {
            throw new java.nio.file.NoSuchFileException(h5.toString(), null, "Keras model file not found");
        }
        try (HdfFile hdf = dev.scep.formats.hdf5.Hdf5Files.open(h5)) {
            Attribute configAttr = hdf.getAttribute("model_config");
            if (configAttr == null) {
                throw new ModelFormatException(h5, "no model_config attribute: not a Keras model saved with model.save()");
            }
            Object configData = configAttr.getData();
            String configJson = configData instanceof String[] arr ? arr[0] : String.valueOf(configData);
            Map<String, Object> config = asMap(Json.parse(configJson), h5, "model_config");
            return build(h5, hdf, config, options);
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(h5, e.getMessage(), e);
        } catch (RuntimeException e) {
            // jhdf reports a damaged or foreign file with assorted unchecked exceptions
            throw new ModelFormatException(h5, "cannot read it as a Keras HDF5 model: "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()), e);
        }
    }

    private static ScepModel build(Path h5, HdfFile hdf, Map<String, Object> config, Options options) throws IOException {
        Map<String, Object> inner = asMap(config.get("config"), h5, "model_config.config");
        List<Object> layerList = asList(inner.get("layers"), h5, "model_config.config.layers");
        List<Layer> layers = new ArrayList<>();
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        int sequenceLength = -1;
        int halfLifeCount = -1;
        int channels = -1;
        int convIndex = 0, poolIndex = 0, denseIndex = 0, dropoutIndex = 0;
        String previousDense = null;
        for (Object o : layerList) {
            Map<String, Object> layer = asMap(o, h5, "layer");
            String cls = String.valueOf(layer.get("class_name"));
            Map<String, Object> c = asMap(layer.get("config"), h5, "layer config");
            String kerasName = String.valueOf(c.get("name"));
            String where = "layer " + kerasName + " (" + cls + ")";
            switch (cls) {
                case "InputLayer" -> {
                    List<Object> shape = asList(c.get("batch_input_shape"), h5, where + " batch_input_shape");
                    if (shape.size() == 3) {
                        sequenceLength = intValue(shape.get(1), h5, where);
                        channels = intValue(shape.get(2), h5, where);
                        if (channels != 4) {
                            throw new ModelFormatException(h5, where + ": sequence input has " + channels + " channels, expected 4");
                        }
                    } else if (shape.size() == 2) {
                        halfLifeCount = intValue(shape.get(1), h5, where);
                    } else {
                        throw new ModelFormatException(h5, where + ": unsupported input shape " + shape);
                    }
                }
                case "Conv1D" -> {
                    requireValue(h5, where, c, "strides", List.of(1L));
                    requireValue(h5, where, c, "dilation_rate", List.of(1L));
                    requireValue(h5, where, c, "use_bias", Boolean.TRUE);
                    int k = intValue(asList(c.get("kernel_size"), h5, where).getFirst(), h5, where);
                    int filters = intValue(c.get("filters"), h5, where);
                    String padding = String.valueOf(c.get("padding"));
                    int padLeft, padRight;
                    switch (padding) {
                        case "same" -> {
                            padLeft = (k - 1) / 2;
                            padRight = k - 1 - padLeft;
                        }
                        case "valid" -> {
                            padLeft = 0;
                            padRight = 0;
                        }
                        default -> throw new ModelFormatException(h5, where + ": padding '" + padding + "' is not supported");
                    }
                    String name = "conv" + (++convIndex);
                    // the stored kernel [k][in][out] says how many channels come in; Architecture checks they chain
                    Weights wb = weights(hdf, h5, kerasName, where, 3, filters);
                    if (wb.kernelDims()[0] != k) {
                        throw new ModelFormatException(h5, where + ": kernel has " + wb.kernelDims()[0] + " taps, config says " + k);
                    }
                    int inChannels = wb.kernelDims()[1];
                    layers.add(new Layer.Conv1d(name, inChannels, filters, k, padLeft, padRight, activation(c, h5, where)));
                    tensors.put(name + ".weight", Tensor.of(new int[]{filters, inChannels, k}, transposeConvKernel(wb.kernel(), k, inChannels, filters)));
                    tensors.put(name + ".bias", Tensor.of(new int[]{filters}, wb.bias()));
                }
                case "MaxPooling1D" -> {
                    if (!"valid".equals(c.get("padding"))) {
                        throw new ModelFormatException(h5, where + ": only 'valid' pooling is supported, got " + c.get("padding"));
                    }
                    int size = intValue(asList(c.get("pool_size"), h5, where).getFirst(), h5, where);
                    int stride = intValue(asList(c.get("strides"), h5, where).getFirst(), h5, where);
                    layers.add(new Layer.MaxPool1d("pool" + (++poolIndex), size, stride, 0, 0));
                }
                case "Flatten" -> layers.add(new Layer.Flatten("flatten", FlattenOrder.POSITION_MAJOR));
                case "Concatenate" -> {
                    if (halfLifeCount < 0) {
                        throw new ModelFormatException(h5, where + ": no second (half-life) input was declared before it");
                    }
                    checkConcatenationOrder(layer, h5, where);
                    layers.add(new Layer.ConcatHalfLife("halflife", halfLifeCount));
                }
                case "Dense" -> {
                    requireValue(h5, where, c, "use_bias", Boolean.TRUE);
                    int units = intValue(c.get("units"), h5, where);
                    String name = "dense" + (++denseIndex);
                    Weights wb = weights(hdf, h5, kerasName, where, 2, units); // kernel [in][out]
                    int in = wb.kernelDims()[0];
                    layers.add(new Layer.Dense(name, in, units, activation(c, h5, where)));
                    tensors.put(name + ".weight", Tensor.of(new int[]{units, in}, transpose(wb.kernel(), in, units)));
                    tensors.put(name + ".bias", Tensor.of(new int[]{units}, wb.bias()));
                    previousDense = name;
                }
                case "Activation" -> {
                    String act = String.valueOf(c.get("activation"));
                    Layer last = layers.isEmpty() ? null : layers.getLast();
                    if (!(last instanceof Layer.Dense d) || !d.name().equals(previousDense) || d.activation() != Activation.NONE) {
                        throw new ModelFormatException(h5, where + ": a separate Activation is supported only right after a"
                                + " Dense layer without activation");
                    }
                    layers.set(layers.size() - 1, new Layer.Dense(d.name(), d.inFeatures(), d.outFeatures(), activationOf(act, h5, where)));
                }
                case "Dropout" -> layers.add(new Layer.Dropout("dropout" + (++dropoutIndex),
                        (float) doubleValue(c.get("rate"), h5, where)));
                default -> throw new ModelFormatException(h5, where + ": layer type " + cls + " is not supported by scep");
            }
        }
        if (sequenceLength < 0) {
            throw new ModelFormatException(h5, "no sequence input layer of shape (length, 4) found");
        }
        if (halfLifeCount < 0) {
            halfLifeCount = 0;
        }
        int upstream = options.upstream();
        if (upstream < 0 || upstream >= sequenceLength) {
            throw new ModelFormatException(h5, "upstream length " + upstream + " does not fit the model's " + sequenceLength + "-base input");
        }
        List<String> names = options.halfLifeNames();
        if (names == null) {
            names = new ArrayList<>();
            for (int i = 1; i <= halfLifeCount; i++) {
                names.add("halflife_" + i);
            }
        } else if (names.size() != halfLifeCount) {
            throw new ModelFormatException(h5, halfLifeCount + " half-life features in the model but " + names.size() + " names given");
        }
        Map<String, String> provenance = new LinkedHashMap<>();
        provenance.put("source", "keras-hdf5");
        provenance.put("source.file", h5.getFileName().toString());
        provenance.put("source.md5", dev.scep.formats.io.FileDigest.of(h5, "MD5"));
        provenance.put("source.sha256", dev.scep.formats.io.FileDigest.of(h5, "SHA-256"));
        provenance.put("source.keras_model_name", String.valueOf(inner.get("name")));
        Attribute kv = hdf.getAttribute("keras_version");
        if (kv != null) {
            provenance.put("source.keras_version", String.valueOf(kv.getData()));
        }
        provenance.put("halflife.note", "the Keras model takes its half-life inputs already transformed and scaled;"
                + " scep passes them through unchanged");
        try {
            return new ScepModel(new Architecture(layers),
                    new SequenceEncoding("ACGT", dev.scep.formats.model.AmbiguityRule.ZERO, upstream, sequenceLength - upstream),
                    List.of(OutputSpec.unscaled(options.outputName())),
                    names.stream().map(HalfLifeFeature::raw).toList(), provenance, List.of(tensors));
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(h5, "the Keras model does not fit the scEP family: " + e.getMessage(), e);
        }
    }

    /** Keras lists the concatenation inputs; scep appends the half-life input after the flattened sequence. */
    private static void checkConcatenationOrder(Map<String, Object> layer, Path h5, String where) throws ModelFormatException {
        Object nodes = layer.get("inbound_nodes");
        if (nodes instanceof List<?> outer && !outer.isEmpty() && outer.getFirst() instanceof List<?> inputs && inputs.size() == 2
                && inputs.get(0) instanceof List<?> first && !first.isEmpty()) {
            String firstName = String.valueOf(first.getFirst());
            if (!firstName.startsWith("flatten")) {
                throw new ModelFormatException(h5, where + ": expected the flattened sequence first and the half-life input"
                        + " second, got " + firstName + " first");
            }
        }
    }

    /** A layer's kernel (flat, with its dimensions as stored) and bias. */
    private record Weights(float[] kernel, int[] kernelDims, float[] bias) {
    }

    /**
     * The kernel and bias of a layer, located through its weight_names attribute as Keras writes it, checked to be
     * float32 with a kernel of the given rank whose last dimension, like the bias, is {@code outputs}.
     */
    private static Weights weights(HdfFile hdf, Path h5, String layerName, String where, int rank, int outputs)
            throws ModelFormatException {
        Node group = hdf.getByPath("/model_weights/" + layerName);
        Attribute names = group.getAttribute("weight_names");
        List<String> paths = new ArrayList<>();
        if (names != null && names.getData() instanceof String[] arr) {
            paths.addAll(List.of(arr));
        } else {
            paths.add(layerName + "/kernel:0");
            paths.add(layerName + "/bias:0");
        }
        float[] kernel = null;
        float[] bias = null;
        int[] dims = null;
        for (String p : paths) {
            Dataset d = hdf.getDatasetByPath("/model_weights/" + layerName + "/" + p);
            Object flat = d.getDataFlat();
            if (!(flat instanceof float[] f)) {
                throw new ModelFormatException(h5, "layer " + layerName + ": weight " + p + " is " + d.getJavaType()
                        + ", expected float32");
            }
            if (p.contains("kernel")) {
                kernel = f;
                dims = d.getDimensions();
            } else if (p.contains("bias")) {
                bias = f;
            }
        }
        if (kernel == null || bias == null) {
            throw new ModelFormatException(h5, "layer " + layerName + ": expected a kernel and a bias, found " + paths);
        }
        if (dims.length != rank || dims[rank - 1] != outputs || bias.length != outputs) {
            throw new ModelFormatException(h5, where + ": kernel of shape " + java.util.Arrays.toString(dims) + " and bias of "
                    + bias.length + " values do not fit " + outputs + " outputs");
        }
        return new Weights(kernel, dims, bias);
    }

    /** Keras [k][in][out] → scep [out][in][k]. */
    static float[] transposeConvKernel(float[] w, int k, int in, int out) {
        float[] r = new float[w.length];
        for (int t = 0; t < k; t++) {
            for (int i = 0; i < in; i++) {
                for (int o = 0; o < out; o++) {
                    r[(o * in + i) * k + t] = w[(t * in + i) * out + o];
                }
            }
        }
        return r;
    }

    /** [rows][cols] → [cols][rows]. */
    static float[] transpose(float[] w, int rows, int cols) {
        float[] r = new float[w.length];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                r[j * rows + i] = w[i * cols + j];
            }
        }
        return r;
    }

    private static Activation activation(Map<String, Object> c, Path h5, String where) throws ModelFormatException {
        return activationOf(String.valueOf(c.get("activation")), h5, where);
    }

    private static Activation activationOf(String name, Path h5, String where) throws ModelFormatException {
        return switch (name) {
            case "linear" -> Activation.NONE;
            case "relu" -> Activation.RELU;
            default -> throw new ModelFormatException(h5, where + ": activation '" + name + "' is not supported");
        };
    }

    private static void requireValue(Path h5, String where, Map<String, Object> c, String key, Object expected) throws ModelFormatException {
        Object v = c.get(key);
        if (v != null && !v.equals(expected)) {
            throw new ModelFormatException(h5, where + ": " + key + " = " + v + " is not supported (need " + expected + ")");
        }
    }

    private static int intValue(Object o, Path h5, String where) throws ModelFormatException {
        if (o instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())) {
            return n.intValue();
        }
        throw new ModelFormatException(h5, where + ": expected an integer, got " + o);
    }

    private static double doubleValue(Object o, Path h5, String where) throws ModelFormatException {
        if (o instanceof Number n) {
            return n.doubleValue();
        }
        throw new ModelFormatException(h5, where + ": expected a number, got " + o);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asMap(Object o, Path h5, String what) throws ModelFormatException {
        if (o instanceof Map<?, ?> m) {
            return (Map<String, Object>) m;
        }
        throw new ModelFormatException(h5, what + ": expected a JSON object");
    }

    @SuppressWarnings("unchecked")
    private static List<Object> asList(Object o, Path h5, String what) throws ModelFormatException {
        if (o instanceof List<?> l) {
            return (List<Object>) l;
        }
        throw new ModelFormatException(h5, what + ": expected a JSON array");
    }
}
