package dev.scep.formats.io;

import dev.scep.formats.json.Json;
import dev.scep.formats.model.Architecture;
import dev.scep.formats.model.HalfLifeFeature;
import dev.scep.formats.model.Layer;
import dev.scep.formats.model.OutputSpec;
import dev.scep.formats.model.ScepModel;
import dev.scep.formats.model.Tensor;
import dev.scep.formats.npy.NpyFiles;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a model's tensors as {@code member_<i>/<tensor>.npy} plus {@code architecture.json}, so numpy or PyTorch
 * can load the weights: conv weights are [out][in][k] and dense weights [out][in], as PyTorch's Conv1d and Linear.
 * Stateless and thread-safe.
 */
public final class WeightExport {
    private WeightExport() {
    }

    /**
     * Writes into {@code dir}, made if missing (its parent must exist); {@code inputs} must not be overwritten. Each
     * file is written atomically through {@link OutputFile}; existing files of the same names are replaced.
     *
     * @param model  the model
     * @param dir    the folder to write into
     * @param inputs the files the job read (e.g. the model file), which no output may replace
     * @throws OutputIsInputException when an output would replace one of {@code inputs}
     * @throws java.nio.file.NoSuchFileException when {@code dir}'s parent folder does not exist
     * @throws java.nio.file.FileSystemException when {@code dir} is a file
     * @throws IOException when a file cannot be written
     */
    public static void export(ScepModel model, Path dir, Path... inputs) throws IOException {
        OutputFile.folder(dir);
        List<Object> members = new ArrayList<>();
        for (int m = 0; m < model.members().size(); m++) {
            Path memberDir = dir.resolve("member_" + m);
            OutputFile.folder(memberDir);
            Map<String, Object> files = new LinkedHashMap<>();
            for (Architecture.ParameterShape p : model.architecture().parameterShapes()) {
                Tensor t = model.tensor(m, p.name());
                String rel = "member_" + m + "/" + p.name() + ".npy";
                OutputFile.refuseInputs(dir.resolve(rel), java.util.Arrays.asList(inputs));
                NpyFiles.writeFloat32(dir.resolve(rel), t.shape(), t.toArray());
                files.put(p.name(), rel);
            }
            members.add(files);
        }
        try (OutputFile json = OutputFile.create(dir.resolve("architecture.json"), inputs)) {
            json.writer().write(Json.write(describe(model, members)));
            json.commit();
        }
    }

    /**
     * The model's description as JSON-ready maps (also used by {@code scep info --json}).
     *
     * @param model       the model
     * @param memberFiles per ensemble member, tensor name → {@code .npy} path relative to the export folder; null to
     *                    leave the tensor list out
     * @return format and version, layers, encoding (window length in bases), outputs and half-life features with their
     *         normalisation, provenance and member count, as ordered maps, lists, strings and numbers
     */
    public static Map<String, Object> describe(ScepModel model, List<Object> memberFiles) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("format", "scep-weights");
        root.put("format_version", ScepModelFile.FORMAT_VERSION);
        List<Object> layers = new ArrayList<>();
        for (Layer l : model.architecture().layers()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", l.name());
            switch (l) {
                case Layer.Conv1d c -> {
                    m.put("type", "conv1d");
                    m.put("in_channels", c.inChannels());
                    m.put("out_channels", c.outChannels());
                    m.put("kernel_size", c.kernel());
                    m.put("padding", List.of(c.padLeft(), c.padRight()));
                    m.put("activation", c.activation().name().toLowerCase());
                    m.put("weight_layout", "[out_channels, in_channels, kernel_size]");
                }
                case Layer.MaxPool1d p -> {
                    m.put("type", "maxpool1d");
                    m.put("kernel_size", p.size());
                    m.put("stride", p.stride());
                    m.put("padding", List.of(p.padLeft(), p.padRight()));
                    m.put("padding_value", "-inf");
                }
                case Layer.Flatten f -> {
                    m.put("type", "flatten");
                    m.put("order", f.order() == dev.scep.formats.model.FlattenOrder.CHANNEL_MAJOR
                            ? "channel_major (index = channel * length + position)"
                            : "position_major (index = position * channels + channel)");
                }
                case Layer.ConcatHalfLife h -> {
                    m.put("type", "concat_halflife");
                    m.put("features", h.features());
                }
                case Layer.Dense d -> {
                    m.put("type", "dense");
                    m.put("in_features", d.inFeatures());
                    m.put("out_features", d.outFeatures());
                    m.put("activation", d.activation().name().toLowerCase());
                    m.put("weight_layout", "[out_features, in_features]");
                }
                case Layer.Dropout d -> {
                    m.put("type", "dropout");
                    m.put("rate", (double) d.rate());
                }
            }
            layers.add(m);
        }
        root.put("layers", layers);
        Map<String, Object> enc = new LinkedHashMap<>();
        enc.put("channel_order", model.encoding().channelOrder());
        enc.put("ambiguity", model.encoding().ambiguity().name().toLowerCase());
        enc.put("upstream", model.encoding().upstream());
        enc.put("downstream", model.encoding().downstream());
        enc.put("window_length", model.windowLength());
        root.put("encoding", enc);
        List<Object> outs = new ArrayList<>();
        for (OutputSpec o : model.outputs()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", o.name());
            m.put("mean", o.mean());
            m.put("std", o.std());
            outs.add(m);
        }
        root.put("outputs", outs);
        List<Object> hl = new ArrayList<>();
        for (HalfLifeFeature f : model.halfLifeFeatures()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", f.name());
            m.put("transform", f.transform().name().toLowerCase());
            m.put("mean", f.mean());
            m.put("std", f.std());
            hl.add(m);
        }
        root.put("halflife_features", hl);
        root.put("provenance", new LinkedHashMap<>(model.provenance()));
        root.put("ensemble_members", model.members().size());
        if (memberFiles != null) {
            root.put("tensors", memberFiles);
        }
        return root;
    }
}
