package dev.scep.cli;

import dev.scep.cli.OptionRules.Output;
import dev.scep.cli.OptionRules.Range;
import dev.scep.train.simulate.Simulator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "simulate", description = {
        "Write a simulated tissue with a known regulatory grammar (real JASPAR motifs with population-specific",
        "effects, a core promoter, a half-life contribution, negative-binomial single-cell counts): genome.fa,",
        "genes.gtf, matrix.mtx.gz, genes.tsv, cells.tsv, and the ground truth (truth.tsv, motifs.tsv, effects.tsv)."})
final class SimulateCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Output(folder = true)
    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder.")
    Path out;

    @Range(min = 10, max = 1_000_000)
    @Option(names = "--genes", defaultValue = "4000", description = "Genes (default: ${DEFAULT-VALUE}).")
    int genes;

    @Range(min = 2, max = 1000)
    @Option(names = "--populations", defaultValue = "6", description = "Cell populations; the second half differ from the tissue average (default: ${DEFAULT-VALUE}).")
    int populations;

    @Range(min = 20, max = 100_000_000)
    @Option(names = "--cells", defaultValue = "3000", description = "Cells (default: ${DEFAULT-VALUE}).")
    int cells;

    @Option(names = "--seed", defaultValue = "1", description = "Seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--jaspar", paramLabel = "DIR", description = "Folder of JASPAR .pfm files (default: ../shared/data/jaspar-pfm beside scep).")
    Path jaspar;

    @Mixin
    CommonOptions common;

    @Override
    public Integer call() throws Exception {
        Path motifs = jaspar;
        if (motifs == null) {
            String home = System.getProperty("scep.home", ".");
            motifs = Path.of(home).resolve("../shared/data/jaspar-pfm").normalize();
            if (!Files.isDirectory(motifs)) {
                throw new IllegalArgumentException("no JASPAR motifs at " + motifs + ": give --jaspar DIR");
            }
        }
        Simulator.Summary s = Simulator.run(new Simulator.Options(genes, populations, cells, seed, motifs), out);
        var o = spec.commandLine().getOut();
        o.printf("simulated %,d genes, %,d cells in %d populations %s, %,d non-zero counts; motifs %s -> %s%n", s.genes(),
                cells, populations, java.util.Arrays.toString(s.cellsPerPopulation()), s.nonZero(), s.motifs(), out);
        o.printf("next: scep prepare --fasta %s --gtf %s --expression %s --cells %s --population-column population --all-cells --out D.sced%n",
                s.fasta(), s.gtf(), s.matrix(), s.cells());
        return 0;
    }
}
