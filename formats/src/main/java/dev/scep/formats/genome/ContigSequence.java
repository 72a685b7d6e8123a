package dev.scep.formats.genome;

import java.io.IOException;

/** Read access to one contig of a reference genome; positions are 0-based. */
public interface ContigSequence {
    /** The contig's name as the FASTA spells it. */
    String name();

    long length();

    /** Copies bases {@code [start, start + len)}, which must lie inside the contig, into {@code dst[off...]}. */
    void copy(long start, byte[] dst, int off, int len) throws IOException;
}
