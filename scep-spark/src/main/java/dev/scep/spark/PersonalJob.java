package dev.scep.spark;

import dev.scep.formats.annotation.GeneSelection;
import dev.scep.formats.genome.WindowGeometry;
import dev.scep.formats.io.OutputFile;
import dev.scep.formats.io.ScepModelFile;
import dev.scep.formats.model.ScepModel;
import dev.scep.formats.vcf.SortedVcf;
import dev.scep.runtime.personal.PersonalGenomes;
import dev.scep.runtime.variants.GenePanel;
import dev.scep.runtime.variants.VariantScorer;
import dev.scep.runtime.variants.VariantShards;
import org.apache.spark.SparkFiles;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code personal} on Spark: every gene predicted for every sample of a phased VCF from the sample's own genome, one
 * task per (model, block of neighbouring genes). Blocks are runs of whole clusters of gene windows
 * ({@link VariantShards}), read through the VCF's tabix index; the genes on contigs the VCF lacks form a last block
 * (everyone has the reference there). Each task runs {@link PersonalGenomes#runShard} on one thread, which predicts
 * each gene's distinct haplotypes once, and writes its table with write-then-rename.
 *
 * <p>Output: TSV, exactly the table of {@code scep personal} (a row per sample and gene); or Parquet (zstd), one row
 * per gene with arrays over the samples: {@code OUT/model=<name>/} with {@code gene_id, gene_name, alt_alleles
 * array<int>} and one {@code array<float>} per output, the samples' order in {@code OUT/samples.tsv}.
 */
public final class PersonalJob {
    /**
     * What to predict.
     *
     * @param models     the model files
     * @param fasta      the genome, on a filesystem every executor sees
     * @param annotation the annotation, likewise
     * @param vcf        the genotypes: a sorted bgzip VCF with a tabix index, likewise
     * @param selection  which genes (the single-machine command's options)
     * @param dosage     the additive dosage mode instead of phased haplotypes
     * @param zeroHalfLife half-life inputs at their training mean
     * @param blocks     gene blocks wanted (fewer when there are fewer clusters of windows)
     * @param format     TSV or Parquet
     * @param out        with TSV and one model the table; else a folder
     * @param work       a folder every executor can write
     */
    public record Request(List<Path> models, Path fasta, Path annotation, Path vcf, GeneSelection.Options selection,
                          boolean dosage, boolean zeroHalfLife, int blocks, ScoreVariantsJob.Format format, Path out, Path work) {
        /** Copies the models and checks the block count. */
        public Request {
            models = List.copyOf(models);
            if (models.isEmpty()) {
                throw new IllegalArgumentException("give at least one --model");
            }
            if (blocks < 1) {
                throw new IllegalArgumentException("--blocks must be at least 1, not " + blocks);
            }
        }
    }

    /**
     * What was done.
     *
     * @param summary per model, the counts summed over the blocks
     * @param blocks  the gene blocks of the first model
     * @param outputs the files or folders written
     */
    public record Result(List<PersonalGenomes.Summary> summary, int blocks, List<Path> outputs) {
    }

    /** A task: a model and a block, its genes as indices into the panel's gene list (the same on every executor). */
    private record Task(int model, String modelFile, int block, List<SortedVcf.Region> regions, int[] genes)
            implements Serializable {
    }

    private record Done(int model, int block, PersonalGenomes.Summary summary) implements Serializable {
    }

    private PersonalJob() {
    }

    /**
     * Runs the job.
     *
     * @param spark the session
     * @param r     what to predict
     * @return the counts and outputs
     * @throws IOException for unreadable inputs or unwritable outputs
     */
    public static Result run(SparkSession spark, Request r) throws IOException {
        List<String> names = ScoreVariantsJob.modelNames(r.models());
        List<String> vcfContigs = SortedVcf.indexedContigs(r.vcf());
        VariantScorer.HalfLife halfLife = r.zeroHalfLife() ? VariantScorer.HalfLife.ZEROS : VariantScorer.HalfLife.ANNOTATION;
        PersonalGenomes.Mode mode = r.dosage() ? PersonalGenomes.Mode.DOSAGE : PersonalGenomes.Mode.PHASED;
        List<String> samples;
        try (SortedVcf header = new SortedVcf(r.vcf())) {
            samples = header.samples();
        }
        if (samples.isEmpty()) {
            throw new dev.scep.formats.text.InputFormatException(r.vcf(), 0,
                    "the VCF has no samples (sites only): personal predictions need genotypes");
        }
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        List<Task> tasks = new ArrayList<>();
        List<Integer> blocksPerModel = new ArrayList<>();
        List<ScepModel> models = new ArrayList<>();
        for (int m = 0; m < r.models().size(); m++) {
            ScepModel model = ScepModelFile.read(r.models().get(m));
            models.add(model);
            WindowGeometry geometry = new WindowGeometry(model.encoding().upstream(), model.encoding().downstream());
            GenePanel panel = ExecutorCache.panel(r.fasta(), r.annotation(), geometry, r.selection());
            VariantScorer.checkCompatible(model, panel, halfLife);
            Map<GenePanel.Gene, Integer> index = new IdentityHashMap<>();
            for (GenePanel.Gene g : panel.genes()) {
                index.put(g, index.size());
            }
            List<VariantShards.Shard> plan = new ArrayList<>(VariantShards.plan(panel, vcfContigs, r.blocks()));
            if (plan.isEmpty()) {
                throw panel.noContigAnnotated(r.vcf(), vcfContigs, "nothing was written");
            }
            List<GenePanel.Gene> rest = VariantShards.unvisited(panel, vcfContigs);
            if (!rest.isEmpty()) {
                plan.add(new VariantShards.Shard(plan.size(), List.of(), rest));
            }
            sc.addFile(abs(r.models().get(m)));
            for (VariantShards.Shard s : plan) {
                tasks.add(new Task(m, r.models().get(m).getFileName().toString(), s.index(), s.regions(),
                        s.genes().stream().mapToInt(index::get).toArray()));
            }
            blocksPerModel.add(plan.size());
        }
        OutputFile.folder(r.work());
        String fasta = abs(r.fasta());
        String annotation = abs(r.annotation());
        String vcf = abs(r.vcf());
        String work = abs(r.work());
        GeneSelection.Options selection = r.selection();
        boolean failFirst = FailureInjection.asked(spark);
        List<Done> done = sc.parallelize(tasks, tasks.size())
                .map(t -> predict(t, fasta, annotation, selection, vcf, mode, halfLife, work, failFirst))
                .collect();
        List<PersonalGenomes.Summary> summaries = new ArrayList<>();
        for (int m = 0; m < models.size(); m++) {
            final int model = m;
            PersonalGenomes.Summary sum = done.stream().filter(d -> d.model() == model).sorted(Comparator.comparingInt(Done::block))
                    .map(Done::summary).reduce(PersonalGenomes.Summary::plus).orElseThrow();
            sum.requireSameBuild(r.vcf());
            summaries.add(sum);
        }
        List<Path> inputs = new ArrayList<>(List.of(r.fasta(), r.annotation(), r.vcf()));
        inputs.addAll(r.models());
        List<List<Path>> parts = new ArrayList<>();
        for (int m = 0; m < models.size(); m++) {
            final int model = m;
            parts.add(java.util.stream.IntStream.range(0, blocksPerModel.get(m)).mapToObj(b -> Parts.file(r.work(), model, b)).toList());
        }
        List<Path> outputs = Parts.assemble(r.out(), names, r.format(), parts, inputs,
                (m, modelParts, target) -> writeParquet(spark, modelParts, models.get(m).outputNames(), target));
        if (r.format() == ScoreVariantsJob.Format.PARQUET) {
            try (OutputFile f = OutputFile.create(r.out().resolve("samples.tsv"), inputs)) {
                f.writer().write("index\tsample\n");
                for (int s = 0; s < samples.size(); s++) {
                    f.writer().write(s + "\t" + samples.get(s) + "\n");
                }
                f.commit();
            }
        }
        Parts.delete(r.work());
        return new Result(summaries, blocksPerModel.getFirst(), outputs);
    }

    private static String abs(Path p) {
        return p.toAbsolutePath().toString();
    }

    /** The task: one model, one block of genes, one thread. */
    private static Done predict(Task t, String fasta, String annotation, GeneSelection.Options selection, String vcf,
                                PersonalGenomes.Mode mode, VariantScorer.HalfLife halfLife, String work, boolean failFirst)
            throws IOException {
        ScepModel model = ExecutorCache.model(SparkFiles.get(t.modelFile()));
        GenePanel panel = ExecutorCache.panel(Path.of(fasta), Path.of(annotation),
                new WindowGeometry(model.encoding().upstream(), model.encoding().downstream()), selection);
        List<GenePanel.Gene> genes = new ArrayList<>();
        for (int g : t.genes()) {
            genes.add(panel.genes().get(g));
        }
        Path part = Parts.file(Path.of(work), t.model(), t.block());
        Files.createDirectories(part.getParent());
        PersonalGenomes.Summary s = PersonalGenomes.runShard(model, panel, Path.of(vcf), t.regions(), genes, part,
                new PersonalGenomes.Options(1, mode, halfLife), null);
        FailureInjection.failIfDue(failFirst);
        return new Done(t.model(), t.block(), s);
    }

    /** One row per gene: its rows (one per sample, in the samples' order) folded into arrays. */
    private static void writeParquet(SparkSession spark, List<Path> parts, List<String> outputs, Path target) throws IOException {
        List<StructField> fields = new ArrayList<>(List.of(
                DataTypes.createStructField("gene_id", DataTypes.StringType, false),
                DataTypes.createStructField("gene_name", DataTypes.StringType, true),
                DataTypes.createStructField("alt_alleles", DataTypes.createArrayType(DataTypes.IntegerType, false), false)));
        for (String o : outputs) {
            fields.add(DataTypes.createStructField(o, DataTypes.createArrayType(DataTypes.FloatType, false), false));
        }
        StructType schema = DataTypes.createStructType(fields);
        List<String> files = parts.stream().map(PersonalJob::abs).toList();
        int n = outputs.size();
        var rows = JavaSparkContext.fromSparkContext(spark.sparkContext()).parallelize(files, files.size())
                .flatMap(f -> geneRows(Path.of(f), n).iterator());
        spark.createDataFrame(rows, schema).write().mode("overwrite").option("compression", "zstd").parquet(target.toString());
    }

    /** A part's rows ({@code sample, gene_id, gene_name, alt_alleles, <outputs>}, a gene's samples together) as gene rows. */
    private static List<Row> geneRows(Path part, int outputs) throws IOException {
        List<Row> rows = new ArrayList<>();
        try (BufferedReader in = Files.newBufferedReader(part)) {
            dev.scep.formats.io.Provenance.skip(in);   // provenance lines and the header
            String gene = null;
            String name = null;
            List<Integer> alts = null;
            List<List<Float>> values = null;
            for (String line; (line = in.readLine()) != null; ) {
                String[] f = line.split("\t", -1);
                if (!f[1].equals(gene)) {
                    if (gene != null) {
                        rows.add(geneRow(gene, name, alts, values));
                    }
                    gene = f[1];
                    name = f[2].isEmpty() ? null : f[2];
                    alts = new ArrayList<>();
                    values = new ArrayList<>();
                    for (int o = 0; o < outputs; o++) {
                        values.add(new ArrayList<>());
                    }
                }
                alts.add(Integer.parseInt(f[3]));
                for (int o = 0; o < outputs; o++) {
                    values.get(o).add(Float.parseFloat(f[4 + o]));
                }
            }
            if (gene != null) {
                rows.add(geneRow(gene, name, alts, values));
            }
        }
        return rows;
    }

    private static Row geneRow(String gene, String name, List<Integer> alts, List<List<Float>> values) {
        Object[] v = new Object[3 + values.size()];
        v[0] = gene;
        v[1] = name;
        // Spark's rows take arrays as Scala sequences
        v[2] = scala.jdk.javaapi.CollectionConverters.asScala(alts);
        for (int o = 0; o < values.size(); o++) {
            v[3 + o] = scala.jdk.javaapi.CollectionConverters.asScala(values.get(o));
        }
        return RowFactory.create(v);
    }
}
