package dev.scep.train.cv;

import dev.scep.formats.ScepVersion;
import dev.scep.formats.io.FileFormatException;
import dev.scep.formats.io.OutputFile;
import dev.scep.train.RunDescription;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code manifest.tsv} in a cross-validation folder: the parameters of the run that made its models, one
 * {@code name<TAB>value} line each, written when the run starts. A run that would reuse the folder's models must
 * have every value equal. Besides the compared values it records, for people, the dataset file the run read
 * ({@code dataset_file}) and the scep that wrote it ({@code scep}); those two are not compared (a dataset is the same
 * wherever it lies: its fingerprint is compared).
 *
 * @param run         the compared parameters
 * @param datasetFile the dataset file the run read, as given
 */
record Manifest(RunDescription run, String datasetFile) {
    static final String FILE = "manifest.tsv";
    private static final String DATASET_FILE = "dataset_file";
    private static final String SCEP = "scep";
    private static final long MAX_BYTES = 1 << 20;

    void write(Path file, Path... inputs) throws IOException {
        try (OutputFile out = OutputFile.create(file, inputs)) {
            Writer w = out.writer();
            w.write("# scep cv: the run that made the models in this folder. 'scep cv --resume' reuses them only when every"
                    + " value but " + DATASET_FILE + " and " + SCEP + " is the same.\n");
            for (Map.Entry<String, String> e : run.values().entrySet()) {
                w.write(e.getKey() + "\t" + e.getValue() + "\n");
            }
            w.write(DATASET_FILE + "\t" + RunDescription.oneLine(datasetFile) + "\n");
            w.write(SCEP + "\t" + RunDescription.oneLine(ScepVersion.get()) + "\n");
            out.commit();
        }
    }

    static Manifest read(Path file) throws IOException {
        long size = Files.size(file);
        if (size > MAX_BYTES) {
            throw new FileFormatException(file, "a cv manifest of " + size + " bytes; one is at most " + MAX_BYTES);
        }
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        Map<String, String> values = new LinkedHashMap<>();
        String datasetFile = null;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int tab = line.indexOf('\t');
            if (tab <= 0 || line.indexOf('\t', tab + 1) >= 0) {
                throw new FileFormatException(file, "line " + (i + 1) + ": expected 'name<TAB>value', got '" + line + "'");
            }
            String name = line.substring(0, tab);
            String value = line.substring(tab + 1);
            if (values.containsKey(name) || name.equals(DATASET_FILE) && datasetFile != null) {
                throw new FileFormatException(file, "line " + (i + 1) + ": '" + name + "' a second time");
            }
            if (name.equals(DATASET_FILE)) {
                datasetFile = value;
            } else if (!name.equals(SCEP)) {
                values.put(name, value);
            }
        }
        try {
            return new Manifest(new RunDescription(values), datasetFile == null ? "(not recorded)" : datasetFile);
        } catch (IllegalArgumentException e) {
            throw new FileFormatException(file, e.getMessage());
        }
    }
}
