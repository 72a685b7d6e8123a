package dev.scep.runtime;

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

/** Random models and windows for tests. */
public final class RandomModels {
    private RandomModels() {
    }

    public static ScepModel scep(int outputs, int members, long seed) {
        Architecture arch = Architecture.scepMultitask(outputs, 5);
        List<OutputSpec> outs = IntStream.range(0, outputs).mapToObj(i -> new OutputSpec("pop" + i, 0.1 * i - 1, 0.5 + 0.1 * i)).toList();
        List<HalfLifeFeature> hl = IntStream.range(0, 5).mapToObj(i -> HalfLifeFeature.raw("hl" + i)).toList();
        List<Map<String, dev.scep.formats.model.Tensor>> ms = new ArrayList<>();
        for (int m = 0; m < members; m++) {
            ms.add(ParameterInit.pytorchDefault(arch, seed * 31 + m));
        }
        return new ScepModel(arch, SequenceEncoding.SCEP, outs, hl, Map.of(), ms);
    }

    public static ScepModel xpressoShaped(long seed) {
        Architecture arch = Architecture.xpresso(6);
        List<HalfLifeFeature> hl = IntStream.range(0, 6).mapToObj(i -> HalfLifeFeature.raw("hl" + i)).toList();
        return new ScepModel(arch, SequenceEncoding.XPRESSO, List.of(OutputSpec.unscaled("expression")), hl, Map.of(),
                List.of(ParameterInit.pytorchDefault(arch, seed)));
    }

    public static ScepModel tissue(long seed) {
        Architecture arch = Architecture.scepTissue(5);
        List<HalfLifeFeature> hl = IntStream.range(0, 5).mapToObj(i -> HalfLifeFeature.raw("hl" + i)).toList();
        return new ScepModel(arch, SequenceEncoding.SCEP, List.of(new OutputSpec("tissue", 1.5, 0.8)), hl, Map.of(),
                List.of(ParameterInit.pytorchDefault(arch, seed)));
    }

    /** A window of mostly ACGT (mixed case) with occasional IUPAC ambiguity codes and N runs. */
    public static byte[] window(int length, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        byte[] w = new byte[length];
        String bases = "ACGTacgt";
        String iupac = "NRYSWKMBDHVn";
        for (int i = 0; i < length; i++) {
            w[i] = (byte) (rnd.nextInt(100) < 3 ? iupac.charAt(rnd.nextInt(iupac.length())) : bases.charAt(rnd.nextInt(8)));
        }
        int runStart = rnd.nextInt(length - 200);
        java.util.Arrays.fill(w, runStart, runStart + 150, (byte) 'N');
        return w;
    }

    public static double[] halfLife(int n, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        return IntStream.range(0, n).mapToDouble(i -> rnd.nextDouble(-2, 2)).toArray();
    }
}
