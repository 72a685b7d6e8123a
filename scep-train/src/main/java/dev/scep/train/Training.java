package dev.scep.train;

import dev.scep.formats.io.ScepDataset;
import dev.scep.formats.model.Architecture;
import dev.scep.runtime.Device;
import dev.scep.train.cpu.CollapseCheck;
import dev.scep.train.cpu.TrainingSet;
import dev.scep.train.cv.CrossValidation;
import dev.scep.train.cv.CvPredictions;
import dev.scep.train.evaluate.Evaluation;
import dev.scep.train.cv.Folds;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import java.util.stream.IntStream;

/**
 * Training and cross-validation: the library's front door for the paper's experiments. Everything that decides a
 * result is in the {@link TrainingRequest}; results are bit-for-bit reproducible for one seed and thread count.
 * Stateless: calls are independent, each trains on the request's own {@code threads}; two calls must not share a
 * checkpoint or an output folder.
 *
 * <pre>{@code
 * ScepDataset data = ScepDataset.open(Path.of("tissue.sced"));
 * TrainedModel m = Training.train(TrainingRequest.of(data), Path.of("m.checkpoint"), false, new TrainingListener() { });
 * ScepModelFile.write(m.model(), Path.of("m.scep"), data.file());
 * }</pre>
 */
public final class Training {
    private Training() {
    }

    /**
     * What a cross-validation gives.
     *
     * @param predictions every gene's out-of-fold prediction (the mean of its fold's replicates)
     * @param evaluation  Pearson r per population and fold, their medians, and per-gene correlations
     */
    public record CrossValidationResult(CvPredictions predictions, Evaluation evaluation) {
    }

    /**
     * Trains one model: a seeded draw of {@code request.validationGenes()} genes validates, every other gene trains
     * (DESIGN §3; the weights of the epoch with the lowest validation loss are kept, and the last epoch's are returned
     * beside them). After every epoch the state is written to {@code checkpoint}, so an interrupted run continues with
     * {@code resume} exactly as if it had not stopped. With {@link TrainingRequest#retrainCollapsed} (the default), a
     * model whose predictions over the validation genes collapse to a constant (an output's variance below 1e-5) is
     * trained again with seed {@code seed + 1,000,003 × k} (k = 1, 2, 3; then the last is kept with a warning), each
     * retrain told through {@link TrainingListener#note} and recorded in the model's provenance
     * ({@code collapse_retrains}, {@code first_seed}; {@code collapsed_output} when the model kept has collapsed).
     *
     * @param request    what to train
     * @param checkpoint where the state is kept after every epoch; null for none
     * @param resume     continue from {@code checkpoint} if it exists (it must record the same run: each difference
     *                   is named in a {@link RunMismatchException})
     * @param listener   told about batches and epochs (and, through {@link TrainingListener#note}, notes such as a device fallback)
     * @return the model and its training history
     * @throws IOException                for an unreadable dataset, a damaged checkpoint or an unwritable one
     * @throws IllegalArgumentException   for a request the dataset cannot serve (the message says why)
     * @throws RunMismatchException       with {@code resume}, when {@code checkpoint} records another run
     * @throws TrainingDivergedException  when the loss stops being finite (nothing is written)
     * @throws dev.scep.nativebindings.GpuUnavailableException when the request's device is
     *                                  {@link dev.scep.runtime.Device#GPU} and no GPU works (before anything is read)
     */
    public static TrainedModel train(TrainingRequest request, Path checkpoint, boolean resume, TrainingListener listener)
            throws IOException {
        request = onDevice(request, listener);
        ScepDataset d = request.dataset();
        int[] populations = request.populationIndices();
        // a holdout split: the "test fold" of a 5-fold split is folded back into training
        Folds folds = new Folds(d.geneCount(), Math.min(5, d.geneCount()), request.validationGenes(), request.config().seed());
        int[] validation = folds.validation(0);
        boolean[] isValidation = new boolean[d.geneCount()];
        for (int g : validation) {
            isValidation[g] = true;
        }
        int[] train = IntStream.range(0, d.geneCount()).filter(g -> !isValidation[g]).toArray();
        TrainingSet set = TrainingSet.of(d, train, validation, populations, request.inputs());
        Architecture arch = request.kind().architecture(populations.length, set.halfLifeFeatures().size(), d.geometry().length());
        listener.note(String.format("%,d training and %,d validation genes, %d output(s), %d epochs, %d threads",
                train.length, validation.length, populations.length, request.config().epochs(), request.config().threads()));
        return CollapseCheck.train(set, arch, request.config(), checkpoint, resume, request.retrainCollapsed(), "the model",
                listener);
    }

