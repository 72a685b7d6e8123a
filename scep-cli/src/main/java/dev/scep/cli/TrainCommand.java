package dev.scep.cli;

import dev.scep.train.TrainedModel;

import dev.scep.cli.OptionRules.Output;
import dev.scep.formats.io.ScepDataset;
import dev.scep.formats.io.ScepModelFile;
import dev.scep.runtime.Device;
import dev.scep.train.Training;
import dev.scep.train.TrainingRequest;
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
        Device where = device.resolve(err);   // before any input is read
        TrainingRequest request = training.request(ScepDataset.open(training.dataset), where == Device.GPU ? device.device : Device.CPU);
        Path ckpt = checkpoint != null ? checkpoint : out.resolveSibling(out.getFileName() + ".checkpoint");
        TrainedModel r = Training.train(request, ckpt, resume, new TrainProgress(err, "scep train"));
        ScepModelFile.write(r.model(), out, training.dataset);
        java.nio.file.Files.deleteIfExists(ckpt);
        spec.commandLine().getOut().printf("best epoch %d, validation loss %.4f -> %s%n", r.bestEpoch() + 1,
                r.bestValidationLoss(), out);
        return 0;
    }
}
