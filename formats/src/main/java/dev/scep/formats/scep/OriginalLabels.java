package dev.scep.formats.scep;

import dev.scep.formats.text.InputFormatException;
import dev.scep.formats.text.TextInput;
import dev.scep.formats.text.TsvField;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A label table of the original scEP pipeline ({@code subclass.csv}, {@code logmean.csv}): comma-separated, a header,
 * then one line per gene in the dataset's row order. The first column is the gene (its index in the dataset or its
 * name); the others are the tissue ({@code All}) and the populations, log10 pseudobulk expression as the original
 * trains on it. Immutable.
 *
 * @param file        the table read
 * @param populations the headers of the columns picked, in the order picked
 * @param values      the picked values, gene-major: {@code values[gene * populations.size() + k]}; not copied on
 *                    access, so do not change it
 */
public record OriginalLabels(Path file, List<String> populations, float[] values) {
    /** Compact constructor: copies the population list. */
    public OriginalLabels {
        populations = List.copyOf(populations);
    }

    /**
     * Reads a table and picks columns.
     *
     * @param file      the CSV: plain, gzip or bgzip
     * @param geneNames the dataset's genes, in row order: line {@code i + 2} must be gene {@code i}, its first field
     *                  the gene's name or {@code i}
     * @param columns   0-based indices of the value columns to take (0 is the column after the gene index: {@code All}
     *                  in the original's tables, as the original's {@code --columns} counts), or null for all of them
     * @return the picked columns
     * @throws InputFormatException naming the file and line when the table is empty, a line has another number of
     *                              fields than the header, a first field is neither the row's gene name nor its index,
     *                              a picked value is not a finite number, a picked header is empty or would break a
     *                              table, a column index is out of range or repeated, or the number of genes differs
     *                              from the dataset's
     * @throws IOException          when the file cannot be read
     */
    public static OriginalLabels read(Path file, List<String> geneNames, int[] columns) throws IOException {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(TextInput.open(file), StandardCharsets.UTF_8))) {
            String line = r.readLine();
            if (line == null) {
                throw new InputFormatException(file, 1, "the label table is empty");
            }
            List<String> header = fields(line);
            int width = header.size() - 1;
            if (width < 1) {
                throw new InputFormatException(file, 1, "the header has no value column after the gene index");
            }
            int[] picked = columns == null ? java.util.stream.IntStream.range(0, width).toArray() : columns.clone();
            List<String> names = new ArrayList<>();
            java.util.Set<Integer> seen = new java.util.HashSet<>();
            for (int c : picked) {
                if (c < 0 || c >= width) {
                    throw new InputFormatException(file, 1, "column " + c + " does not exist: the table has value columns 0.."
                            + (width - 1) + " (" + String.join(", ", header.subList(1, header.size())) + ")");
                }
                if (!seen.add(c)) {
                    throw new InputFormatException(file, 1, "column " + c + " is picked twice");
                }
                String name = header.get(c + 1).strip();
                String problem = TsvField.problem("population name (column " + c + ")", name);
                if (name.isEmpty() || problem != null) {
                    throw new InputFormatException(file, 1, problem != null ? problem : "column " + c + " has no header");
                }
                names.add(name);
            }
            int genes = geneNames.size();
            float[] values = new float[Math.multiplyExact(genes, picked.length)];
            long lineNo = 1;
            int row = 0;
            while ((line = r.readLine()) != null) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                if (row >= genes) {
                    throw new InputFormatException(file, lineNo, "more label rows than the dataset's " + genes
                            + " genes: row counts must be equal (one label row per dataset row, in order)");
                }
                List<String> f = fields(line);
                if (f.size() != header.size()) {
                    throw new InputFormatException(file, lineNo, f.size() + " fields; the header has " + header.size());
                }
                String id = f.getFirst().strip();
                if (!id.equals(geneNames.get(row)) && !id.equals(Integer.toString(row))) {
                    throw new InputFormatException(file, lineNo, "label row " + row + " is for '" + id + "', but dataset row "
                            + row + " is gene " + geneNames.get(row) + "; the table must list the dataset's genes in order");
                }
                for (int k = 0; k < picked.length; k++) {
                    String v = f.get(picked[k] + 1).strip();
                    double x;
                    try {
                        x = Double.parseDouble(v);
                    } catch (NumberFormatException e) {
                        x = Double.NaN;
                    }
                    if (!Double.isFinite(x) || !Float.isFinite((float) x)) {
                        throw new InputFormatException(file, lineNo, "gene " + id + ", column " + names.get(k) + ": '" + v
                                + "' is not a finite number");
                    }
                    values[row * picked.length + k] = (float) x;
                }
                row++;
            }
            if (row != genes) {
                throw new InputFormatException(file, lineNo, "the table has " + row + " label rows but the dataset has "
                        + genes + " genes: row counts must be equal (one label row per dataset row, in order)");
            }
            return new OriginalLabels(file, names, values);
        }
    }

    /**
     * Splits one line of a label table as pandas writes it: commas, fields optionally in double quotes (a doubled quote
     * inside stands for one).
     *
     * @param line the line, without its line break
     * @return its fields, unquoted
     */
    public static List<String> fields(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder sb = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char ch = line.charAt(i);
            if (quoted) {
                if (ch == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    sb.append('"');
                    i++;
                } else if (ch == '"') {
                    quoted = false;
                } else {
                    sb.append(ch);
                }
            } else if (ch == '"') {
                quoted = true;
            } else if (ch == ',') {
                out.add(sb.toString());
                sb.setLength(0);
            } else {
                sb.append(ch);
            }
        }
        out.add(sb.toString());
        return out;
    }
}
