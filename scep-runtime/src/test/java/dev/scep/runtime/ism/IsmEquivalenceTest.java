package dev.scep.runtime.ism;

import dev.scep.runtime.IsmResult;
import dev.scep.formats.keras.KerasImporter;
import dev.scep.formats.model.ScepModel;
import dev.scep.formats.text.FastaReader;
import dev.scep.formats.text.Sequences;
import dev.scep.runtime.HalfLifeInput;
import dev.scep.runtime.Predictor;
import dev.scep.runtime.RandomModels;
import dev.scep.runtime.cpu.Kernels;
import dev.scep.runtime.cpu.ScalarKernels;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Incremental ISM against one full forward pass per mutant, on every substitution of a window. */
class IsmEquivalenceTest {
    private static Path shared(String relative) {
        Path p = Path.of(System.getProperty("scep.shared.data", "../shared/data"), relative);
        assumeTrue(Files.exists(p), "shared data not found at " + p);
        return p;
    }

    private static void assertSame(IsmResult inc, IsmResult naive, float[] reference) {
        assertThat(inc.substitutions()).isEqualTo(naive.substitutions());
        assertThat(inc.position()).containsExactly(naive.position());
        assertThat(inc.alt()).containsExactly(naive.alt());
        int outputs = inc.outputs().size();
        int nonZero = 0;
        for (int e = 0; e < inc.substitutions(); e++) {
            for (int o = 0; o < outputs; o++) {
                double tolerance = 1e-5 * Math.max(1, Math.abs(reference[o]));
                float a = inc.delta(e, o);
                float b = naive.delta(e, o);
                if (Math.abs(a - b) > tolerance) {
                    throw new AssertionError("position " + inc.position()[e] + " alt " + (char) inc.alt()[e] + " output " + o
                            + ": incremental " + a + ", naive " + b);
                }
                nonZero += a != 0 ? 1 : 0;
            }
        }
        assertThat(nonZero).as("substitutions with an effect").isGreaterThan(inc.substitutions() / 10);
    }

    @Test
    void theXpressoModelOnARealWindowOfTheAlphaGlobinRegion() throws IOException {
        ScepModel m = KerasImporter.importModel(shared("xpresso-pretrained/xpresso_human.h5"), KerasImporter.Options.xpressoDefaults());
        byte[] region;
        try (FastaReader r = new FastaReader(shared("hg38-chr16-alpha-globin/region.fa"))) {
            region = r.next().sequence();
        }
        // Kipoi's kipoi_181 window: the reverse complement of [38952, 49452) (0-based, minus strand)
        byte[] window = Sequences.reverseComplement(Arrays.copyOfRange(region, 38952, 49452));
        HalfLifeInput hl = HalfLifeInput.zeros(6);
        try (Predictor p = Predictor.of(m); IncrementalIsm ism = new IncrementalIsm(m, Kernels.best(), 2)) {
            IsmResult inc = ism.run(window, hl);
            assertThat(inc.substitutions()).isEqualTo(31_500);
            assertSame(inc, NaiveIsm.run(p, window, hl), p.predict(window, hl));
        }
    }

    @Test
    void randomScepModelsWithEnsemblesAmbiguousBasesAndBothKernels() {
        ScepModel m = RandomModels.scep(20, 2, 9);
        byte[] window = RandomModels.window(m.windowLength(), 4);
        Arrays.fill(window, 100, 160, (byte) 'N');      // an N run (ambiguous reference: four alternatives)
        HalfLifeInput hl = HalfLifeInput.raw(RandomModels.halfLife(5, 2));
        try (Predictor p = Predictor.of(m)) {
            IsmResult naive = NaiveIsm.run(p, window, hl);
            float[] reference = p.predict(window, hl);
            for (Kernels k : new Kernels[]{Kernels.best(), new ScalarKernels()}) {
                try (IncrementalIsm ism = new IncrementalIsm(m, k, 2)) {
                    IsmResult inc = ism.run(window, hl);
                    assertThat(inc.substitutions()).isGreaterThan(31_500); // positions with an ambiguity code have four alternatives
                    assertSame(inc, naive, reference);
                }
            }
        }
        ScepModel tissue = RandomModels.tissue(3);
        byte[] w2 = RandomModels.window(tissue.windowLength(), 8);
        try (Predictor p = Predictor.of(tissue); IncrementalIsm ism = new IncrementalIsm(tissue, Kernels.best(), 1)) {
            assertSame(ism.run(w2, HalfLifeInput.zeros(5)), NaiveIsm.run(p, w2, HalfLifeInput.zeros(5)), p.predict(w2, HalfLifeInput.zeros(5)));
        }
    }

