package dev.scep.cli;

import dev.scep.cli.OptionRules.Output;
import dev.scep.cli.OptionRules.Range;
import dev.scep.formats.io.ScepModelFile;
import dev.scep.formats.keras.KerasImporter;
import dev.scep.formats.model.ScepModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "import-keras", description = "Convert a Keras .h5 model of the Xpresso family (e.g. the published Xpresso models) to .scep.")
final class ImportKerasCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "model.h5", description = "Keras model saved with model.save().")
    Path input;

    @Output
    @Option(names = "--out", required = true, paramLabel = "model.scep")
    Path out;

    @Range(min = 0, max = 16_000_000)
    @Option(names = "--upstream", defaultValue = "7000", description = "Bases before the TSS in the window (default: ${DEFAULT-VALUE}).")
    int upstream;

    @Option(names = "--output-name", defaultValue = "expression", description = "Name of the single output (default: ${DEFAULT-VALUE}).")
    String outputName;

    @Option(names = "--halflife-names", split = ",", paramLabel = "NAME", description = "Names of the half-life inputs, in order.")
    List<String> halfLifeNames;

    @Mixin
    CommonOptions common;

    @Override
    public Integer call() throws Exception {
        ScepModel m = KerasImporter.importModel(input, new KerasImporter.Options(upstream, outputName, halfLifeNames));
        ScepModelFile.write(m, out, input);
        spec.commandLine().getErr().printf("scep import-keras: %s -> %s (%d layers, %d outputs, %d half-life inputs, md5 of source %s)%n",
                input, out, m.architecture().layers().size(), m.outputs().size(), m.halfLifeFeatures().size(),
                m.provenance().get("source.md5"));
        return 0;
    }
}
