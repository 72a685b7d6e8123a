package dev.scep.formats.annotation;

import java.util.Set;

/**
 * One annotated transcript. Coordinates are 1-based and inclusive, as in GTF/GFF. {@code exonStarts/exonEnds} are
 * sorted by position (lowest first, whatever the strand) and do not overlap. {@code codingStarts/codingEnds} are the
 * coding bases: the union of the CDS, start_codon and stop_codon rows, merged, so a stop codon counts once whether
 * the annotation puts it inside the CDS rows (GFF3 habit) or beside them (GTF habit). Empty for non-coding transcripts.
 *
 * @param line the 1-based line of the transcript's first row in the annotation file, for error messages
 */
public record Transcript(String id, String geneId, String geneName, String biotype, String contig, Strand strand,
                         long[] exonStarts, long[] exonEnds, long[] codingStarts, long[] codingEnds, Set<String> tags,
                         long line) {

    int exonCount() {
        return exonStarts.length;
    }

    boolean isCoding() {
        return codingStarts.length > 0;
    }

    /** The transcription start site: first base of the first exon (plus) or last base of the last exon (minus). */
    public long tss() {
        return strand == Strand.PLUS ? exonStarts[0] : exonEnds[exonEnds.length - 1];
    }

    long exonicLength() {
        return totalLength(exonStarts, exonEnds);
    }

    long codingLength() {
        return totalLength(codingStarts, codingEnds);
    }

    /** Genomic span from the first exon's start to the last exon's end. */
    long span() {
        return exonEnds[exonEnds.length - 1] - exonStarts[0] + 1;
    }

    static long totalLength(long[] starts, long[] ends) {
        long n = 0;
        for (int i = 0; i < starts.length; i++) {
            n += ends[i] - starts[i] + 1;
        }
        return n;
    }

    /** Exonic bases strictly below genomic position {@code pos}. */
    long exonicBasesBelow(long pos) {
        long n = 0;
        for (int i = 0; i < exonStarts.length && exonStarts[i] < pos; i++) {
            n += Math.min(exonEnds[i], pos - 1) - exonStarts[i] + 1;
        }
        return n;
    }

    /** Exonic bases strictly above genomic position {@code pos}. */
    long exonicBasesAbove(long pos) {
        long n = 0;
        for (int i = exonStarts.length - 1; i >= 0 && exonEnds[i] > pos; i--) {
            n += exonEnds[i] - Math.max(exonStarts[i], pos + 1) + 1;
        }
        return n;
    }

    @Override
    public String toString() {
        return id + " (" + contig + ":" + exonStarts[0] + "-" + exonEnds[exonEnds.length - 1] + " " + strand.symbol() + ")";
    }
}
