package dev.scep.runtime;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The logo's letter heights: a reference base's importance is minus the mean change of its substitutions. */
class IsmPlotTest {
    @Test
    void importanceIsMinusTheMeanSubstitutionEffect() {
        IsmResult r = new IsmResult(List.of("a", "b"), "AC".getBytes(), 1, new int[]{0, 0, 0, 1, 1, 1},
                "CGTAGT".getBytes(), new float[]{-0.3f, 9, -0.6f, 9, 0.0f, 9, 0.2f, 9, 0.1f, 9, 0.3f, 9});
        float[] a = IsmPlot.importance(r, 0);
        assertThat(a[0]).isEqualTo(0.3f, org.assertj.core.api.Assertions.within(1e-6f));    // mutating A lowers: A matters up
        assertThat(a[1]).isEqualTo(-0.2f, org.assertj.core.api.Assertions.within(1e-6f));   // mutating C raises: C pulls down
        assertThat(IsmPlot.importance(r, 1)).containsExactly(-9f, -9f);
    }
}
