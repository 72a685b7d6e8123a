package dev.scep.spark;

import dev.scep.formats.annotation.GeneSelection;
import dev.scep.formats.genome.WindowGeometry;
import dev.scep.formats.io.OutputFile;
import dev.scep.formats.io.ScepModelFile;
import dev.scep.formats.model.ScepModel;
import dev.scep.formats.vcf.SortedVcf;
import dev.scep.runtime.variants.GenePanel;
import dev.scep.runtime.variants.VariantScorer;
import dev.scep.runtime.variants.VariantScoring;
import dev.scep.runtime.variants.VariantShards;
import org.apache.spark.SparkFiles;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * {@code score-variants} on Spark: every variant of a bgzip VCF (tabix-indexed) scored against every model, one task
 * per (model, shard). Shards are runs of whole clusters of gene windows ({@link VariantShards}), so each task's table
 * is exact on its own (ranks included) and the shards' tables, concatenated in order, are the single-machine table
 * ({@code scep score-variants}) row for row.
 *
 * <p>Each task scores its shard with one thread through {@link VariantScoring#scoreRegions}, the model read once per
 * executor from the file Spark ships ({@code addFile}), the genome read from the indexed FASTA on a filesystem every
 * executor sees, and writes its table into the work folder with write-then-rename: a retried or speculative attempt
 * replaces it whole, so nothing is duplicated or lost. The driver then checks the genome build over all shards and
 * assembles the outputs: TSV (the single-machine table, one per model) or Parquet (zstd), partitioned by model and
 * contig.
 */
public final class ScoreVariantsJob {
    /** Spark configuration key that makes the first attempt of the first task fail once it has written its part (tests). */
    public static final String FAIL_FIRST_ATTEMPT = "spark.scep.test.failFirstAttempt";

    /** How the results are written. */
    public enum Format {
        /** One table per model, exactly {@code scep score-variants}' table. */
        TSV,
        /** A Parquet dataset (zstd) partitioned by model and contig. */
        PARQUET
    }

    /**
     * What to score.
     *
     * @param models     the model files (each scored on every variant)
     * @param fasta      the genome (indexed: {@code .fai}), on a filesystem every executor sees
     * @param annotation the GTF or GFF3 annotation, likewise
     * @param vcf        the variants: a sorted bgzip VCF with a tabix index, likewise
     * @param selection  which transcript of each gene, and which genes (as the single-machine command's options)
     * @param zeroHalfLife half-life inputs at their training mean (as {@code --zero-halflife})
     * @param motifs     a JASPAR folder for the motif columns, or null
     * @param shards     the shards wanted (fewer when there are fewer clusters of windows)
     * @param format     the output format
     * @param out        with TSV and one model the table; else a folder (one {@code <model>.tsv} each, or the Parquet
     *                   dataset)
     * @param work       a folder every executor can write, for the tasks' tables (removed at the end)
     */
    public record Request(List<Path> models, Path fasta, Path annotation, Path vcf, GeneSelection.Options selection,
                          boolean zeroHalfLife, Path motifs,
                          int shards, Format format, Path out, Path work) {
        /** Copies the model list and checks the shard count. */
        public Request {
            models = List.copyOf(models);
            if (models.isEmpty()) {
                throw new IllegalArgumentException("give at least one --model");
            }
            if (shards < 1) {
                throw new IllegalArgumentException("--shards must be at least 1, not " + shards);
            }
        }
    }

    /**
     * What was done.
     *
     * @param summary per model, the counts summed over the shards (as {@code scep score-variants} prints them)
     * @param shards  the shards each model was split into
     * @param outputs the files or folders written
     */
    public record Result(List<VariantScoring.Summary> summary, int shards, List<Path> outputs) {
    }

    /** One task: a model (by its shipped file name) and a shard's regions. */
    private record Task(int model, String modelFile, int shard, List<SortedVcf.Region> regions) implements Serializable {
    }

    /** A task's outcome. */
    private record Done(int model, int shard, VariantScoring.Summary summary) implements Serializable {
    }

    private ScoreVariantsJob() {
    }

    /**
     * Runs the job.
     *
     * @param spark the session
     * @param r     what to score
     * @return the counts and outputs
     * @throws IOException for unreadable inputs (an {@link dev.scep.formats.text.InputFormatException} names the file
     *                     and record, as the single-machine command does) or unwritable outputs
     */
    public static Result run(SparkSession spark, Request r) throws IOException {
        List<ScepModel> models = new ArrayList<>();
        for (Path m : r.models()) {
            models.add(ScepModelFile.read(m));
        }
        List<String> names = modelNames(r.models());
        // the driver plans the shards from the first model's windows; models of another geometry get their own plan
        List<List<VariantShards.Shard>> plans = new ArrayList<>();
        List<String> vcfContigs = SortedVcf.indexedContigs(r.vcf());
        VariantScorer.HalfLife halfLife = r.zeroHalfLife() ? VariantScorer.HalfLife.ZEROS : VariantScorer.HalfLife.ANNOTATION;
        for (ScepModel m : models) {
            GenePanel panel = ExecutorCache.panel(r.fasta(), r.annotation(), geometry(m), r.selection());
            VariantScorer.checkCompatible(m, panel, halfLife);   // fails fast on a mismatch, before any task
            List<VariantShards.Shard> plan = VariantShards.plan(panel, vcfContigs, r.shards());
            if (plan.isEmpty()) {
                throw panel.noContigAnnotated(r.vcf(), vcfContigs, "nothing was scored");
            }
            plans.add(plan);
        }
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        List<Task> tasks = new ArrayList<>();
        for (int m = 0; m < models.size(); m++) {
            sc.addFile(r.models().get(m).toAbsolutePath().toString());
            for (VariantShards.Shard s : plans.get(m)) {
                tasks.add(new Task(m, r.models().get(m).getFileName().toString(), s.index(), s.regions()));
            }
        }
        OutputFile.folder(r.work());
        String fasta = r.fasta().toAbsolutePath().toString();
        String annotation = r.annotation().toAbsolutePath().toString();
        String vcf = r.vcf().toAbsolutePath().toString();
        String motifs = r.motifs() == null ? null : r.motifs().toAbsolutePath().toString();
        String work = r.work().toAbsolutePath().toString();
        boolean zero = r.zeroHalfLife();
        GeneSelection.Options selection = r.selection();
        boolean failFirst = FailureInjection.asked(spark);
        List<Done> done = sc.parallelize(tasks, tasks.size())
                .map(t -> score(t, fasta, annotation, selection, vcf, motifs, zero, work, failFirst))
                .collect();
        List<VariantScoring.Summary> summaries = new ArrayList<>();
        for (int m = 0; m < models.size(); m++) {
            final int model = m;
            VariantScoring.Summary sum = done.stream().filter(d -> d.model() == model).sorted(Comparator.comparingInt(Done::shard))
                    .map(Done::summary).reduce(VariantScoring.Summary::plus).orElseThrow();
            sum.requireSameBuild(r.vcf());    // over all shards, as the single-machine command checks the whole file
            summaries.add(sum);
        }
        List<Path> outputs = r.format() == Format.TSV
                ? writeTsv(r, names, plans)
                : writeParquet(spark, r, names, plans, models);
        Parts.delete(r.work());
        return new Result(summaries, plans.getFirst().size(), outputs);
    }

    private static WindowGeometry geometry(ScepModel m) {
        return new WindowGeometry(m.encoding().upstream(), m.encoding().downstream());
    }

    /** Model names for outputs: file names without {@code .scep}, which must differ. */
    static List<String> modelNames(List<Path> models) {
        List<String> names = models.stream().map(p -> p.getFileName().toString().replaceFirst("\\.scep$", "")).toList();
        if (names.stream().distinct().count() != names.size()) {
            throw new IllegalArgumentException("two --model files have the same name " + names
                    + ": each names its outputs, so give them different file names");
        }
        return names;
    }

    /** The task: one model, one shard, one thread. */
    private static Done score(Task t, String fasta, String annotation, GeneSelection.Options selection, String vcf,
                              String motifs, boolean zero, String work, boolean failFirst) throws IOException {
        ScepModel model = ExecutorCache.model(SparkFiles.get(t.modelFile()));
        GenePanel panel = ExecutorCache.panel(Path.of(fasta), Path.of(annotation), geometry(model), selection);
        Path part = Parts.file(Path.of(work), t.model(), t.shard());
        Files.createDirectories(part.getParent());
        VariantScoring.Options options = new VariantScoring.Options(1, zero ? VariantScorer.HalfLife.ZEROS
                : VariantScorer.HalfLife.ANNOTATION, ExecutorCache.motifs(motifs));
        VariantScoring.Summary s;
        try (VariantScoring scoring = VariantScoring.open(model, panel, options)) {
            s = scoring.scoreRegions(Path.of(vcf), t.regions(), part, null);
        }
        FailureInjection.failIfDue(failFirst);
        return new Done(t.model(), t.shard(), s);
    }

    private static List<Path> parts(Request r, int model, List<VariantShards.Shard> plan) {
        return plan.stream().map(s -> Parts.file(r.work(), model, s.index())).toList();
    }

    /** Each model's parts concatenated in shard order, one header: the single-machine table. */
    private static List<Path> writeTsv(Request r, List<String> names, List<List<VariantShards.Shard>> plans) throws IOException {
        List<Path> inputs = new ArrayList<>(List.of(r.fasta(), r.annotation(), r.vcf()));
        inputs.addAll(r.models());
        List<List<Path>> parts = new ArrayList<>();
        for (int m = 0; m < names.size(); m++) {
            parts.add(parts(r, m, plans.get(m)));
        }
        return Parts.assemble(r.out(), names, Format.TSV, parts, inputs, (m, modelParts, target) -> {
            throw new IllegalStateException("the TSV assembly writes no Parquet");
        });
    }

    /**
     * The parts as a Parquet dataset: {@code out/model=<name>/contig=<contig>/*.parquet}, zstd; the columns typed as
     * the single machine's Parquet table types them ({@link VariantScoring#columnType}).
     */
    private static List<Path> writeParquet(SparkSession spark, Request r, List<String> names,
                                           List<List<VariantShards.Shard>> plans, List<ScepModel> models) throws IOException {
        List<Path> outputs = new ArrayList<>();
        for (int m = 0; m < names.size(); m++) {
            Path target = r.out().resolve("model=" + names.get(m));
            List<String> outputNames = models.get(m).outputNames();
            Parts.toParquet(spark, parts(r, m, plans.get(m)), column -> Parts.sparkType(VariantScoring.columnType(column, outputNames)),
                    target, "contig");
            outputs.add(target);
        }
        return outputs;
    }
}