    /**
     * The checkpoint files {@link #train} may leave for one {@code checkpoint}: that file and, when a collapsed model
     * was trained again, one per retrain ({@code CHECKPOINT.retrain-K}); remove them all once the model is written.
     *
     * @param checkpoint the checkpoint given to {@link #train}
     * @return the files (they may not exist)
     */
    public static java.util.List<Path> checkpointFiles(Path checkpoint) {
        return CollapseCheck.checkpoints(checkpoint);
    }

    /**
     * Cross-validates as the paper does: {@code folds} folds over genes (seeded), {@code replicates} models per fold
     * averaged, an out-of-fold prediction for every gene. Writes {@code out/manifest.tsv} (the run's parameters),
     * {@code out/models/fold-NN.scep} (with {@link TrainingRequest#keepLast}, {@code fold-NN.last.scep} too: the
     * ensemble of the replicates' last-epoch weights), {@code out/predictions.tsv}, {@code out/metrics.tsv} and
     * {@code out/report.html}. A replicate whose predictions collapse is trained again as in {@link #train}; the notes
     * say so, and {@code metrics.tsv} lists it in a {@code collapse_retrained} row (or {@code collapsed_kept}, when the
     * replicate kept has collapsed), fold column {@code fold-NN-replicate-R}, value = retrains.
     *
     * @param request    what to train (its {@code validationGenes} come from each fold's non-test genes)
     * @param folds      folds, at least 2 (the paper: 20)
     * @param replicates models per fold, at least 1 (the paper: 5)
     * @param out        the output folder (created when its parent exists)
     * @param resume     keep the finished folds and replicates in {@code out} and continue the rest; without it a
     *                   folder that already holds models is refused
     * @param listener   told about folds, replicates, batches and epochs
     * @return the predictions and their evaluation
     * @throws IOException              for unreadable input or unwritable output
     * @throws RunMismatchException     when {@code out} holds models of another run
     * @throws IllegalArgumentException for a request the dataset cannot serve, fewer than 2 or more folds than genes,
     *                                  or, without {@code resume}, an {@code out} that already holds models
     * @throws TrainingDivergedException when a replicate's loss stops being finite (the finished models are kept)
     * @throws dev.scep.nativebindings.GpuUnavailableException when the request's device is
     *                                  {@link dev.scep.runtime.Device#GPU} and no GPU works (before anything is read)
     */
    public static CrossValidationResult crossValidate(TrainingRequest request, int folds, int replicates, Path out,
                                                      boolean resume, CrossValidation.Listener listener) throws IOException {
        return crossValidate(request, folds, replicates, dev.scep.train.cv.Split.SCEP, out, resume, listener);
    }

    /**
     * Cross-validates with a chosen split: as {@link #crossValidate(TrainingRequest, int, int, Path, boolean,
     * CrossValidation.Listener)}, with {@link dev.scep.train.cv.Split#SCEP_PAPER} giving the original scEP pipeline's
     * folds and validation genes exactly (compare with the paper gene for gene).
     *
     * @param request    what to train
     * @param folds      folds, at least 2 (the paper: 20)
     * @param replicates models per fold, at least 1 (the paper: 5)
     * @param split      how genes are split into folds and validation genes
     * @param out        the output folder (created when its parent exists)
     * @param resume     keep the finished folds and replicates in {@code out} and continue the rest
     * @param listener   told about folds, replicates, batches and epochs
     * @return the predictions and their evaluation
     * @throws IOException              for unreadable input or unwritable output
     * @throws RunMismatchException     when {@code out} holds models of another run
     * @throws IllegalArgumentException for a request the dataset cannot serve, fewer than 2 or more folds than genes,
     *                                  or, without {@code resume}, an {@code out} that already holds models
     * @throws TrainingDivergedException when a replicate's loss stops being finite (the finished models are kept)
     * @throws dev.scep.nativebindings.GpuUnavailableException when the request's device is
     *                                  {@link dev.scep.runtime.Device#GPU} and no GPU works (before anything is read)
     */
    public static CrossValidationResult crossValidate(TrainingRequest request, int folds, int replicates,
                                                      dev.scep.train.cv.Split split, Path out,
                                                      boolean resume, CrossValidation.Listener listener) throws IOException {
        request = onDevice(request, listener);
        if (!resume && Files.isDirectory(out.resolve("models"))) {
            try (var files = Files.list(out.resolve("models"))) {
                if (files.findAny().isPresent()) {
                    throw new IllegalArgumentException(out + " already holds models: pass --resume to continue that run"
                            + " (resume = true), or choose another output folder (--out)");
                }
            }
        }
        ScepDataset d = request.dataset();
        int[] populations = request.populationIndices();
        CrossValidation.Options o = options(request, folds, replicates, split);
        listener.note(String.format("%,d genes, %d folds x %d replicates (%s split), %d output(s), %d epochs, %d threads",
                d.geneCount(), folds, replicates, split.label(), populations.length, request.config().epochs(),
                request.config().threads()));
        CvPredictions p = CrossValidation.run(d, populations, o, out, listener);
        Path dataset = d.file();
        p.write(out.resolve("predictions.tsv"), dataset);
        Evaluation e = Evaluation.of(p, null);
        java.util.List<java.util.List<String>> rows = new java.util.ArrayList<>();
        for (CrossValidation.Collapse c : CrossValidation.collapses(out, folds)) {
            String where = String.format("fold-%02d-replicate-%d", c.fold() + 1, c.replicate() + 1);
            rows.add(java.util.List.of(c.stillCollapsed() ? "collapsed_kept" : "collapse_retrained", where,
                    Integer.toString(c.retrains())));
        }
        e.writeFiles(out, p, "scep cv of " + dataset.getFileName(), rows, dataset);
        return new CrossValidationResult(p, e);
    }

