package dev.scep.cli;

import dev.scep.cli.OptionRules.Output;
import dev.scep.cli.OptionRules.Range;
import dev.scep.formats.io.ScepDataset;
import dev.scep.runtime.Device;
import dev.scep.train.Training;
import dev.scep.train.TrainingRequest;
import dev.scep.train.cv.Split;
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

    @Option(names = "--split", defaultValue = "scep", paramLabel = "scep|scep-paper", converter = SplitConverter.class,
            description = "How genes are split: scep (seeded by --seed, the default) or scep-paper (the original scEP"
                    + " pipeline's folds exactly: KFold(shuffle, random_state=1) over dataset rows, validation ="
                    + " np.random.seed(fold)'s first --validation-genes non-test rows).")
    Split split;

    static final class SplitConverter implements picocli.CommandLine.ITypeConverter<Split> {
        @Override
        public Split convert(String value) {
            try {
                return Split.ofLabel(value);
            } catch (IllegalArgumentException e) {
                throw new picocli.CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }

    @Option(names = "--resume", description = "Keep finished folds and replicates in DIR and continue the rest (only with the options"
            + " DIR/manifest.tsv records: each difference is named).")
    boolean resume;

    @Option(names = "--keep-last", description = "Also write each fold's ensemble of the replicates' last-epoch models"
            + " (DIR/models/fold-NN.last.scep) beside the best ones.")
    boolean keepLast;

    @Mixin
    TrainingOptions training;

    @Mixin
    DeviceOptions device;

    @Mixin
    CommonOptions common;

    @Override
    public Integer call() throws Exception {
        Device where = device.resolve(spec.commandLine().getErr());   // before any input is read
        TrainingRequest request = training.request(ScepDataset.open(training.dataset), where == Device.GPU ? device.device
                : Device.CPU).withKeepLast(keepLast);
        Training.CrossValidationResult r = Training.crossValidate(request, folds, replicates, split, out, resume,
                new TrainProgress(spec.commandLine().getErr(), "scep cv"));
        EvaluateCommand.print(spec.commandLine().getOut(), r.evaluation());
        spec.commandLine().getOut().printf("-> %s (manifest.tsv, predictions.tsv, metrics.tsv, report.html, models/)%n", out);
        return 0;
    }
}
