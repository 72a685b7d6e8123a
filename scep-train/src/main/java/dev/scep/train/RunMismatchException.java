package dev.scep.train;

import java.io.IOException;

/**
 * Work left by an earlier run (a checkpoint, cross-validation models) that was made with other parameters than the
 * run that would continue it; the message names every difference, so reusing it would not silently mix two runs.
 */
public class RunMismatchException extends IOException {
    /**
     * The refusal.
     *
     * @param message the file refused, every difference as {@code name=recorded value} against this run's, and what
     *                to do instead
     */
    public RunMismatchException(String message) {
        super(message);
    }
}
