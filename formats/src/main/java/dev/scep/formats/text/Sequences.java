package dev.scep.formats.text;

/**
 * Operations on nucleotide sequences held as ASCII bytes. Complements follow IUPAC (A↔T, C↔G, U→A, R↔Y, K↔M, B↔V,
 * D↔H; S, W and N are their own complements), case kept; other bytes are left as they are. Stateless and
 * thread-safe.
 */
public final class Sequences {
    private static final byte[] COMPLEMENT = new byte[256];

    static {
        for (int i = 0; i < 256; i++) {
            COMPLEMENT[i] = (byte) i;
        }
        String from = "ACGTURYKMBVDHSWNacgturykmbvdhswn";
        String to = "TGCAAYRMKVBHDSWNtgcaayrmkvbhdswn";
        for (int i = 0; i < from.length(); i++) {
            COMPLEMENT[from.charAt(i)] = (byte) to.charAt(i);
        }
    }

    private Sequences() {
    }

    /**
     * The complement of one base (IUPAC codes complemented, case kept; other bytes unchanged).
     *
     * @param base an ASCII base
     * @return its complement
     */
    public static byte complement(byte base) {
        return COMPLEMENT[base & 0xff];
    }

    /**
     * Reverse-complements {@code seq[from, to)} in place (IUPAC codes complemented, case kept).
     *
     * @param seq  ASCII bases
     * @param from first index of the stretch (inclusive)
     * @param to   end of the stretch (exclusive)
     */
    public static void reverseComplementInPlace(byte[] seq, int from, int to) {
        for (int i = from, j = to - 1; i <= j; i++, j--) {
            byte a = COMPLEMENT[seq[i] & 0xff];
            seq[i] = COMPLEMENT[seq[j] & 0xff];
            seq[j] = a;
        }
    }

    /**
     * The reverse complement (IUPAC codes complemented, case kept; other bytes left as they are).
     *
     * @param seq ASCII bases
     * @return a new array
     */
    public static byte[] reverseComplement(byte[] seq) {
        byte[] out = new byte[seq.length];
        for (int i = 0; i < seq.length; i++) {
            out[i] = COMPLEMENT[seq[seq.length - 1 - i] & 0xff];
        }
        return out;
    }
}
