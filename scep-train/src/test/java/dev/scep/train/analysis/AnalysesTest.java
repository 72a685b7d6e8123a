package dev.scep.train.analysis;

import dev.scep.train.cv.CvPredictions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * The four analyses on hand-made predictions whose answers are known by construction: a model that predicts a
 * population exactly scores r = 1 on it, an unrelated one about 0.
 */
class AnalysesTest {
    private static final String T = "tissue=t";
    private static final String A = T + "/class=A";
    private static final String B = T + "/class=B";
    private static final List<String> SUB = List.of(A + "/sub=a1", A + "/sub=a2", B + "/sub=L2/3 IT", B + "/sub=b2");
    private static final int GENES = 400;
    private static final int FOLDS = 4;

    @TempDir
    Path dir;

    /**
     * Observed values: per finest population, a shared part plus its class's part plus its own, the own part larger
     * from population to population (so they resemble the tissue less and less).
     */
    private static double[][] observedFinest() {
        SplittableRandom rnd = new SplittableRandom(7);
        double[][] o = new double[GENES][SUB.size()];
        for (int g = 0; g < GENES; g++) {
            double shared = rnd.nextGaussian();
            double[] cls = {rnd.nextGaussian(), rnd.nextGaussian()};
            for (int p = 0; p < SUB.size(); p++) {
                o[g][p] = shared + cls[p / 2] + 0.4 * (1 << p) * rnd.nextGaussian();
            }
        }
        return o;
    }

    private static CvRun run(String label, List<String> pops, double[][] predicted, double[][] observed) {
        List<String> ids = new ArrayList<>();
        int[] fold = new int[GENES];
        float[][] p = new float[GENES][pops.size()];
        float[][] o = new float[GENES][pops.size()];
        for (int g = 0; g < GENES; g++) {
            ids.add("G" + g);
            fold[g] = g % FOLDS;
            for (int k = 0; k < pops.size(); k++) {
                p[g][k] = (float) predicted[g][k];
                o[g][k] = (float) observed[g][k];
            }
        }
        return new CvRun(label, Path.of(label + ".tsv"), new CvPredictions(pops, ids, java.util.Collections.nCopies(GENES, null),
                fold, p, o));
    }

    /** Per gene, the mean of the given finest columns. */
    private static double[][] mean(double[][] finest, int[][] groups) {
        double[][] out = new double[GENES][groups.length];
        for (int g = 0; g < GENES; g++) {
            for (int k = 0; k < groups.length; k++) {
                for (int p : groups[k]) {
                    out[g][k] += finest[g][p] / groups[k].length;
                }
            }
        }
        return out;
    }

    @Test
    void theLadderGivesEachFinestPopulationItsAncestorsPrediction() throws Exception {
        double[][] o = observedFinest();
        double[][] tissue = mean(o, new int[][]{{0, 1, 2, 3}});
        double[][] cls = mean(o, new int[][]{{0, 1}, {2, 3}});
        CvRun t = run("tissue", List.of("all"), tissue, tissue);
        CvRun c = run("class", List.of(A, B), cls, cls);
        CvRun s = run("sub", SUB, o, o);                      // a perfect subclass model
        ResolutionLadder ladder = ResolutionLadder.of(List.of(t, c, s));
        assertThat(ladder.levels()).containsExactly("all", "class", "sub");
        assertThat(ladder.rows()).hasSize(12);
        ResolutionLadder.Row aTissue = ladder.rows().get(0);
        assertThat(aTissue.population()).isEqualTo(SUB.get(0));
        assertThat(aTissue.predictedBy()).isEqualTo("tissue:all");
        assertThat(aTissue.foldR()).hasSize(FOLDS);
        assertThat(aTissue.genes()).isEqualTo(GENES);
        // an independent reference: r of the tissue mean and a1 over fold 1's genes
        double[] x = new double[GENES / FOLDS];
        double[] y = new double[GENES / FOLDS];
        for (int g = 0, k = 0; g < GENES; g += FOLDS, k++) {
            x[k] = (float) tissue[g][0];
            y[k] = (float) o[g][0];
        }
        assertThat(aTissue.foldR().get(0)).isCloseTo(dev.scep.train.evaluate.Metrics.pearson(x, y), within(1e-9));
        assertThat(ladder.rows().get(1).predictedBy()).isEqualTo("class:" + A);
        assertThat(ladder.rows().get(7).predictedBy()).isEqualTo("class:" + B);  // L2/3 IT's parent, '/' in the value
        double[] mean = ladder.meanPerLevel();
        assertThat(mean[2]).isCloseTo(1.0, within(1e-6));
        assertThat(mean[0]).isLessThan(mean[1]).isLessThan(mean[2]);

        List<Path> files = ladder.write(dir.resolve("ladder"));
        assertThat(files).extracting(p -> p.getFileName().toString())
                .containsExactly("ladder.tsv", "ladder-folds.tsv", "ladder.png", "ladder.html");
        assertThat(Files.readAllLines(dir.resolve("ladder/ladder.tsv"))).hasSize(13)
                .first().isEqualTo("population\tlevel\tdepth\tpredicted_by\tgenes\tmedian_r");
        assertThat(Files.readAllLines(dir.resolve("ladder/ladder-folds.tsv"))).hasSize(1 + 12 * FOLDS);
        assertThat(ImageIO.read(dir.resolve("ladder/ladder.png").toFile()).getWidth()).isEqualTo(900);
        String html = Files.readString(dir.resolve("ladder/ladder.html"));
        assertThat(html).contains("data:image/png;base64,", "L2/3 IT").doesNotContain("<script");

        assertThatThrownBy(() -> ResolutionLadder.of(List.of(s, run("again", List.of(SUB.get(0)), o, o))))
                .hasMessageContaining("predicted by two runs, sub and again");
        assertThatThrownBy(() -> ResolutionLadder.of(List.of(t))).hasMessageContaining("no nested populations");
    }

