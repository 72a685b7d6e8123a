package dev.scep.runtime;

import dev.scep.formats.io.OutputFile;
import dev.scep.formats.text.FastaReader;
import dev.scep.formats.text.InputFormatException;
import dev.scep.formats.text.TsvField;

import java.io.IOException;
import java.io.Writer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Predicts every window of a FASTA file and writes a TSV ({@code id}, then one column per model output).
 * Windows are streamed in batches, so memory stays flat however large the file. The output appears only when
 * the whole job has succeeded (it is written to a temporary file and renamed); on error an existing output is
 * left untouched.
 */
public final class WindowPredictionJob {
    /** Called after each batch with the number of windows done so far. */
    @FunctionalInterface
    public interface Progress {
        /**
         * Windows done so far.
         *
         * @param done windows predicted and written
         */
        void windowsDone(long done);
    }

    /**
     * What a run did.
     *
     * @param windows windows predicted
     * @param nanos   wall time
     */
    public record Summary(long windows, long nanos) {
        /**
         * The throughput.
         *
         * @return windows per second of wall time
         */
        public double windowsPerSecond() {
            return windows / (nanos / 1e9);
        }
    }

    private final Predictor predictor;
    private final HalfLifeSource halfLife;
    private final int batchSize;

    /**
     * A job over a predictor. Not thread-safe: one run at a time.
     *
     * @param predictor the predictor (CPU or GPU)
     * @param halfLife  where each window's half-life features come from
     * @param batchSize windows per batch, at least 1
     */
    public WindowPredictionJob(Predictor predictor, HalfLifeSource halfLife, int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be positive");
        }
        // a batch's windows, their codes and the engines' per-window buffers are held at once
        dev.scep.formats.Memory.require(dev.scep.formats.Memory.times(batchSize, 3L * predictor.windowLength() + 256),
                "a batch of " + batchSize + " windows of " + predictor.windowLength() + " nt (the batch size)");
        this.predictor = predictor;
        this.halfLife = halfLife;
        this.batchSize = batchSize;
    }

    /**
     * Predicts every window of a FASTA file and writes {@code id} and one column per output (log10, z-score undone).
     *
     * @param windowsFasta the windows (as {@code scep prepare --windows-out} writes them)
     * @param outTsv       the table, written atomically; refused when it is one of the inputs
     * @param progress     told after each batch, or null
     * @return what was done
     * @throws IOException for unreadable input or an unwritable output; a bad window is an
     *                     {@link dev.scep.formats.text.InputFormatException} naming the file and line
     */
    public Summary run(Path windowsFasta, Path outTsv, Progress progress) throws IOException {
        long t0 = System.nanoTime();
        long done = 0;
        try (FastaReader reader = new FastaReader(windowsFasta);
             OutputFile file = OutputFile.createTable(outTsv, windowsFasta, halfLife.file())) {
            Writer out = file.writer();
            out.write("id");
            for (String name : predictor.outputNames()) {
                out.write('\t');
                out.write(TsvField.check("output name", name));
            }
            out.write('\n');
            Set<String> seen = new HashSet<>();
            List<FastaReader.Record> batch = new ArrayList<>(batchSize);
            List<byte[]> windows = new ArrayList<>(batchSize);
            List<HalfLifeInput> inputs = new ArrayList<>(batchSize);
            FastaReader.Record rec;
            do {
                rec = reader.next();
                if (rec != null) {
                    String where = windowsFasta + ":" + rec.line();
                    String problem = TsvField.problem("window id", rec.id());
                    if (problem != null) {
                        throw new InputFormatException(windowsFasta, rec.line(), problem);
                    }
                    if (!seen.add(rec.id())) {
                        throw new InputFormatException(windowsFasta, rec.line(), "window id '" + rec.id() + "' appears twice");
                    }
                    if (rec.sequence().length != predictor.windowLength()) {
                        throw new InputFormatException(windowsFasta, rec.line(), "window '" + rec.id() + "' has "
                                + rec.sequence().length + " bases, the model needs " + predictor.windowLength()
                                + " (windows must already be cut and in transcription orientation)");
                    }
                    try {
                        inputs.add(halfLife.forId(rec.id(), where));
                    } catch (IllegalArgumentException e) {
                        throw new InputFormatException(windowsFasta, rec.line(), e.getMessage());
                    }
                    batch.add(rec);
                    windows.add(rec.sequence());
                }
                if (!batch.isEmpty() && (rec == null || batch.size() == batchSize)) {
                    float[][] y;
                    try {
                        y = predictor.predictBatch(windows, inputs);
                    } catch (InvalidSequenceException e) {
                        FastaReader.Record bad = batch.get(e.batchIndex());
                        throw new InputFormatException(windowsFasta, bad.line(), "window '" + bad.id() + "': " + e.detail());
                    }
                    for (int i = 0; i < y.length; i++) {
                        out.write(batch.get(i).id());
                        for (float v : y[i]) {
                            out.write('\t');
                            out.write(Float.toString(v));
                        }
                        out.write('\n');
                    }
                    done += batch.size();
                    batch.clear();
                    windows.clear();
                    inputs.clear();
                    if (progress != null) {
                        progress.windowsDone(done);
                    }
                }
            } while (rec != null);
            if (done == 0) {
                throw new InputFormatException(windowsFasta, 0, "holds no windows: nothing to predict");
            }
            file.commit();
        }
        return new Summary(done, System.nanoTime() - t0);
    }
}
