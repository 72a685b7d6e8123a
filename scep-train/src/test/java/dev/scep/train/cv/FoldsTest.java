package dev.scep.train.cv;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class FoldsTest {
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
}
