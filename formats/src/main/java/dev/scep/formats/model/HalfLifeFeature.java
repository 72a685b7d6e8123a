package dev.scep.formats.model;

/** One half-life input: raw value x becomes {@code (transform(x) - mean) / std} before it enters the network. */
public record HalfLifeFeature(String name, HalfLifeTransform transform, double mean, double std) {
    public HalfLifeFeature {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("half-life feature name must not be empty");
        }
        dev.scep.formats.text.TsvField.check("half-life feature name", name);
        if (!Double.isFinite(mean) || !Double.isFinite(std) || std <= 0) {
            throw new IllegalArgumentException("half-life feature " + name + ": needs a finite mean and a positive std");
        }
    }

    public static HalfLifeFeature raw(String name) {
        return new HalfLifeFeature(name, HalfLifeTransform.IDENTITY, 0, 1);
    }

    public float normalise(double raw) {
        return (float) ((transform.apply(raw) - mean) / std);
    }
}
