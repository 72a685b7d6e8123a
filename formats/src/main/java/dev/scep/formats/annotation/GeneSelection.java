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
    /**
     * What to select; {@link #DEFAULTS} follows the paper. Immutable.
     *
     * @param preferredTranscripts transcript ids to take where a gene has one of them ({@code --transcripts})
     * @param canonicalTag         the tag that marks a canonical transcript, or null to ignore tags
     * @param excludedContigs      contigs whose genes are dropped
     * @param keepNoncoding        whether genes without a CDS are kept
     */
    public record Options(Set<String> preferredTranscripts, String canonicalTag, Set<String> excludedContigs,
                          boolean keepNoncoding) implements java.io.Serializable {
        /** The tag GENCODE and Ensembl put on a gene's canonical transcript. */
        public static final String DEFAULT_CANONICAL_TAG = "Ensembl_canonical";
        /**
         * chrY under UCSC and Ensembl names, comma-separated as the command line takes contigs: a compile-time
         * constant, so the command line's option default is this text and not a copy of it.
         */
        public static final String DEFAULT_EXCLUDED_CONTIGS = "chrY,Y";
        /** The paper's gene set: canonical transcripts, chrY dropped, coding genes only; what every command uses. */
        public static final Options DEFAULTS = new Options(Set.of(), DEFAULT_CANONICAL_TAG,
                Set.of(DEFAULT_EXCLUDED_CONTIGS.split(",")), false);

        /** Copies the sets. */
        public Options {
            preferredTranscripts = Set.copyOf(preferredTranscripts);
            excludedContigs = Set.copyOf(excludedContigs);
        }

        /**
         * These options with non-coding genes kept or dropped.
         *
         * @param keep whether genes without a CDS are kept
         * @return a changed copy
         */
        public Options withKeepNoncoding(boolean keep) {
            return new Options(preferredTranscripts, canonicalTag, excludedContigs, keep);
        }

        /**
         * Reads a list of transcript ids to prefer ({@code --transcripts}): one per line, plain or gzip; blank lines and
         * {@code #} lines are skipped, ids stripped.
         *
         * @param file the list, or null for none
         * @return the ids (empty for null)
         * @throws java.io.IOException when the file cannot be read
         */
        public static Set<String> readTranscripts(java.nio.file.Path file) throws java.io.IOException {
            Set<String> ids = new java.util.HashSet<>();
            if (file != null) {
                try (var lines = new java.io.BufferedReader(new java.io.InputStreamReader(dev.scep.formats.text.TextInput.open(file),
                        java.nio.charset.StandardCharsets.UTF_8)).lines()) {
                    lines.filter(l -> !l.isBlank() && !l.startsWith("#")).forEach(l -> ids.add(l.strip()));
                }
            }
            return ids;
        }
    }

    /**
     * The chosen transcripts and, per reason, the genes dropped.
     *
     * @param transcripts one per kept gene, ordered by contig (first appearance), TSS, gene id
     * @param dropped     per reason in words, the gene ids dropped for it
     */
    public record Result(List<Transcript> transcripts, Map<String, List<String>> dropped) {
        /**
         * How many genes were dropped.
         *
         * @return the count over every reason
         */
        public int droppedCount() {
            return dropped.values().stream().mapToInt(List::size).sum();
        }
    }

    private GeneSelection() {
    }

    /**
     * Selects the gene set.
     *
     * @param all     every transcript of an annotation ({@link AnnotationReader#read})
     * @param options what to select
     * @return the kept transcripts and the dropped genes
     */
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
