package dev.scep.formats.io;

import java.io.IOException;
import java.nio.file.Path;

/** A binary scep file (model or dataset) that cannot be read: wrong magic, newer version, truncated or corrupted. */
public class FileFormatException extends IOException {
    private final Path file;

    public FileFormatException(Path file, String message) {
        super(file + ": " + message);
        this.file = file;
    }

    public FileFormatException(Path file, String message, Throwable cause) {
        super(file + ": " + message, cause);
        this.file = file;
    }

    public Path file() {
        return file;
    }
}
