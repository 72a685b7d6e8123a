package dev.scep.runtime;

import dev.scep.formats.model.AmbiguityRule;
import dev.scep.formats.model.SequenceEncoding;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The input values of DESIGN §3, written out by hand. */
class BaseCodesTest {
    private static double[] channels(char base, SequenceEncoding enc) {
        int mask = BaseCodes.mask((byte) base);
        int[] bases = BaseCodes.channelBases(enc);
        double[] v = new double[4];
        for (int ch = 0; ch < 4; ch++) {
            v[ch] = BaseCodes.channelValue(mask, bases[ch], enc.ambiguity());
        }
        return v;
    }

    @Test
    void scepEncodingIsACTGWithFractionalAmbiguity() {
        SequenceEncoding e = SequenceEncoding.SCEP;
        assertThat(channels('A', e)).containsExactly(1, 0, 0, 0);
        assertThat(channels('C', e)).containsExactly(0, 1, 0, 0);
        assertThat(channels('T', e)).containsExactly(0, 0, 1, 0);
        assertThat(channels('g', e)).containsExactly(0, 0, 0, 1);
        assertThat(channels('N', e)).containsExactly(0.25, 0.25, 0.25, 0.25);
        assertThat(channels('R', e)).containsExactly(0.5, 0, 0, 0.5);   // A/G
        assertThat(channels('Y', e)).containsExactly(0, 0.5, 0.5, 0);   // C/T
        assertThat(channels('B', e)).containsExactly(0, 1.0 / 3, 1.0 / 3, 1.0 / 3); // not A
        assertThat(channels('H', e)).containsExactly(1.0 / 3, 1.0 / 3, 1.0 / 3, 0); // not G
    }

    @Test
    void xpressoEncodingIsACGTWithZeroAmbiguity() {
        SequenceEncoding e = SequenceEncoding.XPRESSO;
        assertThat(e.ambiguity()).isEqualTo(AmbiguityRule.ZERO);
        assertThat(channels('A', e)).containsExactly(1, 0, 0, 0);
        assertThat(channels('G', e)).containsExactly(0, 0, 1, 0);
        assertThat(channels('t', e)).containsExactly(0, 0, 0, 1);
        assertThat(channels('N', e)).containsExactly(0, 0, 0, 0);
        assertThat(channels('R', e)).containsExactly(0, 0, 0, 0);
    }

    @Test
    void nonNucleotideCharactersAreInvalid() {
        for (char c : "XZ-.*0 \n>".toCharArray()) {
            assertThat(BaseCodes.mask((byte) c)).as("'%s'", c).isEqualTo(-1);
        }
    }
}
