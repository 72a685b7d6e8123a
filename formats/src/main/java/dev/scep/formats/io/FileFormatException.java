package dev.scep.formats.io;

import java.io.IOException;
import java.nio.file.Path;

/** A binary scep file (model or dataset) that cannot be read: wrong magic, newer version, truncated or corrupted. */
public class FileFormatException extends IOException {
    /** The file that cannot be read. */
    private final Path file;

    /**
     * A file that cannot be read.
     *
     * @param file    the file
     * @param message what is wrong with it; the exception's message is {@code file + ": " + message}
     */
    public FileFormatException(Path file, String message) {
        super(file + ": " + message);
        this.file = file;
    }

    /**
     * A file that cannot be read, because of {@code cause}.
     *
     * @param file    the file
     * @param message what is wrong with it; the exception's message is {@code file + ": " + message}
     * @param cause   the failure that revealed it
     */
    public FileFormatException(Path file, String message, Throwable cause) {
        super(file + ": " + message, cause);
        this.file = file;
    }

    /**
     * The file that cannot be read.
     *
     * @return the file, as the reader was given it
     */
    public Path file() {
        return file;
    }
}
