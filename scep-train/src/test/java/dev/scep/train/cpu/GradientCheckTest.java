package dev.scep.train.cpu;

import dev.scep.formats.model.Activation;
import dev.scep.formats.model.AmbiguityRule;
import dev.scep.formats.model.Architecture;
import dev.scep.formats.model.FlattenOrder;
import dev.scep.formats.model.HalfLifeFeature;
import dev.scep.formats.model.Layer;
import dev.scep.formats.model.OutputSpec;
import dev.scep.formats.model.ParameterInit;
import dev.scep.formats.model.ScepModel;
import dev.scep.formats.model.SequenceEncoding;
import dev.scep.runtime.BaseCodes;
import dev.scep.runtime.cpu.Kernels;
import dev.scep.runtime.cpu.ReferenceForward;
import dev.scep.runtime.cpu.ScalarKernels;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every layer's gradient from {@link TrainingNetwork#backward} against central finite differences of the
 * double-precision reference forward pass ({@link ReferenceForward}, independent code), on small networks of the
 * scEP family with PyTorch and Keras semantics, windows with ambiguity codes, and both kernel implementations.
 */
class GradientCheckTest {
    private static final int HALF_LIFE = 3;

    record Case(String name, Architecture arch, SequenceEncoding encoding, Kernels kernels) {
        @Override
        public String toString() {
            return name + " / " + kernels.name();
        }
    }

    static Stream<Case> cases() {
        SequenceEncoding scep = new SequenceEncoding("ACTG", AmbiguityRule.FRACTIONAL, 200, 100);
        SequenceEncoding xpresso = new SequenceEncoding("ACGT", AmbiguityRule.ZERO, 200, 100);
        // conv 300 → 299, pool 30 (pad 1) → 10, conv k9 → 10, pool 2 → 5; 4 × 5 = 20 flattened
        Architecture multitask = new Architecture(List.of(
                new Layer.Conv1d("conv1", 4, 8, 6, 2, 2, Activation.RELU),
                new Layer.MaxPool1d("pool1", 30, 30, 1, 1),
                new Layer.Conv1d("conv2", 8, 4, 9, 4, 4, Activation.RELU),
                new Layer.MaxPool1d("pool2", 2, 2, 0, 0),
                new Layer.Flatten("flatten", FlattenOrder.CHANNEL_MAJOR),
                new Layer.ConcatHalfLife("halflife", HALF_LIFE),
                new Layer.Dense("dense1", 20 + HALF_LIFE, 6, Activation.RELU),
                new Layer.Dropout("dropout1", 0.1f),
                new Layer.Dense("dense2", 6, 3, Activation.NONE)));
        // Keras-style: 'same' padding (2, 3), valid pooling, position-major flatten, two hidden dense layers
        Architecture tissue = new Architecture(List.of(
                new Layer.Conv1d("conv1", 4, 8, 6, 2, 3, Activation.RELU),
                new Layer.MaxPool1d("pool1", 30, 30, 0, 0),
                new Layer.Conv1d("conv2", 8, 4, 9, 4, 4, Activation.RELU),
                new Layer.MaxPool1d("pool2", 2, 2, 0, 0),
                new Layer.Flatten("flatten", FlattenOrder.POSITION_MAJOR),
                new Layer.ConcatHalfLife("halflife", HALF_LIFE),
                new Layer.Dense("dense1", 20 + HALF_LIFE, 6, Activation.RELU),
                new Layer.Dense("dense2", 6, 2, Activation.RELU),
                new Layer.Dense("dense3", 2, 1, Activation.NONE)));
        List<Kernels> kernels = new ArrayList<>(List.of(new ScalarKernels()));
        if (!Kernels.best().name().equals("scalar")) {
            kernels.add(Kernels.best());
        }
        return kernels.stream().flatMap(k -> Stream.of(new Case("multitask", multitask, scep, k),
                new Case("tissue-keras", tissue, xpresso, k)));
    }

