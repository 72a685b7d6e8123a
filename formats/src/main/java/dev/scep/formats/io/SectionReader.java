package dev.scep.formats.io;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** Reads little-endian values from one section's payload; every read is bounds-checked against the section. */
final class SectionReader {
    private static final ValueLayout.OfInt I32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong I64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfDouble F64 = ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final Path file;
    private final String section;
    private final MemorySegment payload;
    private final long fileOffset;
    private final SectionedFile.ErrorFactory errors;
    private long pos;

    SectionReader(Path file, String section, MemorySegment payload, long fileOffset, SectionedFile.ErrorFactory errors) {
        this.errors = errors;
        this.file = file;
        this.section = section;
        this.payload = payload;
        this.fileOffset = fileOffset;
    }

    private void need(long n, String what) throws FileFormatException {
        if (n < 0 || pos + n > payload.byteSize()) {
            throw error("reading " + what + " needs " + n + " bytes at section offset " + pos + " but the section has "
                    + (payload.byteSize() - pos) + " left");
        }
    }

    FileFormatException error(String message) {
        return errors.error(file, "section " + section + " (file offset " + fileOffset + "): " + message);
    }

    int u8(String what) throws FileFormatException {
        need(1, what);
        return Byte.toUnsignedInt(payload.get(ValueLayout.JAVA_BYTE, pos++));
    }

    int i32(String what) throws FileFormatException {
        need(4, what);
        int v = payload.get(I32, pos);
        pos += 4;
        return v;
    }

    /** An unsigned 32-bit field. */
    long u32(String what) throws FileFormatException {
        return Integer.toUnsignedLong(i32(what));
    }

    /** A non-negative count, bounded so a corrupted count cannot make us allocate absurd arrays. */
    int count(String what, int max) throws FileFormatException {
        long v = u32(what);
        if (v > max) {
            throw error(what + " is " + v + ", outside 0.." + max);
        }
        return (int) v;
    }

    /**
     * A count of items that each take at least {@code minBytes} of what is left of the section: a corrupted count
     * fails here, before anything is allocated from it.
     */
    int count(String what, int max, long minBytes) throws FileFormatException {
        int v = count(what, max);
        if (minBytes > 0 && v > remaining() / minBytes) {
            throw error(what + " is " + v + " but the section has only " + remaining() + " bytes left, room for at most "
                    + remaining() / minBytes);
        }
        return v;
    }

    /** Bytes not yet read. */
    long remaining() {
        return payload.byteSize() - pos;
    }

    long i64(String what) throws FileFormatException {
        need(8, what);
        long v = payload.get(I64, pos);
        pos += 8;
        return v;
    }

    float f32(String what) throws FileFormatException {
        need(4, what);
        float v = payload.get(F32, pos);
        pos += 4;
        return v;
    }

    double f64(String what) throws FileFormatException {
        need(8, what);
        double v = payload.get(F64, pos);
        pos += 8;
        return v;
    }

    String string(String what) throws FileFormatException {
        long len = u32(what + " length");
        need(len, what);
        byte[] bytes = payload.asSlice(pos, len).toArray(ValueLayout.JAVA_BYTE);
        pos += len;
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw error(what + " is not valid UTF-8");
        }
    }

    MemorySegment payloadSegment() {
        return payload;
    }

    void expectEnd() throws FileFormatException {
        if (pos != payload.byteSize()) {
            throw error((payload.byteSize() - pos) + " unexpected bytes after the last field");
        }
    }
}
