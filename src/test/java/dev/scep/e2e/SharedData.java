package dev.scep.e2e;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Locates ../shared/data (set by the build as scep.shared.data). */
final class SharedData {
    private SharedData() {
    }

    static Path dir() {
        Path p = Path.of(System.getProperty("scep.shared.data", "../shared/data")).toAbsolutePath().normalize();
        assumeTrue(Files.isDirectory(p), "shared data folder not found at " + p + " (it sits beside the checkout)");
        return p;
    }
}
