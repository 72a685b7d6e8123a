package dev.scep.formats.expression;

import dev.scep.formats.text.InputFormatException;
import dev.scep.formats.text.TextInput;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A list of gene or cell identifiers, one per line, tab-separated extra columns (10x features.tsv: id, name, type). */
record IdList(Path file, List<String> ids, List<String> names) {

    /**
     * Reads {@code file}, expecting {@code expected} entries; a first line beyond that is taken as a header.
     *
     * @param what "genes" or "cells", for the message when the count disagrees with the matrix
     */
    static IdList read(Path file, int expected, String what, Path matrix) throws IOException {
        List<String[]> rows = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(TextInput.open(file), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (!line.isEmpty()) {
                    rows.add(line.split("\t", -1));
                }
            }
        }
        if (rows.size() == expected + 1) {
            rows.removeFirst();
        } else if (rows.size() != expected) {
            throw new InputFormatException(file, 0, "lists " + rows.size() + " " + what + " but the matrix " + matrix
                    + " has " + expected + ": the " + what + " list does not belong to this matrix");
        }
        List<String> ids = new ArrayList<>(rows.size());
        List<String> names = new ArrayList<>(rows.size());
        for (String[] row : rows) {
            ids.add(row[0].strip());
            names.add(row.length > 1 ? row[1].strip() : null);
        }
        return new IdList(file, ids, names);
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
