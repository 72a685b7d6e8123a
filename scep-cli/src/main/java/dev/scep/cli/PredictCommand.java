package dev.scep.cli;

import dev.scep.cli.OptionRules.Output;
import dev.scep.cli.OptionRules.Range;
import dev.scep.formats.io.ScepModelFile;
import dev.scep.formats.model.ScepModel;
import dev.scep.formats.text.HalfLifeTable;
import dev.scep.runtime.HalfLifeSource;
import dev.scep.runtime.Predictor;
import dev.scep.runtime.WindowPredictionJob;
import dev.scep.runtime.Device;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "predict", description = {
        "Predict expression for TSS windows.",
        "W.fa holds windows already cut and in transcription orientation (record name = id); H.tsv has a header,",
        "an 'id' column, then the model's half-life features (raw values; the model applies its own normalisation).",
        "P.tsv gets 'id' and one column per model output."})
final class PredictCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "M.scep", description = "Model file.")
    Path model;

    @Option(names = "--windows", required = true, paramLabel = "W.fa", description = "Windows (FASTA, plain or gzip).")
    Path windows;

    @ArgGroup(exclusive = true, multiplicity = "1")
    HalfLifeChoice halfLife;

    static final class HalfLifeChoice {
        @Option(names = "--halflife", paramLabel = "H.tsv", description = "Half-life features per window id.")
        Path table;

        @Option(names = "--zero-halflife", description = "Use every half-life feature at its training mean (normalised 0).")
        boolean zeros;
    }

    @Output
    @Option(names = "--out", required = true, paramLabel = "P.tsv", description = "Output table (written atomically).")
    Path out;

    @Range(min = 1, max = 1_000_000)
    @Option(names = "--batch", defaultValue = "256", description = "Windows per batch (default: ${DEFAULT-VALUE}).")
    int batch;

    @Mixin
    EngineOptions engine;

    @Mixin
    DeviceOptions device;

    @Mixin
    CommonOptions common;

    @Override
    public Integer call() throws Exception {
        var err = spec.commandLine().getErr();
        Device where = device.resolve(err);
        dev.scep.formats.io.Provenance.model(model);
        ScepModel m = ScepModelFile.read(model);
        HalfLifeSource source = halfLife.zeros ? HalfLifeSource.zeros(m) : HalfLifeSource.table(HalfLifeTable.read(halfLife.table), m);
        try (Predictor p = Predictor.of(m, engine.toOptions().withDevice(where))) {
            Progress progress = new Progress(err, "predict");
            WindowPredictionJob.Summary s = new WindowPredictionJob(p, source, batch).run(windows, out, progress::update);
            progress.finish();
            err.printf("scep predict: %,d windows, %d outputs, %.1f windows/s (%s, %d threads) -> %s%n",
                    s.windows(), p.outputNames().size(), s.windowsPerSecond(), p.backendName(), p.threads(), out);
        }
        return 0;
    }
}
