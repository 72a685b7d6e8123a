package dev.scep.spark;

import dev.scep.formats.annotation.GeneSelection;
import dev.scep.formats.io.ScepModelFile;
import dev.scep.formats.model.ScepModel;
import dev.scep.formats.genome.WindowGeometry;
import dev.scep.runtime.variants.GenePanel;
import dev.scep.runtime.variants.MotifScan;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the tasks of one executor JVM share: each model file read once (tasks get it from {@code SparkFiles}), each
 * gene panel (annotation + the genome around the windows, from the indexed FASTA on a shared filesystem) and motif
 * folder loaded once, whatever the number of tasks. Thread-safe; entries live as long as the executor.
 */
final class ExecutorCache {
    private static final Map<String, ScepModel> MODELS = new ConcurrentHashMap<>();
    private static final Map<String, GenePanel> PANELS = new ConcurrentHashMap<>();
    private static final Map<String, MotifScan> MOTIFS = new ConcurrentHashMap<>();

    private ExecutorCache() {
    }

    static ScepModel model(String file) {
        return MODELS.computeIfAbsent(file, f -> {
            try {
                return ScepModelFile.read(Path.of(f));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    static GenePanel panel(String fasta, String annotation, WindowGeometry geometry, GeneSelection.Options selection) {
        String key = fasta + "\0" + annotation + "\0" + geometry + "\0" + selection;
        return PANELS.computeIfAbsent(key, k -> {
            try {
                return GenePanel.load(Path.of(fasta), Path.of(annotation), geometry, selection);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    static MotifScan motifs(String folder) {
        return folder == null ? null : MOTIFS.computeIfAbsent(folder, f -> {
            try {
                return MotifScan.load(Path.of(f));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }
}
