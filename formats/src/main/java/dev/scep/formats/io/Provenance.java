package dev.scep.formats.io;

import java.io.IOException;
import java.io.Writer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The provenance comment lines at the top of every table a command writes: {@code # scep <version> <command line>}
 * and, per model the command read, {@code # model <file> sha256 <digest>}, so a table found later says what made it.
 * The command line sets them for the run ({@link #start}); library calls outside a command write none. Readers in
 * this project skip leading {@code #} lines ({@link #skip}). One command runs per process; the lines are global.
 */
public final class Provenance {
    private static volatile List<String> lines = List.of();

    private Provenance() {
    }

    /**
     * Starts a command's provenance.
     *
     * @param tool    the program, e.g. {@code scep}
     * @param version its version
     * @param args    the command line after the program's name
     */
    public static synchronized void start(String tool, String version, List<String> args) {
        lines = List.of("# " + tool + " " + version + " " + String.join(" ", args).replace('\n', ' ').replace('\r', ' '));
    }

    /**
     * Adds a model the command reads, with its SHA-256 (once per file).
     *
     * @param model the model file
     * @throws IOException when the file cannot be read
     */
    public static synchronized void model(Path model) throws IOException {
        if (lines.isEmpty()) {
            return;
        }
        String line = "# model " + model + " sha256 " + FileDigest.of(model, "SHA-256");
        if (!lines.contains(line)) {
            List<String> more = new ArrayList<>(lines);
            more.add(line);
            lines = List.copyOf(more);
        }
    }

    /** Ends the command: later tables carry no provenance. */
    public static synchronized void clear() {
        lines = List.of();
    }

    /**
     * The current lines.
     *
     * @return the comment lines, each starting with {@code #}; empty outside a command
     */
    public static List<String> lines() {
        return lines;
    }

    /**
     * Writes the current lines, each ended by a line break.
     *
     * @param w the table's writer, before its header
     * @throws IOException when writing fails
     */
    public static void write(Writer w) throws IOException {
        for (String line : lines) {
            w.write(line);
            w.write('\n');
        }
    }

    /**
     * Reads past a table's leading comment lines.
     *
     * @param r a reader at the start of a table
     * @return the first line that is not a comment (the header), or null at the end
     * @throws IOException when reading fails
     */
    public static String skip(java.io.BufferedReader r) throws IOException {
        String line;
        while ((line = r.readLine()) != null && line.startsWith("#")) {
            // a provenance line
        }
        return line;
    }
}
