package dev.scep.cli;

import dev.scep.formats.io.ScepModelFile;
import dev.scep.formats.io.WeightExport;
import dev.scep.formats.json.Json;
import dev.scep.formats.model.HalfLifeFeature;
import dev.scep.formats.model.Layer;
import dev.scep.formats.model.OutputSpec;
import dev.scep.formats.model.ScepModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "info", description = "Print a model's architecture, encoding, outputs, half-life features and provenance.")
final class InfoCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "M.scep", description = "Model file.")
    Path model;

    @Option(names = "--json", description = "Print the description as JSON.")
    boolean json;

    @Mixin
    CommonOptions common;

    @Override
    public Integer call() throws Exception {
        ScepModel m = ScepModelFile.read(model);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.print(Json.write(WeightExport.describe(m, null)));
            out.flush();
            return 0;
        }
        long params = m.architecture().parameterShapes().stream()
                .mapToLong(p -> dev.scep.formats.model.Tensor.elementCount(p.shape())).sum();
        out.printf("model      %s (%,d bytes, format version %d)%n", model, Files.size(model), ScepModelFile.FORMAT_VERSION);
        out.printf("ensemble   %d member(s), %,d parameters each%n", m.members().size(), params);
        out.printf("encoding   channels %s, ambiguity %s, window %,d nt = %,d upstream + %,d from the TSS%n",
                m.encoding().channelOrder(), m.encoding().ambiguity().name().toLowerCase(), m.windowLength(),
                m.encoding().upstream(), m.encoding().downstream());
        out.println("layers");
        int length = m.windowLength();
        int channels = 4;
        for (Layer l : m.architecture().layers()) {
            String shape;
            switch (l) {
                case Layer.Conv1d c -> {
                    length = c.outputLength(length);
                    channels = c.outChannels();
                    shape = String.format("Conv1d %d->%d k=%d pad=(%d,%d) %s", c.inChannels(), c.outChannels(), c.kernel(),
                            c.padLeft(), c.padRight(), c.activation().name().toLowerCase());
                }
                case Layer.MaxPool1d p -> {
                    length = p.outputLength(length);
                    shape = String.format("MaxPool1d size=%d stride=%d pad=(%d,%d)", p.size(), p.stride(), p.padLeft(), p.padRight());
                }
                case Layer.Flatten f -> shape = "Flatten " + f.order().name().toLowerCase().replace('_', '-');
                case Layer.ConcatHalfLife h -> shape = "Concat half-life (" + h.features() + ")";
                case Layer.Dense d -> shape = String.format("Dense %d->%d %s", d.inFeatures(), d.outFeatures(),
                        d.activation().name().toLowerCase());
                case Layer.Dropout d -> shape = "Dropout " + d.rate() + " (inference: identity)";
            }
            String dims = l instanceof Layer.Conv1d || l instanceof Layer.MaxPool1d ? "  -> " + channels + " x " + length : "";
            out.printf("  %-9s %s%s%n", l.name(), shape, dims);
        }
        out.printf("outputs    %d%n", m.outputs().size());
        for (OutputSpec o : m.outputs()) {
            out.printf("  %-30s mean %.6g  std %.6g%n", o.name(), o.mean(), o.std());
        }
        out.printf("half-life  %d feature(s)%n", m.halfLifeFeatures().size());
        for (HalfLifeFeature f : m.halfLifeFeatures()) {
            out.printf("  %-30s %s, mean %.6g, std %.6g%n", f.name(), f.transform().name().toLowerCase(), f.mean(), f.std());
        }
        out.println("provenance");
        m.provenance().forEach((k, v) -> out.printf("  %-30s %s%n", k, v));
        out.flush();
        return 0;
    }
}
