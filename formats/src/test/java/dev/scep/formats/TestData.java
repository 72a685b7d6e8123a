package dev.scep.formats;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Files of ../shared/data for tests (the build sets scep.shared.data); tests skip, saying why, without them. */
public final class TestData {
    private TestData() {
    }

    public static Path shared(String relative) {
        Path p = Path.of(System.getProperty("scep.shared.data", "../shared/data"), relative).toAbsolutePath().normalize();
        assumeTrue(Files.exists(p), "shared data not found at " + p + " (it sits beside the checkout)");
        return p;
    }

    public static Path regionFasta() {
        return shared("hg38-chr16-alpha-globin/region.fa");
    }

    public static Path refseqGtf() {
        return shared("hg38-chr16-alpha-globin/refseq.gtf");
    }
}
