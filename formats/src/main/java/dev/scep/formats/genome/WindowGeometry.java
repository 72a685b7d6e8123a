package dev.scep.formats.genome;

/**
 * Where a window lies around a TSS, in transcription orientation: {@code upstream} bases before the TSS, the TSS
 * base itself at position {@code upstream}, then {@code downstream − 1} further bases (DESIGN §3).
 */
public record WindowGeometry(int upstream, int downstream) {
    /** scEP and Xpresso: 7,000 upstream, 3,500 downstream (10,500 nt). */
    public static final WindowGeometry SCEP = new WindowGeometry(7000, 3500);

    public WindowGeometry {
        if (upstream < 0 || downstream < 1 || (long) upstream + downstream > 1 << 24) {
            throw new IllegalArgumentException("window needs upstream >= 0, downstream >= 1 and a length up to 16 Mb; got "
                    + upstream + " and " + downstream);
        }
    }

    public int length() {
        return upstream + downstream;
    }
}
