package dev.scep.formats.annotation;

import java.util.List;

/**
 * The five mRNA half-life features of a transcript (DESIGN §3), as raw counts before {@code log10(x + 0.1)}:
 *
 * <ul>
 *   <li>{@code utr5_length}: exonic bases before the first coding base, in transcription orientation;</li>
 *   <li>{@code utr3_length}: exonic bases after the last coding base;</li>
 *   <li>{@code orf_length}: coding bases, i.e. the union of CDS, start_codon and stop_codon rows. GTF files (GENCODE,
 *       Ensembl, UCSC) leave the stop codon out of the CDS rows and list it separately; GFF3 files usually include it
 *       in the CDS. Either way the ORF runs from the first base of the start codon through the last base of the stop
 *       codon, and the stop codon is not also counted as 3′ UTR;</li>
 *   <li>{@code intron_length}: genomic span of the transcript minus its exonic bases;</li>
 *   <li>{@code exon_junction_density}: number of exons ÷ ORF length × 1000.</li>
 * </ul>
 *
 * UTR exons are counted only through their exonic bases (UTR rows themselves are not read: exons minus coding bases
 * define the UTRs). A non-coding transcript (no coding rows) gets 0 for both UTRs, the ORF and the density, and its
 * intron length.
 *
 * <p>Lengths are in bases; the density is in exons per 1,000 coding bases. Stateless and thread-safe.
 */
public final class HalfLifeFeatures {
    /** The feature names, in the order {@link #of} returns the values and datasets store them (immutable). */
    public static final List<String> NAMES = List.of("utr5_length", "utr3_length", "orf_length", "intron_length",
            "exon_junction_density");

    private HalfLifeFeatures() {
    }

    /**
     * The raw features of a transcript.
     *
     * @param t the transcript
     * @return a new array of the five raw values (before {@code log10(x + 0.1)}), in the order of {@link #NAMES}
     */
    public static double[] of(Transcript t) {
        long intron = t.span() - t.exonicLength();
        if (!t.isCoding()) {
            return new double[]{0, 0, 0, intron, 0};
        }
        long codingFirst = t.codingStarts()[0];
        long codingLast = t.codingEnds()[t.codingEnds().length - 1];
        long below = t.exonicBasesBelow(codingFirst);
        long above = t.exonicBasesAbove(codingLast);
        long utr5 = t.strand() == Strand.PLUS ? below : above;
        long utr3 = t.strand() == Strand.PLUS ? above : below;
        long orf = t.codingLength();
        return new double[]{utr5, utr3, orf, intron, t.exonCount() * 1000.0 / orf};
    }
}
