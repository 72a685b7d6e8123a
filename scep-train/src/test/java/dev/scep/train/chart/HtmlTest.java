package dev.scep.train.chart;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class HtmlTest {
    @Test
    void textIsSafeInContentAndInQuotedAttributes() {
        // a population named L2/3 "IT" <x> & y: no tag opens, no attribute ends early
        assertThat(Html.escape("L2/3 \"IT\" <x> & y")).isEqualTo("L2/3 &quot;IT&quot; &lt;x&gt; &amp; y");
    }
}
