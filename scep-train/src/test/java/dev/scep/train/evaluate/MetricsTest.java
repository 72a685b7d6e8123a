package dev.scep.train.evaluate;

import org.junit.jupiter.api.Test;

import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class MetricsTest {
    @Test
    void pearsonAndMedianAgreeWithHandValues() {
        assertThat(Metrics.pearson(new double[]{1, 2, 3, 4}, new double[]{2, 4, 6, 8})).isCloseTo(1, within(1e-12));
        assertThat(Metrics.pearson(new double[]{1, 2, 3}, new double[]{3, 2, 1})).isCloseTo(-1, within(1e-12));
        // x = 1..5, y = 2, 1, 4, 3, 5: Sxy = 8, Sxx = Syy = 10
        assertThat(Metrics.pearson(new double[]{1, 2, 3, 4, 5}, new double[]{2, 1, 4, 3, 5})).isCloseTo(0.8, within(1e-12));
        assertThat(Metrics.pearson(new double[]{1, 1, 1}, new double[]{1, 2, 3})).isNaN();
        assertThat(Metrics.median(new double[]{3, Double.NaN, 1, 2})).isEqualTo(2);
        assertThat(Metrics.median(new double[]{4, 1, 3, 2})).isEqualTo(2.5);
        assertThat(Metrics.median(IntStream.range(0, 0).asDoubleStream().toArray())).isNaN();
    }
}
