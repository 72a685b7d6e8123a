package dev.scep.formats.model;

/** Transform applied to a raw half-life feature before z-scoring. */
public enum HalfLifeTransform {
    /** The value is used as given (Xpresso's inputs are already transformed). */
    IDENTITY(0),
    /** log10(x + 0.1), the scEP transform of lengths and densities (DESIGN §3). */
    LOG10_PLUS_0_1(1);

    /** The transform's code in the model file. */
    public final int code;

    HalfLifeTransform(int code) {
        this.code = code;
    }

    /**
     * Applies the transform.
     *
     * @param x a raw feature value (a length in bases, a density...)
     * @return {@code x} for {@link #IDENTITY}, {@code log10(x + 0.1)} for {@link #LOG10_PLUS_0_1}
     */
    public double apply(double x) {
        return this == IDENTITY ? x : Math.log10(x + 0.1);
    }

    /**
     * The transform a model file's code stands for.
     *
     * @param code the stored code
     * @return the transform
     * @throws IllegalArgumentException when no transform has that code
     */
    public static HalfLifeTransform ofCode(int code) {
        for (HalfLifeTransform t : values()) {
            if (t.code == code) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown half-life transform code " + code);
    }
}
