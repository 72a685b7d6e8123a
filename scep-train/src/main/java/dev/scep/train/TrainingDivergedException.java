package dev.scep.train;

/**
 * A training run diverged: a quantity that must stay finite (the training loss of a batch, a weight tensor or an
 * optimiser moment after an update, the validation loss of an epoch) became NaN or infinite. The trainer throws
 * it at the first such value, before anything else is written: the run returns no model, and the checkpoint of the
 * last good epoch is left as it was.
 *
 * <p>The usual cause is a learning rate too high for the data; a loss that is not finite before the first update
 * comes from the data instead (non-finite targets or half-life features), and the message says so.
 */
public final class TrainingDivergedException extends RuntimeException {
    /** The epoch, counted from 1. */
    private final int epoch;
    /** The batch within the epoch, counted from 1, or 0 for the validation at the end of the epoch. */
    private final int batch;
    /** Batches per epoch. */
    private final int batches;
    /** What became non-finite, as a phrase. */
    private final String quantity;
    /** The learning rate of the epoch. */
    private final double learningRate;
    /** Whether no update had been made yet. */
    private final boolean beforeFirstUpdate;

    /**
     * The divergence; the message is built from the values (where, when, what, and the likely cause).
     *
     * @param epoch             the epoch, counted from 1
     * @param batch             the batch within the epoch, counted from 1, or 0 for the end of the epoch (validation)
     * @param batches           batches per epoch
     * @param quantity          what became non-finite, e.g. "the training loss is non-finite (NaN)"
     * @param learningRate      the learning rate of the epoch
     * @param beforeFirstUpdate whether no update had been made yet (then the learning rate is not the cause)
     */
    public TrainingDivergedException(int epoch, int batch, int batches, String quantity, double learningRate,
                                     boolean beforeFirstUpdate) {
        super(message(epoch, batch, batches, quantity, learningRate, beforeFirstUpdate));
        this.epoch = epoch;
        this.batch = batch;
        this.batches = batches;
        this.quantity = quantity;
        this.learningRate = learningRate;
        this.beforeFirstUpdate = beforeFirstUpdate;
    }

    private static String message(int epoch, int batch, int batches, String quantity, double lr, boolean beforeFirstUpdate) {
        String where = batch > 0 ? "epoch " + epoch + ", batch " + batch + " of " + batches
                : "epoch " + epoch + " (validation, after its " + batches + " batches)";
        String when = beforeFirstUpdate ? ", before any update" : ", at learning rate " + lr;
        String advice = beforeFirstUpdate
                ? "the learning rate is not the cause: the dataset's targets or half-life features hold non-finite values"
                : "try a lower --learning-rate";
        return "training diverged in " + where + when + ": " + quantity + "; training stopped without writing a model,"
                + " and the last checkpoint is left as it was: " + advice;
    }

    /**
     * The epoch, counted from 1.
     *
     * @return the epoch
     */
    public int epoch() {
        return epoch;
    }

    /**
     * The batch within the epoch, counted from 1; 0 when the validation loss of the epoch was not finite.
     *
     * @return the batch, or 0
     */
    public int batch() {
        return batch;
    }

    /**
     * Batches per epoch.
     *
     * @return the batch count
     */
    public int batches() {
        return batches;
    }

    /**
     * What became non-finite, as a phrase: "the training loss is non-finite (NaN)", "weight tensor 'conv1.weight'
     * became non-finite in the update (NaN at index 0 of 3072)", "the validation loss is non-finite (Infinity)".
     *
     * @return the phrase
     */
    public String quantity() {
        return quantity;
    }

    /**
     * The learning rate of the epoch (the scheduler may have lowered it from the recipe's).
     *
     * @return the learning rate
     */
    public double learningRate() {
        return learningRate;
    }

    /**
     * Whether the run had made no update yet: then the data, not the learning rate, is at fault.
     *
     * @return true before the first update
     */
    public boolean beforeFirstUpdate() {
        return beforeFirstUpdate;
    }
}
