package dev.scep.cli;

import dev.scep.cli.OptionRules.Output;
import dev.scep.train.cv.CvPredictions;
import dev.scep.train.evaluate.Evaluation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "evaluate", description = {
        "Metrics and report from out-of-fold predictions ('scep cv'): median Pearson per population across folds,",
        "per-gene Pearson across populations; with --tissue-predictions, Δcp,t against a tissue model; with --truth,",
        "the ceiling a perfect model could reach (simulations)."})
final class EvaluateCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--predictions", required = true, paramLabel = "P.tsv", description = "predictions.tsv of a cell-population cv run.")
    Path predictions;

    @Option(names = "--tissue-predictions", paramLabel = "T.tsv", description = "predictions.tsv of a tissue-model cv run on the same genes.")
    Path tissuePredictions;

    @Option(names = "--truth", paramLabel = "truth.tsv", description = "Noise-free expression per gene and population (from 'scep simulate').")
    Path truth;

    @Output(folder = true)
    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder for metrics.tsv and report.html.")
    Path out;

    @Mixin
    CommonOptions common;

    @Override
    public Integer call() throws Exception {
        CvPredictions cp = CvPredictions.read(predictions);
        CvPredictions tissue = tissuePredictions == null ? null : CvPredictions.read(tissuePredictions);
        Evaluation e = Evaluation.of(cp, tissue, truth == null ? null : Evaluation.readTruth(truth));
        dev.scep.formats.io.OutputFile.folder(out);
        Path[] inputs = {predictions, tissuePredictions, truth};
        e.writeFiles(out, cp, "scep evaluate of " + predictions, inputs);
        print(spec.commandLine().getOut(), e);
        return 0;
    }

    static void print(PrintWriter o, Evaluation e) {
        int width = Math.max(12, e.populations().stream().mapToInt(String::length).max().orElse(12));
        o.printf("%-" + width + "s  %9s%s%s%n", "population", "median r", e.deltaCpT() == null ? "" : "  tissue r    Δcp,t",
                e.ceilingMedianPearson() == null ? "" : "  ceiling  r/ceiling");
        for (int p = 0; p < e.populations().size(); p++) {
            o.printf("%-" + width + "s  %9.4f", e.populations().get(p), e.medianPearson()[p]);
            if (e.deltaCpT() != null) {
                o.printf("  %8.4f  %+7.4f", e.tissueMedianPearson()[p], e.deltaCpT()[p]);
            }
            if (e.ceilingMedianPearson() != null) {
                o.printf("  %7.4f  %9.3f", e.ceilingMedianPearson()[p], e.medianPearson()[p] / e.ceilingMedianPearson()[p]);
            }
            o.println();
        }
        o.printf("per-gene r across populations, median: %.4f%n", dev.scep.train.evaluate.Metrics.median(e.geneAcross()));
    }
}
