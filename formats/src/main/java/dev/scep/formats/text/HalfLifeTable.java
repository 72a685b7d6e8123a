package dev.scep.formats.text;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A half-life feature table: tab-separated, a header line, an {@code id} column, then one column per feature.
 * Lines starting with '#' are comments. Every value must be a finite number. Immutable once read (values are
 * copied out) and safe to share between threads.
 */
public final class HalfLifeTable {
    private final Path file;
    private final List<String> featureNames;
    private final Map<String, double[]> rows;

    private HalfLifeTable(Path file, List<String> featureNames, Map<String, double[]> rows) {
        this.file = file;
        this.featureNames = List.copyOf(featureNames);
        this.rows = rows;
    }

    /**
     * Reads a table.
     *
     * @param file the table: plain, gzip or bgzip
     * @return the table
     * @throws InputFormatException naming the file and line when the file is empty, the header has no {@code id}
     *                              column, a row has another number of fields than the header, a value is not a finite
     *                              number, or an id appears twice
     * @throws IOException          when the file cannot be read
     */
    public static HalfLifeTable read(Path file) throws IOException {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(TextInput.open(file), StandardCharsets.UTF_8))) {
            String line;
            long lineNo = 0;
            String[] header = null;
            int idColumn = -1;
            List<String> names = new ArrayList<>();
            Map<String, double[]> rows = new HashMap<>();
            while ((line = r.readLine()) != null) {
                lineNo++;
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] f = line.split("\t", -1);
                if (header == null) {
                    header = f;
                    for (int i = 0; i < f.length; i++) {
                        if (f[i].strip().equals("id")) {
                            idColumn = i;
                        } else {
                            names.add(f[i].strip());
                        }
                    }
                    if (idColumn < 0) {
                        throw new InputFormatException(file, lineNo, "the header has no 'id' column (columns: "
                                + String.join(", ", f) + "); the first line must name the columns, tab-separated");
                    }
                    continue;
                }
                if (f.length != header.length) {
                    throw new InputFormatException(file, lineNo, "expected " + header.length + " tab-separated fields as in"
                            + " the header, found " + f.length);
                }
                String id = f[idColumn].strip();
                double[] values = new double[names.size()];
                for (int i = 0, k = 0; i < f.length; i++) {
                    if (i == idColumn) {
                        continue;
                    }
                    String v = f[i].strip();
                    double d;
                    try {
                        d = Double.parseDouble(v);
                    } catch (NumberFormatException e) {
                        throw new InputFormatException(file, lineNo, "column '" + header[i].strip() + "' of '" + id
                                + "' is not a number: '" + v + "'");
                    }
                    if (!Double.isFinite(d)) {
                        throw new InputFormatException(file, lineNo, "column '" + header[i].strip() + "' of '" + id
                                + "' is not finite: '" + v + "'");
                    }
                    values[k++] = d;
                }
                if (rows.put(id, values) != null) {
                    throw new InputFormatException(file, lineNo, "id '" + id + "' appears twice");
                }
            }
            if (header == null) {
                throw new InputFormatException(file, 0, "the file is empty: expected a header line with an 'id' column");
            }
            return new HalfLifeTable(file, names, rows);
        }
    }

    /**
     * The file the table was read from, for messages.
     *
     * @return the file, as {@link #read} was given it
     */
    public Path file() {
        return file;
    }

    /**
     * The feature columns in file order (the id column excluded).
     *
     * @return an immutable list of the header names, stripped
     */
    public List<String> featureNames() {
        return featureNames;
    }

    /**
     * The values of one id.
     *
     * @param id a row id (e.g. a gene id or window name), as the {@code id} column spells it
     * @return a new array of its values in the order of {@link #featureNames()}, or null if the table has no row for it
     */
    public double[] get(String id) {
        double[] v = rows.get(id);
        return v == null ? null : v.clone();
    }

    int size() {
        return rows.size();
    }
}
