package dev.scep.cli;

import dev.scep.cli.OptionRules.Output;
import dev.scep.train.prepare.DatasetPreparation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "prepare", description = {
        "Build a training set from a genome, an annotation and (optionally) expression:",
        "one transcript per gene, its TSS window, half-life features and pseudobulk targets per population.",
        "Writes D.sced and/or the text forms that 'scep predict' reads (--windows-out, --halflife-out)."})
final class PrepareCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--fasta", required = true, paramLabel = "F", description = "Genome FASTA: plain, gzip or bgzip; indexed (.fai, + .gzi for bgzip) or not.")
    Path fasta;

    @Option(names = {"--gtf", "--gff"}, required = true, paramLabel = "G", description = "Annotation: GTF or GFF3, plain or gzip.")
    Path annotation;

    @Output
    @Option(names = "--out", paramLabel = "D.sced", description = "Dataset file (written atomically).")
    Path out;

    @Output
    @Option(names = "--windows-out", paramLabel = "W.fa", description = "Also write the windows as FASTA (record name = gene id).")
    Path windowsOut;

    @Output
    @Option(names = "--halflife-out", paramLabel = "H.tsv", description = "Also write the raw half-life features as TSV.")
    Path halfLifeOut;

    @Mixin
    WindowOptions window;

    @Mixin
    GeneSelectionOptions selection;

    @Mixin
    ExpressionOptions expression;

    @Mixin
    CommonOptions common;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        if (out == null && windowsOut == null && halfLifeOut == null) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "nothing to write: give --out, --windows-out or --halflife-out");
        }
        DatasetPreparation.Options options = new DatasetPreparation.Options(fasta, annotation,
                window.geometry(), selection.toSelection(), expression.toExpression(spec.commandLine()), out, windowsOut, halfLifeOut);
        Progress progress = new Progress(err, "windows");
        DatasetPreparation.Report r = DatasetPreparation.run(options, new DatasetPreparation.Listener() {
            @Override
            public void stage(String description) {
                progress.finish();
                err.println("scep prepare: " + description);
            }

            @Override
            public void note(String message) {
                progress.finish();
                err.println("scep prepare: warning: " + message);
            }

            @Override
            public void windows(int done, int total) {
                progress.update(done, total);
            }
        });
        progress.finish();
        PrintWriter o = spec.commandLine().getOut();
        o.printf("annotation: %,d transcripts, %,d genes selected%s%n", r.transcripts(), r.selection().transcripts().size(),
                r.selection().dropped().isEmpty() ? "" : "; dropped " + describeDropped(r));
        if (r.pseudobulk() != null) {
            o.printf("expression: %,d genes × %,d cells (%,d annotated); annotated genes matched: %s%s%n",
                    r.pseudobulk().geneIds().size(), r.pseudobulk().matrixCells(), r.pseudobulk().annotatedCells(), r.matches(),
                    r.unmatchedGenes().isEmpty() ? "" : ", left out " + r.unmatchedGenes().size());
            ExpressionOptions.printPopulations(o, r.pseudobulk().populations());
        }
        if (r.windows().skipped() > 0) {
            o.printf("genome: %,d genes on contigs missing from the FASTA left out: %s%n", r.windows().skipped(), r.windows().missingContigs());
        }
        o.printf("wrote %,d genes × %,d nt windows%s%s%s%n", r.genesWritten(), window.geometry().length(),
                out == null ? "" : " -> " + out + " (fingerprint " + r.fingerprint() + ")",
                windowsOut == null ? "" : " -> " + windowsOut, halfLifeOut == null ? "" : " -> " + halfLifeOut);
        return 0;
    }

    private static String describeDropped(DatasetPreparation.Report r) {
        StringBuilder sb = new StringBuilder();
        r.selection().dropped().forEach((reason, genes) -> sb.append(sb.isEmpty() ? "" : ", ")
                .append(genes.size()).append(' ').append(reason)
                .append(" (e.g. ").append(String.join(", ", genes.subList(0, Math.min(3, genes.size())))).append(')'));
        return sb.toString();
    }
}
