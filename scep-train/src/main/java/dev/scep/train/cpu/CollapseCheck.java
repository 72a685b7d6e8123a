package dev.scep.train.cpu;

import dev.scep.formats.model.Architecture;
import dev.scep.formats.model.ScepModel;
import dev.scep.train.TrainedModel;
import dev.scep.train.TrainingConfig;
import dev.scep.train.TrainingListener;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The original scEP recipe's rule for collapsed models: a model whose predictions over the validation genes are
 * (nearly) constant for some output, variance below {@value #THRESHOLD} in z-scored units, is trained again with a
 * new seed ({@code seed + 1,000,003 × attempt}), at most {@value #MAX_RETRAINS} times; then the last one is kept
 * with a warning. Deterministic for a seed and thread count. Every attempt has its own checkpoint (attempt k &gt; 0:
 * {@code CHECKPOINT.retrain-k}), kept until the caller removes them ({@link #checkpoints}), so a resumed run
 * re-reads a finished attempt instead of training it again and ends with the same model.
 */
public final class CollapseCheck {
    /** An output whose prediction variance over the validation genes is below this has collapsed. */
    public static final double THRESHOLD = 1e-5;
    /** Retrains at most this often. */
    public static final int MAX_RETRAINS = 3;
    /** Seed step between attempts. */
    static final long SEED_STEP = 1_000_003L;

    private CollapseCheck() {
    }

    /** Population variance of each output over the rows of {@code y}. */
    static double[] variances(float[][] y, int outputs) {
        double[] v = new double[outputs];
        if (y.length == 0) {
            return v;
        }
        for (int o = 0; o < outputs; o++) {
            double mean = 0;
            for (float[] row : y) {
                mean += row[o];
            }
            mean /= y.length;
            double s = 0;
            for (float[] row : y) {
                double d = row[o] - mean;
                s += d * d;
            }
            v[o] = s / y.length;
        }
        return v;
    }

    /**
     * The first collapsed output.
     *
     * @param variances each output's prediction variance (empty: not checked, e.g. no validation genes)
     * @return its index, or -1 when none has collapsed
     */
    public static int collapsed(double[] variances) {
        for (int o = 0; o < variances.length; o++) {
            if (!(variances[o] >= THRESHOLD)) {
                return o;
            }
        }
        return -1;
    }

    /**
     * The seed of an attempt.
     *
     * @param seed    the first attempt's seed
     * @param attempt 0 for the first training
     * @return the seed
     */
    public static long seed(long seed, int attempt) {
        return seed + SEED_STEP * attempt;
    }

    /**
     * Every checkpoint file the attempts may use.
     *
     * @param checkpoint the first attempt's checkpoint; null for none
     * @return the paths (empty for null)
     */
    public static List<Path> checkpoints(Path checkpoint) {
        List<Path> out = new ArrayList<>();
        for (int k = 0; checkpoint != null && k <= MAX_RETRAINS; k++) {
            out.add(checkpoint(checkpoint, k));
        }
        return out;
    }

    private static Path checkpoint(Path checkpoint, int attempt) {
        return checkpoint == null || attempt == 0 ? checkpoint
                : checkpoint.resolveSibling(checkpoint.getFileName() + ".retrain-" + attempt);
    }

    /**
     * Trains, and with {@code retrain} trains again with a new seed while the model has collapsed.
     *
     * @param set        genes and targets
     * @param arch       the network
     * @param config     the recipe; its seed is the first attempt's
     * @param checkpoint the first attempt's checkpoint; null for none
     * @param resume     continue from existing checkpoints
     * @param retrain    retrain collapsed models (else a collapse is only reported)
     * @param label      what is trained, for the notes ("fold 3 replicate 2", "the model")
     * @param listener   told about batches, epochs and (as notes) each collapse
     * @return the model kept; its provenance (and its last-epoch model's) records {@code collapse_retrains} and
     * {@code first_seed} when it was retrained, and {@code collapsed_output} when it is still collapsed
     * @throws IOException for unreadable data or an unwritable checkpoint
     */
    public static TrainedModel train(TrainingSet set, Architecture arch, TrainingConfig config, Path checkpoint,
                                     boolean resume, boolean retrain, String label, TrainingListener listener)
            throws IOException {
        for (int k = 0; ; k++) {
            long seed = seed(config.seed(), k);
            TrainedModel m = new Trainer(set, arch, config.withSeed(seed)).train(checkpoint(checkpoint, k), resume, listener);
            int o = collapsed(m.validationVariance());
            if (o < 0) {
                return k == 0 ? m : annotate(m, k, config.seed(), null);
            }
            String what = String.format("%s collapsed (variance %.3g of output %s)", label, m.validationVariance()[o],
                    set.outputs().get(o).name());
            if (!retrain) {
                listener.note(what + "; kept (retraining collapsed models is off)");
                return annotate(m, k, config.seed(), set.outputs().get(o).name());
            }
            if (k == MAX_RETRAINS) {
                listener.note("warning: " + what + " after " + MAX_RETRAINS + " retrains; keeping the last");
                return annotate(m, k, config.seed(), set.outputs().get(o).name());
            }
            listener.note(what + ": retrained with seed " + seed(config.seed(), k + 1) + " (retrain " + (k + 1) + " of at most "
                    + MAX_RETRAINS + ")");
        }
    }

    private static TrainedModel annotate(TrainedModel m, int retrains, long firstSeed, String collapsedOutput) {
        return new TrainedModel(annotate(m.model(), retrains, firstSeed, collapsedOutput), m.history(), m.bestEpoch(),
                m.bestValidationLoss(), annotate(m.lastModel(), retrains, firstSeed, collapsedOutput), m.validationVariance());
    }

    private static ScepModel annotate(ScepModel m, int retrains, long firstSeed, String collapsedOutput) {
        if (m == null) {
            return null;
        }
        Map<String, String> p = new LinkedHashMap<>(m.provenance());
        if (retrains > 0) {
            p.put("collapse_retrains", Integer.toString(retrains));
            p.put("first_seed", Long.toString(firstSeed));
        }
        if (collapsedOutput != null) {
            p.put("collapsed_output", collapsedOutput);
        }
        return new ScepModel(m.architecture(), m.encoding(), m.outputs(), m.halfLifeFeatures(), p, m.members());
    }
}
