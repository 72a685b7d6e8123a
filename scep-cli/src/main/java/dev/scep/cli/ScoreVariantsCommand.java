package dev.scep.cli;

import dev.scep.formats.annotation.GeneSelection;
import dev.scep.formats.genome.WindowGeometry;
import dev.scep.formats.io.ScepModelFile;
import dev.scep.formats.model.ScepModel;
import dev.scep.runtime.variants.GenePanel;
import dev.scep.runtime.variants.VariantScorer;
import dev.scep.runtime.variants.VariantScoringJob;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.Callable;

@Command(name = "score-variants", description = {
        "Score every variant of a VCF/BCF (plain or bgzip) that lies in a gene's TSS window: per output, the change in",
        "predicted expression (log10, z-score undone). REF alleles are checked against the genome (mismatches counted,",
        "not scored); multi-allelic records are split; SNVs are scored incrementally, short indels by recomputing the",
        "window with the TSS kept in place; symbolic alleles are skipped and counted. Variants are ranked per gene."})
final class ScoreVariantsCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "M.scep", description = "Model file.")
    Path model;

    @Option(names = "--fasta", required = true, paramLabel = "F", description = "Genome FASTA (the build the VCF uses).")
    Path fasta;

    @Option(names = {"--gtf", "--gff"}, required = true, paramLabel = "G", description = "Annotation (GTF or GFF3).")
    Path annotation;

    @Option(names = "--vcf", required = true, paramLabel = "V", description = "Variants: VCF or BCF, plain or bgzip.")
    Path vcf;

    @Option(names = "--out", required = true, paramLabel = "S.tsv", description = "Output table (written atomically).")
    Path out;

    @Option(names = "--zero-halflife", description = "Half-life features at their training mean (e.g. for Xpresso, which takes six).")
    boolean zeroHalfLife;

    @Option(names = "--keep-noncoding", description = "Also score genes without a CDS.")
    boolean keepNoncoding;

    @Option(names = "--threads", paramLabel = "N", description = "Scoring threads (default: all processors).")
    Integer threads;

    @Mixin
    CommonOptions common;

    @Override
    public Integer call() throws Exception {
        long t0 = System.nanoTime();
        ScepModel m = ScepModelFile.read(model);
        GenePanel panel = GenePanel.load(fasta, annotation, new WindowGeometry(m.encoding().upstream(), m.encoding().downstream()),
                new GeneSelection.Options(Set.of(), "Ensembl_canonical", Set.of(), keepNoncoding));
        PrintWriter o = spec.commandLine().getOut();
        o.printf("%,d genes' windows loaded in %.1f s%n", panel.genes().size(), (System.nanoTime() - t0) / 1e9);
        o.flush();
        VariantScorer.HalfLife halfLife = zeroHalfLife ? VariantScorer.HalfLife.ZEROS : VariantScorer.HalfLife.ANNOTATION;
        VariantScorer.checkCompatible(m, panel, halfLife);
        int n = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
        if (n < 1) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--threads must be at least 1");
        }
        Progress progress = new Progress(spec.commandLine().getErr(), "score-variants: records");
        VariantScoringJob.Summary s = VariantScoringJob.run(() -> new VariantScorer(m, panel, halfLife), n, panel,
                m.outputNames(), vcf, out, (records, alleles) -> progress.update(records));
        progress.finish();
        o.printf("%,d records, %,d alleles: %,d SNVs and %,d indels scored (%,d gene effects), %,d outside gene windows,"
                        + " %,d REF mismatches, %,d symbolic skipped%s%n", s.records(), s.alleles(), s.scoredSnvs(),
                s.scoredIndels(), s.effects(), s.outsideWindows(), s.refMismatches(), s.symbolic(),
                s.skipped().isEmpty() ? "" : ", skipped " + s.skipped());
        if (s.refMismatches() > 0) {
            o.printf("REF mismatches (not scored), e.g. %s%n", s.mismatchExamples());
        }
        if (!s.contigsNotAnnotated().isEmpty()) {
            o.printf("contigs with no annotated gene: %s%n", s.contigsNotAnnotated());
        }
        o.printf("%.1f s, %,.0f alleles/s on %d threads -> %s%n", s.nanos() / 1e9, s.alleles() / (s.nanos() / 1e9), n, out);
        return 0;
    }
}