    @Test
    void aPreparedGeneScoresSingleSubstitutionsLikeAFullForwardPass() {
        ScepModel m = RandomModels.scep(4, 2, 21);
        byte[] window = RandomModels.window(m.windowLength(), 12);
        HalfLifeInput hl = HalfLifeInput.raw(RandomModels.halfLife(5, 3));
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(5);
        try (Predictor p = Predictor.of(m); IncrementalIsm ism = new IncrementalIsm(m, Kernels.best(), 1)) {
            IncrementalIsm.Gene gene = ism.gene(window, hl);
            float[] reference = p.predict(window, hl);
            for (int i = 0; i < 200; i++) {
                int pos = rnd.nextInt(window.length);
                char alt = "ACGT".charAt(rnd.nextInt(4));
                byte[] mutant = window.clone();
                mutant[pos] = (byte) alt;
                float[] full = p.predict(mutant, hl);
                float[] effect = gene.effect(pos, alt);
                for (int o = 0; o < 4; o++) {
                    double expected = Character.toUpperCase((char) window[pos]) == alt ? 0 : full[o] - reference[o];
                    assertThat((double) effect[o]).as("position %d alt %s output %d", pos, alt, o)
                            .isCloseTo(expected, org.assertj.core.api.Assertions.within(1e-5 * Math.max(1, Math.abs(reference[o]))));
                }
            }
            assertThat(gene.referenceBase(7000)).isEqualTo(Character.toUpperCase((char) window[7000]));
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> gene.effect(10_500, 'A')).hasMessageContaining("outside");
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> gene.effect(5, 'N')).hasMessageContaining("A, C, G or T");
        }
    }

    @Test
    void aPreparedGeneWithoutCachedRowsAgreesWithWholeWindowIsmAtTheEdgesAndPoolBoundaries() {
        ScepModel m = RandomModels.scep(3, 2, 33);
        byte[] window = RandomModels.window(m.windowLength(), 14);
        HalfLifeInput hl = HalfLifeInput.raw(RandomModels.halfLife(5, 4));
        for (Kernels k : new Kernels[]{Kernels.best(), new ScalarKernels()}) {
            try (IncrementalIsm ism = new IncrementalIsm(m, k, 1)) {
                ism.run(RandomModels.window(m.windowLength(), 99), hl);   // leaves its row buffers for the next run
                IsmResult all = ism.run(window, hl);
                IncrementalIsm.Gene gene = ism.gene(window, hl);
                int checked = 0;
                for (int e = 0; e < all.substitutions(); e++) {
                    int pos = all.position()[e];
                    // both window ends, the first pool windows' boundaries (29..31, 59..61), and every 37th position
                    if (pos > 70 && pos < window.length - 70 && pos % 37 != 0) {
                        continue;
                    }
                    float[] effect = gene.effect(pos, (char) all.alt()[e]);
                    for (int o = 0; o < 3; o++) {
                        assertThat(effect[o]).as("%s position %d alt %c output %d", k.name(), pos, (char) all.alt()[e], o)
                                .isCloseTo(all.delta(e, o), org.assertj.core.api.Assertions.within(1e-6f));
                    }
                    checked++;
                }
                assertThat(checked).isGreaterThan(1_000);
            }
        }
    }

    @Test
    void aGeneBuiltOnARecycledGenesBuffersScoresExactlyLikeAFreshOne() {
        ScepModel m = RandomModels.scep(5, 2, 41);   // an ensemble: every member's buffers are taken over
        byte[] first = RandomModels.window(m.windowLength(), 7);
        byte[] second = RandomModels.window(m.windowLength(), 8);
        HalfLifeInput hl1 = HalfLifeInput.raw(RandomModels.halfLife(5, 1));
        HalfLifeInput hl2 = HalfLifeInput.raw(RandomModels.halfLife(5, 2));
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(9);
        try (IncrementalIsm ism = new IncrementalIsm(m, Kernels.best(), 1); IncrementalIsm other = new IncrementalIsm(m, Kernels.best(), 1)) {
            IncrementalIsm.Gene old = ism.gene(first, hl1);
            old.effect(123, 'A');
            IncrementalIsm.Gene recycled = ism.gene(second, hl2, old);
            IncrementalIsm.Gene fresh = ism.gene(second, hl2);
            for (int i = 0; i < 300; i++) {
                int pos = rnd.nextInt(second.length);
                char alt = "ACGT".charAt(rnd.nextInt(4));
                assertThat(recycled.effect(pos, alt)).as("position %d alt %s", pos, alt).containsExactly(fresh.effect(pos, alt));
            }
            assertThat(recycled.referenceBase(7000)).isEqualTo(Character.toUpperCase((char) second[7000]));
            IncrementalIsm.Gene foreign = other.gene(first, hl1);
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> ism.gene(second, hl2, foreign))
                    .hasMessageContaining("another IncrementalIsm");
        }
    }
}