    @Test
    void transferScoresEveryModelOnEveryPopulationAndTestsTheOwnModel() throws Exception {
        double[][] o = observedFinest();
        CvRun s = run("sub", SUB, o, o);
        // another dataset: the same genes, reversed gene order, its own values for one population
        double[][] other = new double[GENES][1];
        SplittableRandom rnd = new SplittableRandom(3);
        for (int g = 0; g < GENES; g++) {
            other[g][0] = rnd.nextGaussian();
        }
        CvRun x = run("other", List.of(SUB.get(0)), other, other);   // same name, other values: a separate target
        Transfer t = Transfer.of(List.of(s, x));
        assertThat(t.sources()).hasSize(5);
        assertThat(t.targets()).hasSize(5).contains("other:" + SUB.get(0), "sub:" + SUB.get(0));
        Transfer.Cell own = t.cells().get(0);
        assertThat(own.own()).isTrue();
        assertThat(own.medianR()).isCloseTo(1.0, within(1e-6));
        assertThat(own.pOwnGreater()).isNaN();
        // sub's a1 model on other's population: unrelated, r near 0, and the own model is better in every fold
        Transfer.Cell across = t.cells().get(4);
        assertThat(across.target()).isEqualTo("other:" + SUB.get(0));
        assertThat(Math.abs(across.medianR())).isLessThan(0.25);
        assertThat(across.pOwnGreater()).isCloseTo(RankSumTest.greater(new double[]{1, 1, 1, 1},
                across.foldR().stream().mapToDouble(Double::doubleValue).toArray()).p(), within(1e-12)).isLessThan(0.05);
        List<Path> files = t.write(dir.resolve("transfer"));
        assertThat(files).extracting(p -> p.getFileName().toString())
                .containsExactly("transfer-matrix.tsv", "transfer.tsv", "transfer.png", "transfer.html");
        assertThat(Files.readAllLines(dir.resolve("transfer/transfer.tsv"))).hasSize(1 + 25);
        assertThat(ImageIO.read(dir.resolve("transfer/transfer.png").toFile())).isNotNull();

        assertThatThrownBy(() -> Transfer.of(List.of(s, run("sub", SUB, o, o)))).hasMessageContaining("same label");
    }

