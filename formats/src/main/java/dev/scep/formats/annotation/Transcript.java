package dev.scep.formats.annotation;

import java.util.Set;

/**
 * One annotated transcript. Coordinates are 1-based and inclusive, as in GTF/GFF. {@code exonStarts/exonEnds} are
 * sorted by position (lowest first, whatever the strand) and do not overlap. {@code codingStarts/codingEnds} are the
 * coding bases: the union of the CDS, start_codon and stop_codon rows, merged, so a stop codon counts once whether
 * the annotation puts it inside the CDS rows (GFF3 habit) or beside them (GTF habit). Empty for non-coding transcripts.
 *
 * <p>The arrays are shared, not copied: treat them as read-only. So treated, a transcript is immutable and safe to
 * share between threads.
 *
 * @param id           the transcript id: GTF {@code transcript_id}; GFF3 {@code transcript_id}, else the {@code ID}
 *                     without a {@code transcript:} prefix
 * @param geneId       the gene id: GTF {@code gene_id}; GFF3 the parent gene's {@code gene_id}, else its {@code ID}
 *                     without a {@code gene:} prefix
 * @param geneName     the gene symbol ({@code gene_name} or GFF3 {@code Name}), or null when the annotation has none
 * @param biotype      the first of {@code gene_type}, {@code gene_biotype}, {@code biotype}, {@code transcript_type},
 *                     {@code transcript_biotype}; {@code transgene} when the source column says so; else null
 * @param contig       the contig, as the annotation names it
 * @param strand       the strand of transcription
 * @param exonStarts   1-based first base of each exon, ascending
 * @param exonEnds     1-based last base of each exon (inclusive), in the order of {@code exonStarts}
 * @param codingStarts 1-based first base of each merged coding interval, ascending
 * @param codingEnds   1-based last base of each merged coding interval (inclusive)
 * @param tags         the {@code tag} attribute values ({@code Ensembl_canonical}, {@code basic}...), immutable
 * @param line         the 1-based line of the transcript's first row in the annotation file, for error messages
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

    /**
     * The transcription start site: first base of the first exon (plus) or last base of the last exon (minus).
     *
     * @return the 1-based genome position of the TSS base, in plus-strand coordinates
     */
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