    private static byte[] window(Random rnd, int n) {
        byte[] ascii = new byte[n];
        for (int i = 0; i < n; i++) {
            ascii[i] = (byte) (rnd.nextInt(40) == 0 ? "NRYKMSWBDHV".charAt(rnd.nextInt(11)) : "ACGTacgt".charAt(rnd.nextInt(8)));
        }
        byte[] codes = new byte[n];
        BaseCodes.encode(ascii, n, codes, 0);
        return codes;
    }

    @ParameterizedTest
    @MethodSource("cases")
    void everyLayerMatchesFiniteDifferences(Case c) {
        Random rnd = new Random(7);
        Map<String, dev.scep.formats.model.Tensor> init = ParameterInit.pytorchDefault(c.arch(), 3);
        Parameters params = Parameters.of(c.arch(), init);
        byte[] codes = window(rnd, c.encoding().windowLength());
        float[] halfLife = {0.3f, -1.2f, 0.7f};
        int outputs = c.arch().outputCount();
        float[] r = new float[outputs];
        for (int o = 0; o < outputs; o++) {
            r[o] = (float) rnd.nextGaussian();
        }

        TrainingNetwork net = new TrainingNetwork(c.arch(), c.encoding(), HALF_LIFE, c.kernels());
        TrainingNetwork.Work work = net.newWork();
        work.setCodes(codes);
        TrainingNetwork.Packed packed = net.pack(params);
        float[] y = net.forward(packed, work, halfLife, null);
        double[] reference = objectiveOutputs(c, params, codes, halfLife);
        for (int o = 0; o < outputs; o++) {
            assertThat((double) y[o]).isCloseTo(reference[o], org.assertj.core.api.Assertions.within(1e-5 * (1 + Math.abs(reference[o]))));
        }
        TrainingNetwork.Gradients g = net.newGradients();
        net.backward(packed, work, r, g);
        Parameters analytic = Parameters.zeros(c.arch());
        g.addTo(analytic);

        int checked = 0;
        for (Architecture.ParameterShape s : c.arch().parameterShapes()) {
            float[] w = params.get(s.name());
            float[] grad = analytic.get(s.name());
            double scale = 1e-3;
            for (float v : grad) {
                scale = Math.max(scale, Math.abs(v));
            }
            int[] indices = w.length <= 40 ? IntStream.range(0, w.length).toArray()
                    : rnd.ints(40, 0, w.length).toArray();
            for (int i : indices) {
                float original = w[i];
                float up = original + 1e-4f;
                float down = original - 1e-4f;
                w[i] = up;
                double fUp = objective(c, params, codes, halfLife, r);
                w[i] = down;
                double fDown = objective(c, params, codes, halfLife, r);
                w[i] = original;
                double numeric = (fUp - fDown) / ((double) up - (double) down);
                assertThat((double) grad[i]).as("%s[%d] (%s)", s.name(), i, c)
                        .isCloseTo(numeric, org.assertj.core.api.Assertions.within(2e-3 * scale));
                checked++;
            }
            assertThat(scale).as("%s has a non-trivial gradient", s.name()).isGreaterThan(1e-3);
        }
        assertThat(checked).isGreaterThan(100);
    }

    private static double[] objectiveOutputs(Case c, Parameters params, byte[] codes, float[] halfLife) {
        ScepModel m = new ScepModel(c.arch(), c.encoding(),
                IntStream.range(0, c.arch().outputCount()).mapToObj(i -> OutputSpec.unscaled("o" + i)).toList(),
                List.of(HalfLifeFeature.raw("a"), HalfLifeFeature.raw("b"), HalfLifeFeature.raw("c")), Map.of(),
                List.of(params.toTensors()));
        return ReferenceForward.forward(m, 0, codes, halfLife);
    }

    private static double objective(Case c, Parameters params, byte[] codes, float[] halfLife, float[] r) {
        double[] y = objectiveOutputs(c, params, codes, halfLife);
        double s = 0;
        for (int o = 0; o < y.length; o++) {
            s += r[o] * y[o];
        }
        return s;
    }
}
