package dev.scep.cli;

import dev.scep.cli.OptionRules.Range;
import dev.scep.formats.io.ScepDataset;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "dataset-info", description = "Describe a .sced dataset: genes, window geometry, populations, half-life features, provenance.")
final class DatasetInfoCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "D.sced", description = "Dataset file.")
    Path file;

    @Range(min = 0, max = Integer.MAX_VALUE)
    @Option(names = "--genes", defaultValue = "5", paramLabel = "N", description = "List the first N genes (default: ${DEFAULT-VALUE}).")
    int showGenes;

    @Option(names = "--window", paramLabel = "GENE", description = "Print the window of this gene id as FASTA.")
    String window;

    @Mixin
    CommonOptions common;

    @Override
    public Integer call() throws Exception {
        ScepDataset d = ScepDataset.open(file);
        PrintWriter o = spec.commandLine().getOut();
        if (window != null) {
            for (int i = 0; i < d.geneCount(); i++) {
                ScepDataset.Gene g = d.genes().get(i);
                if (g.id().equals(window)) {
                    o.println(">" + new dev.scep.formats.genome.WindowHeader(g.id(), g.transcriptId(), g.contig(), g.tss(), g.strand()).format());
                    byte[] w = d.window(i);
                    for (int k = 0; k < w.length; k += 80) {
                        o.println(new String(w, k, Math.min(80, w.length - k), StandardCharsets.US_ASCII));
                    }
                    return 0;
                }
            }
            throw new IllegalArgumentException("gene " + window + " is not in " + file);
        }
        o.printf("dataset %s (format version %d, fingerprint %s)%n", file, ScepDataset.FORMAT_VERSION, d.fingerprint());
        o.printf("genes: %,d; windows: %,d nt (%,d upstream, TSS at position %d); %,d bytes packed%n", d.geneCount(),
                d.geometry().length(), d.geometry().upstream(), d.geometry().upstream(), (long) d.packedStride() * d.geneCount());
        boolean asGiven = !d.halfLifeNames().isEmpty() && d.halfLifeTransform(0) == dev.scep.formats.model.HalfLifeTransform.IDENTITY;
        o.printf("half-life features (%s): %s%n", asGiven ? "as given, no transform at training" : "raw; log10(x + 0.1) at training",
                String.join(", ", d.halfLifeNames()));
        if (d.populations().isEmpty()) {
            o.println("populations: none (windows and features only)");
        } else {
            o.printf("populations: %,d%n", d.populations().size());
            ExpressionOptions.printPopulations(o, d.populations());
        }
        for (int i = 0; i < Math.min(showGenes, d.geneCount()); i++) {
            ScepDataset.Gene g = d.genes().get(i);
            o.printf("  %s %s %s %s:%,d %s%n", g.id(), g.name().isEmpty() ? "-" : g.name(), g.transcriptId(), g.contig(),
                    g.tss(), g.strand().symbol());
        }
        d.metadata().forEach((k, v) -> o.printf("meta %s = %s%n", k, v));
        return 0;
    }
}
