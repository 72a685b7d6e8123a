package dev.scep.runtime;

import dev.scep.formats.model.ScepModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The fast paths (vector and scalar kernels) against the double-precision reference implementation. */
class ForwardEquivalenceTest {
    /** Relative tolerance of the issue: scalar and vector paths agree within 1e-5 relative. */
    static final double REL = 1e-5;

    static void assertClose(float[] actual, float[] expected, String what) {
        assertThat(actual).hasSameSizeAs(expected);
        double scale = 0;
        for (float e : expected) {
            scale = Math.max(scale, Math.abs(e));
        }
        for (int o = 0; o < expected.length; o++) {
            // relative to the value, with the output vector's magnitude as the floor for values near zero
            double tol = REL * Math.max(Math.abs(expected[o]), 1e-2 * Math.max(scale, 1));
            assertThat((double) actual[o]).as("%s output %d", what, o).isCloseTo(expected[o], org.assertj.core.data.Offset.offset(tol));
        }
    }

    private static void checkModel(ScepModel model, Backend backend, int windows) {
        try (Predictor ref = Predictor.of(model, new Predictor.Options(Backend.REFERENCE, 1));
             Predictor fast = Predictor.of(model, new Predictor.Options(backend, 2))) {
            List<byte[]> ws = new ArrayList<>();
            List<HalfLifeInput> hls = new ArrayList<>();
            for (int i = 0; i < windows; i++) {
                ws.add(RandomModels.window(model.windowLength(), 1000 + i));
                hls.add(HalfLifeInput.raw(RandomModels.halfLife(model.halfLifeFeatures().size(), 77 + i)));
            }
            float[][] batch = fast.predictBatch(ws, hls);
            for (int i = 0; i < windows; i++) {
                float[] expected = ref.predict(ws.get(i), hls.get(i));
                assertClose(fast.predict(ws.get(i), hls.get(i)), expected, backend + " single window " + i);
                assertClose(batch[i], expected, backend + " batch window " + i);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = Backend.class, names = {"AUTO", "SCALAR"})
    void scepMultitaskWithEnsembleMatchesReference(Backend backend) {
        checkModel(RandomModels.scep(20, 2, 5), backend, 4);
    }

    @ParameterizedTest
    @EnumSource(value = Backend.class, names = {"AUTO", "SCALAR"})
    void scepTissueMatchesReference(Backend backend) {
        checkModel(RandomModels.tissue(9), backend, 3);
    }

    @ParameterizedTest
    @EnumSource(value = Backend.class, names = {"AUTO", "SCALAR"})
    void xpressoShapedMatchesReference(Backend backend) {
        checkModel(RandomModels.xpressoShaped(13), backend, 3);
    }

    @Test
    void vectorAndScalarKernelsAgreeOnManyRandomModels() {
        for (int seed = 0; seed < 6; seed++) {
            ScepModel model = seed % 3 == 2 ? RandomModels.xpressoShaped(seed) : RandomModels.scep(1 + 7 * seed, 1 + seed % 2, seed);
            try (Predictor vector = Predictor.of(model, new Predictor.Options(Backend.AUTO, 1));
                 Predictor scalar = Predictor.of(model, new Predictor.Options(Backend.SCALAR, 1))) {
                for (int i = 0; i < 3; i++) {
                    byte[] w = RandomModels.window(model.windowLength(), seed * 100 + i);
                    HalfLifeInput hl = HalfLifeInput.raw(RandomModels.halfLife(model.halfLifeFeatures().size(), i));
                    assertClose(vector.predict(w, hl), scalar.predict(w, hl), "model " + seed + " window " + i);
                }
            }
        }
    }

    @Test
    void vectorKernelsAreUsedWhenTheModuleIsPresent() {
        // surefire runs with --add-modules jdk.incubator.vector; without it AUTO falls back (see VectorFallbackTest)
        try (Predictor p = Predictor.of(RandomModels.scep(2, 1, 1))) {
            assertThat(p.backendName()).startsWith("vector-");
        }
    }

    @Test
    void lowerCaseBasesAreOrdinaryBases() {
        ScepModel scep = RandomModels.scep(3, 1, 3);
        try (Predictor p = Predictor.of(scep)) {
            byte[] w = RandomModels.window(scep.windowLength(), 5);
            byte[] upper = new String(w).toUpperCase().getBytes();
            HalfLifeInput hl = HalfLifeInput.zeros(5);
            assertThat(p.predict(w, hl)).containsExactly(p.predict(upper, hl));
        }
    }

    @Test
    void badWindowsAreRejectedWithPosition() {
        try (Predictor p = Predictor.of(RandomModels.scep(2, 1, 1))) {
            byte[] w = RandomModels.window(10_500, 1);
            w[1234] = 'X';
            assertThatThrownBy(() -> p.predict(w, HalfLifeInput.zeros(5)))
                    .isInstanceOf(InvalidSequenceException.class).hasMessageContaining("'X'").hasMessageContaining("1234");
            assertThatThrownBy(() -> p.predict(new byte[10_499], HalfLifeInput.zeros(5)))
                    .isInstanceOf(InvalidSequenceException.class).hasMessageContaining("10499").hasMessageContaining("10500");
            assertThatThrownBy(() -> p.predict(RandomModels.window(10_500, 2), HalfLifeInput.zeros(4)))
                    .hasMessageContaining("4 half-life features").hasMessageContaining("needs 5");
            assertThatThrownBy(() -> p.predict(RandomModels.window(10_500, 2), HalfLifeInput.raw(1, 2, Double.NaN, 4, 5)))
                    .hasMessageContaining("hl2").hasMessageContaining("not finite");
        }
    }
}
