package dev.scep.formats.model;

import dev.scep.formats.io.FileFormatException;

import java.nio.file.Path;

/** A model file that cannot be read: wrong magic, newer version, truncated, corrupted or inconsistent. */
public class ModelFormatException extends FileFormatException {
    /**
     * A model file that cannot be read.
     *
     * @param file    the file
     * @param message what is wrong with it; the exception's message is {@code file + ": " + message}
     */
    public ModelFormatException(Path file, String message) {
        super(file, message);
    }

    /**
     * A model file that cannot be read, because of {@code cause}.
     *
     * @param file    the file
     * @param message what is wrong with it; the exception's message is {@code file + ": " + message}
     * @param cause   the failure that revealed it
     */
    public ModelFormatException(Path file, String message, Throwable cause) {
        super(file, message, cause);
    }
}
