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
    private final BufferedWriter writer;
    private boolean committed;

    public AtomicTextFile(Path target) throws IOException {
        this.target = target;
        this.tmp = dev.scep.formats.io.TemporaryFiles.beside(target, ".tmp");
        // a large buffer: some outputs (variant tables, ISM) are hundreds of megabytes
        this.writer = new BufferedWriter(new java.io.OutputStreamWriter(Files.newOutputStream(tmp), StandardCharsets.UTF_8), 1 << 16);
    }

    public Writer writer() {
        return writer;
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
