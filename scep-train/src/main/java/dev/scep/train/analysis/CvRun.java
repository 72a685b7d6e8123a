package dev.scep.train.analysis;

import dev.scep.train.cv.CvPredictions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One cross-validation's out-of-fold predictions under a short label, as the analyses take them: the
 * {@code predictions.tsv} of a {@code scep cv} output folder (or the file itself). Immutable.
 *
 * @param label       the name the analyses show for this run (e.g. {@code class} or {@code heart})
 * @param file        the predictions table read
 * @param predictions its contents
 */
public record CvRun(String label, Path file, CvPredictions predictions) {
    /**
     * Checks the label.
     *
     * @throws IllegalArgumentException when the label is blank or holds a tab or a line break
     */
    public CvRun {
        if (label.isBlank()) {
            throw new IllegalArgumentException("a cv run needs a label");
        }
        dev.scep.formats.text.TsvField.check("run label", label);
    }

    /**
     * Reads a run.
     *
     * @param label        the run's label
     * @param folderOrFile a {@code scep cv} output folder (its {@code predictions.tsv} is read) or a predictions table
     * @return the run
     * @throws java.nio.file.NoSuchFileException when a folder holds no {@code predictions.tsv}
     * @throws dev.scep.formats.text.InputFormatException naming the file and line when the table is malformed
     * @throws IOException when the file cannot be read
     */
    public static CvRun read(String label, Path folderOrFile) throws IOException {
        Path file = Files.isDirectory(folderOrFile) ? folderOrFile.resolve("predictions.tsv") : folderOrFile;
        if (!Files.exists(file)) {
            throw new java.nio.file.NoSuchFileException(file.toString(), null,
                    Files.isDirectory(folderOrFile) ? "not a 'scep cv' output folder: it has no predictions.tsv" : "no such file");
        }
        return new CvRun(label, file, CvPredictions.read(file));
    }

    /**
     * Reads a run given as {@code LABEL=PATH}, or as {@code PATH} alone (labelled by its folder's name).
     *
     * @param spec the argument
     * @return the run
     * @throws IOException as {@link #read(String, Path)}
     */
    public static CvRun parse(String spec) throws IOException {
        int eq = spec.indexOf('=');
        if (eq > 0 && !Files.exists(Path.of(spec))) {
            return read(spec.substring(0, eq), Path.of(spec.substring(eq + 1)));
        }
        Path p = Path.of(spec).toAbsolutePath().normalize();
        Path named = Files.isDirectory(p) || p.getParent() == null ? p : p.getParent();
        return read(named.getFileName() == null ? spec : named.getFileName().toString(), Path.of(spec));
    }

    /**
     * A population's output index.
     *
     * @param population a population name
     * @return its index in {@code predictions().populations()}, or −1
     */
    public int column(String population) {
        return predictions.populations().indexOf(population);
    }

    /**
     * Rows by gene id.
     *
     * @return gene id → row in the predictions
     */
    Map<String, Integer> rows() {
        Map<String, Integer> rows = new HashMap<>();
        List<String> ids = predictions.geneIds();
        for (int g = 0; g < ids.size(); g++) {
            rows.put(ids.get(g), g);
        }
        return rows;
    }
}
