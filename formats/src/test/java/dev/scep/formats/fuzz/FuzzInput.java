package dev.scep.formats.fuzz;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Splits one fuzzer input into the pieces a reader needs (a mode, then length-prefixed parts, then the rest), in a
 * framing simple enough to write seeds by hand: {@code [mode][len hi][len lo][part]...[rest]}. Lengths are clamped to
 * what is left, so every byte string is a valid input. {@link #frame} builds seeds in the same framing.
 */
public final class FuzzInput {
    private final byte[] data;
    private int pos;

    private FuzzInput(byte[] data) {
        this.data = data;
    }

    public static FuzzInput of(byte[] data) {
        return new FuzzInput(data);
    }

    /** The first byte modulo {@code modes} (0 for an empty input). */
    public int mode(int modes) {
        return pos < data.length ? Byte.toUnsignedInt(data[pos++]) % modes : 0;
    }

    /** The next length-prefixed part (possibly empty). */
    public byte[] part() {
        if (pos + 2 > data.length) {
            pos = data.length;
            return new byte[0];
        }
        int len = Math.min((Byte.toUnsignedInt(data[pos]) << 8) | Byte.toUnsignedInt(data[pos + 1]), data.length - pos - 2);
        pos += 2;
        byte[] out = Arrays.copyOfRange(data, pos, pos + len);
        pos += len;
        return out;
    }

    /** Everything not taken yet. */
    public byte[] rest() {
        byte[] out = Arrays.copyOfRange(data, pos, data.length);
        pos = data.length;
        return out;
    }

    /** A seed: the mode byte, each part but the last with its two-byte length, then the last part. */
    public static byte[] frame(int mode, byte[]... parts) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(mode);
        for (int i = 0; i < parts.length; i++) {
            if (i < parts.length - 1) {
                if (parts[i].length > 0xFFFF) {
                    throw new IllegalArgumentException("part " + i + " is longer than 65535 bytes");
                }
                out.write(parts[i].length >> 8);
                out.write(parts[i].length & 0xFF);
            }
            out.write(parts[i]);
        }
        return out.toByteArray();
    }

    /** A scratch folder for one fuzz target, reused across inputs (files are overwritten), removed when the JVM ends. */
    public static synchronized Path scratch(String name) {
        try {
            if (root == null) {
                root = Files.createTempDirectory("scep-fuzz-");
                Runtime.getRuntime().addShutdownHook(new Thread(FuzzInput::removeScratch));
            }
            return Files.createDirectories(root.resolve(name));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static Path root;

    private static void removeScratch() {
        try (var files = Files.walk(root)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temporary folder: the system cleans it up eventually
        }
    }
}
