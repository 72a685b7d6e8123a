package dev.scep.formats.model;

import java.util.Locale;

/**
 * How a window's bases become the network's input channels, and the window's shape around the TSS. Window
 * positions are 0-based in transcription orientation: position {@code i} holds the base at offset
 * {@code i − upstream} from the TSS (DESIGN §3). Immutable.
 *
 * @param channelOrder the four bases in input-channel order, e.g. "ACTG" (scEP) or "ACGT" (Xpresso)
 * @param ambiguity    how IUPAC ambiguity codes are encoded
 * @param upstream     bases before the TSS (the TSS sits at window position {@code upstream})
 * @param downstream   bases from the TSS on, the TSS included
 */
public record SequenceEncoding(String channelOrder, AmbiguityRule ambiguity, int upstream, int downstream) {

    /** The longest window any scep model or dataset uses: 16 Mb. */
    public static final int MAX_WINDOW = 1 << 24;

    /** scEP: channels A, C, T, G; ambiguity codes fractional; 7,000 bases upstream, 3,500 from the TSS on. */
    public static final SequenceEncoding SCEP = new SequenceEncoding("ACTG", AmbiguityRule.FRACTIONAL, 7000, 3500);
    /** Xpresso: channels A, C, G, T; ambiguity codes (N included) all zero; 7,000 upstream, 3,500 from the TSS on. */
    public static final SequenceEncoding XPRESSO = new SequenceEncoding("ACGT", AmbiguityRule.ZERO, 7000, 3500);

    /**
     * Checks the values and upper-cases the channel order.
     *
     * @throws IllegalArgumentException when the channel order is not a permutation of ACGT, or unless
     *                                  {@code upstream >= 0}, {@code downstream > 0} and the window is at most
     *                                  {@link #MAX_WINDOW} bases long
     */
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

    /**
     * The window length.
     *
     * @return {@code upstream + downstream}, in bases
     */
    public int windowLength() {
        return upstream + downstream;
    }

    /** Input channel of a base (one of A, C, G, T). */
    int channelOf(char base) {
        return channelOrder.indexOf(Character.toUpperCase(base));
    }
}
