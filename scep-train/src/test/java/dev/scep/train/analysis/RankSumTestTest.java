package dev.scep.train.analysis;

import org.junit.jupiter.api.Test;

import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The one-sided rank-sum test against scipy 1.10's {@code mannwhitneyu(x, y, alternative='greater')}. */
class RankSumTestTest {
    @Test
    void exactWithoutTiesAsScipy() {
        RankSumTest.Result r = RankSumTest.greater(new double[]{0.61, 0.58, 0.66, 0.70, 0.64},
                new double[]{0.52, 0.60, 0.55, 0.57, 0.49, 0.59});
        assertThat(r.exact()).isTrue();
        assertThat(r.u()).isEqualTo(28.0);
        assertThat(r.p()).isCloseTo(0.008658008658008658, within(1e-12));
    }

    @Test
    void exactForTwentyFoldsAsScipy() {
        double[] own = {0.5, 0.53577, 0.548332, 0.535813, 0.519401, 0.523864, 0.554775, 0.593394, 0.613891, 0.6071,
                0.588943, 0.58579, 0.610219, 0.649447, 0.677087, 0.677403, 0.659784, 0.650105, 0.666944, 0.704496};
        double[] other = {0.48, 0.477262, 0.459621, 0.453458, 0.474601, 0.513773, 0.545121, 0.549985, 0.534056, 0.52214,
                0.535354, 0.571712, 0.607947, 0.620908, 0.608839, 0.592999, 0.598112, 0.62964, 0.668757, 0.689661};
        RankSumTest.Result r = RankSumTest.greater(own, other);
        assertThat(r.u()).isEqualTo(270.0);
        assertThat(r.p()).isCloseTo(0.029781915780851795, within(1e-12));
    }

    @Test
    void normalApproximationWithTiesAsScipy() {
        RankSumTest.Result r = RankSumTest.greater(new double[]{1, 2, 2, 3, 4, 4, 5}, new double[]{1, 1, 2, 3, 3, 3});
        assertThat(r.exact()).isFalse();
        assertThat(r.u()).isEqualTo(28.5);
        assertThat(r.p()).isCloseTo(0.15217086920123174, within(1e-6));
    }

    @Test
    void normalApproximationForLargeSamplesAsScipy() {
        double[] x = IntStream.iterate(0, i -> i < 120, i -> i + 2).asDoubleStream().toArray();
        double[] y = IntStream.iterate(1, i -> i < 120, i -> i + 3).asDoubleStream().toArray();
        RankSumTest.Result r = RankSumTest.greater(x, y);
        assertThat(r.exact()).isFalse();
        assertThat(r.u()).isEqualTo(1190.0);
        assertThat(r.p()).isCloseTo(0.5294479305950696, within(1e-6));
    }

    @Test
    void edgeCases() {
        assertThat(RankSumTest.greater(new double[]{}, new double[]{1}).p()).isNaN();
        assertThat(RankSumTest.greater(new double[]{Double.NaN, 3}, new double[]{1, 2}).u()).isEqualTo(2.0);
        assertThat(RankSumTest.greater(new double[]{1, 1}, new double[]{1, 1}).p()).isEqualTo(1.0);
        // the exact tail sums to one and is 1/C(6,3) at the top
        assertThat(RankSumTest.exactUpperTail(3, 3, 9)).isCloseTo(0.05, within(1e-15));
        assertThat(RankSumTest.exactUpperTail(3, 3, 0)).isEqualTo(1.0);
        assertThat(RankSumTest.erfc(0)).isCloseTo(1.0, within(1e-7));
        assertThat(RankSumTest.erfc(1)).isCloseTo(0.15729920705028513, within(1e-7));
    }
}
