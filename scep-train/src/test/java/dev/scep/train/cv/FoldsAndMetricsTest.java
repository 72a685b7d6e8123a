package dev.scep.train.cv;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class FoldsAndMetricsTest {
    @Test
    void foldsPartitionTheGenesAndSplitsDoNotOverlap() {
        Folds f = new Folds(1003, 20, 1000, 7);
        Set<Integer> seen = new HashSet<>();
        for (int fold = 0; fold < 20; fold++) {
            int k = fold;
            int[] test = f.test(k);
            assertThat(test.length).isBetween(50, 51);
            for (int g : test) {
                assertThat(seen.add(g)).isTrue();
            }
            int[] validation = f.validation(k);
            int[] train = f.train(k);
            assertThat(validation.length).isEqualTo((1003 - test.length) / 5); // at most a fifth of the rest
            Set<Integer> v = new HashSet<>();
            Arrays.stream(validation).forEach(v::add);
            assertThat(Arrays.stream(test).noneMatch(v::contains)).isTrue();
            assertThat(Arrays.stream(train).noneMatch(g -> v.contains(g) || f.foldOf(g) == k)).isTrue();
            assertThat(test.length + validation.length + train.length).isEqualTo(1003);
        }
        assertThat(seen).hasSize(1003);
        assertThat(new Folds(1003, 20, 1000, 7).test(3)).containsExactly(f.test(3));
        assertThat(new Folds(1003, 20, 1000, 8).test(3)).isNotEqualTo(f.test(3));
    }

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
