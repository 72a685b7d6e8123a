package dev.scep.formats.io;

import java.io.Closeable;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * The container shared by scep's binary files (the {@code .scep} model and the {@code .sced} dataset): a 32-byte
 * header (magic, version, section count, CRC32C), sections whose payloads start 64-byte aligned, each followed by
 * the CRC32C of its header and payload, and a 16-byte footer holding the file length. {@code formats/FORMAT.md}
 * specifies it; each file kind fixes its magic, its version and its required sections.
 */
final class SectionedFile {
    static final int HEADER_SIZE = 32;
    static final int SECTION_HEADER_SIZE = 16;
    static final int FOOTER_SIZE = 16;
    static final int ALIGNMENT = 64;
    static final int FLAG_OPTIONAL = 1;

    /** One kind of file: what it is called in messages, its magic numbers, newest version and required sections. */
    record Kind(String description, byte[] magic, byte[] footerMagic, int version, List<String> requiredSections,
                ErrorFactory errors) {
    }

    interface ErrorFactory {
        FileFormatException error(Path file, String message);
    }

    private SectionedFile() {
    }

    /** Where a section's payload starts if the previous section ended at {@code pos}: 64-aligned, header before it. */
    static long alignedPayloadStart(long pos) {
        long start = pos + SECTION_HEADER_SIZE;
        return (start + ALIGNMENT - 1) / ALIGNMENT * ALIGNMENT;
    }

    private static ByteBuffer header(Kind kind, int sectionCount) {
        ByteBuffer header = ByteBuffer.allocate(HEADER_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        header.put(kind.magic()).putInt(kind.version()).putInt(sectionCount).putInt(0).putInt(0);
        CRC32C c = new CRC32C();
        c.update(header.array(), 0, 24);
        header.putInt((int) c.getValue()).putInt(0);
        return header.flip();
    }

    /** Zero padding plus the 16-byte section header for a payload of {@code length} bytes after file offset {@code pos}. */
    private static ByteBuffer sectionHeader(long pos, String tag, long length) {
        long payloadStart = alignedPayloadStart(pos);
        ByteBuffer head = ByteBuffer.allocate((int) (payloadStart - pos)).order(ByteOrder.LITTLE_ENDIAN);
        head.position(head.capacity() - SECTION_HEADER_SIZE);
        head.put(tag.getBytes(StandardCharsets.US_ASCII)).putInt(0).putLong(length);
        return head.flip();
    }

    private static ByteBuffer checksum(CRC32C crc) {
        return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt((int) crc.getValue()).flip();
    }

    private static ByteBuffer footer(Kind kind, long fileLength) {
        return ByteBuffer.allocate(FOOTER_SIZE).order(ByteOrder.LITTLE_ENDIAN).put(kind.footerMagic()).putLong(fileLength).flip();
    }

    private static CRC32C crcOfHeader(ByteBuffer head) {
        CRC32C crc = new CRC32C();
        crc.update(head.array(), head.capacity() - SECTION_HEADER_SIZE, SECTION_HEADER_SIZE);
        return crc;
    }

    /** A complete in-memory file as its pieces: header, then per section (header, payload, checksum), then footer. */
    static List<ByteBuffer> encode(Kind kind, List<String> tags, List<byte[]> payloads) {
        List<ByteBuffer> out = new ArrayList<>();
        out.add(header(kind, tags.size()));
        long pos = HEADER_SIZE;
        for (int i = 0; i < tags.size(); i++) {
            byte[] payload = payloads.get(i);
            ByteBuffer head = sectionHeader(pos, tags.get(i), payload.length);
            CRC32C crc = crcOfHeader(head);
            crc.update(payload);
            out.add(head);
            out.add(ByteBuffer.wrap(payload));
            out.add(checksum(crc));
            pos += head.remaining() + payload.length + 4;
        }
        out.add(footer(kind, pos + FOOTER_SIZE));
        return out;
    }

    /** Writes {@code pieces} through an {@link OutputFile} (so atomically where the target is a regular file). */
    static void write(Path target, List<ByteBuffer> pieces, Path... inputs) throws IOException {
        try (Writer w = new Writer(target, inputs)) {
            for (ByteBuffer b : pieces) {
                w.write(b);
            }
            w.commit();
        }
    }

    /**
     * Streams a file section by section through an {@link OutputFile}; closing without committing abandons it, so a
     * failed write never damages an existing file.
     */
    static final class Writer implements Closeable {
        private final OutputFile file;
        private final WritableByteChannel ch;
        private long position;
        private Kind kind;
        private int sectionsLeft;

        private Writer(Path target, Path... inputs) throws IOException {
            this.file = OutputFile.create(target, inputs);
            this.ch = file.channel();
        }

        Writer(Path target, Kind kind, int sectionCount, Path... inputs) throws IOException {
            this(target, inputs);
            this.kind = kind;
            this.sectionsLeft = sectionCount;
            write(header(kind, sectionCount));
        }

        private void write(ByteBuffer b) throws IOException {
            while (b.hasRemaining()) {
                position += ch.write(b);
            }
        }

        void section(String tag, byte[] payload) throws IOException {
            section(tag, payload.length, (channel, crc) -> {
                crc.update(payload);
                channel.write(ByteBuffer.wrap(payload));
            });
        }

        /** A section whose payload {@code source} writes (exactly {@code length} bytes), updating the checksum. */
        void section(String tag, long length, PayloadSource source) throws IOException {
            if (sectionsLeft-- <= 0) {
                throw new IllegalStateException("more sections than declared in the header");
            }
            ByteBuffer head = sectionHeader(position, tag, length);
            CRC32C crc = crcOfHeader(head);
            write(head);
            long start = position;
            source.write(new WritableByteChannel() {   // every byte through write(), which counts it
                @Override
                public int write(ByteBuffer src) throws IOException {
                    int n = src.remaining();
                    Writer.this.write(src);
                    return n;
                }

                @Override
                public boolean isOpen() {
                    return ch.isOpen();
                }

                @Override
                public void close() {
                }
            }, crc);
            if (position - start != length) {
                throw new IllegalStateException("section " + tag + " declared " + length + " bytes but wrote " + (position - start));
            }
            write(checksum(crc));
        }

        void commit() throws IOException {
            if (kind != null) {
                if (sectionsLeft != 0) {
                    throw new IllegalStateException(sectionsLeft + " declared sections were not written");
                }
                write(footer(kind, position + FOOTER_SIZE));
            }
            file.sync();
            file.commit();
        }

        @Override
        public void close() throws IOException {
            file.close();
        }
    }

    interface PayloadSource {
        /** Writes the payload to {@code channel} (every byte it is given, in full) and adds it to {@code crc}. */
        void write(WritableByteChannel channel, CRC32C crc) throws IOException;
    }

    /** Memory-maps {@code file} read-only; the mapping lives as long as the segment is reachable. */
    static MemorySegment map(Path file, String what) throws IOException {
        if (Files.isDirectory(file)) {
            throw new java.nio.file.FileSystemException(file.toString(), null, "is a folder, not a " + what);
        }
        if (!Files.exists(file)) {
            throw new java.nio.file.NoSuchFileException(file.toString(), null, what + " not found");
        }
        if (!Files.isRegularFile(file)) {
            throw new java.nio.file.FileSystemException(file.toString(), null, "is not a regular file (a device, pipe or"
                    + " socket); a " + what + " is memory-mapped, so it must be a regular file");
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size(), java.lang.foreign.Arena.ofAuto());
        }
    }

