package dev.scep.formats.io;

import dev.scep.formats.model.Activation;
import dev.scep.formats.model.AmbiguityRule;
import dev.scep.formats.model.Architecture;
import dev.scep.formats.model.FlattenOrder;
import dev.scep.formats.model.HalfLifeFeature;
import dev.scep.formats.model.HalfLifeTransform;
import dev.scep.formats.model.Layer;
import dev.scep.formats.model.ModelFormatException;
import dev.scep.formats.model.OutputSpec;
import dev.scep.formats.model.ScepModel;
import dev.scep.formats.model.SequenceEncoding;
import dev.scep.formats.model.Tensor;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads and writes the {@code .scep} model file (specification: {@code formats/FORMAT.md}).
 *
 * <p>Layout: a 32-byte header (magic, format version, section count, CRC32C), then sections whose payloads
 * start 64-byte aligned (so tensors can be memory-mapped and loaded as vectors), each followed by the CRC32C of
 * its header and payload, then a 16-byte footer holding the total file length. Reading checks every byte it
 * relies on, so a truncated, corrupted or newer file fails with a message instead of giving wrong predictions.
 *
 * <p>Stateless; both methods may be called from several threads at once.
 */
public final class ScepModelFile {
    /** PNG-style magic: a non-ASCII byte, the name, and line-ending bytes that text-mode transfers would mangle. */
    static final byte[] MAGIC = {(byte) 0x89, 'S', 'C', 'E', 'P', '\r', '\n', 0x1a};
    static final byte[] FOOTER_MAGIC = {'S', 'C', 'E', 'P', 'E', 'N', 'D', '\n'};
    /** The newest format version this code reads and the one it writes. */
    public static final int FORMAT_VERSION = 1;

    /** The sections of format version 1, in file order. */
    static final List<String> REQUIRED_SECTIONS = List.of("ARCH", "ENCD", "OUTS", "HALF", "PROV", "TIDX", "TDAT");

    private static final int DTYPE_F32_LE = 1;
    private static final int KIND_CONV1D = 1, KIND_MAXPOOL1D = 2, KIND_FLATTEN = 3, KIND_CONCAT_HALFLIFE = 4,
            KIND_DENSE = 5, KIND_DROPOUT = 6;
    private static final int MAX_COUNT = 1 << 20;

    private ScepModelFile() {
    }

    // ------------------------------------------------------------------------------------------------ writing

    static final SectionedFile.Kind KIND = new SectionedFile.Kind("scep model file", MAGIC, FOOTER_MAGIC, FORMAT_VERSION,
            REQUIRED_SECTIONS, ModelFormatException::new);

    /**
     * Writes the model through an {@link OutputFile}: atomically (a temporary file renamed over the target), and
     * never over one of {@code inputs}, the files the model was made from.
     *
     * @param model  the model
     * @param target the {@code .scep} file to write
     * @param inputs the files the model was made from (nulls ignored)
     * @throws OutputIsInputException when {@code target} is the same file as one of {@code inputs}
     * @throws java.nio.file.NoSuchFileException when the target's folder does not exist
     * @throws java.nio.file.FileSystemException when the target is a folder
     * @throws IOException            when the file cannot be written; an existing target is then left as it was
     */
    public static void write(ScepModel model, Path target, Path... inputs) throws IOException {
        SectionedFile.write(target, encode(model), inputs);
    }

    /** The complete file as a list of buffers (header, sections, footer). */
    static List<ByteBuffer> encode(ScepModel model) {
        TensorLayout layout = TensorLayout.of(model);
        return SectionedFile.encode(KIND, REQUIRED_SECTIONS, List.of(
                encodeArchitecture(model.architecture()),
                encodeEncoding(model.encoding()),
                encodeOutputs(model.outputs()),
                encodeHalfLife(model.halfLifeFeatures()),
                encodeProvenance(model.provenance()),
                layout.index(),
                layout.data()));
    }

    private static byte[] encodeArchitecture(Architecture arch) {
        LittleEndianBuilder b = new LittleEndianBuilder().i32(arch.layers().size());
        for (Layer layer : arch.layers()) {
            switch (layer) {
                case Layer.Conv1d c -> b.u8(KIND_CONV1D).string(c.name()).i32(c.inChannels()).i32(c.outChannels())
                        .i32(c.kernel()).i32(c.padLeft()).i32(c.padRight()).u8(c.activation().code);
                case Layer.MaxPool1d p -> b.u8(KIND_MAXPOOL1D).string(p.name()).i32(p.size()).i32(p.stride())
                        .i32(p.padLeft()).i32(p.padRight());
                case Layer.Flatten f -> b.u8(KIND_FLATTEN).string(f.name()).u8(f.order().code);
                case Layer.ConcatHalfLife h -> b.u8(KIND_CONCAT_HALFLIFE).string(h.name()).i32(h.features());
                case Layer.Dense d -> b.u8(KIND_DENSE).string(d.name()).i32(d.inFeatures()).i32(d.outFeatures())
                        .u8(d.activation().code);
                case Layer.Dropout d -> b.u8(KIND_DROPOUT).string(d.name()).f32(d.rate());
            }
        }
        return b.toByteArray();
    }

