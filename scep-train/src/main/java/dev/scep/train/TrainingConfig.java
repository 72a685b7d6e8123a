package dev.scep.train;

/**
 * The training recipe; {@link #PAPER} is the scEP paper's (DESIGN §3): Adam at 5e-4, batch 128, ReduceLROnPlateau
 * (factor 0.1, patience 5), 40 epochs, keeping the weights with the lowest validation loss.
 *
 * @param threads worker threads; results are bit-for-bit reproducible for a given seed and thread count
 */
public record TrainingConfig(int epochs, int batchSize, double learningRate, double plateauFactor, int plateauPatience,
                             long seed, int threads) {
    public static final TrainingConfig PAPER = new TrainingConfig(40, 128, 5e-4, 0.1, 5, 1,
            Runtime.getRuntime().availableProcessors());

    public TrainingConfig {
        if (epochs < 1 || batchSize < 1 || !(learningRate > 0 && Double.isFinite(learningRate)) || threads < 1
                || plateauPatience < 0 || !(plateauFactor > 0 && plateauFactor < 1)) {
            throw new IllegalArgumentException("invalid training configuration: " + epochsText(epochs, batchSize, learningRate, threads));
        }
    }

    private static String epochsText(int epochs, int batch, double lr, int threads) {
        return "epochs " + epochs + ", batch " + batch + ", learning rate " + lr + ", threads " + threads;
    }

    /**
     * The recipe as run parameters (epochs, batch, lr, plateau_factor, plateau_patience, threads), in the form that
     * checkpoints and cross-validation manifests record and compare; the seed is the caller's, as it differs per run.
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

    public TrainingConfig withEpochs(int e) {
        return new TrainingConfig(e, batchSize, learningRate, plateauFactor, plateauPatience, seed, threads);
    }

    public TrainingConfig withSeed(long s) {
        return new TrainingConfig(epochs, batchSize, learningRate, plateauFactor, plateauPatience, s, threads);
    }

    public TrainingConfig withThreads(int t) {
        return new TrainingConfig(epochs, batchSize, learningRate, plateauFactor, plateauPatience, seed, t);
    }
}
