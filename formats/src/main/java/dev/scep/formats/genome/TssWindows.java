package dev.scep.formats.genome;

import dev.scep.formats.annotation.Strand;
import dev.scep.formats.text.Sequences;

import java.io.IOException;

/**
 * Cuts one TSS window from a contig, following DESIGN §3 exactly: window position {@code i} (0-based, in
 * transcription orientation) holds the base at offset {@code i − upstream} from the TSS (offset 0 is the TSS base,
 * negative offsets are upstream). Stateless; safe to call from several threads on contigs that allow it.
 */
public final class TssWindows {
    /** IUPAC nucleotide codes in either case (U counts as T): the only bytes a window may hold. */
    private static final boolean[] NUCLEOTIDE = new boolean[256];

    static {
        for (char c : "ACGTURYKMSWBDHVN".toCharArray()) {
            NUCLEOTIDE[c] = true;
            NUCLEOTIDE[Character.toLowerCase(c)] = true;
        }
    }

    private TssWindows() {
    }

    /** The genome holds a byte that is not a nucleotide code ('X', '-', '*', a line break from a stale index...). */
    public static final class NotNucleotideException extends IllegalArgumentException {
        /** 1-based position on the contig of the offending byte. */
        private final long position;

        NotNucleotideException(byte b, long position) {
            super("'" + printable(b) + "' is not a nucleotide code (A, C, G, T, N or another IUPAC code)");
            this.position = position;
        }

        /**
         * Where the byte is.
         *
         * @return its 1-based position on the contig, in plus-strand coordinates
         */
        public long position() {
            return position;
        }

        private static String printable(byte b) {
            int c = b & 0xff;
            return c >= 0x21 && c < 0x7f ? String.valueOf((char) c) : String.format("\\x%02x", c);
        }
    }

    /**
     * Fills {@code dst[0, geometry.length())} with the window around {@code tss} (1-based genomic position of the TSS
     * base). Plus strand: genome {@code [tss0 − upstream, tss0 + downstream)}; minus strand: the reverse complement of
     * {@code [tss0 − downstream + 1, tss0 + upstream + 1)}, so position {@code upstream} is always the TSS base in
     * transcription orientation. Bases beyond the contig's ends are 'N'; soft-masked (lower-case) bases are upper-cased.
     *
     * @param contig   the contig the TSS lies on
     * @param tss      1-based genome position of the TSS base, in plus-strand coordinates
     * @param strand   the strand of transcription; minus-strand windows are reverse-complemented
     * @param geometry bases upstream and downstream of the TSS
     * @param dst      receives the window in {@code [0, geometry.length())}, as upper-case IUPAC codes
     * @throws NotNucleotideException   when the contig holds a byte that is not a nucleotide code
     * @throws IllegalArgumentException when the TSS itself lies outside the contig
     * @throws IOException              when the contig cannot be read (an
     *                                  {@link dev.scep.formats.text.InputFormatException} naming the FASTA for a
     *                                  truncated file or a stale index)
     */
    public static void cut(ContigSequence contig, long tss, Strand strand, WindowGeometry geometry, byte[] dst)
            throws IOException {
        long tss0 = tss - 1;
        if (tss0 < 0 || tss0 >= contig.length()) {
            throw new IllegalArgumentException("TSS " + contig.name() + ":" + tss + " lies outside the contig, which has "
                    + contig.length() + " bases");
        }
        int length = geometry.length();
        long lo = strand == Strand.PLUS ? tss0 - geometry.upstream() : tss0 - geometry.downstream() + 1;
        long hi = lo + length;
        long from = Math.max(lo, 0);
        long to = Math.min(hi, contig.length());
        int before = (int) (from - lo);
        int inside = (int) (to - from);
        java.util.Arrays.fill(dst, 0, before, (byte) 'N');
        contig.copy(from, dst, before, inside);
        java.util.Arrays.fill(dst, before + inside, length, (byte) 'N');
        for (int i = before; i < before + inside; i++) {
            byte b = dst[i];
            if (!NUCLEOTIDE[b & 0xff]) {
                throw new NotNucleotideException(b, from + (i - before) + 1);
            }
            if (b >= 'a' && b <= 'z') {
                dst[i] = (byte) (b - 32);
            }
        }
        if (strand == Strand.MINUS) {
            Sequences.reverseComplementInPlace(dst, 0, length);
        }
    }
}
