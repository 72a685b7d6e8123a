package dev.scep.runtime;

/**
 * Bases as 4-bit IUPAC masks (A = 1, C = 2, G = 4, T = 8; N = 15; 0 = no base, used for padding).
 * Case is ignored (soft-masked repeats are ordinary bases); U counts as T.
 */
public final class BaseCodes {
    /** The mask of A. */
    public static final int A = 1;
    /** The mask of C. */
    public static final int C = 2;
    /** The mask of G. */
    public static final int G = 4;
    /** The mask of T (and U). */
    public static final int T = 8;
    private static final byte INVALID = -1;
    private static final byte[] MASK = new byte[256];

    static {
        java.util.Arrays.fill(MASK, INVALID);
        String[][] codes = {
                {"A", "A"}, {"C", "C"}, {"G", "G"}, {"T", "T"}, {"U", "T"},
                {"R", "AG"}, {"Y", "CT"}, {"S", "CG"}, {"W", "AT"}, {"K", "GT"}, {"M", "AC"},
                {"B", "CGT"}, {"D", "AGT"}, {"H", "ACT"}, {"V", "ACG"}, {"N", "ACGT"}};
        for (String[] c : codes) {
            int mask = 0;
            for (char b : c[1].toCharArray()) {
                mask |= switch (b) {
                    case 'A' -> A;
                    case 'C' -> C;
                    case 'G' -> G;
                    default -> T;
                };
            }
            MASK[c[0].charAt(0)] = (byte) mask;
            MASK[Character.toLowerCase(c[0].charAt(0))] = (byte) mask;
        }
    }

    private BaseCodes() {
    }

    /**
     * The mask of an ASCII character.
     *
     * @param ascii an IUPAC code, either case
     * @return its mask, or -1 if it is not a nucleotide code
     */
    public static int mask(byte ascii) {
        return MASK[ascii & 0xff];
    }

    /**
     * Encodes a window into {@code out[offset ..]}, checking length and characters.
     *
     * @param ascii          the window, ASCII IUPAC codes in transcription orientation
     * @param expectedLength the length the model needs
     * @param out            receives one mask per base
     * @param offset         where in {@code out} position 0 goes
     * @throws InvalidSequenceException naming the first bad position and character
     */
    public static void encode(byte[] ascii, int expectedLength, byte[] out, int offset) {
        if (ascii.length != expectedLength) {
            throw new InvalidSequenceException("window has " + ascii.length + " bases, the model needs " + expectedLength, -1);
        }
        for (int i = 0; i < ascii.length; i++) {
            byte m = MASK[ascii[i] & 0xff];
            if (m == INVALID) {
                throw new InvalidSequenceException("character '" + printable(ascii[i]) + "' at window position " + i
                        + " is not a nucleotide code (expected A, C, G, T, N or another IUPAC code)", i);
            }
            out[offset + i] = m;
        }
    }

    private static String printable(byte b) {
        int c = b & 0xff;
        return c >= 0x21 && c < 0x7f ? String.valueOf((char) c) : String.format("\\x%02x", c);
    }

    /**
     * Value of input channel {@code channelBase} (one of A, C, G, T) for a mask under an ambiguity rule:
     * 1 for the base itself; for ambiguity codes 1/k under FRACTIONAL and 0 under ZERO.
     *
     * @param mask        a base mask
     * @param channelBase the channel's base mask (A, C, G or T)
     * @param rule        how ambiguity codes are encoded
     * @return the channel's value, 0 to 1
     */
    public static double channelValue(int mask, int channelBase, dev.scep.formats.model.AmbiguityRule rule) {
        if ((mask & channelBase) == 0) {
            return 0;
        }
        int k = Integer.bitCount(mask);
        if (k == 1) {
            return 1;
        }
        return rule == dev.scep.formats.model.AmbiguityRule.FRACTIONAL ? 1.0 / k : 0;
    }

    /**
     * The base masks in the channel order of an encoding ("ACTG" gives {A, C, T, G}).
     *
     * @param enc the model's encoding
     * @return four masks, one per input channel
     */
    public static int[] channelBases(dev.scep.formats.model.SequenceEncoding enc) {
        int[] out = new int[4];
        for (int ch = 0; ch < 4; ch++) {
            out[ch] = MASK[enc.channelOrder().charAt(ch)];
        }
        return out;
    }
}
