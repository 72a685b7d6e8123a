package dev.scep.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** scep's tables without their provenance lines ({@code # scep ...}, {@code # model ...}), for comparing content. */
final class Tables {
    private Tables() {
    }

    /** The table's lines after its leading comment lines. */
    static List<String> lines(Path table) throws IOException {
        List<String> all = Files.readAllLines(table);
        int first = 0;
        while (first < all.size() && all.get(first).startsWith("#")) {
            first++;
        }
        return all.subList(first, all.size());
    }

    /** As {@link #lines(Path)} (scep's tables are UTF-8). */
    static List<String> lines(Path table, java.nio.charset.Charset charset) throws IOException {
        return lines(table);
    }

    /** The table's text after its leading comment lines. */
    static String text(Path table) throws IOException {
        return body(Files.readString(table));
    }

    /** A table's text after its leading comment lines. */
    static String body(String text) {
        String t = text;
        while (t.startsWith("#")) {
            int nl = t.indexOf('\n');
            t = nl < 0 ? "" : t.substring(nl + 1);
        }
        return t;
    }
}
