package dev.scep.train;

/**
 * One finished epoch. Epochs restored from a checkpoint when a run resumes carry their losses and learning rate, with
 * {@code best} false and {@code nanos} 0.
 *
 * @param epoch          0-based epoch
 * @param epochs         epochs in the run
 * @param trainLoss      mean training loss (MSE on z-scored targets)
 * @param validationLoss validation loss (MSE on z-scored targets); NaN when there are no validation genes
 * @param learningRate   the learning rate the epoch used
 * @param best           whether its validation loss is the lowest so far (its weights are kept)
 * @param nanos          wall time of the epoch, in nanoseconds
 */
public record EpochStats(int epoch, int epochs, double trainLoss, double validationLoss, double learningRate,
                         boolean best, long nanos) {
}