    /**
     * Checks the container of a mapped file (magic, version, every checksum, section order, padding, footer) and
     * returns its known sections by tag, in file order. Unknown sections flagged optional are skipped.
     */
    static Map<String, SectionReader> read(Path file, MemorySegment seg, Kind kind) throws FileFormatException {
        long size = seg.byteSize();
        byte[] magic = kind.magic();
        if (size < magic.length || seg.asSlice(0, magic.length).mismatch(MemorySegment.ofArray(magic)) != -1) {
            throw kind.errors().error(file, "not a " + kind.description() + " (wrong magic bytes)" + whatItIs(seg));
        }
        if (size < HEADER_SIZE) {
            throw kind.errors().error(file, "truncated: " + size + " bytes, shorter than the " + HEADER_SIZE + "-byte header");
        }
        SectionReader header = new SectionReader(file, "header", seg.asSlice(0, HEADER_SIZE), 0, kind.errors());
        header.i64("magic");
        int version = header.i32("format version");
        if (Integer.compareUnsigned(version, kind.version()) > 0 || version < 1) {
            throw kind.errors().error(file, "format version " + Integer.toUnsignedString(version)
                    + " is not supported: this scep reads versions 1.." + kind.version()
                    + (version > kind.version() ? " (the file was written by a newer scep; upgrade scep)" : ""));
        }
        long sectionCount = header.u32("section count");
        header.i32("flags");
        header.i32("reserved");
        int storedCrc = header.i32("header checksum");
        CRC32C headerCrc = new CRC32C();
        headerCrc.update(seg.asSlice(0, 24).asByteBuffer());
        if (storedCrc != (int) headerCrc.getValue()) {
            throw kind.errors().error(file, "header checksum mismatch: the file is corrupted");
        }
        if (header.i32("header padding") != 0) {
            throw kind.errors().error(file, "header padding is not zero: the file is corrupted");
        }
        List<String> required = kind.requiredSections();
        if (sectionCount < required.size() || sectionCount > 1024) {
            throw kind.errors().error(file, "header declares " + sectionCount + " sections; version " + version
                    + " needs at least " + required.size());
        }
        Map<String, SectionReader> sections = new LinkedHashMap<>();
        long pos = HEADER_SIZE;
        ValueLayout.OfInt i32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
        ValueLayout.OfLong i64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
        for (long i = 0; i < sectionCount; i++) {
            long payloadStart = alignedPayloadStart(pos);
            long headerStart = payloadStart - SECTION_HEADER_SIZE;
            String expected = sections.size() < required.size() ? required.get(sections.size()) : "an optional section";
            if (payloadStart + 4 > size) {
                throw kind.errors().error(file, "truncated: the file ends at byte " + size + " where section " + (i + 1)
                        + " of " + sectionCount + " (" + expected + ") should start at byte " + headerStart);
            }
            for (long p = pos; p < headerStart; p++) {
                if (seg.get(ValueLayout.JAVA_BYTE, p) != 0) {
                    throw kind.errors().error(file, "non-zero padding byte at offset " + p + " before section "
                            + expected + ": the file is corrupted");
                }
            }
            String tag = new String(seg.asSlice(headerStart, 4).toArray(ValueLayout.JAVA_BYTE), StandardCharsets.ISO_8859_1);
            int flags = seg.get(i32, headerStart + 4);
            long length = seg.get(i64, headerStart + 8);
            if (length < 0 || length > size - payloadStart - 4) {
                throw kind.errors().error(file, "section " + printable(tag) + " at offset " + headerStart + " claims "
                        + Long.toUnsignedString(length) + " bytes but the file ends at byte " + size
                        + ": the file is truncated or corrupted");
            }
            CRC32C crc = new CRC32C();
            crc.update(seg.asSlice(headerStart, SECTION_HEADER_SIZE + length).asByteBuffer());
            if (seg.get(i32, payloadStart + length) != (int) crc.getValue()) {
                throw kind.errors().error(file, "section " + printable(tag) + " (offset " + headerStart + ", "
                        + length + " bytes) fails its checksum: the file is corrupted");
            }
            if (required.contains(tag)) {
                if (!tag.equals(expected)) {
                    throw kind.errors().error(file, "found section " + tag + " where " + expected + " was expected");
                }
                sections.put(tag, new SectionReader(file, tag, seg.asSlice(payloadStart, length), payloadStart, kind.errors()));
            } else if ((flags & FLAG_OPTIONAL) == 0) {
                throw kind.errors().error(file, "unknown required section " + printable(tag) + ": the file needs a newer scep");
            }
            pos = payloadStart + length + 4;
        }
        if (sections.size() != required.size()) {
            throw kind.errors().error(file, "missing sections: found " + sections.keySet() + ", need " + required);
        }
        if (pos + FOOTER_SIZE > size) {
            throw kind.errors().error(file, "truncated: the file ends at byte " + size + " before its footer (expected at byte "
                    + pos + ")");
        }
        if (seg.asSlice(pos, 8).mismatch(MemorySegment.ofArray(kind.footerMagic())) != -1) {
            throw kind.errors().error(file, "footer magic is wrong at offset " + pos + ": the file is corrupted");
        }
        long declared = seg.get(i64, pos + 8);
        if (declared != size || pos + FOOTER_SIZE != size) {
            throw kind.errors().error(file, "the footer records a file length of " + declared + " bytes but the file has "
                    + size + " (footer at " + pos + "): the file is truncated, extended or corrupted");
        }
        return sections;
    }

    /** What a file that is not the expected kind seems to be, when scep knows its magic; "" otherwise. */
    private static String whatItIs(MemorySegment seg) {
        byte[] head = seg.asSlice(0, Math.min(8, seg.byteSize())).toArray(ValueLayout.JAVA_BYTE);
        String text = new String(head, StandardCharsets.ISO_8859_1);
        if (java.util.Arrays.equals(head, ScepModelFile.MAGIC)) {
            return ": it is a scep model file";
        }
        if (java.util.Arrays.equals(head, ScepDataset.MAGIC)) {
            return ": it is a scep dataset file (.sced)";
        }
        if (text.startsWith("\u0089HDF")) {
            return ": it is an HDF5 file (a Keras model is imported with scep import-keras)";
        }
        if (text.startsWith("\u001f\u008b")) {
            return ": it is gzip-compressed";
        }
        return "";
    }

    private static String printable(String tag) {
        StringBuilder sb = new StringBuilder();
        for (char c : tag.toCharArray()) {
            sb.append(c >= 0x20 && c < 0x7f ? String.valueOf(c) : String.format("\\x%02x", (int) c));
        }
        return sb.toString();
    }
}
