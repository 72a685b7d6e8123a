package dev.scep.cli;

import dev.scep.cli.OptionRules.Excludes;
import dev.scep.cli.OptionRules.Output;
import dev.scep.cli.OptionRules.Range;
import dev.scep.formats.io.ScepModelFile;
import dev.scep.formats.model.ScepModel;
import dev.scep.train.PytorchRunImport;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "import-pytorch", description = {
        "Convert the original scEP's PyTorch checkpoints (one fold's replicates) to one .scep ensemble, with that fold's",
        "z-score rebuilt as the original does (StandardScaler on the label rows of the fold's training genes, the paper's",
        "split over the dataset's rows). The half-life inputs are the dataset's 'data' columns, fed as given."})
final class ImportPytorchCommand implements Callable<Integer> {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--run-dir", paramLabel = "RUN", description = "The original run's output folder: takes"
            + " RUN/<name>_<fold>/ckpt_dir<m>/model_best.pth.tar of every replicate m.")
    Path runDir;

    @Excludes(value = {"--run-dir", "--last"}, why = "--checkpoint names the files, --run-dir (with --last) finds them")
    @Option(names = "--checkpoint", paramLabel = "FILE", description = "A checkpoint (torch.save zip), instead of"
            + " --run-dir; repeat it for several replicates.")
    List<Path> checkpoints = new ArrayList<>();

    @Option(names = "--last", description = "With --run-dir: take each replicate's last-epoch model (model_epoch<N>) instead of model_best.")
    boolean last;

    @Range(min = 0, max = 19)
    @Option(names = "--fold", required = true, paramLabel = "F", description = "The fold, 0 to 19 (its z-score; with --run-dir, its folder).")
    int fold;

    @Option(names = "--dataset", required = true, paramLabel = "seq_hl.h5", description = "The original dataset file (its row count decides the folds).")
    Path dataset;

    @Option(names = "--labels", required = true, paramLabel = "labels.csv", description = "The original label table (first column the gene index).")
    Path labels;

    @Option(names = "--columns", required = true, split = ",", paramLabel = "1,2,3", description = "Label columns the network predicts,"
            + " 0-based after the index column, in its output order (the original's --cols).")
    List<Integer> columns;

    @Mixin
    WindowOptions window;

    @Output
    @Option(names = "--out", required = true, paramLabel = "model.scep")
    Path out;

    @Mixin
    CommonOptions common;

    @Override
    public Integer call() throws Exception {
        if ((runDir == null) == checkpoints.isEmpty()) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "give either --run-dir (with --fold) or one or more --checkpoint files");
        }
        List<Path> files = runDir != null ? PytorchRunImport.replicates(runDir, fold, last) : checkpoints;
        ScepModel m = PytorchRunImport.importRun(new PytorchRunImport.Request(files, dataset, labels, columns, fold,
                window.upstream, window.downstream));
        List<Path> inputs = new ArrayList<>(files);
        inputs.add(dataset);
        inputs.add(labels);
        ScepModelFile.write(m, out, inputs.toArray(Path[]::new));
        spec.commandLine().getErr().printf("scep import-pytorch: fold %d, %d replicate(s) -> %s (outputs %s, %d half-life inputs fed as given)%n",
                fold, m.members().size(), out, String.join(", ", m.outputNames()), m.halfLifeFeatures().size());
        return 0;
    }
}
