package dev.scep.formats.text;

import java.io.IOException;
import java.nio.file.Path;

/** Malformed input: the message names the file and, where there is one, the line. */
public class InputFormatException extends IOException {
    private final Path file;
    private final long line;

    public InputFormatException(Path file, long line, String message) {
        super(file + (line > 0 ? ":" + line : "") + ": " + message);
        this.file = file;
        this.line = line;
    }

    public Path file() {
        return file;
    }

    /** 1-based line, or 0 when the problem is not tied to a line. */
    public long line() {
        return line;
    }
}
