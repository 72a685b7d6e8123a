package dev.scep.formats.io;

import java.nio.file.Path;

/** A {@code .sced} dataset file that cannot be read: wrong magic, newer version, truncated, corrupted or inconsistent. */
public class DatasetFormatException extends FileFormatException {
    DatasetFormatException(Path file, String message) {
        super(file, message);
    }
}
