package dev.scep.formats.model;

/** How IUPAC ambiguity codes (N, R, Y, ...) become input values. */
public enum AmbiguityRule {
    /** scEP: a code covering k bases puts 1/k on each (N = 1/4 each, R = 1/2 A + 1/2 G, B = 1/3 C, G, T). */
    FRACTIONAL(0),
    /** Xpresso: only A, C, G, T are hot; every ambiguity code, N included, is all zeros. */
    ZERO(1);

    /** The rule's code in the model file. */
    public final int code;

    AmbiguityRule(int code) {
        this.code = code;
    }

    /**
     * The rule a model file's code stands for.
     *
     * @param code the stored code
     * @return the rule
     * @throws IllegalArgumentException when no rule has that code
     */
    public static AmbiguityRule ofCode(int code) {
        for (AmbiguityRule r : values()) {
            if (r.code == code) {
                return r;
            }
        }
        throw new IllegalArgumentException("unknown ambiguity rule code " + code);
    }
}
