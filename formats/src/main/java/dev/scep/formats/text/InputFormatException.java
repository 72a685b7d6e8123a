package dev.scep.formats.text;

import java.io.IOException;
import java.nio.file.Path;

/** Malformed input: the message names the file and, where there is one, the line. */
public class InputFormatException extends IOException {
    /** The malformed file. */
    private final Path file;
    /** The 1-based line, or 0. */
    private final long line;

    /**
     * Malformed input.
     *
     * @param file    the file (or folder) read
     * @param line    the 1-based line, or 0 (or less) when the problem is not tied to a line
     * @param message what is wrong; the exception's message is {@code file:line: message} ({@code file: message}
     *                without a line)
     */
    public InputFormatException(Path file, long line, String message) {
        super(file + (line > 0 ? ":" + line : "") + ": " + message);
        this.file = file;
        this.line = line;
    }

    /**
     * The malformed input.
     *
     * @return the file (or folder), as the reader was given it
     */
    public Path file() {
        return file;
    }

    /**
     * Where in the file the problem is.
     *
     * @return the 1-based line, or 0 when the problem is not tied to a line
     */
    public long line() {
        return line;
    }
}
