package dev.scep.train.prepare;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Files of ../shared/data (the build sets scep.shared.data); tests skip, saying why, without them. */
final class SharedFiles {
    private SharedFiles() {
    }

    static Path get(String relative) {
        Path p = Path.of(System.getProperty("scep.shared.data", "../shared/data"), relative);
        assumeTrue(Files.isRegularFile(p), "shared data not found at " + p + " (it sits beside the checkout)");
        return p;
    }
}
