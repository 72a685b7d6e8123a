package dev.scep.formats.genome;

import dev.scep.formats.annotation.Transcript;
import dev.scep.formats.text.InputFormatException;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Cuts the TSS window of every transcript in a list from a genome, contig by contig, handing each window to a sink
 * with the transcript's index in the list (windows arrive in the FASTA's contig order, not the list's).
 *
 * <p>Annotation contigs are matched to FASTA contigs by name, or by the same name with or without a {@code chr}
 * prefix ({@code chr16} ↔ {@code 16}). Transcripts on contigs the FASTA lacks are skipped and reported; a TSS beyond
 * its contig's end is an error naming the annotation line, since it means the annotation and genome disagree.
 *
 * <p>Windows follow DESIGN §3 ({@link TssWindows#cut}): window position {@code i} (0-based, transcription
 * orientation) holds the base at offset {@code i − upstream} from the TSS. {@link #cut} works on the calling thread
 * and keeps no state between calls.
 */
public final class GenomeWindows {
    /** Receives the windows of {@link #cut}, one call per transcript whose contig is in the FASTA. */
    public interface Sink {
        /**
         * One window.
         *
         * @param index      the transcript's index in the list given to {@link #cut}
         * @param transcript that transcript
         * @param window     {@code geometry.length()} upper-case IUPAC bytes in transcription orientation, the TSS at
         *                   position {@code geometry.upstream()}; the array is reused after the call returns, so copy
         *                   what must be kept
         * @throws IOException to stop the cut; it propagates out of {@link #cut}
         */
        void window(int index, Transcript transcript, byte[] window) throws IOException;
    }

    /**
     * What {@link #cut} did. Immutable once returned.
     *
     * @param contigMatches  annotation contig name → FASTA contig name, for every annotation contig found in the FASTA
     * @param missingContigs annotation contig name → number of transcripts skipped because the FASTA lacks that contig
     * @param windows        number of windows handed to the sink
     */
    public record Report(Map<String, String> contigMatches, Map<String, Integer> missingContigs, int windows) {
        /**
         * Transcripts left out because their contig is missing from the FASTA.
         *
         * @return the sum of {@link #missingContigs()}' counts
         */
        public int skipped() {
            return missingContigs.values().stream().mapToInt(Integer::intValue).sum();
        }
    }

    private GenomeWindows() {
    }

    /**
     * Cuts the TSS window of every transcript whose contig the FASTA has.
     *
     * @param genome      the reference genome
     * @param annotation  the annotation file the transcripts were read from, named in error messages
     * @param transcripts the transcripts; TSS and exons in 1-based plus-strand coordinates ({@link Transcript})
     * @param geometry    bases upstream and downstream of the TSS
     * @param sink        receives each window, in the FASTA's contig order
     * @return which contigs matched and which were missing
     * @throws InputFormatException naming the annotation file and line when a transcript's TSS or exons lie beyond the
     *                              end of its contig; naming the FASTA when a window holds a byte that is not a
     *                              nucleotide code (with contig and 1-based position), when one annotation contig
     *                              matches two FASTA contigs, when none of the annotation's contigs is in the FASTA,
     *                              or when the FASTA is malformed
     * @throws IOException          when the FASTA cannot be read, or as thrown by the sink
     */
    public static Report cut(GenomeSource genome, Path annotation, List<Transcript> transcripts, WindowGeometry geometry,
                             Sink sink) throws IOException {
        Map<String, List<Integer>> byContig = new LinkedHashMap<>();
        for (int i = 0; i < transcripts.size(); i++) {
            byContig.computeIfAbsent(transcripts.get(i).contig(), c -> new ArrayList<>()).add(i);
        }
        Set<String> wanted = new HashSet<>();
        for (String c : byContig.keySet()) {
            wanted.add(c);
            wanted.add(toggleChr(c));
        }
        Map<String, String> matched = new LinkedHashMap<>();
        byte[] window = new byte[geometry.length()];
        int[] count = {0};
        genome.visit(wanted, contig -> {
            for (String annotated : List.of(contig.name(), toggleChr(contig.name()))) {
                List<Integer> indices = byContig.get(annotated);
                if (indices == null) {
                    continue;
                }
                String previous = matched.putIfAbsent(annotated, contig.name());
                if (previous != null) {
                    throw new InputFormatException(genome.file(), 0, "annotation contig " + annotated
                            + " matches two FASTA contigs, " + previous + " and " + contig.name() + "; rename one");
                }
                for (int i : indices) {
                    Transcript t = transcripts.get(i);
                    if (t.tss() > contig.length()) {
                        throw new InputFormatException(annotation, t.line(), "TSS of " + t.id() + " at " + t.contig() + ":"
                                + t.tss() + " lies beyond the end of contig " + contig.name() + " (" + contig.length()
                                + " bases) in " + genome.file() + ": is the FASTA truncated, or from another genome build?");
                    }
                    long first = t.exonStarts()[0];
                    long last = t.exonEnds()[t.exonEnds().length - 1];
                    if (last > contig.length()) {
                        // exons past the contig's end would give a wrong window and absurd half-life features
                        throw new InputFormatException(annotation, t.line(), "transcript " + t.id() + " spans " + t.contig()
                                + ":" + first + "-" + last + ", beyond the end of contig " + contig.name() + " ("
                                + contig.length() + " bases) in " + genome.file()
                                + ": is the FASTA truncated, or from another genome build?");
                    }
                    try {
                        TssWindows.cut(contig, t.tss(), t.strand(), geometry, window);
                    } catch (TssWindows.NotNucleotideException e) {
                        throw new InputFormatException(genome.file(), 0, "contig " + contig.name() + ", position "
                                + e.position() + " (in the window of " + t.id() + "): " + e.getMessage()
                                + (genome instanceof IndexedFasta ? "; if the FASTA was edited, rebuild its index (samtools faidx)" : ""));
                    }
                    sink.window(i, t, window);
                    count[0]++;
                }
            }
        });
        Map<String, Integer> missing = new LinkedHashMap<>();
        for (Map.Entry<String, List<Integer>> e : byContig.entrySet()) {
            if (!matched.containsKey(e.getKey())) {
                missing.put(e.getKey(), e.getValue().size());
            }
        }
        if (count[0] == 0 && !transcripts.isEmpty()) {
            List<String> fastaContigs = genome.contigNames();
            throw new InputFormatException(genome.file(), 0, "none of the annotation's contigs " + head(byContig.keySet())
                    + " is in this FASTA (its contigs: " + head(fastaContigs) + "); are the genome and annotation from the same build?");
        }
        return new Report(matched, missing, count[0]);
    }

    /**
     * The contig's name in the other common convention: "chr" removed (UCSC → Ensembl) or added.
     *
     * @param contig a contig name
     * @return {@code chr16} for {@code 16}, {@code 16} for {@code chr16}
     */
    public static String toggleChr(String contig) {
        return contig.startsWith("chr") ? contig.substring(3) : "chr" + contig;
    }

    private static String head(java.util.Collection<String> names) {
        List<String> l = new ArrayList<>(names);
        return l.size() <= 5 ? l.toString() : l.subList(0, 5) + " and " + (l.size() - 5) + " more";
    }

}
