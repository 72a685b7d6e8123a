package dev.scep.spark;

import dev.scep.formats.io.ScepDataset;
import dev.scep.train.ModelInputs;
import dev.scep.train.Training;
import dev.scep.train.TrainingConfig;
import dev.scep.train.TrainingRequest;
import dev.scep.train.cv.CrossValidation;
import dev.scep.train.cv.Split;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code cv} on Spark: the paper's cross-validation with one task per (fold, replicate). The driver records the run
 * in the output folder ({@link Training#pendingReplicates}); each task trains its replicate on
 * {@code spark.task.cpus} threads ({@link Training#trainReplicate}: the same seed, checkpoint and collapse rule as
 * {@code scep cv}, the model written last with write-then-rename, so a retried task resumes from its checkpoint);
 * then the driver assembles the folds, {@code predictions.tsv}, {@code metrics.tsv} and the report exactly as
 * {@code scep cv} does ({@link Training#crossValidate} with resume, which finds every replicate trained). Results
 * equal {@code scep cv}'s for the same seed and thread count. The dataset and output folder must be on a filesystem
 * every executor sees.
 */
public final class CvJob {
    /**
     * What to cross-validate: {@code scep cv}'s options, in a form that travels to executors.
     *
     * @param dataset         the dataset ({@code .sced})
     * @param populations     populations of the cell-population model (empty: every one but {@code all})
     * @param tissue          the tissue model's population instead, or null
     * @param inputs          what the models read
     * @param config          the training recipe; its threads are each task's ({@code spark.task.cpus})
     * @param validationGenes validation genes per fold
     * @param retrainCollapsed retrain a replicate whose predictions collapse
     * @param keepLast        also keep each fold's ensemble of last-epoch models
     * @param folds           folds
     * @param replicates      replicates per fold
     * @param split           how genes are split
     * @param out             the output folder
     */
    public record Request(Path dataset, List<String> populations, String tissue, ModelInputs inputs, TrainingConfig config,
                          int validationGenes, boolean retrainCollapsed, boolean keepLast, int folds, int replicates,
                          Split split, Path out) {
        /** Copies the population list. */
        public Request {
            populations = List.copyOf(populations);
        }

        TrainingRequest training() throws IOException {
            TrainingRequest r = TrainingRequest.of(ScepDataset.open(dataset)).withConfig(config).withValidationGenes(validationGenes)
                    .withInputs(inputs).withRetrainCollapsed(retrainCollapsed).withKeepLast(keepLast);
            return tissue != null ? r.tissue(tissue) : r.withPopulations(populations);
        }
    }

    /** The parts of a request that travel to a task (paths as text). */
    private record Spec(String dataset, List<String> populations, String tissue, ModelInputs inputs, int epochs, int batch,
                        double learningRate, double plateauFactor, int patience, long seed, int threads, int validationGenes,
                        boolean retrainCollapsed, boolean keepLast, int folds, int replicates, Split split, String out)
            implements Serializable {
        Request request() {
            return new Request(Path.of(dataset), populations, tissue, inputs, new TrainingConfig(epochs, batch, learningRate,
                    plateauFactor, patience, seed, threads), validationGenes, retrainCollapsed, keepLast, folds, replicates,
                    split, Path.of(out));
        }
    }

    private CvJob() {
    }

    /**
     * Runs the job.
     *
     * @param spark    the session ({@code spark.task.cpus} should equal the recipe's threads)
     * @param r        what to cross-validate
     * @param listener told about notes, and about the driver's assembly
     * @return the predictions and their evaluation, as {@code scep cv} gives them
     * @throws IOException for unreadable input or unwritable output
     */
    public static Training.CrossValidationResult run(SparkSession spark, Request r, CrossValidation.Listener listener)
            throws IOException {
        return runAll(spark, List.of(r), listener).getFirst();
    }

    /**
     * Cross-validates several datasets (tissues) in one job: every (dataset, fold, replicate) is a task of one stage,
     * then each dataset's folder is assembled.
     *
     * @param spark    the session ({@code spark.task.cpus} should equal the recipes' threads)
     * @param requests one per dataset, each with its own output folder
     * @param listener told about notes, and about the driver's assembly
     * @return per request, the predictions and their evaluation
     * @throws IOException for unreadable input or unwritable output
     */
    public static List<Training.CrossValidationResult> runAll(SparkSession spark, List<Request> requests,
                                                              CrossValidation.Listener listener) throws IOException {
        List<Spec> specs = new ArrayList<>();
        List<int[]> tasks = new ArrayList<>();       // {request, fold, replicate}
        List<TrainingRequest> trainings = new ArrayList<>();
        for (int q = 0; q < requests.size(); q++) {
            Request r = requests.get(q);
            TrainingRequest request = r.training();
            trainings.add(request);
            List<int[]> pending = Training.pendingReplicates(request, r.folds(), r.replicates(), r.split(), r.out());
            TrainingConfig c = r.config();
            specs.add(new Spec(r.dataset().toAbsolutePath().toString(), r.populations(), r.tissue(), r.inputs(), c.epochs(),
                    c.batchSize(), c.learningRate(), c.plateauFactor(), c.plateauPatience(), c.seed(), c.threads(),
                    r.validationGenes(), r.retrainCollapsed(), r.keepLast(), r.folds(), r.replicates(), r.split(),
                    r.out().toAbsolutePath().toString()));
            listener.note(String.format(java.util.Locale.ROOT, "%s: %d of %d replicates to train, one task each on %d thread(s)",
                    r.dataset().getFileName(), pending.size(), r.folds() * r.replicates(), c.threads()));
            for (int[] p : pending) {
                tasks.add(new int[]{q, p[0], p[1]});
            }
        }
        if (!tasks.isEmpty()) {
            boolean failFirst = FailureInjection.asked(spark);
            JavaSparkContext.fromSparkContext(spark.sparkContext()).parallelize(tasks, tasks.size())
                    .foreach(t -> train(specs.get(t[0]), t[1], t[2], failFirst));
        }
        List<Training.CrossValidationResult> results = new ArrayList<>();
        for (int q = 0; q < requests.size(); q++) {
            Request r = requests.get(q);
            results.add(Training.crossValidate(trainings.get(q), r.folds(), r.replicates(), r.split(), r.out(), true, listener));
        }
        return results;
    }

    private static void train(Spec spec, int fold, int replicate, boolean failFirst) throws IOException {
        Request r = spec.request();
        if (FailureInjection.due(failFirst)) {
            // fail part-way: after a checkpoint exists, before the model is written
            Training.trainReplicate(r.training(), r.folds(), r.replicates(), r.split(), r.out(), fold, replicate,
                    new CrossValidation.Listener() {
                        @Override
                        public void epoch(dev.scep.train.EpochStats stats) {
                            throw FailureInjection.failure();
                        }
                    });
        }
        Training.trainReplicate(r.training(), r.folds(), r.replicates(), r.split(), r.out(), fold, replicate,
                new CrossValidation.Listener() { });
    }
}
