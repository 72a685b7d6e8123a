package dev.scep.spark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A table's text without its provenance lines ({@code # scep ...} or {@code # scep-spark ...}, which name the
 * command that wrote it and so differ between the two), for comparing content byte for byte.
 */
final class Tables {
    private Tables() {
    }

    static String text(Path table) throws IOException {
        String t = Files.readString(table);
        while (t.startsWith("#")) {
            int nl = t.indexOf('\n');
            t = nl < 0 ? "" : t.substring(nl + 1);
        }
        return t;
    }
}
