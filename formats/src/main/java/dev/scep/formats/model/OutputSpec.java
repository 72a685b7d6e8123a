package dev.scep.formats.model;

/**
 * One network output (a cell population, a tissue...). The network predicts z-scored values;
 * the reported prediction is {@code raw × std + mean} (still log10 expression).
 */
public record OutputSpec(String name, double mean, double std) {
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

    public static OutputSpec unscaled(String name) {
        return new OutputSpec(name, 0, 1);
    }

    public double unscale(double z) {
        return z * std + mean;
    }
}
