package dev.scep.formats.text;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A JASPAR position frequency matrix ({@code .pfm}: four lines of counts, A, C, G, T, one column per position),
 * named from a {@code matrix_list.txt} beside it when there is one. Positions are 0-based, in the motif's orientation.
 *
 * <p>The counts array is shared, not copied: treat it as read-only. So treated, a motif is immutable.
 *
 * @param id     the file name without {@code .pfm} (e.g. {@code MA0079.5})
 * @param name   the motif's name from {@code matrix_list.txt} (e.g. {@code SP1}), or the id when not listed there
 * @param counts counts[base][position], bases in the order A, C, G, T
 */
public record JasparMotif(String id, String name, double[][] counts) {

    /**
     * The motif's length.
     *
     * @return its number of positions
     */
    public int length() {
        return counts[0].length;
    }

    /**
     * Probabilities per position with a pseudocount added to every count.
     *
     * @param pseudocount added to each of the four counts of every position
     * @return a new array p[base][position] (bases A, C, G, T) whose columns sum to 1
     */
    public double[][] probabilities(double pseudocount) {
        double[][] p = new double[4][length()];
        for (int j = 0; j < length(); j++) {
            double total = 0;
            for (int b = 0; b < 4; b++) {
                total += counts[b][j] + pseudocount;
            }
            for (int b = 0; b < 4; b++) {
                p[b][j] = (counts[b][j] + pseudocount) / total;
            }
        }
        return p;
    }

    static JasparMotif read(Path pfm) throws IOException {
        List<String> lines = Files.readAllLines(pfm, StandardCharsets.UTF_8).stream().filter(l -> !l.isBlank()).toList();
        if (lines.size() != 4) {
            throw new InputFormatException(pfm, 0, "a JASPAR .pfm has 4 rows of counts (A, C, G, T), found " + lines.size());
        }
        double[][] counts = new double[4][];
        for (int b = 0; b < 4; b++) {
            String[] f = lines.get(b).strip().replace("[", " ").replace("]", " ").replaceAll("^[ACGT]\\s", "").strip().split("\\s+");
            counts[b] = new double[f.length];
            for (int j = 0; j < f.length; j++) {
                try {
                    counts[b][j] = Double.parseDouble(f[j]);
                } catch (NumberFormatException e) {
                    throw new InputFormatException(pfm, b + 1, "count '" + f[j] + "' is not a number");
                }
                if (!(counts[b][j] >= 0)) {
                    throw new InputFormatException(pfm, b + 1, "count " + f[j] + " is negative");
                }
            }
            if (counts[b].length != counts[0].length) {
                throw new InputFormatException(pfm, b + 1, "has " + counts[b].length + " columns, row 1 has " + counts[0].length);
            }
        }
        String id = pfm.getFileName().toString().replaceFirst("\\.pfm$", "");
        return new JasparMotif(id, names(pfm.getParent()).getOrDefault(id, id), counts);
    }

    /**
     * Every {@code .pfm} in a directory, sorted by id.
     *
     * @param dir a folder of JASPAR {@code .pfm} files (a {@code matrix_list.txt} beside them names the motifs)
     * @return the motifs, sorted by file name
     * @throws InputFormatException naming the folder when it holds no {@code .pfm} file, or naming a file and line when
     *                              a matrix is not four rows of equal length of non-negative numbers
     * @throws IOException          when a file cannot be read
     */
    public static List<JasparMotif> readAll(Path dir) throws IOException {
        List<JasparMotif> out = new ArrayList<>();
        try (var files = Files.list(dir)) {
            for (Path p : files.filter(f -> f.toString().endsWith(".pfm")).sorted().toList()) {
                out.add(read(p));
            }
        }
        if (out.isEmpty()) {
            throw new InputFormatException(dir, 0, "no .pfm files (JASPAR position frequency matrices) in this folder");
        }
        return out;
    }

    private static Map<String, String> names(Path dir) throws IOException {
        Map<String, String> names = new HashMap<>();
        Path list = dir == null ? null : dir.resolve("matrix_list.txt");
        if (list != null && Files.isRegularFile(list)) {
            for (String line : Files.readAllLines(list, StandardCharsets.UTF_8)) {
                String[] f = line.split("\t");
                if (f.length >= 3) {
                    names.put(f[0].strip(), f[2].strip());
                }
            }
        }
        return names;
    }
}
