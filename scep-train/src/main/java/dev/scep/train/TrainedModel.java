package dev.scep.train;

import dev.scep.formats.model.ScepModel;

import java.util.List;

/**
 * What training gives: the model with the weights of the epoch with the lowest validation loss (with no validation
 * genes, the last epoch's). Immutable and safe to share between threads.
 *
 * @param model              the trained model (z-score recorded, ready to write with {@code ScepModelFile.write})
 * @param history            every epoch run, in order
 * @param bestEpoch          0-based epoch whose weights the model holds
 * @param bestValidationLoss its validation loss (MSE on z-scored targets); positive infinity with no validation genes
 */
public record TrainedModel(ScepModel model, List<EpochStats> history, int bestEpoch, double bestValidationLoss) {
    /** Copies the history. */
    public TrainedModel {
        history = List.copyOf(history);
    }
}
