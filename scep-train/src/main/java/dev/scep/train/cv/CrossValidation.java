package dev.scep.train.cv;

import dev.scep.train.TrainingConfig;
import dev.scep.train.ModelInputs;
import dev.scep.train.ModelKind;
import dev.scep.train.TrainingListener;
import dev.scep.train.TrainedModel;

import dev.scep.formats.io.ScepDataset;
import dev.scep.formats.io.OutputFile;
import dev.scep.formats.io.ScepModelFile;
import dev.scep.formats.model.Architecture;
import dev.scep.formats.model.ScepModel;
import dev.scep.formats.model.Tensor;
import dev.scep.runtime.HalfLifeInput;
import dev.scep.runtime.Predictor;
import dev.scep.train.RunDescription;
import dev.scep.train.cpu.CollapseCheck;

import dev.scep.train.cpu.TrainingSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The paper's evaluation (DESIGN §3): k-fold cross-validation over genes, R replicates per fold averaged as an
 * ensemble (one model file per fold, one member per replicate), out-of-fold predictions for every gene.
 *
 * <p>Restartable: a fold whose model file exists is not retrained, and a replicate resumes from its checkpoint,
 * so an interrupted run continues where it stopped. Only the same run continues: the run's parameters are recorded in
 * {@value #MANIFEST} in the output folder when it starts, and a run that finds models there goes on only when every
 * parameter is equal (each difference is named otherwise), and each fold or replicate model it would reuse must
 * record this run's fold, seeds, dataset and recipe. Models without a manifest cannot be verified and are refused.
 *
 * <p>The output folder holds {@value #MANIFEST}, {@code models/fold-NN.scep} (one per fold, its replicates as ensemble
 * members; with {@link Options#keepLast}, {@code models/fold-NN.last.scep}, the ensemble of the last-epoch models) and,
 * while a fold is in progress, {@code models/fold-NN-replicate-R.scep} (and {@code .last.scep}) and
 * {@code models/fold-NN-replicate-R.checkpoint} (and {@code .checkpoint.retrain-K} for a collapsed replicate trained
 * again), removed once the fold's model is written (NN and R count from 1). A replicate's model is written only
 * once it is final, retrains included, so a resumed run reuses it as it is.
 * Stateless; one run at a time may use an output folder.
 */
public final class CrossValidation {
    private static final Logger LOG = LoggerFactory.getLogger(CrossValidation.class);

    /**
     * What a cross-validation does.
     *
     * @param folds           folds over genes, at least 2 and at most the number of genes (the paper: 20)
     * @param replicates      models per fold, at least 1, averaged as an ensemble (the paper: 5)
     * @param validationGenes validation genes per fold, drawn (seeded) from its non-test genes, at most a fifth of them
     *                        (the paper: 1,000)
     * @param seed            seeds the split into folds and each fold's validation draw; replicate r of fold f trains
     *                        with a seed derived from it, f and r
     * @param training        the recipe; its own seed is replaced by each replicate's
     * @param kind            the cell-population model or the single-output tissue model
     * @param inputs          what the models read
     * @param split           how genes are split ({@link Split#SCEP_PAPER}: the original's folds exactly, the seed
     *                        not used for them; its validation draw takes {@code validationGenes} of all non-test genes)
     * @param retrainCollapsed retrain a replicate whose validation predictions collapse to a constant (the original
     *                        recipe; see {@link dev.scep.train.TrainingRequest#retrainCollapsed})
     * @param keepLast        also write each fold's ensemble of last-epoch models, {@code models/fold-NN.last.scep}
     */
    public record Options(int folds, int replicates, int validationGenes, long seed, TrainingConfig training, ModelKind kind,
                          ModelInputs inputs, Split split, boolean retrainCollapsed, boolean keepLast) {
        /**
         * Checks the split.
         *
         * @throws NullPointerException when {@code split} is null
         */
        public Options {
            java.util.Objects.requireNonNull(split, "split");
        }

        /**
         * Options that retrain collapsed replicates and keep no last-epoch models.
         *
         * @param folds           folds over genes
         * @param replicates      models per fold
         * @param validationGenes validation genes per fold
         * @param seed            seeds the split and the replicates
         * @param training        the recipe
         * @param kind            the model kind
         * @param inputs          what the models read
         * @param split           how genes are split
         */
        public Options(int folds, int replicates, int validationGenes, long seed, TrainingConfig training, ModelKind kind,
                       ModelInputs inputs, Split split) {
            this(folds, replicates, validationGenes, seed, training, kind, inputs, split, true, false);
        }

        /**
         * Options with scep's own split ({@link Split#SCEP}).
         *
         * @param folds           folds over genes
         * @param replicates      models per fold
         * @param validationGenes validation genes per fold
         * @param seed            seeds the split and the replicates
         * @param training        the recipe
         * @param kind            the model kind
         * @param inputs          what the models read
         */
        public Options(int folds, int replicates, int validationGenes, long seed, TrainingConfig training, ModelKind kind,
                       ModelInputs inputs) {
            this(folds, replicates, validationGenes, seed, training, kind, inputs, Split.SCEP);
        }

        static Options paper(TrainingConfig training, ModelKind kind) {
            return new Options(20, 5, 1000, 1, training, kind, ModelInputs.SEQUENCE_AND_HALF_LIFE);
        }
    }

    /** Told how a cross-validation goes; every callback is optional and called on the thread that runs it. */
    public interface Listener extends TrainingListener {
        /**
         * A replicate starts (or, when its model is already there, is reused); the batches and epochs of its
         * training follow through the {@link TrainingListener} callbacks.
         *
         * @param fold       0-based fold
         * @param folds      folds in the run
         * @param replicate  0-based replicate within the fold
         * @param replicates replicates per fold
         */
        default void replicate(int fold, int folds, int replicate, int replicates) {
        }
    }

    /** The file in the output folder that records the parameters of the run that made its models. */
    static final String MANIFEST = Manifest.FILE;

    private CrossValidation() {
    }

    /**
     * The parameters that decide a cross-validation's models, as its {@value #MANIFEST} records them: the dataset
     * (fingerprint), populations, folds, replicates, validation genes, seed, kind, inputs and the training recipe.
     */
    static RunDescription describe(ScepDataset d, int[] populations, Options o) {
        List<String> names = new ArrayList<>();
        for (int p : populations) {
            names.add(d.populations().get(p).name());
        }
        Map<String, String> v = new LinkedHashMap<>();
        v.put("dataset", String.valueOf(d.fingerprint()));
        v.put("populations", RunDescription.oneLine(String.join(",", names)));
        v.put("kind", o.kind().name().toLowerCase(Locale.ROOT));
        v.put("inputs", o.inputs().name().toLowerCase(Locale.ROOT));
        v.put("folds", Integer.toString(o.folds()));
        v.put("replicates", Integer.toString(o.replicates()));
        v.put("validation_genes", Integer.toString(o.validationGenes()));
        v.put("seed", Long.toString(o.seed()));
        if (o.split() != Split.SCEP) {
            v.put("split", o.split().label());   // only when chosen, so manifests of earlier runs still match
        }
        if (!o.retrainCollapsed()) {
            v.put("retrain_collapsed", "no");    // likewise only when not the default
        }
        if (o.keepLast()) {
            v.put("keep_last", "yes");           // a resumed run must write the last-epoch models of every replicate
        }
        v.putAll(o.training().recipe());
        return new RunDescription(v);
    }

    /**
     * Before anything is trained or reused: a folder whose models were made by another run (or by a run that left no
     * manifest) is refused, naming each difference; otherwise this run's manifest is written (unless an equal one
     * is there already), and every fold and replicate model already there is checked against this run.
     */
    private static void checkOrRecordRun(ScepDataset d, int[] populations, Options o, Folds folds, Path out)
            throws IOException {
        Path manifest = out.resolve(MANIFEST);
        Path models = out.resolve("models");
        boolean hasModels = false;
        if (Files.isDirectory(models)) {
            try (var files = Files.list(models)) {
                hasModels = files.findAny().isPresent();
            }
        }
        RunDescription run = describe(d, populations, o);
        boolean record = true;
        if (Files.exists(manifest)) {
            Manifest recorded = Manifest.read(manifest);
            String mismatch = recorded.run().mismatch(run);
            if (mismatch == null) {
                record = false;
            } else if (hasModels) {
                String datasets = recorded.run().differences(run).contains("dataset")
                        ? " (the models were made from " + recorded.datasetFile() + ", this run reads " + d.file() + ")" : "";
                throw new dev.scep.train.RunMismatchException(manifest + ": the models in " + out + " were made by " + mismatch + datasets
                        + ": pass the same options to continue that run, or choose another output folder");
            }
        } else if (hasModels) {
            throw new dev.scep.train.RunMismatchException(out + " holds models but no " + MANIFEST + " recording the run that made them, so"
                    + " whether they belong to this run cannot be verified: choose another output folder (or remove "
                    + models + " to start again)");
        }
        if (hasModels) {
            for (int f = 0; f < o.folds(); f++) {
                Path foldModel = foldModel(models, f);
                if (Files.exists(foldModel)) {
                    checkFoldModel(foldModel, ScepModelFile.read(foldModel), d, populations, o, folds, f);
                }
                for (int r = 0; r < o.replicates(); r++) {
                    Path done = replicateModel(models, f, r);
                    if (Files.exists(done)) {
                        checkReplicateModel(done, ScepModelFile.read(done), d, populations, o, folds, f, r);
                    }
                }
            }
        }
        if (record) {
            new Manifest(run, d.file().toString()).write(manifest, d.file());
        }
    }

    /** What a model of this run records, checked against {@code expected}; a difference means it is another run's. */
    private static void checkProvenance(Path file, ScepModel m, Map<String, String> expected) throws IOException {
        Map<String, String> recorded = new LinkedHashMap<>();
        for (String k : expected.keySet()) {
            String v = k.equals("outputs") ? String.join(",", m.outputNames())
                    : k.equals("members") ? Integer.toString(m.members().size()) : m.provenance().get(k);
            if (v != null) {
                recorded.put(k, RunDescription.oneLine(v));
            }
        }
        String mismatch = new RunDescription(recorded).mismatch(new RunDescription(expected));
        if (mismatch != null) {
            throw new dev.scep.train.RunMismatchException(file + ": this model was made by " + mismatch + ", so it is not this run's to reuse:"
                    + " remove it, or choose another output folder");
        }
    }

    private static Map<String, String> recipe(ScepDataset d, int[] populations, Options o, Folds folds, int f) {
        Map<String, String> v = new LinkedHashMap<>();
        List<String> names = new ArrayList<>();
        for (int p : populations) {
            names.add(d.populations().get(p).name());
        }
        v.put("dataset_fingerprint", String.valueOf(d.fingerprint()));
        v.put("outputs", RunDescription.oneLine(String.join(",", names)));
        v.put("inputs", o.inputs().name().toLowerCase(Locale.ROOT));
        v.put("train_genes", Integer.toString(folds.train(f).length));
        v.put("validation_genes", Integer.toString(folds.validation(f).length));
        v.put("epochs", Integer.toString(o.training().epochs()));
        v.put("batch_size", Integer.toString(o.training().batchSize()));
        v.put("learning_rate", Double.toString(o.training().learningRate()));
        return v;
    }

    private static void checkFoldModel(Path file, ScepModel m, ScepDataset d, int[] populations, Options o, Folds folds,
                                       int f) throws IOException {
        Map<String, String> v = recipe(d, populations, o, folds, f);
        v.put("cv_fold", (f + 1) + "/" + o.folds());
        v.put("cv_seed", Long.toString(o.seed()));
        v.put("replicates", Integer.toString(o.replicates()));
        v.put("members", Integer.toString(o.replicates()));
        v.put("test_genes", Integer.toString(folds.test(f).length));
        checkProvenance(file, m, v);
    }

    private static void checkReplicateModel(Path file, ScepModel m, ScepDataset d, int[] populations, Options o,
                                            Folds folds, int f, int r) throws IOException {
        Map<String, String> v = recipe(d, populations, o, folds, f);
        int retrains = retrains(file, m);
        v.put("seed", Long.toString(CollapseCheck.seed(replicateSeed(o, f, r), retrains)));
        if (retrains > 0) {
            v.put("first_seed", Long.toString(replicateSeed(o, f, r)));
        }
        v.put("members", "1");
        checkProvenance(file, m, v);
    }

    /** The {@code collapse_retrains} a replicate model records (0 when none). */
    private static int retrains(Path file, ScepModel m) throws IOException {
        String v = m.provenance().getOrDefault("collapse_retrains", "0");
        try {
            int k = Integer.parseInt(v);
            if (k >= 0 && k <= CollapseCheck.MAX_RETRAINS) {
                return k;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new dev.scep.train.RunMismatchException(file + ": collapse_retrains '" + v + "' is not 0 to "
                + CollapseCheck.MAX_RETRAINS + ", so this model is not this run's to reuse: remove it, or choose another output folder");
    }

    /**
     * A replicate of a cross-validation whose predictions collapsed, as its fold's model records it.
     *
     * @param fold           0-based fold
     * @param replicate      0-based replicate
     * @param retrains       times it was trained again with a new seed
     * @param stillCollapsed whether the model kept has collapsed too (retraining off, or every retrain collapsed)
     */
    public record Collapse(int fold, int replicate, int retrains, boolean stillCollapsed) {
    }

    /**
     * The collapsed replicates of a finished cross-validation, read from its fold models' provenance (so a resumed
     * run reports those of before the interruption too).
     *
     * @param outDir the run's output folder
     * @param folds  its folds
     * @return every replicate that collapsed, by fold and replicate
     * @throws IOException when a fold model cannot be read
     */
    public static List<Collapse> collapses(Path outDir, int folds) throws IOException {
        List<Collapse> out = new ArrayList<>();
        for (int f = 0; f < folds; f++) {
            Path file = foldModel(outDir.resolve("models"), f);
            if (!Files.exists(file)) {
                continue;
            }
            Map<String, String> p = ScepModelFile.read(file).provenance();
            String[] retrains = p.getOrDefault("collapse_retrains", "").split(",");
            List<String> still = List.of(p.getOrDefault("collapsed_replicates", "").split(","));
            for (int r = 0; r < retrains.length; r++) {
                int k = retrains[r].isEmpty() ? 0 : Integer.parseInt(retrains[r]);
                boolean c = still.contains(Integer.toString(r + 1));
                if (k > 0 || c) {
                    out.add(new Collapse(f, r, k, c));
                }
            }
        }
        return out;
    }

    private static long replicateSeed(Options o, int f, int r) {
        return o.seed() * 1_000_003L + f * 1000L + r;
    }

    private static Path foldModel(Path models, int fold) {
        return models.resolve(String.format("fold-%02d.scep", fold + 1));
    }

    private static Path lastModel(Path model) {
        return model.resolveSibling(model.getFileName().toString().replace(".scep", ".last.scep"));
    }

    /**
     * Cross-validates: trains (or reuses) every fold's replicates, writes each fold's ensemble and predicts its test
     * genes with it. Writes the models and the manifest into {@code outDir}; the predictions are returned, not written.
     *
     * @param d           a prepared dataset with targets
     * @param populations the dataset's indices of the populations to predict, in output order (one for the tissue model)
     * @param o           what to do
     * @param outDir      the output folder (created when its parent exists); models already there are reused when they
     *                    are this run's
     * @param listener    told about replicates, batches, epochs and notes
     * @return every gene's out-of-fold prediction (log10 expression, z-score undone) beside its observed target
     * @throws IOException               for an unreadable dataset or model, or an unwritable output
     * @throws dev.scep.train.RunMismatchException when {@code outDir} holds models of another run, or models without
     *                                   a manifest
     * @throws IllegalArgumentException  for a tissue model of other than one population, or fewer than 2 or more
     *                                   folds than genes
     * @throws dev.scep.train.TrainingDivergedException when a replicate's loss stops being finite (the finished
     *                                   replicates and folds are kept)
     */
    public static CvPredictions run(ScepDataset d, int[] populations, Options o, Path outDir, Listener listener)
            throws IOException {
        if (o.kind() == ModelKind.TISSUE && populations.length != 1) {
            throw new IllegalArgumentException("a tissue model predicts one population; " + populations.length + " were given");
        }
        Path out = OutputFile.folder(outDir);
        Folds folds = Folds.of(o.split(), d.geneCount(), o.folds(), o.validationGenes(), o.seed());
        checkOrRecordRun(d, populations, o, folds, out);
        Path models = OutputFile.folder(out.resolve("models"));
        int genes = d.geneCount();
        int pops = populations.length;
        float[][] predicted = new float[genes][pops];
        float[][] observed = new float[genes][pops];
        int[] foldOf = new int[genes];
        for (int f = 0; f < o.folds(); f++) {
            int[] test = folds.test(f);
            Path foldModel = foldModel(models, f);
            ScepModel model;
            if (Files.exists(foldModel)) {
                LOG.info("fold {}: using the existing {}", f + 1, foldModel);
                model = ScepModelFile.read(foldModel);
                checkFoldModel(foldModel, model, d, populations, o, folds, f);
            } else {
                ScepModel[] both = trainFold(d, populations, o, folds, f, models, listener);
                model = both[0];
                if (both[1] != null) {
                    ScepModelFile.write(both[1], lastModel(foldModel), d.file());  // before the fold model: it marks the fold done
                }
                ScepModelFile.write(model, foldModel, d.file());
                for (int r = 0; r < o.replicates(); r++) {
                    Files.deleteIfExists(replicateModel(models, f, r));
                    Files.deleteIfExists(lastModel(replicateModel(models, f, r)));
                    for (Path c : CollapseCheck.checkpoints(checkpoint(models, f, r))) {
                        Files.deleteIfExists(c);
                    }
                }
            }
            float[][] y = predict(model, d, test);
            for (int i = 0; i < test.length; i++) {
                int g = test[i];
                foldOf[g] = f;
                predicted[g] = y[i];
                for (int p = 0; p < pops; p++) {
                    observed[g][p] = d.target(g, populations[p]);
                }
            }
        }
        List<String> names = new ArrayList<>();
        for (int p : populations) {
            names.add(d.populations().get(p).name());
        }
        List<String> ids = d.genes().stream().map(ScepDataset.Gene::id).toList();
        List<String> symbols = d.genes().stream().map(g -> g.name().isEmpty() ? null : g.name()).toList();
        return new CvPredictions(List.copyOf(names), ids, symbols, foldOf, predicted, observed);
    }

    /**
     * For running a cross-validation's replicates as separate tasks (on Spark, or on several machines sharing
     * {@code outDir}): records the run's manifest as {@link #run} does (refusing a folder of another run) and lists
     * the (fold, replicate) pairs still to train. Train each with {@link #trainReplicate}, in any order or at once,
     * then {@link #run} finds every replicate model and only assembles the folds: the same files as a run on one
     * machine.
     *
     * @param d           the dataset
     * @param populations the dataset's population indices to predict
     * @param o           what the cross-validation does
     * @param outDir      the output folder (created when its parent exists)
     * @return {fold, replicate} pairs, 0-based, whose fold model and replicate model do not exist yet
     * @throws IOException when the folder cannot be read or the manifest written
     * @throws dev.scep.train.RunMismatchException when {@code outDir} holds models of another run
     */
    public static List<int[]> pendingReplicates(ScepDataset d, int[] populations, Options o, Path outDir) throws IOException {
        Path out = OutputFile.folder(outDir);
        Folds folds = Folds.of(o.split(), d.geneCount(), o.folds(), o.validationGenes(), o.seed());
        checkOrRecordRun(d, populations, o, folds, out);
        Path models = OutputFile.folder(out.resolve("models"));
        List<int[]> pending = new ArrayList<>();
        for (int f = 0; f < o.folds(); f++) {
            if (Files.exists(foldModel(models, f))) {
                continue;
            }
            for (int r = 0; r < o.replicates(); r++) {
                if (!Files.exists(replicateModel(models, f, r))) {
                    pending.add(new int[]{f, r});
                }
            }
        }
        return pending;
    }

    /**
     * Trains one replicate of one fold into {@code outDir/models}, as {@link #run} would (the same seed, checkpoint,
     * collapse rule and files), unless its model is already there. Its model file is written last, with
     * write-then-rename, so a task that dies and is run again resumes from the checkpoint and never leaves half a model.
     *
     * @param d           the dataset
     * @param populations the dataset's population indices to predict
     * @param o           what the cross-validation does ({@link #pendingReplicates} has recorded it)
     * @param outDir      the output folder
     * @param fold        0-based fold
     * @param replicate   0-based replicate
     * @param listener    told about batches, epochs and notes
     * @throws IOException for unreadable input or unwritable output
     * @throws dev.scep.train.RunMismatchException when {@code outDir}'s manifest records another run
     */
    public static void trainReplicate(ScepDataset d, int[] populations, Options o, Path outDir, int fold, int replicate,
                                      Listener listener) throws IOException {
        if (fold < 0 || fold >= o.folds() || replicate < 0 || replicate >= o.replicates()) {
            throw new IllegalArgumentException("fold " + fold + ", replicate " + replicate + " is outside " + o.folds()
                    + " folds x " + o.replicates() + " replicates");
        }
        Path out = OutputFile.folder(outDir);
        Folds folds = Folds.of(o.split(), d.geneCount(), o.folds(), o.validationGenes(), o.seed());
        Manifest recorded = Manifest.read(out.resolve(MANIFEST));
        String mismatch = recorded.run().mismatch(describe(d, populations, o));
        if (mismatch != null) {
            throw new dev.scep.train.RunMismatchException(out.resolve(MANIFEST) + ": this folder belongs to " + mismatch);
        }
        Path models = OutputFile.folder(out.resolve("models"));
        Path done = replicateModel(models, fold, replicate);
        if (Files.exists(foldModel(models, fold)) || Files.exists(done)) {
            return;
        }
        TrainingSet set = TrainingSet.of(d, folds.train(fold), folds.validation(fold), populations, o.inputs());
        Architecture arch = o.kind().architecture(populations.length, set.halfLifeFeatures().size(), d.geometry().length());
        listener.replicate(fold, o.folds(), replicate, o.replicates());
        TrainedModel result = CollapseCheck.train(set, arch, o.training().withSeed(replicateSeed(o, fold, replicate)),
                checkpoint(models, fold, replicate), true, o.retrainCollapsed(),
                "fold " + (fold + 1) + " replicate " + (replicate + 1), listener);
        if (o.keepLast()) {
            ScepModelFile.write(result.lastModel(), lastModel(done), d.file());  // before the replicate model: it marks it done
        }
        ScepModelFile.write(result.model(), done, d.file());
    }

    private static Path replicateModel(Path models, int fold, int replicate) {
        return models.resolve(String.format("fold-%02d-replicate-%d.scep", fold + 1, replicate + 1));
    }

    private static Path checkpoint(Path models, int fold, int replicate) {
        return models.resolve(String.format("fold-%02d-replicate-%d.checkpoint", fold + 1, replicate + 1));
    }

    /** The fold's ensemble and (with keepLast) its ensemble of last-epoch models, else null. */
    private static ScepModel[] trainFold(ScepDataset d, int[] populations, Options o, Folds folds, int f, Path models,
                                       Listener listener) throws IOException {
        TrainingSet set = TrainingSet.of(d, folds.train(f), folds.validation(f), populations, o.inputs());
        int hl = set.halfLifeFeatures().size();
        Architecture arch = o.kind().architecture(populations.length, hl, d.geometry().length());
        List<Map<String, Tensor>> members = new ArrayList<>();
        List<Map<String, Tensor>> lastMembers = new ArrayList<>();
        ScepModel first = null;
        ScepModel firstLast = null;
        List<String> bestEpochs = new ArrayList<>();
        List<String> retrains = new ArrayList<>();
        List<String> collapsed = new ArrayList<>();
        for (int r = 0; r < o.replicates(); r++) {
            listener.replicate(f, o.folds(), r, o.replicates());
            Path done = replicateModel(models, f, r);
            ScepModel m;
            ScepModel last = null;
            if (Files.exists(done)) {
                m = ScepModelFile.read(done);
                checkReplicateModel(done, m, d, populations, o, folds, f, r);
                if (o.keepLast()) {
                    Path lastFile = lastModel(done);
                    if (!Files.exists(lastFile)) {
                        throw new dev.scep.train.RunMismatchException(done + " has no last-epoch model beside it ("
                                + lastFile + "): remove it to train that replicate again");
                    }
                    last = ScepModelFile.read(lastFile);
                    checkReplicateModel(lastFile, last, d, populations, o, folds, f, r);
                }
            } else {
                long seed = replicateSeed(o, f, r);
                TrainedModel result = CollapseCheck.train(set, arch, o.training().withSeed(seed), checkpoint(models, f, r),
                        true, o.retrainCollapsed(), "fold " + (f + 1) + " replicate " + (r + 1), listener);
                m = result.model();
                if (o.keepLast()) {
                    last = result.lastModel();
                    ScepModelFile.write(last, lastModel(done), d.file());  // before the replicate model: it marks it done
                }
                ScepModelFile.write(m, done, d.file());
            }
            members.add(m.members().getFirst());
            if (last != null) {
                lastMembers.add(last.members().getFirst());
                firstLast = firstLast == null ? last : firstLast;
            }
            bestEpochs.add(m.provenance().getOrDefault("best_epoch", "?"));
            retrains.add(m.provenance().getOrDefault("collapse_retrains", "0"));
            if (m.provenance().containsKey("collapsed_output")) {
                collapsed.add(Integer.toString(r + 1));
            }
            first = first == null ? m : first;
        }
        ScepModel best = foldEnsemble(first, members, o, folds, f, bestEpochs, retrains, collapsed);
        ScepModel lastEnsemble = null;
        if (o.keepLast()) {
            lastEnsemble = foldEnsemble(firstLast, lastMembers, o, folds, f, bestEpochs, retrains, collapsed);
        }
        return new ScepModel[]{best, lastEnsemble};
    }

    private static ScepModel foldEnsemble(ScepModel first, List<Map<String, Tensor>> members, Options o, Folds folds,
                                          int f, List<String> bestEpochs, List<String> retrains, List<String> collapsed) {
        Map<String, String> provenance = new LinkedHashMap<>(first.provenance());
        provenance.remove("seed");
        provenance.remove("best_epoch");
        provenance.remove("best_validation_loss");
        provenance.remove("last_validation_loss");
        provenance.remove("collapse_retrains");
        provenance.remove("first_seed");
        provenance.remove("collapsed_output");
        provenance.put("cv_fold", (f + 1) + "/" + o.folds());
        provenance.put("cv_seed", Long.toString(o.seed()));
        provenance.put("replicates", Integer.toString(o.replicates()));
        provenance.put("best_epochs", String.join(",", bestEpochs));
        provenance.put("test_genes", Integer.toString(folds.test(f).length));
        if (retrains.stream().anyMatch(k -> !k.equals("0"))) {
            provenance.put("collapse_retrains", String.join(",", retrains));
        }
        if (!collapsed.isEmpty()) {
            provenance.put("collapsed_replicates", String.join(",", collapsed));
        }
        return new ScepModel(first.architecture(), first.encoding(), first.outputs(), first.halfLifeFeatures(), provenance, members);
    }

    /** Ensemble predictions (log10, z-score undone) for genes of the dataset, with the fast inference engine. */
    static float[][] predict(ScepModel model, ScepDataset d, int[] genes) {
        int[] featureIndex = new int[model.halfLifeFeatures().size()];
        for (int k = 0; k < featureIndex.length; k++) {
            featureIndex[k] = d.halfLifeNames().indexOf(model.halfLifeFeatures().get(k).name());
        }
        try (Predictor p = Predictor.of(model)) {
            float[][] out = new float[genes.length][];
            int batch = 256;
            for (int from = 0; from < genes.length; from += batch) {
                int to = Math.min(genes.length, from + batch);
                List<byte[]> windows = new ArrayList<>();
                List<HalfLifeInput> inputs = new ArrayList<>();
                for (int i = from; i < to; i++) {
                    windows.add(d.window(genes[i]));
                    double[] raw = new double[featureIndex.length];
                    for (int k = 0; k < raw.length; k++) {
                        raw[k] = d.rawHalfLife(genes[i], featureIndex[k]);
                    }
                    inputs.add(HalfLifeInput.raw(raw));
                }
                float[][] y = p.predictBatch(windows, inputs);
                System.arraycopy(y, 0, out, from, y.length);
            }
            return out;
        }
    }
}