    private static byte[] encodeEncoding(SequenceEncoding e) {
        return new LittleEndianBuilder().string(e.channelOrder()).u8(e.ambiguity().code).i32(e.upstream()).i32(e.downstream())
                .toByteArray();
    }

    private static byte[] encodeOutputs(List<OutputSpec> outputs) {
        LittleEndianBuilder b = new LittleEndianBuilder().i32(outputs.size());
        for (OutputSpec o : outputs) {
            b.string(o.name()).f64(o.mean()).f64(o.std());
        }
        return b.toByteArray();
    }

    private static byte[] encodeHalfLife(List<HalfLifeFeature> features) {
        LittleEndianBuilder b = new LittleEndianBuilder().i32(features.size());
        for (HalfLifeFeature f : features) {
            b.string(f.name()).u8(f.transform().code).f64(f.mean()).f64(f.std());
        }
        return b.toByteArray();
    }

    private static byte[] encodeProvenance(Map<String, String> provenance) {
        LittleEndianBuilder b = new LittleEndianBuilder().i32(provenance.size());
        provenance.forEach((k, v) -> b.string(k).string(v));
        return b.toByteArray();
    }

    /** Index and data of all tensors; each tensor starts 64-byte aligned within TDAT (whose payload is aligned too). */
    private record TensorLayout(byte[] index, byte[] data) {
        static TensorLayout of(ScepModel model) {
            LittleEndianBuilder idx = new LittleEndianBuilder();
            LittleEndianBuilder dat = new LittleEndianBuilder();
            List<Architecture.ParameterShape> params = model.architecture().parameterShapes();
            idx.i32(model.members().size()).i32(model.members().size() * params.size());
            for (int m = 0; m < model.members().size(); m++) {
                for (Architecture.ParameterShape p : params) {
                    Tensor t = model.tensor(m, p.name());
                    int pad = (SectionedFile.ALIGNMENT - dat.size() % SectionedFile.ALIGNMENT) % SectionedFile.ALIGNMENT;
                    dat.zeros(pad);
                    long offset = dat.size();
                    byte[] bytes = t.segment().toArray(ValueLayout.JAVA_BYTE);
                    dat.bytes(bytes);
                    idx.i32(m).string(p.name()).u8(DTYPE_F32_LE).u8(t.rank());
                    for (int d : t.shape()) {
                        idx.i32(d);
                    }
                    idx.i64(offset).i64(bytes.length);
                }
            }
            return new TensorLayout(idx.toByteArray(), dat.toByteArray());
        }
    }

    // ------------------------------------------------------------------------------------------------ reading

    /**
     * Memory-maps and validates a model file. Tensors in the returned model are slices of the mapping, which
     * stays alive as long as the model is reachable.
     *
     * @param file a {@code .scep} file
     * @return the model, immutable and safe to share between threads
     * @throws ModelFormatException naming the file when it is not a model file, has a newer format version, or is
     *                              truncated, corrupted or inconsistent
     * @throws java.nio.file.NoSuchFileException when the file does not exist
     * @throws java.nio.file.FileSystemException when it is a folder or not a regular file (a pipe or device)
     * @throws IOException          when it cannot be read or mapped
     */
    public static ScepModel read(Path file) throws IOException {
        MemorySegment seg = SectionedFile.map(file, "model file");
        try {
            return decode(file, seg);
        } catch (IndexOutOfBoundsException | ArithmeticException e) {
            // every field is checked; this is the last line of defence against a corruption not foreseen
            throw new ModelFormatException(file, "corrupted: " + e.getMessage(), e);
        }
    }

    static ScepModel decode(Path file, MemorySegment seg) throws FileFormatException {
        Map<String, SectionReader> sections = SectionedFile.read(file, seg, KIND);
        try {
            Architecture arch = decodeArchitecture(sections.get("ARCH"));
            SequenceEncoding enc = decodeEncoding(sections.get("ENCD"));
            List<OutputSpec> outputs = decodeOutputs(sections.get("OUTS"));
            List<HalfLifeFeature> halfLife = decodeHalfLife(sections.get("HALF"));
            Map<String, String> provenance = decodeProvenance(sections.get("PROV"));
            List<Map<String, Tensor>> members = decodeTensors(sections.get("TIDX"), sections.get("TDAT"));
            return new ScepModel(arch, enc, outputs, halfLife, provenance, members);
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(file, "inconsistent model: " + e.getMessage(), e);
        }
    }

