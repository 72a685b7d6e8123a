package dev.scep.train.cpu;

import java.io.IOException;

/**
 * Where a training run's arithmetic runs: the CPU (this package's {@link TrainingNetwork} on worker threads) or a GPU
 * ({@code dev.scep.train.gpu.GpuEngine}). {@link Trainer} owns the loop around it (epochs, the shuffle, the plateau
 * scheduler, best-validation weights, checkpoints, divergence checks), so both devices follow one recipe and write one
 * kind of checkpoint, which either can resume.
 *
 * <p>An engine holds the live weights and Adam's state; the trainer hands them over with {@link #load} and takes them
 * back with {@link #store} (at each epoch's end, for checkpoints and the best weights).
 */
public interface TrainingEngine extends AutoCloseable {
    /**
     * The engine in a few words, for the model's provenance ("CPU, vector-256", "GPU, NVIDIA H200").
     *
     * @return the description
     */
    String description();

    /**
     * Takes the weights and optimiser state the next steps continue from.
     *
     * @param params the weights
     * @param adam   Adam's moments and step count
     */
    void load(Parameters params, Adam adam);

    /**
     * The gradient of batch {@code batch} of an epoch (genes {@code order[batch × size, …)}, dropout keyed by epoch and
     * position as {@link Trainer} keys it), kept for {@link #update}.
     *
     * @param epoch     0-based epoch
     * @param order     the epoch's gene order
     * @param batch     0-based batch
     * @param batchSize genes per batch (the last batch may be smaller)
     * @return the batch's sum of squared errors (z-scored units), before the update
     * @throws IOException when the run is interrupted
     */
    double gradients(int epoch, int[] order, int batch, int batchSize) throws IOException;

    /**
     * One Adam step with the last gradient.
     *
     * @param learningRate the current learning rate
     */
    void update(double learningRate);

    /**
     * After an update: the first weight or Adam moment that is NaN or infinite, in words, or null.
     *
     * @return "weight tensor 'x' became non-finite ..." or null
     */
    String nonFinite();

    /**
     * Copies the live weights and optimiser state into these (the trainer's own objects).
     *
     * @param params the weights to overwrite
     * @param adam   the optimiser state to overwrite
     */
    void store(Parameters params, Adam adam);

    /**
     * The sum of squared errors (z-scored targets, no dropout, double precision) of {@code weights} over {@code genes}.
     *
     * @param weights the weights to evaluate
     * @param genes   dataset genes
     * @return the sum over genes and outputs
     * @throws IOException when the run is interrupted
     */
    double sumSquaredError(Parameters weights, int[] genes) throws IOException;

    /**
     * Predictions (z-scored, no dropout) of {@code weights} for {@code genes}.
     *
     * @param weights the weights to predict with (the live ones, or others such as the best epoch's)
     * @param genes   dataset genes
     * @return one row of outputs per gene
     * @throws IOException when the run is interrupted
     */
    float[][] predict(Parameters weights, int[] genes) throws IOException;

    @Override
    void close();
}
