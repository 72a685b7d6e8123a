package dev.scep.formats.expression;

import dev.scep.formats.text.InputFormatException;
import dev.scep.formats.text.TextInput;
import dev.scep.formats.text.TsvField;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** A list of gene or cell identifiers, one per line, tab-separated extra columns (10x features.tsv: id, name, type). */
record IdList(Path file, List<String> ids, List<String> names) {
    /** First fields that mark a header line (10x writes none; Bioconductor and hand-made lists often do). */
    private static final Set<String> HEADER_WORDS = Set.of("gene_id", "gene_ids", "gene", "genes", "id", "ids", "feature_id",
            "feature_ids", "feature", "features", "ensembl_id", "ensembl", "gene_symbol", "symbol", "gene_name", "name",
            "barcode", "barcodes", "cell", "cell_id", "cell_ids", "cells", "cell_barcode", "index", "");

    /**
     * Reads {@code file}, which must list exactly {@code expected} entries, after a header line when it has one. A
     * header is recognised by its first field ({@code gene_id}, {@code barcode}, ...); a list one line longer than
     * the matrix whose first line is not recognisably a header is an error rather than a guess, since taking a real
     * entry for a header would shift every label by one.
     *
     * @param what   "genes" or "cells", for messages
     * @param unique whether ids must be unique (cell ids: a duplicate would be counted twice)
     */
    static IdList read(Path file, int expected, String what, Path matrix, boolean unique) throws IOException {
        List<String[]> rows = new ArrayList<>();
        List<Long> lineNumbers = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(TextInput.open(file), StandardCharsets.UTF_8))) {
            String line;
            long lineNo = 0;
            while ((line = r.readLine()) != null) {
                lineNo++;
                if (line.isEmpty()) {
                    continue;
                }
                if (rows.size() > expected) {   // stop before a huge wrong file fills the memory
                    throw tooLong(file, expected, what, matrix, ">" + (expected + 1));
                }
                rows.add(line.split("\t", -1));
                lineNumbers.add(lineNo);
            }
        } catch (java.io.EOFException | java.util.zip.ZipException e) {
            throw new InputFormatException(file, 0, "the compressed file is truncated or corrupted (" + e.getMessage() + ")");
        }
        boolean firstIsHeader = !rows.isEmpty() && HEADER_WORDS.contains(rows.getFirst()[0].strip().toLowerCase(Locale.ROOT));
        if (rows.size() == expected + 1) {
            if (!firstIsHeader) {
                throw new InputFormatException(file, lineNumbers.getFirst(), "lists " + rows.size() + " " + what
                        + ", one more than the matrix " + matrix + " has; if the first line ('" + abbreviate(rows.getFirst())
                        + "') is a header, name its first column " + (what.equals("cells") ? "'barcode'" : "'gene_id'")
                        + ", otherwise this list does not belong to the matrix");
            }
            rows.removeFirst();
            lineNumbers.removeFirst();
        } else if (rows.size() != expected) {
            throw tooLong(file, expected, what, matrix, Integer.toString(rows.size()));
        } else if (firstIsHeader && expected > 0) {
            throw new InputFormatException(file, lineNumbers.getFirst(), "the first line ('" + abbreviate(rows.getFirst())
                    + "') looks like a header, but then the list has " + (expected - 1) + " " + what + " for the matrix's "
                    + expected + ": an entry is missing, or the list does not belong to " + matrix);
        }
        List<String> ids = new ArrayList<>(rows.size());
        List<String> names = new ArrayList<>(rows.size());
        Map<String, Long> seen = unique ? new HashMap<>() : null;
        for (int i = 0; i < rows.size(); i++) {
            String[] row = rows.get(i);
            long lineNo = lineNumbers.get(i);
            String id = field(file, lineNo, what, row[0].strip());
            if (id.isEmpty()) {
                throw new InputFormatException(file, lineNo, "empty id in the first column");
            }
            if (seen != null) {
                Long previous = seen.putIfAbsent(id, lineNo);
                if (previous != null) {
                    throw new InputFormatException(file, lineNo, "id '" + id + "' appears twice (first at line " + previous
                            + "): each of the matrix's " + what + " needs its own id, or it would be counted twice");
                }
            }
            ids.add(id);
            names.add(row.length > 1 ? field(file, lineNo, what, row[1].strip()) : null);
        }
        return new IdList(file, ids, names);
    }

    private static String field(Path file, long line, String what, String value) throws InputFormatException {
        String problem = TsvField.problem("id", value);
        if (problem != null) {
            throw new InputFormatException(file, line, problem);
        }
        return value;
    }

    private static InputFormatException tooLong(Path file, int expected, String what, Path matrix, String found) {
        return new InputFormatException(file, 0, "lists " + found + " " + what + " but the matrix " + matrix
                + " has " + expected + ": the " + what + " list does not belong to this matrix");
    }

    private static String abbreviate(String[] row) {
        String s = TsvField.printable(String.join("\t", row));
        return s.length() > 60 ? s.substring(0, 60) + "..." : s;
    }

    /** The first of {@code candidates} that exists in {@code dir}, or null. */
    static Path find(Path dir, String... candidates) {
        for (String c : candidates) {
            Path p = dir.resolve(c);
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        return null;
    }
}
