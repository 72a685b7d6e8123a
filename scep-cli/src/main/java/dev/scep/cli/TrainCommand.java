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

    @Option(names = "--keep-last", description = "Also write the last epoch's model, beside the best one (M.last.scep, or --last-out).")
    boolean keepLast;

    @Output
    @Option(names = "--last-out", paramLabel = "FILE", description = "Where --keep-last writes the last epoch's model (default: M.last.scep; implies --keep-last).")
    Path lastOut;

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
        Path last = lastOut != null ? lastOut : keepLast ? lastPath(out) : null;
        if (last != null) {
            ScepModelFile.write(r.lastModel(), last, training.dataset);
        }
        ScepModelFile.write(r.model(), out, training.dataset);
        for (Path c : Training.checkpointFiles(ckpt)) {
            java.nio.file.Files.deleteIfExists(c);
        }
        spec.commandLine().getOut().printf("best epoch %d, validation loss %.4f -> %s%n", r.bestEpoch() + 1,
                r.bestValidationLoss(), out);
        if (last != null) {
            spec.commandLine().getOut().printf("last epoch %d -> %s%n", r.history().size(), last);
        }
        return 0;
    }

    /** M.scep -> M.last.scep (a name without .scep gets .last.scep appended). */
    static Path lastPath(Path out) {
        String name = out.getFileName().toString();
        String stem = name.endsWith(".scep") ? name.substring(0, name.length() - 5) : name;
        return out.resolveSibling(stem + ".last.scep");
    }
}
