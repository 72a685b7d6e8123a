package dev.scep.formats.model;

/** How IUPAC ambiguity codes (N, R, Y, ...) become input values. */
public enum AmbiguityRule {
    /** scEP: a code covering k bases puts 1/k on each (N = 1/4 each, R = 1/2 A + 1/2 G, B = 1/3 C, G, T). */
    FRACTIONAL(0),
    /** Xpresso: only A, C, G, T are hot; every ambiguity code, N included, is all zeros. */
    ZERO(1);

    public final int code;

    AmbiguityRule(int code) {
        this.code = code;
    }

    public static AmbiguityRule ofCode(int code) {
        for (AmbiguityRule r : values()) {
            if (r.code == code) {
                return r;
            }
        }
        throw new IllegalArgumentException("unknown ambiguity rule code " + code);
    }
}
