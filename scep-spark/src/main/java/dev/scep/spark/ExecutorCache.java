package dev.scep.spark;

import dev.scep.formats.annotation.GeneSelection;
import dev.scep.formats.genome.WindowGeometry;
import dev.scep.formats.io.ScepModelFile;
import dev.scep.formats.model.ScepModel;
import dev.scep.formats.text.HalfLifeTable;
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
 * table and motif folder loaded once, whatever the number of tasks. The driver loads its panels through here too, so
 * in local mode (where the driver is the executor) each is loaded once in all. Thread-safe; entries live as long as
 * the JVM.
 */
final class ExecutorCache {
    private static final Map<String, ScepModel> MODELS = new ConcurrentHashMap<>();
    private static final Map<String, GenePanel> PANELS = new ConcurrentHashMap<>();
    private static final Map<String, MotifScan> MOTIFS = new ConcurrentHashMap<>();
    private static final Map<String, HalfLifeTable> HALF_LIVES = new ConcurrentHashMap<>();

    private ExecutorCache() {
    }

    /** Something read from files, once per key. */
    @FunctionalInterface
    private interface Loader<T> {
        T load() throws IOException;
    }

    private static <T> T cached(Map<String, T> cache, String key, Loader<T> loader) throws IOException {
        try {
            return cache.computeIfAbsent(key, k -> {
                try {
                    return loader.load();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();   // the reader's own error, naming the file
        }
    }

    static ScepModel model(String file) throws IOException {
        return cached(MODELS, file, () -> ScepModelFile.read(Path.of(file)));
    }

    /** A panel by its files as given (the driver's messages name them so), cached by their absolute paths. */
    static GenePanel panel(Path fasta, Path annotation, WindowGeometry geometry, GeneSelection.Options selection)
            throws IOException {
        return cached(PANELS, fasta.toAbsolutePath() + "\0" + annotation.toAbsolutePath() + "\0" + geometry + "\0" + selection,
                () -> GenePanel.load(fasta, annotation, geometry, selection));
    }

    static HalfLifeTable halfLifeTable(String file) throws IOException {
        return cached(HALF_LIVES, file, () -> HalfLifeTable.read(Path.of(file)));
    }

    static MotifScan motifs(String folder) throws IOException {
        return folder == null ? null : cached(MOTIFS, folder, () -> MotifScan.load(Path.of(folder)));
    }
}
