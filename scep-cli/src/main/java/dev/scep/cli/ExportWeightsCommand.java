package dev.scep.cli;

import dev.scep.cli.OptionRules.Output;
import dev.scep.formats.io.ScepModelFile;
import dev.scep.formats.io.WeightExport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "export-weights", description = {"Write every tensor as .npy (member_<i>/<tensor>.npy) plus architecture.json,",
        "for numpy or PyTorch (conv weights [out][in][k], dense weights [out][in], as torch.nn.Conv1d/Linear)."})
final class ExportWeightsCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "M.scep")
    Path model;

    @Output(folder = true)
    @Option(names = "--out", required = true, paramLabel = "DIR")
    Path out;

    @Mixin
    CommonOptions common;

    @Override
    public Integer call() throws Exception {
        var m = ScepModelFile.read(model);
        WeightExport.export(m, out, model);
        spec.commandLine().getErr().printf("scep export-weights: %d member(s), %d tensors each -> %s%n",
                m.members().size(), m.architecture().parameterShapes().size(), out);
        return 0;
    }
}
