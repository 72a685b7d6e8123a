package dev.scep.formats.model;

/**
 * One half-life input: raw value x becomes {@code (transform(x) - mean) / std} before it enters the network. Immutable.
 *
 * @param name      the feature's name (e.g. {@code utr5_length}), matched against half-life table columns
 * @param transform applied to the raw value first
 * @param mean      the mean of the transformed value over the training genes
 * @param std       the standard deviation of the transformed value over the training genes, positive
 */
public record HalfLifeFeature(String name, HalfLifeTransform transform, double mean, double std) {
    /**
     * Checks the values.
     *
     * @throws IllegalArgumentException when the name is empty or holds a tab, line break or other control character,
     *                                  or the mean or std is not finite, or the std is not positive
     */
    public HalfLifeFeature {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("half-life feature name must not be empty");
        }
        dev.scep.formats.text.TsvField.check("half-life feature name", name);
        if (!Double.isFinite(mean) || !Double.isFinite(std) || std <= 0) {
            throw new IllegalArgumentException("half-life feature " + name + ": needs a finite mean and a positive std");
        }
    }

    /**
     * A feature the network takes as it is given (Xpresso's, already transformed and scaled).
     *
     * @param name the feature's name
     * @return the feature with {@link HalfLifeTransform#IDENTITY}, mean 0 and std 1
     */
    public static HalfLifeFeature raw(String name) {
        return new HalfLifeFeature(name, HalfLifeTransform.IDENTITY, 0, 1);
    }

    /**
     * The value the network receives.
     *
     * @param raw the raw feature value
     * @return {@code (transform(raw) - mean) / std}
     */
    public float normalise(double raw) {
        return (float) ((transform.apply(raw) - mean) / std);
    }
}
