package dev.scep.formats.genome;

/**
 * Where a window lies around a TSS, in transcription orientation: {@code upstream} bases before the TSS, the TSS
 * base itself at position {@code upstream}, then {@code downstream − 1} further bases (DESIGN §3). Window positions
 * are 0-based: position {@code i} is transcription offset {@code i − upstream} from the TSS. Immutable.
 *
 * @param upstream   bases before the TSS (window positions {@code 0 … upstream − 1})
 * @param downstream bases from the TSS on, the TSS included (positions {@code upstream … length() − 1})
 */
public record WindowGeometry(int upstream, int downstream) {
    /** scEP and Xpresso: 7,000 upstream, 3,500 downstream (10,500 nt). */
    public static final WindowGeometry SCEP = new WindowGeometry(7000, 3500);

    /**
     * Checks the values.
     *
     * @throws IllegalArgumentException unless {@code upstream >= 0}, {@code downstream >= 1} and the window is at most
     *                                  2<sup>24</sup> bases (16 Mb) long
     */
    public WindowGeometry {
        if (upstream < 0 || downstream < 1 || (long) upstream + downstream > 1 << 24) {
            throw new IllegalArgumentException("window needs upstream >= 0, downstream >= 1 and a length up to 16 Mb; got "
                    + upstream + " and " + downstream);
        }
    }

    /**
     * The window's length.
     *
     * @return {@code upstream + downstream}, in bases
     */
    public int length() {
        return upstream + downstream;
    }
}
