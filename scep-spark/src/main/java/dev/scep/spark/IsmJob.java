package dev.scep.spark;

import dev.scep.formats.io.OutputFile;
import dev.scep.formats.io.ScepModelFile;
import dev.scep.formats.model.ScepModel;
import dev.scep.formats.text.FastaReader;
import dev.scep.formats.text.HalfLifeTable;
import dev.scep.formats.text.InputFormatException;
import dev.scep.formats.text.TsvField;
import dev.scep.runtime.HalfLifeSource;
import dev.scep.runtime.Ism;
import dev.scep.runtime.IsmResult;
import dev.scep.runtime.Predictor;
import org.apache.spark.SparkFiles;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;

import java.io.IOException;
import java.io.Serializable;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * {@code ism} on Spark: in-silico mutagenesis of every window of a FASTA (e.g. every gene's, from
 * {@code scep prepare --windows-out}) against every model, one task per (model, block of windows). The driver reads
 * the windows once, checks them as {@code scep ism} does (ids, lengths, half-life inputs) and writes each block to
 * the work folder (never the genome: only the windows travel). Each task runs the incremental ISM engine on one
 * thread and writes its table with write-then-rename. Output per window: the strongest change per position and output
 * ({@code scep ism --per-position}), or with {@code allSubstitutions} every substitution ({@code scep ism}'s table);
 * TSV (the single-machine table, row for row) or Parquet (zstd) partitioned by model.
 */
public final class IsmJob {
    /**
     * What to run.
     *
     * @param models            the model files
     * @param windows           the windows (FASTA), read by the driver only
     * @param halfLife          the half-life table by window id, or null for every feature at its training mean
     * @param ids               only these windows, or empty for all
     * @param allSubstitutions  every substitution, not the per-position summary
     * @param windowsPerTask    windows per task, at least 1
     * @param format            TSV or Parquet
     * @param out               with TSV and one model the table; else a folder
     * @param work              a folder every executor can read and write
     */
    public record Request(List<Path> models, Path windows, Path halfLife, List<String> ids, boolean allSubstitutions,
                          int windowsPerTask, ScoreVariantsJob.Format format, Path out, Path work) {
        /** Copies the lists and checks the block size. */
        public Request {
            models = List.copyOf(models);
            ids = List.copyOf(ids);
            if (models.isEmpty()) {
                throw new IllegalArgumentException("give at least one --model");
            }
            if (windowsPerTask < 1) {
                throw new IllegalArgumentException("--windows-per-task must be at least 1, not " + windowsPerTask);
            }
        }
    }

    /**
     * What was done.
     *
     * @param windows the windows mutated (per model)
     * @param tasks   the tasks run (models × blocks)
     * @param outputs the files or folders written
     */
    public record Result(int windows, int tasks, List<Path> outputs) {
    }

    private record Task(int model, String modelFile, int block, String blockFile) implements Serializable {
    }

    private IsmJob() {
    }

    /**
     * Runs the job.
     *
     * @param spark the session
     * @param r     what to run
     * @return the counts and outputs
     * @throws IOException for unreadable inputs (an {@link InputFormatException} names the file, line and window) or
     *                     unwritable outputs
     */
    public static Result run(SparkSession spark, Request r) throws IOException {
        List<ScepModel> models = new ArrayList<>();
        for (Path m : r.models()) {
            models.add(ScepModelFile.read(m));
        }
        List<String> names = ScoreVariantsJob.modelNames(r.models());
        List<HalfLifeSource> sources = new ArrayList<>();
        HalfLifeTable table = r.halfLife() == null ? null : HalfLifeTable.read(r.halfLife());
        for (ScepModel m : models) {
            sources.add(table == null ? HalfLifeSource.zeros(m) : HalfLifeSource.table(table, m));
        }
        Path blocks = r.work().resolve("windows");
        Files.createDirectories(blocks);
        int windows = 0;
        List<Path> blockFiles = new ArrayList<>();
        Set<String> wanted = Set.copyOf(r.ids());
        Writer block = null;
        try (FastaReader reader = new FastaReader(r.windows())) {
            for (FastaReader.Record rec; (rec = reader.next()) != null; ) {
                if (!wanted.isEmpty() && !wanted.contains(rec.id())) {
                    continue;
                }
                check(r.windows(), rec, models, sources);
                if (windows % r.windowsPerTask() == 0) {
                    if (block != null) {
                        block.close();
                    }
                    Path f = blocks.resolve(String.format(java.util.Locale.ROOT, "block-%06d.fa", blockFiles.size()));
                    blockFiles.add(f);
                    block = Files.newBufferedWriter(f);
                }
                block.write(">" + rec.id() + "\n");
                block.write(new String(rec.sequence(), java.nio.charset.StandardCharsets.US_ASCII));
                block.write("\n");
                windows++;
            }
        } finally {
            if (block != null) {
                block.close();
            }
        }
        if (windows == 0) {
            throw new IllegalArgumentException("no window of " + r.windows() + (r.ids().isEmpty() ? "" : " has the id(s) " + r.ids()));
        }
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        List<Task> tasks = new ArrayList<>();
        for (int m = 0; m < models.size(); m++) {
            sc.addFile(r.models().get(m).toAbsolutePath().toString());
            for (int b = 0; b < blockFiles.size(); b++) {
                tasks.add(new Task(m, r.models().get(m).getFileName().toString(), b, blockFiles.get(b).toAbsolutePath().toString()));
            }
        }
        String halfLife = r.halfLife() == null ? null : r.halfLife().toAbsolutePath().toString();
        String work = r.work().toAbsolutePath().toString();
        boolean all = r.allSubstitutions();
        boolean failFirst = FailureInjection.asked(spark);
        sc.parallelize(tasks, tasks.size()).foreach(t -> mutate(t, halfLife, all, work, failFirst));
        List<Path> inputs = new ArrayList<>(r.models());
        inputs.add(r.windows());
        if (r.halfLife() != null) {
            inputs.add(r.halfLife());
        }
        List<List<Path>> parts = new ArrayList<>();
        for (int m = 0; m < models.size(); m++) {
            final int model = m;
            parts.add(java.util.stream.IntStream.range(0, blockFiles.size()).mapToObj(b -> Parts.file(r.work(), model, b)).toList());
        }
        List<Path> outputs = Parts.assemble(r.out(), names, r.format(), parts, inputs, (m, modelParts, target) -> {
            List<String> outputNames = models.get(m).outputNames();
            Parts.toParquet(spark, modelParts, column -> column.equals("position") || column.equals("offset") ? DataTypes.IntegerType
                    : outputNames.contains(column) ? DataTypes.FloatType : DataTypes.StringType, target, null);
        });
        Parts.delete(r.work());
        return new Result(windows, tasks.size(), outputs);
    }

    /** As {@code scep ism}: an id fit for a table, the model's window length, half-life inputs for the id. */
    private static void check(Path file, FastaReader.Record rec, List<ScepModel> models, List<HalfLifeSource> sources)
            throws InputFormatException {
        String problem = TsvField.problem("window id", rec.id());
        if (problem != null) {
            throw new InputFormatException(file, rec.line(), problem);
        }
        for (int m = 0; m < models.size(); m++) {
            if (rec.sequence().length != models.get(m).windowLength()) {
                throw new InputFormatException(file, rec.line(), "window '" + rec.id() + "' has " + rec.sequence().length
                        + " bases, the model needs " + models.get(m).windowLength());
            }
            try {
                sources.get(m).forId(rec.id(), file + ":" + rec.line());
            } catch (IllegalArgumentException e) {
                throw new InputFormatException(file, rec.line(), "window '" + rec.id() + "': " + e.getMessage());
            }
        }
    }

    /** The task: one model, one block of windows, one thread. */
    private static void mutate(Task t, String halfLife, boolean all, String work, boolean failFirst) throws IOException {
        ScepModel model = ExecutorCache.model(SparkFiles.get(t.modelFile()));
        HalfLifeSource source = halfLife == null ? HalfLifeSource.zeros(model)
                : HalfLifeSource.table(ExecutorCache.halfLifeTable(halfLife), model);
        Path part = Parts.file(Path.of(work), t.model(), t.block());
        Files.createDirectories(part.getParent());
        try (Ism ism = Ism.open(model, Predictor.Options.defaults().withThreads(1));
             FastaReader reader = new FastaReader(Path.of(t.blockFile()));
             OutputFile file = OutputFile.create(part)) {
            boolean first = true;
            for (FastaReader.Record rec; (rec = reader.next()) != null; ) {
                IsmResult result = ism.run(rec.sequence(), source.forId(rec.id(), t.blockFile() + ":" + rec.line()));
                if (all) {
                    result.writeTsv(file.writer(), rec.id(), first);
                } else {
                    result.writePerPositionTsv(file.writer(), rec.id(), first);
                }
                first = false;
            }
            file.commit();
        }
        FailureInjection.failIfDue(failFirst);
    }
}
