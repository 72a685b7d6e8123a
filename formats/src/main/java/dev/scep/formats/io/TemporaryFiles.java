package dev.scep.formats.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Temporary files beside an output, so the final rename stays on one file system and is atomic. */
public final class TemporaryFiles {
    private TemporaryFiles() {
    }

    /** A new empty file {@code .<target name>…<suffix>} in the target's folder (created if missing). */
    public static Path beside(Path target, String suffix) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        return Files.createTempFile(dir, "." + target.getFileName(), suffix);
    }
}
