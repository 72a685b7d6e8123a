package dev.scep.train.cpu;

import dev.scep.formats.model.Activation;
import dev.scep.formats.model.Architecture;
import dev.scep.formats.model.FlattenOrder;
import dev.scep.formats.model.Layer;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class OptimiserTest {
    private static final Architecture TINY = new Architecture(List.of(
            new Layer.Conv1d("conv1", 4, 2, 3, 1, 1, Activation.RELU),
            new Layer.MaxPool1d("pool1", 2, 2, 0, 0),
            new Layer.Flatten("flatten", FlattenOrder.CHANNEL_MAJOR),
            new Layer.ConcatHalfLife("halflife", 0),
            new Layer.Dense("dense1", 4, 1, Activation.NONE)));

    @Test
    void adamFollowsPytorchsUpdateRule() {
        Parameters p = Parameters.zeros(TINY);
        Parameters g = Parameters.zeros(TINY);
        float[] w = p.get("dense1.weight");
        float[] gw = g.get("dense1.weight");
        w[0] = 1f;
        gw[0] = 0.5f;
        gw[1] = -2f;
        Adam adam = new Adam(p);
        adam.step(p, g, 0.01);
        // step 1: m = 0.1 g, v = 0.001 g², bias-corrected m/√v = sign(g): p moves by lr against the gradient
        assertThat((double) w[0]).isCloseTo(1 - 0.01, within(1e-6));
        assertThat((double) w[1]).isCloseTo(0.01, within(1e-6));
        assertThat(w[2]).isZero();
        adam.step(p, g, 0.01);
        // step 2 with the same gradient: m̂ = g, v̂ = g², the same step again
        assertThat((double) w[0]).isCloseTo(1 - 0.02, within(1e-6));
        // a hand-computed third step after the gradient flips: m = 0.271·0.5·0.9... checked against the formula
        gw[0] = -0.5f;
        double m = 0.9 * (0.9 * 0.05 + 0.05) + 0.1 * -0.5;
        double v = 0.999 * (0.999 * 0.00025 + 0.00025) + 0.001 * 0.25;
        double expected = (1 - 0.02) - 0.01 / (1 - Math.pow(0.9, 3)) * m / (Math.sqrt(v) / Math.sqrt(1 - Math.pow(0.999, 3)) + 1e-8);
        adam.step(p, g, 0.01);
        assertThat((double) w[0]).isCloseTo(expected, within(1e-6));
        assertThat(adam.stepCount()).isEqualTo(3);
    }

    @Test
    void plateauSchedulerWaitsPatienceEpochsThenDivides() {
        PlateauScheduler s = new PlateauScheduler(1e-3, 0.1, 2);
        assertThat(s.step(1.0)).isFalse();
        assertThat(s.step(0.9)).isFalse();            // improvement
        assertThat(s.step(0.89995)).isFalse();        // within the 1e-4 relative threshold: a bad epoch
        assertThat(s.step(0.95)).isFalse();           // 2 bad epochs: not more than patience yet
        assertThat(s.step(0.95)).isTrue();            // 3 > 2: reduced
        assertThat(s.learningRate()).isCloseTo(1e-4, within(1e-12));
        assertThat(s.step(0.95)).isFalse();           // the count starts again
    }
}
