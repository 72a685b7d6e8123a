package dev.scep.cli;

import dev.scep.cli.OptionRules.Range;
import dev.scep.formats.genome.WindowGeometry;
import dev.scep.formats.io.ScepModelFile;
import dev.scep.formats.model.ScepModel;
import dev.scep.runtime.variants.GenePanel;
import dev.scep.runtime.variants.VariantScorer;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;

/**
 * What the VCF commands (score-variants, personal) share: model, genome, annotation and the gene selection options of
 * prepare, VCF, half-life mode, threads.
 */
final class GenomeVariantOptions {
    @Option(names = "--model", required = true, paramLabel = "M.scep", description = "Model file.")
    Path model;

    @Option(names = "--fasta", required = true, paramLabel = "F", description = "Genome FASTA (the build the VCF uses).")
    Path fasta;

    @Option(names = {"--gtf", "--gff"}, required = true, paramLabel = "G", description = "Annotation (GTF or GFF3).")
    Path annotation;

    @Option(names = "--vcf", required = true, paramLabel = "V", description = "VCF or BCF, plain or bgzip.")
    Path vcf;

    @Option(names = "--zero-halflife", description = "Half-life features at their training mean (e.g. for Xpresso, which takes six).")
    boolean zeroHalfLife;

    @Mixin
    GeneSelectionOptions selection;

    @Range(min = 1, max = 4096)
    @Option(names = "--threads", paramLabel = "N", description = "Threads (default: all processors).")
    Integer threads;

    ScepModel readModel() throws IOException {
        dev.scep.formats.io.Provenance.model(model);
        return ScepModelFile.read(model);
    }

    /** The genes, chosen by the options prepare takes, with the genome around their windows for this model. */
    GenePanel loadPanel(ScepModel m) throws IOException {
        return GenePanel.load(fasta, annotation, new WindowGeometry(m.encoding().upstream(), m.encoding().downstream()),
                selection.toSelection());
    }

    VariantScorer.HalfLife halfLife() {
        return zeroHalfLife ? VariantScorer.HalfLife.ZEROS : VariantScorer.HalfLife.ANNOTATION;
    }

    int threads(picocli.CommandLine commandLine) {
        int n = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
        if (n < 1) {
            throw new picocli.CommandLine.ParameterException(commandLine, "--threads must be at least 1");
        }
        return n;
    }
}
