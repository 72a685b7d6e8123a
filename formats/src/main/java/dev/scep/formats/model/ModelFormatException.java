package dev.scep.formats.model;

import dev.scep.formats.io.FileFormatException;

import java.nio.file.Path;

/** A model file that cannot be read: wrong magic, newer version, truncated, corrupted or inconsistent. */
public class ModelFormatException extends FileFormatException {
    public ModelFormatException(Path file, String message) {
        super(file, message);
    }

    public ModelFormatException(Path file, String message, Throwable cause) {
        super(file, message, cause);
    }
}
