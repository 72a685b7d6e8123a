package dev.scep.formats.expression;

import dev.scep.formats.text.InputFormatException;
import dev.scep.formats.text.TextInput;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Cell (or bulk sample) annotations: one row per cell, an id column and named columns of values (tissue, class,
 * time point...). Read from a TSV/CSV with a header line, or from an h5ad file's {@code obs}. Rows are 0-based.
 *
 * <p>Never modified after it is made; {@link #ids()} and {@link #column} return the lists themselves, so treat them as
 * read-only. So treated, a table can be shared between threads.
 */
public final class CellTable {
    private final Path source;
    private final List<String> ids;
    private final Map<String, List<String>> columns;
    private final Map<String, Integer> rowOf;

    CellTable(Path source, List<String> ids, Map<String, List<String>> columns) throws InputFormatException {
        this.source = source;
        this.ids = List.copyOf(ids);
        this.columns = new LinkedHashMap<>(columns);
        this.rowOf = new HashMap<>();
        for (int i = 0; i < ids.size(); i++) {
            Integer previous = rowOf.put(ids.get(i), i);
            if (previous != null) {
                throw new InputFormatException(source, 0, "cell id " + ids.get(i) + " appears twice (rows " + (previous + 1)
                        + " and " + (i + 1) + ")");
            }
        }
    }

    /**
     * Reads a delimited table: tab-separated, or comma-separated when the name ends in {@code .csv} or
     * {@code .csv.gz}; plain, gzip or bgzip. Blank lines are skipped; fields are stripped and unquoted.
     *
     * @param file     the table, a header line first
     * @param idColumn the header name of the cell id column, or null for the first column
     * @return the table; every column except the id column, in file order
     * @throws InputFormatException naming the file (and line) when the table is empty, has no column
     *                              {@code idColumn}, has a row with another number of fields than the header, or names
     *                              a cell twice
     * @throws IOException          when the file cannot be read
     */
    public static CellTable read(Path file, String idColumn) throws IOException {
        char delimiter = DelimitedMatrix.delimiterOf(file);
        try (BufferedReader r = new BufferedReader(new InputStreamReader(TextInput.open(file), StandardCharsets.UTF_8))) {
            String headerLine = r.readLine();
            if (headerLine == null) {
                throw new InputFormatException(file, 1, "empty cell annotation table: expected a header line");
            }
            String[] header = DelimitedMatrix.split(headerLine, delimiter);
            int idIndex = 0;
            if (idColumn != null) {
                idIndex = List.of(header).indexOf(idColumn);
                if (idIndex < 0) {
                    throw new InputFormatException(file, 1, "no cell id column '" + idColumn + "' (columns: "
                            + String.join(", ", header) + ")");
                }
            }
            List<String> ids = new ArrayList<>();
            List<List<String>> values = new ArrayList<>();
            for (int i = 0; i < header.length; i++) {
                values.add(new ArrayList<>());
            }
            String line;
            long lineNo = 1;
            while ((line = r.readLine()) != null) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                String[] f = DelimitedMatrix.split(line, delimiter);
                if (f.length != header.length) {
                    throw new InputFormatException(file, lineNo, "has " + f.length + " fields but the header has " + header.length);
                }
                ids.add(f[idIndex]);
                for (int i = 0; i < f.length; i++) {
                    values.get(i).add(f[i]);
                }
            }
            Map<String, List<String>> columns = new LinkedHashMap<>();
            for (int i = 0; i < header.length; i++) {
                if (i != idIndex) {
                    columns.put(header[i], values.get(i));
                }
            }
            return new CellTable(file, ids, columns);
        }
    }

    /**
     * The file the table was read from, for messages.
     *
     * @return the TSV/CSV or h5ad file
     */
    public Path source() {
        return source;
    }

    /**
     * The cell (or sample) ids, by row.
     *
     * @return an immutable list, unique ids
     */
    public List<String> ids() {
        return ids;
    }

    List<String> columnNames() {
        return List.copyOf(columns.keySet());
    }

    /**
     * Finds a cell.
     *
     * @param id a cell id
     * @return its 0-based row, or -1 when the table has no such cell
     */
    public int rowOf(String id) {
        return rowOf.getOrDefault(id, -1);
    }

    /**
     * One annotation column.
     *
     * @param name the column's header name
     * @return its values by row, as text
     * @throws InputFormatException naming the table and its columns when there is no such column
     */
    public List<String> column(String name) throws InputFormatException {
        List<String> c = columns.get(name);
        if (c == null) {
            throw new InputFormatException(source, 0, "population column '" + name + "' does not exist (columns: "
                    + String.join(", ", columns.keySet()) + ")");
        }
        return c;
    }
}