    private static Architecture decodeArchitecture(SectionReader r) throws FileFormatException {
        int n = r.count("layer count", 1024, 5);
        List<Layer> layers = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int kind = r.u8("layer kind");
            String name = r.string("layer name");
            try {
                layers.add(switch (kind) {
                    case KIND_CONV1D -> new Layer.Conv1d(name, r.i32("in channels"), r.i32("out channels"), r.i32("kernel"),
                            r.i32("pad left"), r.i32("pad right"), Activation.ofCode(r.u8("activation")));
                    case KIND_MAXPOOL1D -> new Layer.MaxPool1d(name, r.i32("size"), r.i32("stride"), r.i32("pad left"),
                            r.i32("pad right"));
                    case KIND_FLATTEN -> new Layer.Flatten(name, FlattenOrder.ofCode(r.u8("flatten order")));
                    case KIND_CONCAT_HALFLIFE -> new Layer.ConcatHalfLife(name, r.i32("feature count"));
                    case KIND_DENSE -> new Layer.Dense(name, r.i32("in features"), r.i32("out features"),
                            Activation.ofCode(r.u8("activation")));
                    case KIND_DROPOUT -> new Layer.Dropout(name, r.f32("rate"));
                    default -> throw r.error("layer " + i + " has unknown kind " + kind);
                });
            } catch (IllegalArgumentException e) {
                throw r.error("layer " + i + ": " + e.getMessage());
            }
        }
        r.expectEnd();
        try {
            return new Architecture(layers);
        } catch (IllegalArgumentException e) {
            throw r.error(e.getMessage());
        }
    }

    private static SequenceEncoding decodeEncoding(SectionReader r) throws FileFormatException {
        String order = r.string("channel order");
        int rule = r.u8("ambiguity rule");
        int up = r.i32("upstream");
        int down = r.i32("downstream");
        r.expectEnd();
        try {
            return new SequenceEncoding(order, AmbiguityRule.ofCode(rule), up, down);
        } catch (IllegalArgumentException e) {
            throw r.error(e.getMessage());
        }
    }

    private static List<OutputSpec> decodeOutputs(SectionReader r) throws FileFormatException {
        int n = r.count("output count", MAX_COUNT, 20);
        List<OutputSpec> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String name = r.string("output name");
            double mean = r.f64("mean");
            double std = r.f64("std");
            try {
                out.add(new OutputSpec(name, mean, std));
            } catch (IllegalArgumentException e) {
                throw r.error(e.getMessage());
            }
        }
        r.expectEnd();
        return out;
    }

    private static List<HalfLifeFeature> decodeHalfLife(SectionReader r) throws FileFormatException {
        int n = r.count("feature count", MAX_COUNT, 21);
        List<HalfLifeFeature> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String name = r.string("feature name");
            int transform = r.u8("transform");
            double mean = r.f64("mean");
            double std = r.f64("std");
            try {
                out.add(new HalfLifeFeature(name, HalfLifeTransform.ofCode(transform), mean, std));
            } catch (IllegalArgumentException e) {
                throw r.error(e.getMessage());
            }
        }
        r.expectEnd();
        return out;
    }

    private static Map<String, String> decodeProvenance(SectionReader r) throws FileFormatException {
        int n = r.count("entry count", MAX_COUNT, 8);
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            out.put(r.string("key"), r.string("value"));
        }
        r.expectEnd();
        return out;
    }

    private static List<Map<String, Tensor>> decodeTensors(SectionReader idx, SectionReader dat) throws FileFormatException {
        int members = idx.count("member count", 4096);
        int entries = idx.count("tensor count", MAX_COUNT, 26);
        List<Map<String, Tensor>> out = new ArrayList<>();
        for (int m = 0; m < members; m++) {
            out.add(new LinkedHashMap<>());
        }
        MemorySegment data = dat.payloadSegment();
        for (int i = 0; i < entries; i++) {
            int member = idx.i32("member");
            String name = idx.string("tensor name");
            int dtype = idx.u8("dtype");
            int rank = idx.u8("rank");
            int[] shape = new int[rank];
            for (int d = 0; d < rank; d++) {
                shape[d] = idx.i32("dimension");
            }
            long offset = idx.i64("offset");
            long length = idx.i64("byte length");
            if (member < 0 || member >= members) {
                throw idx.error("tensor " + name + " belongs to member " + member + " of " + members);
            }
            if (dtype != DTYPE_F32_LE) {
                throw idx.error("tensor " + name + " has unsupported dtype " + dtype);
            }
            long expected;
            try {
                expected = Tensor.elementCount(shape) * Float.BYTES;
            } catch (IllegalArgumentException | ArithmeticException e) {
                throw idx.error("tensor " + name + " has an invalid shape " + java.util.Arrays.toString(shape));
            }
            if (length != expected || offset < 0 || offset % SectionedFile.ALIGNMENT != 0 || offset > data.byteSize() - length) {
                throw idx.error("tensor " + name + " (member " + member + ") claims bytes [" + offset + ", " + (offset + length)
                        + ") of a " + data.byteSize() + "-byte data section for shape " + java.util.Arrays.toString(shape));
            }
            if (out.get(member).put(name, Tensor.wrap(shape, data.asSlice(offset, length))) != null) {
                throw idx.error("tensor " + name + " appears twice in member " + member);
            }
        }
        idx.expectEnd();
        return out;
    }
}
