package dev.scep.formats.io;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** A growable little-endian byte buffer for building file sections. */
final class LittleEndianBuilder {
    private ByteBuffer buf = ByteBuffer.allocate(256).order(ByteOrder.LITTLE_ENDIAN);

    private void ensure(int more) {
        if (buf.remaining() < more) {
            ByteBuffer bigger = ByteBuffer.allocate(Math.max(buf.capacity() * 2, buf.position() + more)).order(ByteOrder.LITTLE_ENDIAN);
            buf.flip();
            bigger.put(buf);
            buf = bigger;
        }
    }

    LittleEndianBuilder u8(int v) {
        if (v < 0 || v > 255) {
            throw new IllegalArgumentException("byte value out of range: " + v);
        }
        ensure(1);
        buf.put((byte) v);
        return this;
    }

    LittleEndianBuilder i32(int v) {
        ensure(4);
        buf.putInt(v);
        return this;
    }

    LittleEndianBuilder i64(long v) {
        ensure(8);
        buf.putLong(v);
        return this;
    }

    LittleEndianBuilder f32(float v) {
        ensure(4);
        buf.putFloat(v);
        return this;
    }

    LittleEndianBuilder f64(double v) {
        ensure(8);
        buf.putDouble(v);
        return this;
    }

    LittleEndianBuilder bytes(byte[] b) {
        ensure(b.length);
        buf.put(b);
        return this;
    }

    LittleEndianBuilder zeros(int n) {
        ensure(n);
        buf.put(new byte[n]);
        return this;
    }

    /** A string as u32 byte length + UTF-8 bytes. */
    LittleEndianBuilder string(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        return i32(b.length).bytes(b);
    }

    int size() {
        return buf.position();
    }

    byte[] toByteArray() {
        return Arrays.copyOf(buf.array(), buf.position());
    }
}
