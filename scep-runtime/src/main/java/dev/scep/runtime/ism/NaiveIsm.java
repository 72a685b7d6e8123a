package dev.scep.runtime.ism;

import dev.scep.runtime.IsmResult;
import dev.scep.runtime.BaseCodes;
import dev.scep.runtime.HalfLifeInput;
import dev.scep.runtime.Predictor;

import java.util.ArrayList;
import java.util.List;

/**
 * In-silico mutagenesis the slow, obvious way: one full forward pass per mutant window (batched). It is the check
 * for {@link IncrementalIsm}, and the fallback for architectures the incremental engine does not cover.
 */
public final class NaiveIsm {
    private NaiveIsm() {
    }

    public static IsmResult run(Predictor predictor, byte[] asciiWindow, HalfLifeInput halfLife) {
        int window = predictor.windowLength();
        byte[] codes = new byte[window];
        BaseCodes.encode(asciiWindow, window, codes, 0);
        float[] ref = predictor.predict(asciiWindow, halfLife);
        int outputs = ref.length;
        List<Integer> positions = new ArrayList<>();
        List<Byte> alts = new ArrayList<>();
        for (int p = 0; p < window; p++) {
            for (char b : "ACGT".toCharArray()) {
                if (BaseCodes.mask((byte) b) != codes[p]) {
                    positions.add(p);
                    alts.add((byte) b);
                }
            }
        }
        int n = positions.size();
        float[] delta = new float[n * outputs];
        int batch = 256;
        for (int from = 0; from < n; from += batch) {
            int to = Math.min(n, from + batch);
            List<byte[]> mutants = new ArrayList<>(to - from);
            List<HalfLifeInput> hl = new ArrayList<>(to - from);
            for (int e = from; e < to; e++) {
                byte[] m = asciiWindow.clone();
                m[positions.get(e)] = alts.get(e);
                mutants.add(m);
                hl.add(halfLife);
            }
            float[][] y = predictor.predictBatch(mutants, hl);
            for (int e = from; e < to; e++) {
                for (int o = 0; o < outputs; o++) {
                    delta[e * outputs + o] = y[e - from][o] - ref[o];
                }
            }
        }
        int[] position = positions.stream().mapToInt(Integer::intValue).toArray();
        byte[] alt = new byte[n];
        for (int e = 0; e < n; e++) {
            alt[e] = alts.get(e);
        }
        return new IsmResult(predictor.outputNames(), asciiWindow.clone(), predictor.model().encoding().upstream(),
                position, alt, delta);
    }
}
