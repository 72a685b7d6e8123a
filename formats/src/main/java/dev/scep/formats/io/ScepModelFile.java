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
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * Reads and writes the {@code .scep} model file (specification: {@code formats/FORMAT.md}).
 *
 * <p>Layout: a 32-byte header (magic, format version, section count, CRC32C), then sections whose payloads
 * start 64-byte aligned (so tensors can be memory-mapped and loaded as vectors), each followed by the CRC32C of
 * its header and payload, then a 16-byte footer holding the total file length. Reading checks every byte it
 * relies on, so a truncated, corrupted or newer file fails with a message instead of giving wrong predictions.
 */
public final class ScepModelFile {
    /** PNG-style magic: a non-ASCII byte, the name, and line-ending bytes that text-mode transfers would mangle. */
    static final byte[] MAGIC = {(byte) 0x89, 'S', 'C', 'E', 'P', '\r', '\n', 0x1a};
    static final byte[] FOOTER_MAGIC = {'S', 'C', 'E', 'P', 'E', 'N', 'D', '\n'};
    /** The newest format version this code reads and the one it writes. */
    public static final int FORMAT_VERSION = 1;
    static final int HEADER_SIZE = 32;
    static final int SECTION_HEADER_SIZE = 16;
    static final int FOOTER_SIZE = 16;
    static final int ALIGNMENT = 64;
    /** Section flag: readers that do not know the tag may skip the section. */
    static final int FLAG_OPTIONAL = 1;

    /** The sections of format version 1, in file order. */
    static final List<String> REQUIRED_SECTIONS = List.of("ARCH", "ENCD", "OUTS", "HALF", "PROV", "TIDX", "TDAT");

    private static final int DTYPE_F32_LE = 1;
    private static final int KIND_CONV1D = 1, KIND_MAXPOOL1D = 2, KIND_FLATTEN = 3, KIND_CONCAT_HALFLIFE = 4,
            KIND_DENSE = 5, KIND_DROPOUT = 6;
    private static final int MAX_COUNT = 1 << 20;

    private ScepModelFile() {
    }

    // ------------------------------------------------------------------------------------------------ writing

