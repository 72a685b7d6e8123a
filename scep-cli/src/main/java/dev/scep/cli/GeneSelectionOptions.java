package dev.scep.cli;

import dev.scep.formats.annotation.GeneSelection;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * How a command picks one transcript per gene and which genes it drops (DESIGN §3, "Gene set"). prepare, score-variants
 * and personal all take these options, with the library's defaults ({@link GeneSelection.Options#DEFAULTS}), so that
 * the same annotation gives the same genes to a model's training set and to the variants scored with it.
 */
final class GeneSelectionOptions {
    @Option(names = "--canonical-tag", defaultValue = GeneSelection.Options.DEFAULT_CANONICAL_TAG,
            description = "Tag marking a gene's canonical transcript (default: ${DEFAULT-VALUE}).")
    String canonicalTag;

    @Option(names = "--transcripts", paramLabel = "FILE", description = "Transcript ids to prefer, one per line (overrides the tag).")
    Path transcripts;

    @Option(names = "--keep-noncoding", description = "Keep genes without a CDS (half-life features then 0 but the intron length).")
    boolean keepNoncoding;

    @Option(names = "--exclude-contigs", split = ",", defaultValue = GeneSelection.Options.DEFAULT_EXCLUDED_CONTIGS,
            paramLabel = "C1,C2", description = "Contigs whose genes are dropped (default: ${DEFAULT-VALUE}).")
    List<String> excludedContigs;

    /** The selection these options describe; reads the --transcripts list. */
    GeneSelection.Options toSelection() throws IOException {
        return new GeneSelection.Options(GeneSelection.Options.readTranscripts(transcripts), canonicalTag,
                Set.copyOf(excludedContigs), keepNoncoding);
    }
}
