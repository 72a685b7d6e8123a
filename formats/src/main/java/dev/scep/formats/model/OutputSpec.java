package dev.scep.formats.model;

/**
 * One network output (a cell population, a tissue...). The network predicts z-scored values;
 * the reported prediction is {@code raw × std + mean} (still log10 expression). Immutable.
 *
 * @param name the output's name (a population, or e.g. {@code expression}), the column name in prediction tables
 * @param mean the mean of the training targets (log10 expression)
 * @param std  the standard deviation of the training targets, positive
 */
public record OutputSpec(String name, double mean, double std) {
    /**
     * Checks the values.
     *
     * @throws IllegalArgumentException when the name is empty or holds a tab, line break or other control character,
     *                                  or the mean or std is not finite, or the std is not positive
     */
    public OutputSpec {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("output name must not be empty");
        }
        dev.scep.formats.text.TsvField.check("output name", name);
        if (!Double.isFinite(mean) || !Double.isFinite(std) || std <= 0) {
            throw new IllegalArgumentException("output " + name + ": z-score needs a finite mean and a positive std, got "
                    + mean + ", " + std);
        }
    }

    /**
     * An output reported as the network computes it (no z-score to undo).
     *
     * @param name the output's name
     * @return the output with mean 0 and std 1
     */
    public static OutputSpec unscaled(String name) {
        return new OutputSpec(name, 0, 1);
    }

    /**
     * Undoes the z-score.
     *
     * @param z the network's raw output
     * @return {@code z × std + mean}, log10 expression
     */
    public double unscale(double z) {
        return z * std + mean;
    }
}
