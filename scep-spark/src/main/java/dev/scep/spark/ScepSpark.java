package dev.scep.spark;

import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code scep-spark}: scep's jobs on Apache Spark, each with the options and results of its single-machine command.
 * Run by {@code bin/scep-spark <job> --master local[N]|spark://…|k8s://…}, or by {@code spark-submit} with the job
 * jar ({@code scep-spark-job.jar}, main class this one).
 */
@Command(name = "scep-spark", mixinStandardHelpOptions = true,
        description = "scep's jobs on Apache Spark: the single-machine commands' results, from many executors.",
        subcommands = {ScepSpark.ScoreVariants.class, ScepSpark.Personal.class, ScepSpark.IsmOnSpark.class,
                ScepSpark.Cv.class, CommandLine.HelpCommand.class})
public final class ScepSpark {
    private ScepSpark() {
    }

    /**
     * Runs a command line.
     *
     * @param args the arguments
     */
    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /**
     * Runs a command line and returns its exit code: 0 done, 1 failed (one line on {@code err}), 2 a usage error.
     *
     * @param args the arguments
     * @param out  where results go
     * @param err  where errors go
     * @return the exit code
     */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cl = new CommandLine(new ScepSpark());
        cl.setOut(out);
        cl.setErr(err);
        // a usage error in one line naming the option, as scep's own command line says it
        cl.setParameterExceptionHandler((ex, argv) -> {
            CommandLine c = ex.getCommandLine();
            c.getErr().println("scep-spark: error: " + ex.getMessage());
            c.getErr().println("Run 'scep-spark help " + c.getCommandName() + "' for the options.");
            c.getErr().flush();
            return c.getCommandSpec().exitCodeOnInvalidInput();
        });
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            commandLine.getErr().println("scep-spark: error: " + message(ex));
            if ("1".equals(System.getenv("SCEP_DEBUG"))) {
                ex.printStackTrace(commandLine.getErr());
            }
            commandLine.getErr().flush();
            return 1;
        });
        dev.scep.formats.io.Provenance.start("scep-spark", version(), java.util.Arrays.asList(args));
        try {
            return cl.execute(args);
        } finally {
            dev.scep.formats.io.Provenance.clear();
            out.flush();
            err.flush();
        }
    }

    private static String version() {
        String v = ScepSpark.class.getPackage().getImplementationVersion();
        return v == null ? "development-build" : v;
    }

    /** The cause that says what went wrong: Spark wraps a task's exception in its own. */
    static String message(Throwable ex) {
        Throwable t = ex;
        while (t.getCause() != null && (t instanceof org.apache.spark.SparkException || t.getMessage() == null)) {
            t = t.getCause();
        }
        if (t instanceof java.nio.file.FileSystemException fs && fs.getFile() != null) {
            return fs.getFile() + ": " + (fs.getReason() != null ? fs.getReason() : fs.getClass().getSimpleName());
        }
        return t.getMessage() == null ? t.toString() : t.getMessage();
    }

    /** Options of every job: where Spark runs. */
    static class SparkOptions {
        @Option(names = "--master", defaultValue = "local[*]",
                description = "Spark master: local[N], spark://host:port, k8s://… (default: ${DEFAULT-VALUE}; ignored under spark-submit, which sets it).")
        String master;

        SparkSession session(String job) {
            return session(job, java.util.Map.of());
        }

        SparkSession session(String job, java.util.Map<String, String> conf) {
            SparkSession.Builder b = SparkSession.builder().appName("scep " + job).config("spark.ui.enabled", "false");
            conf.forEach(b::config);
            if (System.getProperty("spark.master") == null) {
                b.master(master);
            }
            return b.getOrCreate();
        }
    }

    /** The models, genome, annotation and VCF of the VCF jobs (score-variants, personal), and their gene-set options. */
    static class GenomeInputs {
        @Option(names = "--model", required = true, paramLabel = "M.scep", description = "Model file; repeat for several.")
        List<Path> models;

        @Option(names = "--fasta", required = true, paramLabel = "F", description = "Genome FASTA (indexed: .fai), the VCF's build.")
        Path fasta;

        @Option(names = {"--gtf", "--gff"}, required = true, paramLabel = "G", description = "Annotation (GTF or GFF3).")
        Path annotation;

        @Option(names = "--vcf", required = true, paramLabel = "V.vcf.gz",
                description = "Sorted bgzip VCF with a tabix index (with genotypes, for personal).")
        Path vcf;

        @Option(names = "--zero-halflife", description = "Half-life features at their training mean (e.g. for Xpresso).")
        boolean zeroHalfLife;

        @CommandLine.Mixin
        GeneChoice genes = new GeneChoice();
    }

    /** Where a job's results go ({@code --format}, {@code --out}) and its tasks' tables meanwhile ({@code --work}). */
    static class TableOutput {
        @Option(names = "--format", defaultValue = "parquet", paramLabel = "tsv|parquet",
                description = "Output format (default: ${DEFAULT-VALUE}).")
        String format;

        @Option(names = "--out", required = true, paramLabel = "OUT", description = "TSV with one model: the table; otherwise a folder.")
        Path out;

        @Option(names = "--work", paramLabel = "DIR",
                description = "Folder for the tasks' files, seen by every executor (default: OUT.parts).")
        Path work;

        ScoreVariantsJob.Format format(CommandLine cl) {
            return switch (format.toLowerCase(Locale.ROOT)) {
                case "tsv" -> ScoreVariantsJob.Format.TSV;
                case "parquet" -> ScoreVariantsJob.Format.PARQUET;
                default -> throw new CommandLine.ParameterException(cl, "--format must be tsv or parquet, not '" + format + "'");
            };
        }

        /** The work folder: as given, or beside the output. */
        Path work() {
            return work != null ? work : out.toAbsolutePath().resolveSibling(out.getFileName() + ".parts");
        }
    }

    @Command(name = "personal", description = {
            "Predict every gene for every sample of a phased bgzip VCF (tabix-indexed) from the sample's own genome,",
            "one task per model and block of neighbouring genes. --format tsv writes exactly the table of 'scep",
            "personal'; parquet one row per gene with arrays over the samples (their order in OUT/samples.tsv)."})
    static final class Personal implements Callable<Integer> {
        @Spec
        CommandLine.Model.CommandSpec spec;

        @CommandLine.Mixin
        SparkOptions sparkOptions = new SparkOptions();

        @CommandLine.Mixin
        GenomeInputs in = new GenomeInputs();

        @Option(names = "--dosage", description = "Accept unphased genotypes: additive dosage model instead of haplotypes.")
        boolean dosage;

        @Option(names = "--blocks", paramLabel = "N", description = "Gene blocks per model (default: 4 × Spark's default parallelism).")
        Integer blocks;

        @CommandLine.Mixin
        TableOutput output = new TableOutput();

        @Override
        public Integer call() throws Exception {
            ScoreVariantsJob.Format f = output.format(spec.commandLine());
            if (blocks != null && (blocks < 1 || blocks > 1_000_000)) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--blocks must be 1..1000000, not " + blocks);
            }
            long t0 = System.nanoTime();
            try (SparkSession spark = sparkOptions.session("personal")) {
                int n = blocks != null ? blocks : 4 * spark.sparkContext().defaultParallelism();
                PersonalJob.Result r = PersonalJob.run(spark, new PersonalJob.Request(in.models, in.fasta, in.annotation, in.vcf,
                        in.genes.selection(), dosage, in.zeroHalfLife, n, f, output.out, output.work()));
                PrintWriter o = spec.commandLine().getOut();
                for (int m = 0; m < in.models.size(); m++) {
                    var s = r.summary().get(m);
                    o.printf(Locale.ROOT, "%s: %,d samples × %,d genes; %,d records read in gene blocks, %,d SNV alleles applied,"
                                    + " %,d haplotypes of which %,d distinct predicted; skipped: %,d indel, %,d MNP, %,d symbolic,"
                                    + " %,d ambiguous alleles, %,d REF mismatches%n", in.models.get(m), s.samples(), s.genes(),
                            s.records(), s.snvAlleles(), s.haplotypes(), s.distinctHaplotypes(), s.indelAlleles(), s.mnpAlleles(),
                            s.symbolicAlleles(), s.ambiguousAlleles(), s.refMismatches());
                }
                o.printf(Locale.ROOT, "%d gene blocks per model, %.1f s -> %s%n", r.blocks(), (System.nanoTime() - t0) / 1e9,
                        r.outputs().size() == 1 ? r.outputs().getFirst() : output.out);
            }
            return 0;
        }
    }

    @Command(name = "cv", description = {
            "The paper's cross-validation with one task per fold and replicate (spark.task.cpus = --threads); the driver",
            "writes manifest.tsv, models/, predictions.tsv, metrics.tsv and report.html exactly as 'scep cv' does. The",
            "dataset and --out must be on a filesystem every executor sees. An interrupted run continues with the same",
            "command: finished replicates are kept."})
    static final class Cv implements Callable<Integer> {
        @Spec
        CommandLine.Model.CommandSpec spec;

        @CommandLine.Mixin
        SparkOptions sparkOptions = new SparkOptions();

        @Option(names = "--dataset", required = true, paramLabel = "D.sced",
                description = "Dataset from 'scep prepare'; repeat for several (tissues), all in one job.")
        List<Path> datasets;

        @Option(names = "--out", required = true, paramLabel = "DIR",
                description = "Output folder; with several datasets, one subfolder each, named after the dataset file.")
        Path out;

        @Option(names = "--folds", defaultValue = "20", description = "Folds (default: ${DEFAULT-VALUE}).")
        int folds;

        @Option(names = "--replicates", defaultValue = "5", description = "Models per fold (default: ${DEFAULT-VALUE}).")
        int replicates;

        @Option(names = "--split", defaultValue = "scep", paramLabel = "scep|scep-paper",
                description = "Gene split: scep's own, or the original scEP's folds exactly (default: ${DEFAULT-VALUE}).")
        String split;

        @Option(names = "--populations", split = ",", paramLabel = "P1,P2", description = "Populations (default: every one except 'all').")
        List<String> populations = new java.util.ArrayList<>();

        @Option(names = "--tissue", paramLabel = "POP", description = "The single-output tissue model on this population instead.")
        String tissue;

        @Option(names = "--sequence-only", description = "Leave the half-life features out.")
        boolean sequenceOnly;

        @Option(names = "--halflife-only", description = "Ignore the sequence.")
        boolean halfLifeOnly;

        @Option(names = "--epochs", defaultValue = "40", description = "Epochs (default: ${DEFAULT-VALUE}).")
        int epochs;

        @Option(names = "--batch", defaultValue = "128", description = "Batch size (default: ${DEFAULT-VALUE}).")
        int batch;

        @Option(names = "--learning-rate", defaultValue = "5e-4", description = "Adam learning rate (default: ${DEFAULT-VALUE}).")
        double learningRate;

        @Option(names = "--plateau-patience", defaultValue = "5", description = "Epochs without improvement before the rate drops (default: ${DEFAULT-VALUE}).")
        int patience;

        @Option(names = "--seed", defaultValue = "1", description = "Seed (default: ${DEFAULT-VALUE}).")
        long seed;

        @Option(names = "--threads", defaultValue = "1", description = "Trainer threads per task = spark.task.cpus (default: ${DEFAULT-VALUE}); results equal scep cv's with as many threads.")
        int threads;

        @Option(names = "--validation-genes", defaultValue = "1000", description = "Validation genes per fold (default: ${DEFAULT-VALUE}).")
        int validationGenes;

        @Option(names = "--no-retrain-collapsed", description = "Keep a replicate whose predictions collapse.")
        boolean noRetrainCollapsed;

        @Option(names = "--keep-last", description = "Also write each fold's ensemble of last-epoch models.")
        boolean keepLast;

        @Override
        public Integer call() throws Exception {
            dev.scep.train.cv.Split s = switch (split) {
                case "scep" -> dev.scep.train.cv.Split.SCEP;
                case "scep-paper" -> dev.scep.train.cv.Split.SCEP_PAPER;
                default -> throw new CommandLine.ParameterException(spec.commandLine(), "--split must be scep or scep-paper, not '" + split + "'");
            };
            if (threads < 1 || threads > 4096 || folds < 2 || replicates < 1 || epochs < 1 || batch < 1) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                        "need --threads 1..4096, --folds >= 2, --replicates >= 1, --epochs >= 1 and --batch >= 1");
            }
            if (tissue != null && !populations.isEmpty()) {
                throw new CommandLine.ParameterException(spec.commandLine(), "give --tissue or --populations, not both");
            }
            dev.scep.train.ModelInputs inputs = sequenceOnly ? dev.scep.train.ModelInputs.SEQUENCE_ONLY
                    : halfLifeOnly ? dev.scep.train.ModelInputs.HALF_LIFE_ONLY : dev.scep.train.ModelInputs.SEQUENCE_AND_HALF_LIFE;
            dev.scep.train.TrainingConfig config = new dev.scep.train.TrainingConfig(epochs, batch, learningRate,
                    dev.scep.train.TrainingConfig.PAPER.plateauFactor(), patience, seed, threads);
            PrintWriter o = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            List<String> names = datasets.stream().map(d -> d.getFileName().toString().replaceFirst("\\.sced$", "")).toList();
            if (names.stream().distinct().count() != names.size()) {
                throw new CommandLine.ParameterException(spec.commandLine(), "two --dataset files have the same name "
                        + names + ": each names its output folder");
            }
            List<CvJob.Request> requests = new java.util.ArrayList<>();
            for (int q = 0; q < datasets.size(); q++) {
                Path folder = datasets.size() == 1 ? out : out.resolve(names.get(q));
                requests.add(new CvJob.Request(datasets.get(q), populations, tissue, inputs, config, validationGenes,
                        !noRetrainCollapsed, keepLast, folds, replicates, s, folder));
            }
            if (datasets.size() > 1) {
                java.nio.file.Files.createDirectories(out);
            }
            try (SparkSession spark = sparkOptions.session("cv", java.util.Map.of("spark.task.cpus", Integer.toString(threads)))) {
                var results = CvJob.runAll(spark, requests, new dev.scep.train.cv.CrossValidation.Listener() {
                    @Override
                    public void note(String message) {
                        err.println("scep-spark cv: " + message);
                        err.flush();
                    }
                });
                for (int q = 0; q < results.size(); q++) {
                    var e = results.get(q).evaluation();
                    o.printf("%s%n%-40s  %9s%n", datasets.get(q), "population", "median r");
                    for (int p = 0; p < e.populations().size(); p++) {
                        o.printf(Locale.ROOT, "%-40s  %9.4f%n", e.populations().get(p), e.medianPearson()[p]);
                    }
                    o.printf("-> %s (manifest.tsv, predictions.tsv, metrics.tsv, report.html, models/)%n", requests.get(q).out());
                }
            }
            return 0;
        }
    }

    @Command(name = "ism", description = {
            "In-silico mutagenesis of every window of a FASTA against every --model, one task per model and block of",
            "windows: per window the strongest change per position and output (as 'scep ism --per-position'), or with",
            "--all-substitutions every substitution (as 'scep ism'). --format tsv writes the single-machine table."})
    static final class IsmOnSpark implements Callable<Integer> {
        @Spec
        CommandLine.Model.CommandSpec spec;

        @CommandLine.Mixin
        SparkOptions sparkOptions = new SparkOptions();

        @Option(names = "--model", required = true, paramLabel = "M.scep", description = "Model file; repeat for several.")
        List<Path> models;

        @Option(names = "--windows", required = true, paramLabel = "W.fa", description = "Windows (scep prepare --windows-out).")
        Path windows;

        @CommandLine.ArgGroup(exclusive = true, multiplicity = "1")
        HalfLife halfLife;

        static final class HalfLife {
            @Option(names = "--halflife", paramLabel = "H.tsv", description = "Half-life features per window id.")
            Path table;

            @Option(names = "--zero-halflife", description = "Every half-life feature at its training mean.")
            boolean zeros;
        }

        @Option(names = "--id", paramLabel = "ID", description = "Only these windows (repeatable).")
        List<String> ids = new java.util.ArrayList<>();

        @Option(names = "--all-substitutions", description = "Every substitution, not the strongest change per position.")
        boolean all;

        @Option(names = "--windows-per-task", defaultValue = "25", paramLabel = "N",
                description = "Windows per task (default: ${DEFAULT-VALUE}).")
        int perTask;

        @CommandLine.Mixin
        TableOutput output = new TableOutput();

        @Override
        public Integer call() throws Exception {
            ScoreVariantsJob.Format f = output.format(spec.commandLine());
            if (perTask < 1 || perTask > 1_000_000) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--windows-per-task must be 1..1000000, not " + perTask);
            }
            long t0 = System.nanoTime();
            try (SparkSession spark = sparkOptions.session("ism")) {
                IsmJob.Result r = IsmJob.run(spark, new IsmJob.Request(models, windows, halfLife.zeros ? null : halfLife.table,
                        ids, all, perTask, f, output.out, output.work()));
                spec.commandLine().getOut().printf(Locale.ROOT, "%,d window(s) × %d model(s) in %,d tasks, %.1f s -> %s%n",
                        r.windows(), models.size(), r.tasks(), (System.nanoTime() - t0) / 1e9,
                        r.outputs().size() == 1 ? r.outputs().getFirst() : output.out);
            }
            return 0;
        }
    }

    /**
     * The gene-set options of the single-machine commands ({@code --canonical-tag}, {@code --transcripts},
     * {@code --keep-noncoding}, {@code --exclude-contigs}), so a job scores the genes its command would.
     */
    static class GeneChoice {
        @Option(names = "--canonical-tag", defaultValue = dev.scep.formats.annotation.GeneSelection.Options.DEFAULT_CANONICAL_TAG,
                description = "Tag of a gene's canonical transcript (default: ${DEFAULT-VALUE}).")
        String tag;

        @Option(names = "--transcripts", paramLabel = "FILE", description = "Transcript ids to prefer, one per line.")
        Path preferred;

        @Option(names = "--keep-noncoding", description = "Keep genes without a CDS.")
        boolean noncoding;

        @Option(names = "--exclude-contigs", split = ",", paramLabel = "C1,C2",
                defaultValue = dev.scep.formats.annotation.GeneSelection.Options.DEFAULT_EXCLUDED_CONTIGS,
                description = "Contigs whose genes are dropped (default: ${DEFAULT-VALUE}).")
        List<String> excluded;

        dev.scep.formats.annotation.GeneSelection.Options selection() throws java.io.IOException {
            return new dev.scep.formats.annotation.GeneSelection.Options(
                    dev.scep.formats.annotation.GeneSelection.Options.readTranscripts(preferred), tag, java.util.Set.copyOf(excluded),
                    noncoding);
        }
    }

    @Command(name = "score-variants", description = {
            "Score every variant of a bgzip VCF (tabix-indexed) against every --model, one task per model and shard of",
            "gene-window clusters. --format tsv writes exactly the table of 'scep score-variants' (one per model);",
            "parquet a dataset partitioned by model and contig. Inputs must be on a filesystem every executor sees."})
    static final class ScoreVariants implements Callable<Integer> {
        @Spec
        CommandLine.Model.CommandSpec spec;

        @CommandLine.Mixin
        SparkOptions sparkOptions = new SparkOptions();

        @CommandLine.Mixin
        GenomeInputs in = new GenomeInputs();

        @Option(names = "--motifs", paramLabel = "DIR", description = "Folder of JASPAR .pfm matrices: the motif columns, as score-variants.")
        Path motifs;

        @Option(names = "--shards", paramLabel = "N", description = "Shards per model (default: 4 × Spark's default parallelism).")
        Integer shards;

        @CommandLine.Mixin
        TableOutput output = new TableOutput();

        @Override
        public Integer call() throws Exception {
            ScoreVariantsJob.Format f = output.format(spec.commandLine());
            if (shards != null && (shards < 1 || shards > 1_000_000)) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--shards must be 1..1000000, not " + shards);
            }
            PrintWriter o = spec.commandLine().getOut();
            long t0 = System.nanoTime();
            try (SparkSession spark = sparkOptions.session("score-variants")) {
                int n = shards != null ? shards : 4 * spark.sparkContext().defaultParallelism();
                ScoreVariantsJob.Result r = ScoreVariantsJob.run(spark, new ScoreVariantsJob.Request(in.models, in.fasta,
                        in.annotation, in.vcf, in.genes.selection(), in.zeroHalfLife, motifs, n, f, output.out, output.work()));
                for (int m = 0; m < in.models.size(); m++) {
                    var s = r.summary().get(m);
                    o.printf(Locale.ROOT, "%s: %,d records in gene-window shards, %,d alleles: %,d SNVs, %,d MNPs and %,d indels"
                                    + " scored (%,d gene effects), %,d REF mismatches, %,d symbolic skipped, %,d ambiguous ALT%n",
                            in.models.get(m), s.records(), s.alleles(), s.scoredSnvs(), s.scoredMnps(), s.scoredIndels(),
                            s.effects(), s.refMismatches(), s.symbolic(), s.ambiguous());
                }
                o.printf(Locale.ROOT, "%d shards per model, %.1f s -> %s%n", r.shards(), (System.nanoTime() - t0) / 1e9,
                        r.outputs().size() == 1 ? r.outputs().getFirst() : output.out);
            }
            return 0;
        }
    }
}
