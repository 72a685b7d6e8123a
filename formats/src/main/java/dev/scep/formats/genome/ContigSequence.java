package dev.scep.formats.genome;

import dev.scep.formats.text.InputFormatException;

import java.io.IOException;

/**
 * Read access to one contig of a reference genome, on its plus strand. Positions here are 0-based (position 0 is the
 * contig's first base, genome position 1); intervals are half-open. Bases come as the FASTA has them: ASCII, case
 * kept, not validated.
 *
 * <p>Not thread-safe in general: a contig of an indexed FASTA reads through its {@link GenomeSource}'s single file
 * handle, so give each thread its own source. An in-memory contig may be read from several threads.
 */
public interface ContigSequence {
    /**
     * The contig's name.
     *
     * @return the name as the FASTA spells it (the header's first word)
     */
    String name();

    /**
     * The contig's length.
     *
     * @return its length in bases
     */
    long length();

    /**
     * Copies bases {@code [start, start + len)}, which must lie inside the contig, into {@code dst[off, off + len)}.
     *
     * @param start 0-based position of the first base to copy
     * @param dst   receives the bases as ASCII bytes
     * @param off   where in {@code dst} the first base goes
     * @param len   how many bases to copy
     * @throws InputFormatException naming the FASTA when the bases cannot be read through its index (a truncated file,
     *                              a stale {@code .fai})
     * @throws IOException          when the file cannot be read
     */
    void copy(long start, byte[] dst, int off, int len) throws IOException;

    /**
     * A contig held in memory (a streamed FASTA record, or an edited piece of genome).
     *
     * @param name  the contig's name
     * @param bases its bases as ASCII, held without copying
     * @return the contig
     */
    static ContigSequence of(String name, byte[] bases) {
        return new InMemory(name, bases);
    }

    /**
     * The in-memory contig of {@link #of}. {@link #copy} throws {@link IndexOutOfBoundsException} for bases outside it.
     *
     * @param name  the contig's name
     * @param bases its bases as ASCII (shared, not copied)
     */
    record InMemory(String name, byte[] bases) implements ContigSequence {
        @Override
        public long length() {
            return bases.length;
        }

        @Override
        public void copy(long start, byte[] dst, int off, int len) {
            System.arraycopy(bases, Math.toIntExact(start), dst, off, len);
        }
    }
}
