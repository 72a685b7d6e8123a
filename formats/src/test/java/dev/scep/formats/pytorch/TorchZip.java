package dev.scep.formats.pytorch;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes checkpoints in the layout of torch.save (a zip of archive/data.pkl and archive/data/N, entries stored), with
 * the pickle built opcode by opcode as PyTorch writes it (protocol 2): for tests of shapes and of the allow-list
 * without Python.
 */
final class TorchZip {
    private final ByteArrayOutputStream pkl = new ByteArrayOutputStream();
    private final Map<String, byte[]> storages = new LinkedHashMap<>();

    TorchZip op(int... bytes) {
        for (int b : bytes) {
            pkl.write(b);
        }
        return this;
    }

    TorchZip global(String module, String name) {
        op('c');
        pkl.writeBytes((module + "\n" + name + "\n").getBytes(StandardCharsets.US_ASCII));
        return this;
    }

    TorchZip str(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        op('X', b.length & 0xff, (b.length >> 8) & 0xff, (b.length >> 16) & 0xff, b.length >>> 24);
        pkl.writeBytes(b);
        return this;
    }

    TorchZip integer(int v) {
        return op('J', v & 0xff, (v >> 8) & 0xff, (v >> 16) & 0xff, v >>> 24);
    }

    TorchZip tuple(int... values) {
        op('(');
        for (int v : values) {
            integer(v);
        }
        return op('t');
    }

    /** An empty OrderedDict on the stack. */
    TorchZip orderedDict() {
        return global("collections", "OrderedDict").op(')', 'R');
    }

    /** A contiguous float32 tensor of the given shape (all values {@code value}) on the stack. */
    TorchZip tensor(float value, int... shape) {
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        String key = Integer.toString(storages.size());
        ByteBuffer b = ByteBuffer.allocate(n * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) {
            b.putFloat(value);
        }
        storages.put(key, b.array());
        int[] stride = new int[shape.length];
        int s = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            stride[i] = s;
            s *= shape[i];
        }
        global("torch._utils", "_rebuild_tensor_v2").op('(');
        op('(').str("storage").global("torch", "FloatStorage").str(key).str("cpu").integer(n).op('t', 'Q');
        integer(0).tuple(shape).tuple(stride).op(0x89).orderedDict().op('t', 'R');
        return this;
    }

    /** A state dict of the original CNN1D with {@code populations} outputs and {@code fc0In} inputs to fc.0. */
    static TorchZip cnn1d(int populations, int fc0In) {
        TorchZip z = new TorchZip().op(0x80, 2).orderedDict().op('(');
        z.str("conv.0.weight").tensor(0.01f, 128, 4, 6).str("conv.0.bias").tensor(0, 128);
        z.str("conv.3.weight").tensor(0.01f, 32, 128, 9).str("conv.3.bias").tensor(0, 32);
        z.str("fc.0.weight").tensor(0.01f, 64, fc0In).str("fc.0.bias").tensor(0, 64);
        z.str("fc.3.weight").tensor(0.01f, populations, 64).str("fc.3.bias").tensor(0.5f, populations);
        return z.op('u', '.');
    }

    void write(Path file) throws IOException {
        try (OutputStream os = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(os)) {
            put(zip, "archive/data.pkl", pkl.toByteArray());
            for (var e : storages.entrySet()) {
                put(zip, "archive/data/" + e.getKey(), e.getValue());
            }
            put(zip, "archive/version", "3\n".getBytes(StandardCharsets.US_ASCII));
        }
    }

    private static void put(ZipOutputStream zip, String name, byte[] data) throws IOException {
        ZipEntry e = new ZipEntry(name);
        e.setMethod(ZipEntry.STORED);
        e.setSize(data.length);
        CRC32 crc = new CRC32();
        crc.update(data);
        e.setCrc(crc.getValue());
        zip.putNextEntry(e);
        zip.write(data);
        zip.closeEntry();
    }
}
