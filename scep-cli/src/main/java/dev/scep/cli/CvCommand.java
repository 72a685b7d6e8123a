package dev.scep.cli;

import dev.scep.cli.OptionRules.Output;
import dev.scep.cli.OptionRules.Range;
import dev.scep.formats.io.ScepDataset;
import dev.scep.train.cv.CrossValidation;
import dev.scep.train.cv.CvPredictions;
import dev.scep.train.evaluate.Evaluation;
import dev.scep.train.evaluate.Report;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "cv", description = {
        "Cross-validate as the paper does: k folds over genes (seeded), R replicates per fold averaged, out-of-fold",
        "predictions for every gene. Writes DIR/manifest.tsv (the run's parameters), DIR/models/fold-NN.scep,",
        "DIR/predictions.tsv, DIR/metrics.tsv and DIR/report.html. An interrupted run continues with --resume."})
final class CvCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Output(folder = true)
    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder.")
    Path out;

    @Range(min = 2, max = 10_000)
    @Option(names = "--folds", defaultValue = "20", description = "Folds (default: ${DEFAULT-VALUE}).")
    int folds;

    @Range(min = 1, max = 1000)
    @Option(names = "--replicates", defaultValue = "5", description = "Models per fold, averaged (default: ${DEFAULT-VALUE}).")
    int replicates;

    @Option(names = "--resume", description = "Keep finished folds and replicates in DIR and continue the rest (only with the options"
            + " DIR/manifest.tsv records: each difference is named).")
    boolean resume;

    @Mixin
    TrainingOptions training;

    @Mixin
    CommonOptions common;

    @Override
    public Integer call() throws Exception {
        if (!resume && java.nio.file.Files.isDirectory(out.resolve("models"))) {
            try (var files = java.nio.file.Files.list(out.resolve("models"))) {
                if (files.findAny().isPresent()) {
                    throw new IllegalArgumentException(out + " already holds models: pass --resume to continue that run, or choose another --out");
                }
            }
        }
        ScepDataset d = ScepDataset.open(training.dataset);
        int[] pops = training.populationIndices(d);
        CrossValidation.Options o = new CrossValidation.Options(folds, replicates, training.validationGenes, training.seed,
                training.config(), training.kind(), training.inputs());
        var err = spec.commandLine().getErr();
        err.printf("scep cv: %,d genes, %d folds x %d replicates, %d output(s), %d epochs, %d threads%n", d.geneCount(),
                folds, replicates, pops.length, training.epochs, o.training().threads());
        CvPredictions p = CrossValidation.run(d, pops, o, out, new TrainProgress(err));
        p.write(out.resolve("predictions.tsv"), training.dataset);
        Evaluation e = Evaluation.of(p, null);
        e.write(out.resolve("metrics.tsv"), training.dataset);
        Report.write(out.resolve("report.html"), p, e, "scep cv of " + training.dataset.getFileName(), training.dataset);
        EvaluateCommand.print(spec.commandLine().getOut(), e);
        spec.commandLine().getOut().printf("-> %s (manifest.tsv, predictions.tsv, metrics.tsv, report.html, models/)%n", out);
        return 0;
    }
}
