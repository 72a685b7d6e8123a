package dev.scep.cli;

import dev.scep.cli.OptionRules.Output;
import dev.scep.cli.OptionRules.Range;
import dev.scep.train.analysis.CvRun;
import dev.scep.train.analysis.ResolutionLadder;
import dev.scep.train.analysis.SimilarityDelta;
import dev.scep.train.analysis.Transfer;
import dev.scep.train.analysis.VariableGenes;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code scep analyze}: the paper's analyses of cross-validation outputs, one subcommand each. */
@Command(name = "analyze", description = {
        "The paper's analyses of 'scep cv' outputs, each writing tables (TSV), a figure (PNG) and a report",
        "<analysis>.html (static, readable without JavaScript) into --out: ladder (Fig. 4B), transfer (Fig. 3),",
        "variable-genes (Fig. 4C), similarity (Fig. 2C). A run is given as LABEL=DIR (a cv output folder or",
        "its predictions.tsv), or DIR alone (labelled by its folder name)."},
        subcommands = {AnalyzeCommand.Ladder.class, AnalyzeCommand.TransferCommand.class,
                AnalyzeCommand.VariableGenesCommand.class, AnalyzeCommand.Similarity.class})
final class AnalyzeCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return 2;
    }

    /** What every analysis takes besides its runs: the output folder and the common options. */
    abstract static class Analysis implements Callable<Integer> {
        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Output(folder = true)
        @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder.")
        Path out;

        @Mixin
        CommonOptions common;
    }

    private static List<CvRun> read(List<String> specs) throws IOException {
        List<CvRun> runs = new ArrayList<>();
        for (String s : specs) {
            runs.add(CvRun.parse(s));
        }
        return runs;
    }

    private static Path[] files(List<CvRun> runs) {
        return runs.stream().map(CvRun::file).toArray(Path[]::new);
    }

    private static void wrote(PrintWriter o, List<Path> files) {
        o.println("wrote " + files.getLast() + " (" + files.stream().map(p -> p.getFileName().toString())
                .filter(n -> !n.endsWith(".html")).reduce((a, b) -> a + ", " + b).orElse("") + ")");
    }

    @Command(name = "ladder", description = {
            "Resolution ladder (Fig. 4B/S13): tissue-, class- and subclass-level models scored on the finest",
            "populations' targets, each taking its ancestor's prediction (nesting from 'prepare --nested' names)."})
    static final class Ladder extends Analysis {
        @Option(names = "--cv", required = true, paramLabel = "[LABEL=]DIR",
                description = "A cv run, one per level (e.g. tissue=t class=c subclass=s); repeat.")
        List<String> runs;

        @Override
        public Integer call() throws Exception {
            List<CvRun> cv = read(runs);
            ResolutionLadder ladder = ResolutionLadder.of(cv);
            PrintWriter o = spec.commandLine().getOut();
            double[] mean = ladder.meanPerLevel();
            o.printf("%-24s %s%n", "level", "mean of the finest populations' median r");
            for (int k = 0; k < ladder.levels().size(); k++) {
                o.printf(Locale.ROOT, "%-24s %.4f%n", ladder.levels().get(k), mean[k]);
            }
            wrote(o, ladder.write(out, files(cv)));
            return 0;
        }
    }

    @Command(name = "transfer", description = {
            "Transfer (Fig. 3): every model scored on every population of every run (genes matched by id), as a",
            "matrix, with one-sided Wilcoxon rank-sum tests across folds against each population's own model."})
    static final class TransferCommand extends Analysis {
        @Option(names = "--cv", required = true, paramLabel = "[LABEL=]DIR", description = "A cv run; repeat.")
        List<String> runs;

        @Override
        public Integer call() throws Exception {
            List<CvRun> cv = read(runs);
            Transfer t = Transfer.of(cv);
            PrintWriter o = spec.commandLine().getOut();
            long significant = t.cells().stream().filter(c -> c.pOwnGreater() < 0.05).count();
            long tested = t.cells().stream().filter(c -> !Double.isNaN(c.pOwnGreater())).count();
            o.printf(Locale.ROOT, "%d models × %d populations; the own model is better (p < 0.05) in %d of %d comparisons%n",
                    t.sources().size(), t.targets().size(), significant, tested);
            wrote(o, t.write(out, files(cv)));
            return 0;
        }
    }

    @Command(name = "variable-genes", description = {
            "Per-gene r across populations for the most variable genes (Fig. 4C), and the variance threshold down to",
            "which genes of like variance keep a median r of --target-r."})
    static final class VariableGenesCommand extends Analysis {
        @Option(names = "--cv", required = true, paramLabel = "[LABEL=]DIR", description = "A cell-population cv run.")
        String run;

        @Option(names = "--populations", split = ",", paramLabel = "P1,P2,P3",
                description = "Populations to vary across (default: every output except 'all'; at least 3).")
        List<String> populations = new ArrayList<>();

        @Range(min = 1, max = 10_000_000)
        @Option(names = "--top", defaultValue = "1000", description = "Most variable genes to list (default: ${DEFAULT-VALUE}).")
        int top;

        @Option(names = "--target-r", defaultValue = "0.5",
                description = "Local median r the genes above the threshold keep (default: ${DEFAULT-VALUE}).")
        double targetR;

        @Range(min = 1, max = 10_000_000)
        @Option(names = "--window", defaultValue = "100",
                description = "Genes of neighbouring variance per local median (default: ${DEFAULT-VALUE}).")
        int window;

        @Override
        public Integer call() throws Exception {
            if (!(targetR >= -1 && targetR <= 1)) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                        "--target-r must be a correlation between -1 and 1, not " + targetR);
            }
            CvRun cv = CvRun.parse(run);
            VariableGenes v = VariableGenes.of(cv, populations, targetR, window);
            PrintWriter o = spec.commandLine().getOut();
            o.printf(Locale.ROOT, "%,d genes across %d populations; per-gene r, median: %.4f%n", v.genes().size(),
                    v.populations().size(), v.genes().isEmpty() ? Double.NaN : v.genes().getLast().medianRAbove());
            if (Double.isFinite(v.threshold())) {
                o.printf(Locale.ROOT, "variance threshold %.4g: down to it genes of like variance keep a median r of %.2f or"
                        + " more (%,d genes at or above it)%n", v.threshold(), targetR, v.aboveThreshold());
            } else {
                o.printf(Locale.ROOT, "no variance threshold: even the most variable genes have a local median r below %.2f%n",
                        targetR);
            }
            wrote(o, v.write(out, top, cv.file()));
            return 0;
        }
    }

    @Command(name = "similarity", description = {
            "Δcp,t against the similarity of population and tissue (Fig. 2C): the cell-population model's gain over",
            "the tissue model per population, against r(population, tissue) of the observed expression."})
    static final class Similarity extends Analysis {
        @Option(names = "--cv", required = true, paramLabel = "[LABEL=]DIR", description = "A cell-population cv run.")
        String run;

        @Option(names = "--tissue-cv", required = true, paramLabel = "[LABEL=]DIR",
                description = "The tissue model's cv run of the same genes ('scep cv --tissue all').")
        String tissueRun;

        @Override
        public Integer call() throws Exception {
            CvRun cp = CvRun.parse(run);
            CvRun tissue = CvRun.parse(tissueRun);
            SimilarityDelta s = SimilarityDelta.of(cp, tissue);
            PrintWriter o = spec.commandLine().getOut();
            int width = Math.max(12, s.rows().stream().mapToInt(r -> r.population().length()).max().orElse(12));
            o.printf("%-" + width + "s  %10s  %8s%n", "population", "similarity", "Δcp,t");
            for (SimilarityDelta.Row r : s.rows()) {
                o.printf(Locale.ROOT, "%-" + width + "s  %10.4f  %+8.4f%n", r.population(), r.similarity(), r.deltaCpT());
            }
            o.printf(Locale.ROOT, "Spearman's rho between similarity and Δcp,t: %.3f%n", s.spearman());
            wrote(o, s.write(out, cp.file(), tissue.file()));
            return 0;
        }
    }
}
