package dev.scep.formats.npy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * NumPy {@code .npy} files (format version 1.0) of little-endian float32 arrays: readable by {@code numpy.load}
 * and {@code torch.from_numpy}. See numpy/lib/format.py for the specification.
 */
public final class NpyFiles {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};

    private NpyFiles() {
    }

    /** The header: magic, version 1.0, header length, then a Python dict literal padded to a 64-byte boundary. */
    static byte[] header(int[] shape) {
        String dims = shape.length == 1 ? shape[0] + "," : String.join(", ", Arrays.stream(shape).mapToObj(Integer::toString).toList());
        String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + dims + "), }";
        int unpadded = MAGIC.length + 2 + 2 + dict.length() + 1;
        int total = (unpadded + 63) / 64 * 64;
        String padded = dict + " ".repeat(total - unpadded) + "\n";
        ByteBuffer b = ByteBuffer.allocate(total).order(ByteOrder.LITTLE_ENDIAN);
        b.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) padded.length()).put(padded.getBytes(StandardCharsets.US_ASCII));
        return b.array();
    }

    public static void writeFloat32(Path file, int[] shape, float[] values) throws IOException {
        if (values.length != Arrays.stream(shape).asLongStream().reduce(1, (a, c) -> a * c)) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " does not hold " + values.length + " values");
        }
        ByteBuffer data = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        data.asFloatBuffer().put(values);
        try (dev.scep.formats.io.OutputFile out = dev.scep.formats.io.OutputFile.create(file)) {
            out.stream().write(header(shape));
            out.stream().write(data.array());
            out.commit();
        }
    }

    /** A float32 array read back: its shape and values. */
    public record Float32Array(int[] shape, float[] values) {
    }

    private static final Pattern DICT = Pattern.compile(
            "\\{'descr': '<f4', 'fortran_order': False, 'shape': \\(([0-9, ]*)\\), }\\s*");

    /** Reads a little-endian float32, C-order .npy file (the kind {@link #writeFloat32} writes). */
    public static Float32Array readFloat32(Path file) throws IOException {
        byte[] all = Files.readAllBytes(file);
        if (all.length < 10 || !Arrays.equals(Arrays.copyOf(all, 6), MAGIC) || all[6] != 1) {
            throw new IOException(file + ": not a version 1 .npy file");
        }
        int headerLen = Short.toUnsignedInt(ByteBuffer.wrap(all, 8, 2).order(ByteOrder.LITTLE_ENDIAN).getShort());
        String dict = new String(all, 10, headerLen, StandardCharsets.US_ASCII);
        Matcher m = DICT.matcher(dict);
        if (!m.matches()) {
            throw new IOException(file + ": unsupported .npy header " + dict.strip());
        }
        int[] shape = Arrays.stream(m.group(1).split(",")).map(String::strip).filter(s -> !s.isEmpty()).mapToInt(Integer::parseInt).toArray();
        int n = (int) Arrays.stream(shape).asLongStream().reduce(1, (a, c) -> a * c);
        float[] v = new float[n];
        ByteBuffer.wrap(all, 10 + headerLen, n * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(v);
        return new Float32Array(shape, v);
    }
}