    private static CrossValidation.Options options(TrainingRequest request, int folds, int replicates,
                                                   dev.scep.train.cv.Split split) {
        return new CrossValidation.Options(folds, replicates, request.validationGenes(), request.config().seed(),
                request.config(), request.kind(), request.inputs(), split, request.retrainCollapsed(), request.keepLast());
    }

    /**
     * A cross-validation split into tasks, step 1 of 3: records the run in {@code out} (as {@link #crossValidate}
     * would) and lists the (fold, replicate) pairs still to train. Step 2 is {@link #trainReplicate} for each pair,
     * anywhere {@code out} is visible and in any order; step 3 is {@link #crossValidate} with {@code resume}, which
     * finds every replicate trained and writes the same files as a run on one machine.
     *
     * @param request    what to train
     * @param folds      folds, at least 2
     * @param replicates models per fold, at least 1
     * @param split      how genes are split
     * @param out        the output folder (created when its parent exists)
     * @return {fold, replicate} pairs, 0-based, not trained yet
     * @throws IOException          when the folder cannot be read or written
     * @throws RunMismatchException when {@code out} holds models of another run
     */
    public static java.util.List<int[]> pendingReplicates(TrainingRequest request, int folds, int replicates,
                                                          dev.scep.train.cv.Split split, Path out) throws IOException {
        return CrossValidation.pendingReplicates(request.dataset(), request.populationIndices(),
                options(request, folds, replicates, split), out);
    }

    /**
     * Step 2 of a cross-validation split into tasks ({@link #pendingReplicates}): trains one replicate of one fold
     * into {@code out/models}, as {@link #crossValidate} would, unless it is there already.
     *
     * @param request    what to train (the same as step 1's)
     * @param folds      folds
     * @param replicates models per fold
     * @param split      how genes are split
     * @param out        the output folder step 1 recorded
     * @param fold       0-based fold
     * @param replicate  0-based replicate
     * @param listener   told about batches, epochs and notes
     * @throws IOException          for unreadable input or unwritable output
     * @throws RunMismatchException when {@code out} records another run
     */
    public static void trainReplicate(TrainingRequest request, int folds, int replicates, dev.scep.train.cv.Split split,
                                      Path out, int fold, int replicate, CrossValidation.Listener listener) throws IOException {
        request = onDevice(request, listener);
        CrossValidation.trainReplicate(request.dataset(), request.populationIndices(), options(request, folds, replicates, split),
                out, fold, replicate, listener);
    }

    /**
     * The request with its device resolved once, now: GPU fails at once naming what is missing, AUTO notes a fall-back
     * to the CPU; the trainers then run on the resolved device without probing again.
     */
    private static TrainingRequest onDevice(TrainingRequest request, TrainingListener listener) {
        Consumer<String> note = listener::note;
        Device d = request.device().resolve(note);
        if (d == Device.GPU) {
            listener.note("training on the GPU");
        }
        return request.withConfig(request.config().withDevice(d));
    }
}
