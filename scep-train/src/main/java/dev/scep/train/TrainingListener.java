package dev.scep.train;

/** Told how training goes; every callback is optional and called on the training thread. */
public interface TrainingListener {
    /**
     * A batch finished.
     *
     * @param epoch       0-based epoch
     * @param batchesDone batches finished in this epoch
     * @param batches     batches per epoch
     * @param runningLoss mean training loss (MSE on z-scored targets) over this epoch's batches so far
     */
    default void batch(int epoch, int batchesDone, int batches, double runningLoss) {
    }

    /**
     * An epoch finished.
     *
     * @param stats its losses, learning rate and time
     */
    default void epoch(EpochStats stats) {
    }

    /**
     * Something worth telling a user before or during the run, in words (sizes, a device fallback).
     *
     * @param message one line
     */
    default void note(String message) {
    }
}
