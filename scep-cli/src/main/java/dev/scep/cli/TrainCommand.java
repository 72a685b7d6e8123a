package dev.scep.cli;

import dev.scep.cli.OptionRules.Output;
import dev.scep.formats.io.ScepDataset;
import dev.scep.formats.io.ScepModelFile;
import dev.scep.formats.model.Architecture;
import dev.scep.runtime.Device;
import dev.scep.train.cpu.Trainer;
import dev.scep.train.cpu.TrainingSet;
import dev.scep.train.cv.Folds;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "train", description = {
        "Train one scEP model on a prepared dataset with the paper's recipe (Adam 5e-4, batch 128, ReduceLROnPlateau,",
        "best validation epoch kept). A seeded draw of --validation-genes genes validates; the rest trains."})
final class TrainCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Output
    @Option(names = "--out", required = true, paramLabel = "M.scep", description = "Model file (written atomically).")
    Path out;

    @Output
    @Option(names = "--checkpoint", paramLabel = "FILE", description = "Checkpoint written after every epoch (default: M.scep.checkpoint).")
    Path checkpoint;

    @Option(names = "--resume", description = "Continue from the checkpoint if there is one (it must record the same options: each difference is named).")
    boolean resume;

    @Mixin
    TrainingOptions training;

    @Mixin
    DeviceOptions device;

    @Mixin
    CommonOptions common;

    @Override
    public Integer call() throws Exception {
        var err = spec.commandLine().getErr();
        if (device.resolve(err) == Device.GPU) {
            // the GPU forward pass exists (predict --device gpu); its backward pass and optimiser are not built yet
            if (device.device == Device.GPU) {
                throw new IllegalStateException("training on the GPU is not in this build yet (only prediction is): use --device cpu");
            }
            err.println("scep: training on the GPU is not in this build yet; training on the CPU");
        }
        ScepDataset d = ScepDataset.open(training.dataset);
        int[] pops = training.populationIndices(d);
        // a holdout split: the "test fold" of a 5-fold split is folded back into training
        Folds folds = new Folds(d.geneCount(), Math.min(5, d.geneCount()), training.validationGenes, training.seed);
        int[] validation = folds.validation(0);
        boolean[] isValidation = new boolean[d.geneCount()];
        for (int g : validation) {
            isValidation[g] = true;
        }
        int[] train = java.util.stream.IntStream.range(0, d.geneCount()).filter(g -> !isValidation[g]).toArray();
        TrainingSet set = TrainingSet.of(d, train, validation, pops, training.inputs());
        int hl = set.halfLifeFeatures().size();
        Architecture arch = training.kind().architecture(pops.length, hl, d.geometry().length());
        Path ckpt = checkpoint != null ? checkpoint : out.resolveSibling(out.getFileName() + ".checkpoint");
        err.printf("scep train: %,d training and %,d validation genes, %d output(s), %d epochs, %d threads%n",
                train.length, validation.length, pops.length, training.epochs, training.config().threads());
        Trainer.Result r = new Trainer(set, arch, training.config()).train(ckpt, resume, new TrainProgress(err));
        ScepModelFile.write(r.model(), out, training.dataset);
        java.nio.file.Files.deleteIfExists(ckpt);
        spec.commandLine().getOut().printf("best epoch %d, validation loss %.4f -> %s%n", r.bestEpoch() + 1,
                r.bestValidationLoss(), out);
        return 0;
    }
}
