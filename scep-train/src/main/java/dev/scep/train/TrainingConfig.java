package dev.scep.train;

/**
 * The training recipe; {@link #PAPER} is the scEP paper's (DESIGN §3): Adam at 5e-4, batch 128, ReduceLROnPlateau
 * (factor 0.1, patience 5), 40 epochs, keeping the weights with the lowest validation loss. The loss is the MSE on
 * z-scored targets. Immutable; the {@code with…} methods return changed copies.
 *
 * @param epochs          epochs to train, at least 1 (every training gene is seen once per epoch)
 * @param batchSize       genes per mini-batch, at least 1 (the last batch of an epoch may be smaller)
 * @param learningRate    Adam's initial learning rate, finite and positive
 * @param plateauFactor   what the learning rate is multiplied by when the validation loss stops improving, in (0, 1)
 * @param plateauPatience epochs without improvement of the validation loss (by more than a relative 1e-4) tolerated
 *                        before the learning rate is lowered, 0 or more
 * @param seed            seeds the weight initialisation, each epoch's shuffle and the dropout masks (and, through
 *                        {@link Training}, the draw of validation genes and the cross-validation folds)
 * @param threads         worker threads, at least 1; results are bit-for-bit reproducible for a given seed and thread count
 * @param device          where the batches run: {@link dev.scep.runtime.Device#CPU} (default), {@link
 *                        dev.scep.runtime.Device#GPU} (fails at once without a working GPU) or {@link
 *                        dev.scep.runtime.Device#AUTO}; not part of the recipe: a checkpoint continues on either
 */
public record TrainingConfig(int epochs, int batchSize, double learningRate, double plateauFactor, int plateauPatience,
                             long seed, int threads, dev.scep.runtime.Device device) {
    /** The paper's recipe: 40 epochs, batch 128, learning rate 5e-4, plateau factor 0.1 and patience 5, seed 1, one thread per processor. */
    public static final TrainingConfig PAPER = new TrainingConfig(40, 128, 5e-4, 0.1, 5, 1,
            Runtime.getRuntime().availableProcessors());

    /**
     * Checks the values.
     *
     * @throws IllegalArgumentException when a value is out of the range given for its component
     */
    public TrainingConfig {
        java.util.Objects.requireNonNull(device, "device");
        if (epochs < 1 || batchSize < 1 || !(learningRate > 0 && Double.isFinite(learningRate)) || threads < 1
                || plateauPatience < 0 || !(plateauFactor > 0 && plateauFactor < 1)) {
            throw new IllegalArgumentException("invalid training configuration: " + epochsText(epochs, batchSize, learningRate, threads));
        }
    }

    /**
     * A recipe that trains on the CPU.
     *
     * @param epochs          epochs to train, at least 1
     * @param batchSize       genes per mini-batch, at least 1
     * @param learningRate    Adam's initial learning rate, finite and positive
     * @param plateauFactor   the learning rate's factor on a plateau, in (0, 1)
     * @param plateauPatience epochs without improvement tolerated, 0 or more
     * @param seed            the run's seed
     * @param threads         worker threads, at least 1
     */
    public TrainingConfig(int epochs, int batchSize, double learningRate, double plateauFactor, int plateauPatience,
                          long seed, int threads) {
        this(epochs, batchSize, learningRate, plateauFactor, plateauPatience, seed, threads, dev.scep.runtime.Device.CPU);
    }

    private static String epochsText(int epochs, int batch, double lr, int threads) {
        return "epochs " + epochs + ", batch " + batch + ", learning rate " + lr + ", threads " + threads;
    }

    /**
     * The recipe as run parameters (epochs, batch, lr, plateau_factor, plateau_patience, threads), in the form that
     * checkpoints and cross-validation manifests record and compare; the seed is the caller's, as it differs per run.
     *
     * @return run parameter name → value, in that order (a new, modifiable map)
     */
    public java.util.Map<String, String> recipe() {
        java.util.Map<String, String> v = new java.util.LinkedHashMap<>();
        v.put("epochs", Integer.toString(epochs));
        v.put("batch", Integer.toString(batchSize));
        v.put("lr", Double.toString(learningRate));
        v.put("plateau_factor", Double.toString(plateauFactor));
        v.put("plateau_patience", Integer.toString(plateauPatience));
        v.put("threads", Integer.toString(threads));
        return v;
    }

    /**
     * This recipe with another number of epochs.
     *
     * @param e epochs, at least 1
     * @return a changed copy
     * @throws IllegalArgumentException when {@code e} is below 1
     */
    public TrainingConfig withEpochs(int e) {
        return new TrainingConfig(e, batchSize, learningRate, plateauFactor, plateauPatience, seed, threads, device);
    }

    /**
     * This recipe with another seed.
     *
     * @param s the seed
     * @return a changed copy
     */
    public TrainingConfig withSeed(long s) {
        return new TrainingConfig(epochs, batchSize, learningRate, plateauFactor, plateauPatience, s, threads, device);
    }

    /**
     * This recipe on another number of threads (results are reproducible for one thread count, not across counts).
     *
     * @param t worker threads, at least 1
     * @return a changed copy
     * @throws IllegalArgumentException when {@code t} is below 1
     */
    public TrainingConfig withThreads(int t) {
        return new TrainingConfig(epochs, batchSize, learningRate, plateauFactor, plateauPatience, seed, t, device);
    }

    /**
     * This recipe on another device.
     *
     * @param d where the batches run
     * @return a changed copy
     */
    public TrainingConfig withDevice(dev.scep.runtime.Device d) {
        return new TrainingConfig(epochs, batchSize, learningRate, plateauFactor, plateauPatience, seed, threads, d);
    }
}
