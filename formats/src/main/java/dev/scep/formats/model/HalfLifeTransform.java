package dev.scep.formats.model;

/** Transform applied to a raw half-life feature before z-scoring. */
public enum HalfLifeTransform {
    /** The value is used as given (Xpresso's inputs are already transformed). */
    IDENTITY(0),
    /** log10(x + 0.1), the scEP transform of lengths and densities (DESIGN §3). */
    LOG10_PLUS_0_1(1);

    public final int code;

    HalfLifeTransform(int code) {
        this.code = code;
    }

    public double apply(double x) {
        return this == IDENTITY ? x : Math.log10(x + 0.1);
    }

    public static HalfLifeTransform ofCode(int code) {
        for (HalfLifeTransform t : values()) {
            if (t.code == code) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown half-life transform code " + code);
    }
}
