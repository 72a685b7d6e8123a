package dev.scep.train;

import dev.scep.formats.model.ScepModel;

import java.util.List;

/**
 * What training gives: the model with the weights of the epoch with the lowest validation loss (with no validation
 * genes, the last epoch's), and the model of the last epoch beside it. Immutable and safe to share between threads.
 *
 * @param model              the trained model (z-score recorded, ready to write with {@code ScepModelFile.write})
 * @param history            every epoch run, in order
 * @param bestEpoch          0-based epoch whose weights the model holds
 * @param bestValidationLoss its validation loss (MSE on z-scored targets); positive infinity with no validation genes
 * @param lastModel          the model with the last epoch's weights (provenance {@code weights = last epoch}); null
 *                           when not kept
 * @param validationVariance each output's variance of {@code model}'s predictions over the validation genes (z-scored
 *                           units; below 1e-5 the model has collapsed); empty with no validation genes
 */
public record TrainedModel(ScepModel model, List<EpochStats> history, int bestEpoch, double bestValidationLoss,
                           ScepModel lastModel, double[] validationVariance) {
    /** Copies the history and the variances. */
    public TrainedModel {
        history = List.copyOf(history);
        validationVariance = validationVariance == null ? new double[0] : validationVariance.clone();
    }

    /**
     * A result without a last-epoch model or variances.
     *
     * @param model              the trained model
     * @param history            every epoch run, in order
     * @param bestEpoch          0-based epoch whose weights the model holds
     * @param bestValidationLoss its validation loss
     */
    public TrainedModel(ScepModel model, List<EpochStats> history, int bestEpoch, double bestValidationLoss) {
        this(model, history, bestEpoch, bestValidationLoss, null, new double[0]);
    }

    /**
     * Each output's prediction variance over the validation genes.
     *
     * @return a copy
     */
    @Override
    public double[] validationVariance() {
        return validationVariance.clone();
    }
}
