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
 * gene panel (annotation + the genome around the windows, from the indexed FASTA on a shared filesystem), half-life
 * table and motif folder loaded once, whatever the number of tasks. Thread-safe; entries live as long as the executor.
 */
final class ExecutorCache {
    private static final Map<String, ScepModel> MODELS = new ConcurrentHashMap<>();
    private static final Map<String, GenePanel> PANELS = new ConcurrentHashMap<>();
    private static final Map<String, MotifScan> MOTIFS = new ConcurrentHashMap<>();
    private static final Map<String, dev.scep.formats.text.HalfLifeTable> HALF_LIVES = new ConcurrentHashMap<>();

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

    private static String key(String fasta, String annotation, WindowGeometry geometry, GeneSelection.Options selection) {
        return fasta + "\0" + annotation + "\0" + geometry + "\0" + selection;
    }

    /**
     * Keeps a panel the driver has loaded anyway: in local mode the driver is the executor, and tasks then find it
     * (on a cluster the executors' caches are their own, and this costs nothing).
     */
    static void offer(String fasta, String annotation, WindowGeometry geometry, GeneSelection.Options selection, GenePanel panel) {
        PANELS.putIfAbsent(key(fasta, annotation, geometry, selection), panel);
    }

    static GenePanel panel(String fasta, String annotation, WindowGeometry geometry, GeneSelection.Options selection) {
        return PANELS.computeIfAbsent(key(fasta, annotation, geometry, selection), k -> {
            try {
                return GenePanel.load(Path.of(fasta), Path.of(annotation), geometry, selection);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    static dev.scep.formats.text.HalfLifeTable halfLifeTable(String file) {
        return HALF_LIVES.computeIfAbsent(file, f -> {
            try {
                return dev.scep.formats.text.HalfLifeTable.read(Path.of(f));
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
