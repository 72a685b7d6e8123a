package dev.scep.runtime.variants;

import dev.scep.formats.text.InputFormatException;
import dev.scep.formats.text.JasparMotif;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** Motif scores worked out by hand on two-base motifs. */
class MotifScanTest {
    // three sequences of AC (counts 3 of one base per column): with pseudocount 0.25 a column totals 4, so the seen base
    // has p = 3.25 / 4 and the others 0.25 / 4; log-odds against 0.25: log2(3.25) and log2(0.25) = -2
    static final double HIT = Math.log(3.25) / Math.log(2);
    static final double MISS = -2;
    static final JasparMotif AC = new JasparMotif("M1", "AC", new double[][]{{3, 0}, {0, 3}, {0, 0}, {0, 0}});
    static final JasparMotif GG = new JasparMotif("M2", "GG", new double[][]{{0, 0}, {0, 0}, {3, 3}, {0, 0}});
    final MotifScan scan = MotifScan.of(List.of(GG, AC));

    @TempDir
    Path dir;

    @Test
    void logOddsUseAQuarterPseudocountAgainstAUniformBackground() {
        double[][] lo = MotifScan.logOdds(AC);
        assertThat(lo[0][0]).isCloseTo(HIT, within(1e-12));
        assertThat(lo[1][0]).isCloseTo(MISS, within(1e-12));
        assertThat(lo[1][1]).isCloseTo(HIT, within(1e-12));
        assertThat(scan.flank()).isEqualTo(1);
    }

    @Test
    void aLostPlusStrandMatchIsTheLargestChange() {
        // REF TAC: AC at the allele scores 2 HIT; ALT TGC: best GC (+, one hit one miss; - ties and + comes first)
        // GG: REF best is AC under CC (-, HIT + MISS); ALT TG/GC under GG score HIT + MISS: no change, so AC wins
        MotifScan.Change c = scan.scan("TT", "A", "G", "CT");
        assertThat(c.motif().id()).isEqualTo("M1");
        assertThat(c.ref().score()).isCloseTo(2 * HIT, within(1e-12));
        assertThat(c.alt().score()).isCloseTo(HIT + MISS, within(1e-12));
        assertThat(c.change()).isCloseTo(MISS - HIT, within(1e-12));
        assertThat(c.effect()).isEqualTo("lost");
        assertThat(c.best()).isEqualTo(new MotifScan.Match(2 * HIT, '+', 0));
        assertThat(VariantScoringJob.motifColumns(c)).isEqualTo("\tM1\tAC\t3.401\t-0.300\t-3.701\tlost\t+\t0");

        // swapped alleles: the same motif, the change negated, ALT's match the best
        MotifScan.Change s = scan.scan("TT", "G", "A", "CT");
        assertThat(s.motif().id()).isEqualTo("M1");
        assertThat(s.change()).isCloseTo(-c.change(), within(1e-12));
        assertThat(s.effect()).isEqualTo("gained");
        assertThat(s.best()).isEqualTo(new MotifScan.Match(2 * HIT, '+', 0));
        assertThat(VariantScoringJob.motifColumns(s)).isEqualTo("\tM1\tAC\t-0.300\t3.401\t3.701\tgained\t+\t0");
    }

    @Test
    void minusStrandMatchesAreFoundThroughTheReverseComplement() {
        // REF GTA: GT is AC's reverse complement, starting one base before the allele; ALT GAA: GA under GT (-, -1)
        MotifScan.Change c = scan.scan("CG", "T", "A", "AC");
        assertThat(c.motif().id()).isEqualTo("M1");
        assertThat(c.ref()).isEqualTo(new MotifScan.Match(2 * HIT, '-', -1));
        assertThat(c.alt()).isEqualTo(new MotifScan.Match(HIT + MISS, '-', -1));
        assertThat(c.effect()).isEqualTo("lost");
    }

    @Test
    void indelsScoreTheEditedSequenceAndNScoresTheColumnMean() {
        // insertion A -> AC between T and T: REF TAT's best is AT (+, one hit one miss); ALT TACT has AC at the allele
        MotifScan one = MotifScan.of(List.of(AC));
        MotifScan.Change ins = one.scan("T", "A", "AC", "T");
        assertThat(ins.alt()).isEqualTo(new MotifScan.Match(2 * HIT, '+', 0));
        assertThat(ins.ref()).isEqualTo(new MotifScan.Match(HIT + MISS, '+', 0));
        assertThat(ins.effect()).isEqualTo("gained");
        // (with GG too, GG's CC gains exactly as much, HIT + MISS from 2 MISS: a tie, and the first motif wins)
        assertThat(scan.scan("T", "A", "AC", "T").motif().id()).isEqualTo("M2");
        // an N scores its column's mean: REF AC scores 2 HIT, ALT AN scores HIT + mean
        double mean = (HIT + 3 * MISS) / 4;
        MotifScan.Change n = one.scan("A", "C", "N", "");
        assertThat(n.ref().score()).isCloseTo(2 * HIT, within(1e-12));
        assertThat(n.alt().score()).isCloseTo(HIT + mean, within(1e-12));
        // nothing fits a sequence shorter than every motif
        assertThat(one.scan("", "A", "C", "")).isNull();
    }

    @Test
    void aFolderOfMatricesLoadsAndBadOnesNameTheFile() throws Exception {
        Files.writeString(dir.resolve("X1.pfm"), "3 0\n0 3\n0 0\n0 0\n");
        Files.writeString(dir.resolve("matrix_list.txt"), "X1\t1.0\tTHEAC\tfamily\n");
        MotifScan loaded = MotifScan.load(dir);
        assertThat(loaded.motifs()).extracting(JasparMotif::name).containsExactly("THEAC");
        assertThat(loaded.scan("TT", "A", "G", "CT").change()).isCloseTo(MISS - HIT, within(1e-12));
        Files.writeString(dir.resolve("X2.pfm"), "3 0\n0 3\n0 x\n0 0\n");
        assertThatThrownBy(() -> MotifScan.load(dir)).isInstanceOf(InputFormatException.class).hasMessageContaining("X2.pfm");
        Path empty = Files.createDirectory(dir.resolve("empty"));
        assertThatThrownBy(() -> MotifScan.load(empty)).hasMessageContaining(empty.toString()).hasMessageContaining("no .pfm");
    }
}
