package dev.scep.formats.annotation;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Picks one transcript per gene and drops the genes scEP does not model (DESIGN §3, "Gene set"). The transcript is
 * the first that applies of: one named in a supplied list, one tagged canonical ({@code Ensembl_canonical} by
 * default), the one with the longest coding sequence (ties: longest exonic length, then first in the file).
 *
 * <p>Genes are then dropped, each for the first reason that applies: on an excluded contig (chrY by default), an
 * ERCC spike-in (contig or gene id starting with {@code ERCC}), a transgene (biotype or source {@code transgene}), or
 * without a CDS (unless non-coding genes are kept). The result is ordered by contig (first appearance in the
 * annotation), then TSS, then gene id, so the same annotation always yields the same order.
 */
public final class GeneSelection {
    /** What to select; {@link #DEFAULTS} follows the paper. */
    public record Options(Set<String> preferredTranscripts, String canonicalTag, Set<String> excludedContigs,
                          boolean keepNoncoding) {
        /** The tag GENCODE and Ensembl put on a gene's canonical transcript. */
        public static final String DEFAULT_CANONICAL_TAG = "Ensembl_canonical";
        /**
         * chrY under UCSC and Ensembl names, comma-separated as the command line takes contigs: a compile-time
         * constant, so the command line's option default is this text and not a copy of it.
         */
        public static final String DEFAULT_EXCLUDED_CONTIGS = "chrY,Y";
        public static final Options DEFAULTS = new Options(Set.of(), DEFAULT_CANONICAL_TAG,
                Set.of(DEFAULT_EXCLUDED_CONTIGS.split(",")), false);

        public Options {
            preferredTranscripts = Set.copyOf(preferredTranscripts);
            excludedContigs = Set.copyOf(excludedContigs);
        }

        public Options withKeepNoncoding(boolean keep) {
            return new Options(preferredTranscripts, canonicalTag, excludedContigs, keep);
        }
    }

    /** The chosen transcripts and, per reason, the genes dropped. */
    public record Result(List<Transcript> transcripts, Map<String, List<String>> dropped) {
        public int droppedCount() {
            return dropped.values().stream().mapToInt(List::size).sum();
        }
    }

    private GeneSelection() {
    }

    public static Result select(List<Transcript> all, Options options) {
        Map<String, List<Transcript>> byGene = new LinkedHashMap<>();
        Map<String, Integer> contigOrder = new HashMap<>();
        for (Transcript t : all) {
            byGene.computeIfAbsent(t.geneId(), g -> new ArrayList<>()).add(t);
            contigOrder.putIfAbsent(t.contig(), contigOrder.size());
        }
        List<Transcript> chosen = new ArrayList<>();
        Map<String, List<String>> dropped = new LinkedHashMap<>();
        for (Map.Entry<String, List<Transcript>> e : byGene.entrySet()) {
            Transcript t = choose(e.getValue(), options);
            String reason = dropReason(t, options);
            if (reason != null) {
                dropped.computeIfAbsent(reason, r -> new ArrayList<>()).add(e.getKey());
            } else {
                chosen.add(t);
            }
        }
        chosen.sort(Comparator.<Transcript>comparingInt(t -> contigOrder.get(t.contig()))
                .thenComparingLong(Transcript::tss).thenComparing(Transcript::geneId));
        return new Result(List.copyOf(chosen), dropped);
    }

    private static Transcript choose(List<Transcript> candidates, Options options) {
        for (Transcript t : candidates) {
            if (options.preferredTranscripts().contains(t.id())) {
                return t;
            }
        }
        if (options.canonicalTag() != null) {
            for (Transcript t : candidates) {
                if (t.tags().contains(options.canonicalTag())) {
                    return t;
                }
            }
        }
        Transcript best = candidates.get(0);
        for (Transcript t : candidates) {
            if (t.codingLength() > best.codingLength()
                    || (t.codingLength() == best.codingLength() && t.exonicLength() > best.exonicLength())) {
                best = t;
            }
        }
        return best;
    }

    private static String dropReason(Transcript t, Options options) {
        if (options.excludedContigs().contains(t.contig())) {
            return "on an excluded contig (" + String.join(", ", options.excludedContigs().stream().sorted().toList()) + ")";
        }
        if (t.contig().startsWith("ERCC") || t.geneId().startsWith("ERCC")) {
            return "ERCC spike-in";
        }
        if ("transgene".equalsIgnoreCase(t.biotype())) {
            return "transgene";
        }
        if (!t.isCoding() && !options.keepNoncoding()) {
            return "no CDS";
        }
        return null;
    }
}
