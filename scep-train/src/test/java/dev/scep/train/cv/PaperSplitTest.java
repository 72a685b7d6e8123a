package dev.scep.train.cv;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PaperSplitTest {

    static Path example() {
        Path p = Path.of(System.getProperty("scep.shared.data", "../shared/data"), "scep-pytorch-example");
        Assumptions.assumeTrue(Files.isDirectory(p), "no " + p);
        return p;
    }

    /** The original's own split of the example's 2,400 rows (folds.tsv, written with numpy and scikit-learn). */
    @Test
    void reproducesTheOriginalSplitOfTheExample() throws Exception {
        List<String> lines = Files.readAllLines(example().resolve("folds.tsv"));
        assertThat(lines.getFirst()).isEqualTo("gene\ttest_fold\trole_in_fold_3");
        int genes = lines.size() - 1;
        PaperSplit split = PaperSplit.of(genes);
        int[] validation = split.validation(3);
        int[] training = split.training(3);
        boolean[] isValidation = new boolean[genes];
        boolean[] isTraining = new boolean[genes];
        for (int g : validation) {
            isValidation[g] = true;
        }
        for (int g : training) {
            isTraining[g] = true;
        }
        int checked = 0;
        for (int g = 0; g < genes; g++) {
            String[] f = lines.get(g + 1).split("\t");
            assertThat(split.testFold(g)).as("test fold of row %d (%s)", g, f[0]).isEqualTo(Integer.parseInt(f[1]));
            String role = split.testFold(g) == 3 ? "test" : isValidation[g] ? "validation" : isTraining[g] ? "train" : "?";
            assertThat(role).as("role in fold 3 of row %d (%s)", g, f[0]).isEqualTo(f[2]);
            checked++;
        }
        assertThat(checked).isEqualTo(2400);
        assertThat(validation).hasSize(1000);
        assertThat(training).hasSize(1280);
        assertThat(split.test(3)).hasSize(120);
    }

    @Test
    void twentyThousandGenesSplitInUnderASecond() {
        long t0 = System.nanoTime();
        PaperSplit split = PaperSplit.of(20_000);
        int total = 0;
        for (int f = 0; f < split.folds(); f++) {
            total += split.test(f).length;
            assertThat(split.validation(f)).hasSize(1000);
            assertThat(split.training(f)).hasSize(20_000 - 1000 - 1000);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertThat(total).isEqualTo(20_000);
        assertThat(seconds).as("seconds for all 20 folds").isLessThan(1.0);
    }

    /** The reference MT19937 outputs: init_genrand(5489) starts 3499211612, init_genrand(0) 2357136044, 2546248239. */
    @Test
    void mersenneTwisterMatchesTheReferenceSeeding() {
        NumpyRandomState r = new NumpyRandomState(5489);
        assertThat(r.nextUint32()).isEqualTo(3499211612L);
        NumpyRandomState zero = new NumpyRandomState(0);
        assertThat(zero.nextUint32()).isEqualTo(2357136044L);
        assertThat(zero.nextUint32()).isEqualTo(2546248239L);
    }

    /** What cross-validation uses with --split scep-paper: the same sets, whatever the run's seed. */
    @Test
    void crossValidationFoldsFollowThePaperSplit() {
        PaperSplit paper = PaperSplit.of(2400);
        Folds folds = Folds.of(Split.SCEP_PAPER, 2400, 20, 1000, 12345);
        assertThat(folds.count()).isEqualTo(20);
        for (int f = 0; f < 20; f++) {
            assertThat(folds.test(f)).containsExactly(paper.test(f));
            assertThat(folds.validation(f)).containsExactly(paper.validation(f));
            assertThat(folds.train(f)).containsExactly(paper.training(f));
        }
        assertThat(Split.ofLabel("scep-paper")).isEqualTo(Split.SCEP_PAPER);
        assertThatThrownBy(() -> Split.ofLabel("paper")).hasMessageContaining("scep-paper");
    }

    @Test
    void refusesMoreFoldsThanGenes() {
        assertThatThrownBy(() -> PaperSplit.of(10)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("20");
        assertThatThrownBy(() -> PaperSplit.of(100).test(20)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("fold 20");
    }
}
