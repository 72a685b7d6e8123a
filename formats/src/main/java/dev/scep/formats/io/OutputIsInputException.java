package dev.scep.formats.io;

import java.nio.file.FileSystemException;
import java.nio.file.Path;

/** An output that is the same file as one of the job's inputs: writing it would destroy the input. */
public class OutputIsInputException extends FileSystemException {
    /** The input the output would have overwritten. */
    private final Path input;

    OutputIsInputException(Path output, Path input) {
        super(output.toString(), input.toString(), "is the same file as the input " + input
                + "; writing it would destroy that input: choose another output");
        this.input = input;
    }

    /**
     * The input it would have overwritten.
     *
     * @return the input path, as the job named it ({@link #getFile()} is the output)
     */
    public Path input() {
        return input;
    }

    @Override
    public String getMessage() {
        return getReason() == null ? super.getMessage() : getFile() + ": " + getReason();
    }
}
