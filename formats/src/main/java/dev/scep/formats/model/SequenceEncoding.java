package dev.scep.formats.model;

import java.util.Locale;

/**
 * How a window's bases become the network's input channels, and the window's shape around the TSS.
 *
 * @param channelOrder the four bases in input-channel order, e.g. "ACTG" (scEP) or "ACGT" (Xpresso)
 * @param ambiguity    how IUPAC ambiguity codes are encoded
 * @param upstream     bases before the TSS (the TSS sits at window position {@code upstream})
 * @param downstream   bases from the TSS on, the TSS included
 */
public record SequenceEncoding(String channelOrder, AmbiguityRule ambiguity, int upstream, int downstream) {

    /** The longest window any scep model or dataset uses: 16 Mb. */
    public static final int MAX_WINDOW = 1 << 24;

    public static final SequenceEncoding SCEP = new SequenceEncoding("ACTG", AmbiguityRule.FRACTIONAL, 7000, 3500);
    public static final SequenceEncoding XPRESSO = new SequenceEncoding("ACGT", AmbiguityRule.ZERO, 7000, 3500);

    public SequenceEncoding {
        String upper = channelOrder.toUpperCase(Locale.ROOT);
        if (upper.length() != 4 || upper.chars().distinct().count() != 4 || !upper.chars().allMatch(c -> "ACGT".indexOf(c) >= 0)) {
            throw new IllegalArgumentException("channel order must be a permutation of ACGT, got '" + channelOrder + "'");
        }
        channelOrder = upper;
        if (upstream < 0 || downstream <= 0 || (long) upstream + downstream > MAX_WINDOW) {
            throw new IllegalArgumentException("window must have upstream >= 0, downstream > 0 and at most " + MAX_WINDOW
                    + " bases in all, got " + Integer.toUnsignedString(upstream) + " upstream and "
                    + Integer.toUnsignedString(downstream) + " downstream");
        }
    }

    public int windowLength() {
        return upstream + downstream;
    }

    /** Input channel of a base (one of A, C, G, T). */
    int channelOf(char base) {
        return channelOrder.indexOf(Character.toUpperCase(base));
    }
}
