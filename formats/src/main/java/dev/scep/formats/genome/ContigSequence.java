package dev.scep.formats.genome;

import java.io.IOException;

/** Read access to one contig of a reference genome; positions are 0-based. */
public interface ContigSequence {
    /** The contig's name as the FASTA spells it. */
    String name();

    long length();

    /** Copies bases {@code [start, start + len)}, which must lie inside the contig, into {@code dst[off...]}. */
    void copy(long start, byte[] dst, int off, int len) throws IOException;

    /** A contig held in memory (a streamed FASTA record, or an edited piece of genome). */
    static ContigSequence of(String name, byte[] bases) {
        return new InMemory(name, bases);
    }

    /** The in-memory contig of {@link #of}. */
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
