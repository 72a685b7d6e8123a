package dev.scep.bench;

import dev.scep.formats.model.Architecture;
import dev.scep.formats.model.HalfLifeFeature;
import dev.scep.formats.model.OutputSpec;
import dev.scep.formats.model.ParameterInit;
import dev.scep.formats.model.ScepModel;
import dev.scep.formats.model.SequenceEncoding;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/** The model shapes and inputs the benchmarks and the parity check use (random weights, PyTorch's default init). */
public final class BenchModels {
    private BenchModels() {
    }

    /** "scep20": the scEP cell-population network with 20 outputs; "xpresso": the Xpresso network. */
    public static ScepModel byName(String name, long seed) {
        return switch (name) {
            case "scep20" -> {
                Architecture arch = Architecture.scepMultitask(20, 5);
                yield new ScepModel(arch, SequenceEncoding.SCEP,
                        IntStream.range(0, 20).mapToObj(i -> new OutputSpec("population_" + i, 0.05 * i, 1 + 0.01 * i)).toList(),
                        IntStream.range(0, 5).mapToObj(i -> HalfLifeFeature.raw("hl" + i)).toList(), Map.of(),
                        List.of(ParameterInit.pytorchDefault(arch, seed)));
            }
            case "xpresso" -> {
                Architecture arch = Architecture.xpresso(6);
                yield new ScepModel(arch, SequenceEncoding.XPRESSO, List.of(OutputSpec.unscaled("expression")),
                        IntStream.range(0, 6).mapToObj(i -> HalfLifeFeature.raw("hl" + i)).toList(), Map.of(),
                        List.of(ParameterInit.pytorchDefault(arch, seed)));
            }
            default -> throw new IllegalArgumentException("unknown model shape " + name);
        };
    }

    /** Random windows: ACGT in mixed case, ~2% ambiguity codes. */
    public static List<byte[]> windows(int n, int length, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        List<byte[]> out = new ArrayList<>();
        for (int k = 0; k < n; k++) {
            byte[] w = new byte[length];
            for (int i = 0; i < length; i++) {
                w[i] = (byte) (rnd.nextInt(50) == 0 ? "NRYKMSW".charAt(rnd.nextInt(7)) : "ACGTacgt".charAt(rnd.nextInt(8)));
            }
            out.add(w);
        }
        return out;
    }

    public static float[][] halfLife(int n, int features, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        float[][] hl = new float[n][features];
        for (float[] row : hl) {
            for (int i = 0; i < features; i++) {
                row[i] = (float) rnd.nextDouble(-2, 2);
            }
        }
        return hl;
    }
}
