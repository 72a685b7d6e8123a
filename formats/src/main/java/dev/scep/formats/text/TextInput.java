package dev.scep.formats.text;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Opens text inputs, transparently decompressing gzip and bgzip (recognised by their magic bytes, not the name). A
 * damaged or truncated compressed file is an {@link InputFormatException} naming the file, wherever the damage is:
 * in the header or half-way through. Stateless and thread-safe; each stream it returns belongs to one reader.
 */
public final class TextInput {
    private TextInput() {
    }

    /**
     * Opens a text file for reading.
     *
     * @param file a plain, gzip or bgzip file
     * @return a buffered stream of the (decompressed) bytes; the caller closes it. Its reads throw an
     *         {@link InputFormatException} naming the file when compressed data is damaged or truncated
     * @throws java.nio.file.FileSystemException when {@code file} is a folder
     * @throws InputFormatException naming the file when its compressed header is damaged
     * @throws IOException          when it cannot be opened
     */
    public static InputStream open(Path file) throws IOException {
        if (Files.isDirectory(file)) {
            throw new java.nio.file.FileSystemException(file.toString(), null, "is a folder; a file is needed here");
        }
        InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        raw.mark(2);
        int b1 = raw.read();
        int b2 = raw.read();
        raw.reset();
        if (b1 == 0x1f && b2 == 0x8b) {
            try {
                return new BufferedInputStream(new Decompressed(new GZIPInputStream(raw, 1 << 16), file), 1 << 16);
            } catch (ZipException | EOFException e) {
                raw.close();
                throw damaged(file, e);
            }
        }
        return raw;
    }

    private static InputFormatException damaged(Path file, IOException e) {
        return new InputFormatException(file, 0, "the compressed file is truncated or corrupted (" + e.getMessage() + ")");
    }

    /** A decompressing stream whose format errors name the file. */
    private static final class Decompressed extends FilterInputStream {
        private final Path file;

        Decompressed(InputStream in, Path file) {
            super(in);
            this.file = file;
        }

        @Override
        public int read() throws IOException {
            try {
                return super.read();
            } catch (ZipException | EOFException e) {
                throw damaged(file, e);
            }
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            try {
                return super.read(b, off, len);
            } catch (ZipException | EOFException e) {
                throw damaged(file, e);
            }
        }
    }
}