    /** Writes the model atomically: to a temporary file beside {@code target}, then renamed over it. */
    public static void write(ScepModel model, Path target) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "." + target.getFileName(), ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                for (ByteBuffer b : encode(model)) {
                    while (b.hasRemaining()) {
                        ch.write(b);
                    }
                }
                ch.force(true);
            }
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** The complete file as a list of buffers (header, sections, footer). */
    static List<ByteBuffer> encode(ScepModel model) {
        List<String> tags = new ArrayList<>();
        List<byte[]> payloads = new ArrayList<>();
        tags.add("ARCH");
        payloads.add(encodeArchitecture(model.architecture()));
        tags.add("ENCD");
        payloads.add(encodeEncoding(model.encoding()));
        tags.add("OUTS");
        payloads.add(encodeOutputs(model.outputs()));
        tags.add("HALF");
        payloads.add(encodeHalfLife(model.halfLifeFeatures()));
        tags.add("PROV");
        payloads.add(encodeProvenance(model.provenance()));
        TensorLayout layout = TensorLayout.of(model);
        tags.add("TIDX");
        payloads.add(layout.index());
        tags.add("TDAT");
        payloads.add(layout.data());

        List<ByteBuffer> out = new ArrayList<>();
        ByteBuffer header = ByteBuffer.allocate(HEADER_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        header.put(MAGIC).putInt(FORMAT_VERSION).putInt(tags.size()).putInt(0).putInt(0);
        header.putInt(crc(header.array(), 0, 24)).putInt(0);
        out.add(header.flip());
        long pos = HEADER_SIZE;
        for (int i = 0; i < tags.size(); i++) {
            byte[] payload = payloads.get(i);
            long payloadStart = alignedPayloadStart(pos);
            ByteBuffer head = ByteBuffer.allocate((int) (payloadStart - pos)).order(ByteOrder.LITTLE_ENDIAN);
            head.position(head.capacity() - SECTION_HEADER_SIZE);
            head.put(tags.get(i).getBytes(StandardCharsets.US_ASCII)).putInt(0).putLong(payload.length);
            CRC32C crc = new CRC32C();
            crc.update(head.array(), head.capacity() - SECTION_HEADER_SIZE, SECTION_HEADER_SIZE);
            crc.update(payload);
            out.add(head.flip());
            out.add(ByteBuffer.wrap(payload));
            out.add(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt((int) crc.getValue()).flip());
            pos = payloadStart + payload.length + 4;
        }
        out.add(ByteBuffer.allocate(FOOTER_SIZE).order(ByteOrder.LITTLE_ENDIAN).put(FOOTER_MAGIC).putLong(pos + FOOTER_SIZE).flip());
        return out;
    }

    /** Where a section's payload starts if the previous section ended at {@code pos}: 64-aligned, header before it. */
    static long alignedPayloadStart(long pos) {
        long start = pos + SECTION_HEADER_SIZE;
        return (start + ALIGNMENT - 1) / ALIGNMENT * ALIGNMENT;
    }

    private static int crc(byte[] b, int off, int len) {
        CRC32C c = new CRC32C();
        c.update(b, off, len);
        return (int) c.getValue();
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
                    int pad = (ALIGNMENT - dat.size() % ALIGNMENT) % ALIGNMENT;
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
     */
    public static ScepModel read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new java.nio.file.NoSuchFileException(file.toString(), null, "model file not found");
        }
        MemorySegment seg;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            seg = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size(), Arena.ofAuto());
        }
        return decode(file, seg);
    }

    static ScepModel decode(Path file, MemorySegment seg) throws ModelFormatException {
        long size = seg.byteSize();
        if (size < MAGIC.length || seg.asSlice(0, MAGIC.length).mismatch(MemorySegment.ofArray(MAGIC)) != -1) {
            throw new ModelFormatException(file, "not a scep model file (wrong magic bytes)");
        }
        if (size < HEADER_SIZE) {
            throw new ModelFormatException(file, "truncated: " + size + " bytes, shorter than the " + HEADER_SIZE + "-byte header");
        }
        SectionReader header = new SectionReader(file, "header", seg.asSlice(0, HEADER_SIZE), 0);
        header.i64("magic");
        int version = header.i32("format version");
        if (version > FORMAT_VERSION || version < 1) {
            throw new ModelFormatException(file, "format version " + Integer.toUnsignedString(version)
                    + " is not supported: this scep reads versions 1.." + FORMAT_VERSION
                    + (version > FORMAT_VERSION ? " (the file was written by a newer scep; upgrade scep)" : ""));
        }
        int sectionCount = header.i32("section count");
        header.i32("flags");
        header.i32("reserved");
        int storedCrc = header.i32("header checksum");
        if (storedCrc != crc(seg.asSlice(0, 24).toArray(ValueLayout.JAVA_BYTE), 0, 24)) {
            throw new ModelFormatException(file, "header checksum mismatch: the file is corrupted");
        }
        if (header.i32("header padding") != 0) {
            throw new ModelFormatException(file, "header padding is not zero: the file is corrupted");
        }
        if (sectionCount < REQUIRED_SECTIONS.size() || sectionCount > 1024) {
            throw new ModelFormatException(file, "header declares " + sectionCount + " sections; version 1 needs at least "
                    + REQUIRED_SECTIONS.size());
        }
        Map<String, SectionReader> sections = new LinkedHashMap<>();
        long pos = HEADER_SIZE;
        for (int i = 0; i < sectionCount; i++) {
            long payloadStart = alignedPayloadStart(pos);
            long headerStart = payloadStart - SECTION_HEADER_SIZE;
            String expected = sections.size() < REQUIRED_SECTIONS.size() ? REQUIRED_SECTIONS.get(sections.size()) : "an optional section";
            if (payloadStart + 4 > size) {
                throw new ModelFormatException(file, "truncated: the file ends at byte " + size + " where section " + (i + 1)
                        + " of " + sectionCount + " (" + expected + ") should start at byte " + headerStart);
            }
            for (long p = pos; p < headerStart; p++) {
                if (seg.get(ValueLayout.JAVA_BYTE, p) != 0) {
                    throw new ModelFormatException(file, "non-zero padding byte at offset " + p + " before section "
                            + expected + ": the file is corrupted");
                }
            }
            byte[] tagBytes = seg.asSlice(headerStart, 4).toArray(ValueLayout.JAVA_BYTE);
            String tag = new String(tagBytes, StandardCharsets.ISO_8859_1);
            int flags = seg.get(ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), headerStart + 4);
            long length = seg.get(ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), headerStart + 8);
            if (length < 0 || payloadStart + length + 4 > size) {
                throw new ModelFormatException(file, "section " + printable(tag) + " at offset " + headerStart + " claims "
                        + Long.toUnsignedString(length) + " bytes but the file ends at byte " + size
                        + ": the file is truncated or corrupted");
            }
            CRC32C crc = new CRC32C();
            crc.update(seg.asSlice(headerStart, SECTION_HEADER_SIZE + length).asByteBuffer());
            int stored = seg.get(ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), payloadStart + length);
            if (stored != (int) crc.getValue()) {
                throw new ModelFormatException(file, "section " + printable(tag) + " (offset " + headerStart + ", "
                        + length + " bytes) fails its checksum: the file is corrupted");
            }
            boolean known = REQUIRED_SECTIONS.contains(tag);
            if (known) {
                if (!tag.equals(expected)) {
                    throw new ModelFormatException(file, "found section " + tag + " where " + expected + " was expected");
                }
                sections.put(tag, new SectionReader(file, tag, seg.asSlice(payloadStart, length), payloadStart));
            } else if ((flags & FLAG_OPTIONAL) == 0) {
                throw new ModelFormatException(file, "unknown required section " + printable(tag)
                        + ": the file needs a newer scep");
            }
            pos = payloadStart + length + 4;
        }
        if (sections.size() != REQUIRED_SECTIONS.size()) {
            throw new ModelFormatException(file, "missing sections: found " + sections.keySet() + ", need " + REQUIRED_SECTIONS);
        }
        if (pos + FOOTER_SIZE > size) {
            throw new ModelFormatException(file, "truncated: the file ends at byte " + size + " before its footer (expected at byte "
                    + pos + ")");
        }
        if (seg.asSlice(pos, 8).mismatch(MemorySegment.ofArray(FOOTER_MAGIC)) != -1) {
            throw new ModelFormatException(file, "footer magic is wrong at offset " + pos + ": the file is corrupted");
        }
        long declared = seg.get(ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), pos + 8);
        if (declared != size || pos + FOOTER_SIZE != size) {
            throw new ModelFormatException(file, "the footer records a file length of " + declared + " bytes but the file has "
                    + size + " (footer at " + pos + "): the file is truncated, extended or corrupted");
        }

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

    private static String printable(String tag) {
        return tag.chars().allMatch(c -> c >= 0x20 && c < 0x7f) ? tag : "(unprintable tag)";
    }

    private static Architecture decodeArchitecture(SectionReader r) throws ModelFormatException {
        int n = r.count("layer count", 1024);
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

    private static SequenceEncoding decodeEncoding(SectionReader r) throws ModelFormatException {
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

    private static List<OutputSpec> decodeOutputs(SectionReader r) throws ModelFormatException {
        int n = r.count("output count", MAX_COUNT);
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

    private static List<HalfLifeFeature> decodeHalfLife(SectionReader r) throws ModelFormatException {
        int n = r.count("feature count", MAX_COUNT);
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

    private static Map<String, String> decodeProvenance(SectionReader r) throws ModelFormatException {
        int n = r.count("entry count", MAX_COUNT);
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            out.put(r.string("key"), r.string("value"));
        }
        r.expectEnd();
        return out;
    }

    private static List<Map<String, Tensor>> decodeTensors(SectionReader idx, SectionReader dat) throws ModelFormatException {
        int members = idx.count("member count", 4096);
        int entries = idx.count("tensor count", MAX_COUNT);
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
            if (length != expected || offset < 0 || offset % ALIGNMENT != 0 || offset + length > data.byteSize()) {
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
