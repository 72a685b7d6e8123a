package dev.scep.formats.expression;

import dev.scep.formats.text.InputFormatException;
import dev.scep.formats.text.TextInput;
import dev.scep.formats.text.TsvField;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A dense CSV/TSV matrix: a header naming the cells (its first field names the gene column), then one row per gene,
 * the gene id first, then one value per cell. Tab-separated unless the name ends in .csv[.gz].
 */
final class DelimitedMatrix implements ExpressionMatrix {
    private final Path file;
    private final char delimiter;
    private final List<String> genes;
    private final List<String> cells;

    private DelimitedMatrix(Path file, char delimiter, List<String> genes, List<String> cells) {
        this.file = file;
        this.delimiter = delimiter;
        this.genes = genes;
        this.cells = cells;
    }

    static DelimitedMatrix open(Path file) throws IOException {
        char delimiter = delimiterOf(file);
        List<String> genes = new ArrayList<>();
        List<String> cells;
        try (BufferedReader r = reader(file)) {
            String header = r.readLine();
            if (header == null) {
                throw new InputFormatException(file, 1, "empty matrix: expected a header line naming the cells");
            }
            String[] h = split(header, delimiter);
            cells = List.of(h).subList(1, h.length);
            java.util.Map<String, Integer> seen = new java.util.HashMap<>();
            for (int c = 0; c < cells.size(); c++) {
                Integer previous = seen.putIfAbsent(cells.get(c), c);
                if (previous != null) {
                    throw new InputFormatException(file, 1, "cell '" + cells.get(c) + "' names columns " + (previous + 2)
                            + " and " + (c + 2) + ": each column needs its own cell id, or it would be counted twice");
                }
            }
            String line;
            long lineNo = 1;
            while ((line = r.readLine()) != null) {
                lineNo++;
                if (!line.isBlank()) {
                    int cut = line.indexOf(delimiter);
                    String gene = unquote(cut < 0 ? line : line.substring(0, cut));
                    String problem = TsvField.problem("gene id", gene);
                    if (problem != null) {
                        throw new InputFormatException(file, lineNo, problem);
                    }
                    genes.add(gene);
                }
            }
        }
        return new DelimitedMatrix(file, delimiter, List.copyOf(genes), List.copyOf(cells));
    }

    private static BufferedReader reader(Path file) throws IOException {
        return new BufferedReader(new InputStreamReader(TextInput.open(file), StandardCharsets.UTF_8), 1 << 16);
    }

    /** Comma for a .csv or .csv.gz file, tab otherwise (also used for cell tables). */
    static char delimiterOf(Path file) {
        return file.getFileName().toString().toLowerCase().matches(".*\\.csv(\\.gz)?$") ? ',' : '\t';
    }

    /** The fields of a delimited line, each stripped and with surrounding double quotes removed. */
    static String[] split(String line, char delimiter) {
        String[] f = line.split(String.valueOf(delimiter), -1);
        for (int i = 0; i < f.length; i++) {
            f[i] = unquote(f[i]);
        }
        return f;
    }

    static String unquote(String s) {
        s = s.strip();
        return s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"") ? s.substring(1, s.length() - 1) : s;
    }

    @Override
    public Path source() {
        return file;
    }

    @Override
    public List<String> geneIds() {
        return genes;
    }

    @Override
    public List<String> geneNames() {
        return Arrays.asList(new String[genes.size()]);
    }

    @Override
    public List<String> cellIds() {
        return cells;
    }

    @Override
    public void forEachEntry(EntryVisitor visitor) throws IOException {
        try (BufferedReader r = reader(file)) {
            r.readLine();
            String line;
            long lineNo = 1;
            int gene = 0;
            while ((line = r.readLine()) != null) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                String[] f = line.split(String.valueOf(delimiter), -1);
                if (f.length != cells.size() + 1) {
                    throw new InputFormatException(file, lineNo, "has " + (f.length - 1) + " values but the header names "
                            + cells.size() + " cells");
                }
                for (int c = 0; c < cells.size(); c++) {
                    double v;
                    try {
                        v = Double.parseDouble(f[c + 1].strip());
                    } catch (NumberFormatException e) {
                        throw new InputFormatException(file, lineNo, "value for cell " + cells.get(c) + " is not a number: '"
                                + f[c + 1].strip() + "'");
                    }
                    EntryChecks.value(v, file, lineNo, "gene " + genes.get(gene) + ", cell " + cells.get(c));
                    if (v != 0) {
                        visitor.entry(gene, c, v);
                    }
                }
                gene++;
            }
        }
    }
}