    @Test
    void variableGenesFindTheThresholdAboveWhichGenesAreRankedWell() throws Exception {
        // half the genes vary strongly across populations and are predicted well; half hardly vary and are noise
        SplittableRandom rnd = new SplittableRandom(11);
        double[][] o = new double[GENES][SUB.size()];
        double[][] p = new double[GENES][SUB.size()];
        for (int g = 0; g < GENES; g++) {
            double scale = g % 2 == 0 ? 1 : 0.01;
            for (int k = 0; k < SUB.size(); k++) {
                o[g][k] = scale * rnd.nextGaussian();
                p[g][k] = g % 2 == 0 ? o[g][k] + 0.1 * rnd.nextGaussian() : rnd.nextGaussian();
            }
        }
        VariableGenes v = VariableGenes.of(run("sub", SUB, p, o), List.of(), 0.5, 100);
        assertThat(v.populations()).isEqualTo(SUB);
        assertThat(v.genes()).hasSize(GENES);
        assertThat(v.genes().getFirst().variance()).isGreaterThan(v.genes().getLast().variance());
        // the threshold falls where the variable, well-predicted half ends (the window straddling it still holds a
        // majority of them until about 15 genes past it)
        assertThat(v.window()).isEqualTo(100);
        assertThat(v.aboveThreshold()).isBetween(GENES / 2 - 10, GENES / 2 + 40);
        assertThat(v.threshold()).isEqualTo(v.genes().get(v.aboveThreshold() - 1).variance());
        assertThat(v.genes().get(v.aboveThreshold() - 1).localMedianR()).isGreaterThanOrEqualTo(0.5);
        assertThat(v.genes().get(v.aboveThreshold()).localMedianR()).isLessThan(0.5);
        assertThat(VariableGenes.localMedian(new double[]{5, 1, 4, 2, 3}, 3)).containsExactly(4, 4, 2, 3, 3);
        List<Path> files = v.write(dir.resolve("vg"), 10);
        assertThat(Files.readAllLines(dir.resolve("vg/variable-genes.tsv"))).hasSize(11);
        assertThat(Files.readAllLines(dir.resolve("vg/variance-threshold.tsv"))).hasSize(21);
        assertThat(files.getLast().getFileName().toString()).isEqualTo("variable-genes.html");
        assertThat(Files.readString(files.getLast())).contains("Variance threshold");

        assertThatThrownBy(() -> VariableGenes.of(run("two", SUB.subList(0, 2), p, o), List.of(), 0.5, 100))
                .hasMessageContaining("at least 3 populations");
        assertThatThrownBy(() -> VariableGenes.of(run("sub", SUB, p, o), List.of("nope", "x", "y"), 0.5, 100))
                .hasMessageContaining("population 'nope' is not in");
        assertThat(VariableGenes.runningMedian(new double[]{3, 1, 2, 10})).containsExactly(3, 2, 2, 2.5);
    }

    @Test
    void similarityDeltaComparesTheGainWithTheLikenessToTheTissue() throws Exception {
        double[][] o = observedFinest();
        double[][] tissue = mean(o, new int[][]{{0, 1, 2, 3}});
        CvRun t = run("tissue", List.of("all"), tissue, tissue);
        CvRun s = run("sub", SUB, o, o);
        SimilarityDelta d = SimilarityDelta.of(s, t);
        assertThat(d.rows()).hasSize(4);
        SimilarityDelta.Row a1 = d.rows().getFirst();
        assertThat(a1.cpMedianR()).isCloseTo(1.0, within(1e-6));
        assertThat(a1.deltaCpT()).isCloseTo(a1.cpMedianR() - a1.tissueMedianR(), within(1e-12));
        double[] x = new double[GENES];
        double[] y = new double[GENES];
        for (int g = 0; g < GENES; g++) {
            x[g] = (float) o[g][0];
            y[g] = (float) tissue[g][0];
        }
        assertThat(a1.similarity()).isCloseTo(dev.scep.train.evaluate.Metrics.pearson(x, y), within(1e-9));
        // a perfect cell-population model gains most where the tissue model fits worst: ρ = −1
        assertThat(d.spearman()).isCloseTo(-1.0, within(1e-9));
        d.write(dir.resolve("sim"));
        assertThat(Files.readAllLines(dir.resolve("sim/similarity.tsv"))).hasSize(5);
        assertThatThrownBy(() -> SimilarityDelta.of(t, s)).hasMessageContaining("not a tissue model's predictions");
    }

    @Test
    void nestedNamesSplitOnlyWhereAColumnStarts() {
        assertThat(PopulationPath.steps(B + "/sub=L2/3 IT")).containsExactly("tissue=t", "class=B", "sub=L2/3 IT");
        assertThat(PopulationPath.ancestor(B + "/sub=L2/3 IT", 2)).isEqualTo(B);
        assertThat(PopulationPath.ancestor(B, 0)).isEqualTo("all");
        assertThat(PopulationPath.depth("all")).isZero();
        assertThat(PopulationPath.level(B, 2)).isEqualTo("class");
    }
}
