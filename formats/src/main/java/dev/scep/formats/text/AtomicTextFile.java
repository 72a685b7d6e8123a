package dev.scep.formats.text;

import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * A text output written to a temporary file beside its target and renamed over it on {@link #commit()}; closing
 * without committing deletes the temporary file, so a failure never leaves a half-written or damaged output.
 */
public final class AtomicTextFile implements Closeable {
    private final Path target;
    private final Path tmp;
    private final java.io.BufferedOutputStream stream;
    private final BufferedWriter writer;
    private boolean committed;

    public AtomicTextFile(Path target) throws IOException {
        this.target = target;
        this.tmp = dev.scep.formats.io.TemporaryFiles.beside(target, ".tmp");
        // a large buffer: some outputs (variant tables, ISM) are hundreds of megabytes
        this.stream = new java.io.BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16);
        this.writer = new BufferedWriter(new java.io.OutputStreamWriter(stream, StandardCharsets.UTF_8), 1 << 16);
    }

    public Writer writer() {
        return writer;
    }

    /**
     * The same file as bytes (UTF-8 text already encoded), for outputs that format rows on other threads. Call it
     * again after writing to {@link #writer()}: it flushes the writer first, so the bytes come after that text.
     */
    public java.io.OutputStream stream() throws IOException {
        writer.flush();
        return stream;
    }

    public Path target() {
        return target;
    }

    public void commit() throws IOException {
        writer.close();
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        committed = true;
    }

    @Override
    public void close() throws IOException {
        if (!committed) {
            writer.close();
            Files.deleteIfExists(tmp);
        }
    }
}
