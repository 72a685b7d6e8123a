package dev.scep.formats.model;

import java.io.IOException;
import java.nio.file.Path;

/** A model file that cannot be read: wrong magic, newer version, truncated, corrupted or inconsistent. */
public class ModelFormatException extends IOException {
    private final Path file;

    public ModelFormatException(Path file, String message) {
        super(file + ": " + message);
        this.file = file;
    }

    public ModelFormatException(Path file, String message, Throwable cause) {
        super(file + ": " + message, cause);
        this.file = file;
    }

    public Path file() {
        return file;
    }
}
