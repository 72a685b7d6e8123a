package dev.scep.formats.genome;

import dev.scep.formats.annotation.Strand;
import dev.scep.formats.text.TsvField;

import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The FASTA header of a TSS window, the one format that {@code scep prepare --windows-out} and
 * {@code scep dataset-info --window} write and {@code scep ism --bedgraph} reads:
 * {@code >GENE transcript=TRANSCRIPT tss=CONTIG:POSITION:STRAND}, where POSITION is the 1-based genome position of
 * the TSS base and STRAND is {@code +} or {@code -}. Immutable.
 *
 * @param id         the gene id (the record's name; no whitespace or control characters)
 * @param transcript the transcript whose TSS the window is centred on
 * @param contig     the contig, as the annotation names it
 * @param tss        1-based genome position of the TSS base
 * @param strand     the strand of transcription
 */
public record WindowHeader(String id, String transcript, String contig, long tss, Strand strand) {
    private static final Pattern TSS = Pattern.compile("(?:^|\\s)tss=([^:\\s]+):(\\d+):([+-])(?:\\s|$)");

    /** Checks the values. */
    public WindowHeader {
        TsvField.check("gene id", id);
        Objects.requireNonNull(contig, "contig");
        Objects.requireNonNull(strand, "strand");
        if (tss < 1) {
            throw new IllegalArgumentException("a TSS is a 1-based position, got " + tss);
        }
    }

    /**
     * The header line without its {@code >}.
     *
     * @return {@code GENE transcript=TRANSCRIPT tss=CONTIG:POSITION:STRAND}
     */
    public String format() {
        return id + " transcript=" + transcript + " tss=" + contig + ":" + tss + ":" + strand.symbol();
    }

    /**
     * Where a window lies: the {@code tss=} field of a FASTA record's description (the header after the id).
     *
     * @param description the header text after the record id
     * @return contig, position and strand; empty when the header has no well-formed {@code tss=} field
     */
    public static Optional<Location> location(String description) {
        Matcher m = TSS.matcher(description);
        if (!m.find()) {
            return Optional.empty();
        }
        long position;
        try {
            position = Long.parseLong(m.group(2));
        } catch (NumberFormatException e) {
            return Optional.empty();   // more digits than a long holds
        }
        return position < 1 ? Optional.empty()
                : Optional.of(new Location(m.group(1), position, m.group(3).equals("+") ? Strand.PLUS : Strand.MINUS));
    }

    /**
     * A window's TSS in the genome.
     *
     * @param contig the contig
     * @param tss    1-based position of the TSS base
     * @param strand the strand of transcription
     */
    public record Location(String contig, long tss, Strand strand) {
    }
}
