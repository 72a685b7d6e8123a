package dev.scep.train.evaluate;

import dev.scep.train.TrainingConfig;
import dev.scep.train.ModelInputs;
import dev.scep.train.ModelKind;

import dev.scep.formats.io.ScepDataset;
import dev.scep.train.cpu.SyntheticDatasetsAccess;

import dev.scep.train.cpu.TrainingSet;
import dev.scep.train.cv.CrossValidation;
import dev.scep.train.cv.CvPredictions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EvaluationTest {
    @TempDir
    Path dir;

    /** Out-of-fold predictions of a two-fold CV of a tiny model, one replicate per fold. */
    private CvPredictions crossValidate(ScepDataset d, ModelKind kind, int[] populations, String folder)
            throws IOException {
        CrossValidation.Options o = new CrossValidation.Options(2, 1, 5, 5, new TrainingConfig(1, 16, 1e-3, 0.1, 5, 1, 2), kind,
                ModelInputs.SEQUENCE_AND_HALF_LIFE);
        return CrossValidation.run(d, populations, o, dir.resolve(folder), new CrossValidation.Listener() { });
    }

    @Test
    void aTissueModelHasOneOutputAndDeltaCpTComparesItWithEachPopulation() throws IOException {
        ScepDataset d = SyntheticDatasetsAccess.write(dir.resolve("d.sced"), 40, 2, 3);
        assertThatThrownBy(() -> crossValidate(d, ModelKind.TISSUE, new int[]{0, 1}, "t"))
                .hasMessageContaining("one population");
        CvPredictions tissue = crossValidate(d, ModelKind.TISSUE, new int[]{0}, "t");
        CvPredictions cp = crossValidate(d, ModelKind.CELL_POPULATION, new int[]{0, 1}, "c");
        Evaluation e = Evaluation.of(cp, tissue);
        for (int p = 0; p < 2; p++) {
            assertThat(e.deltaCpT()[p]).isEqualTo(e.medianPearson()[p] - e.tissueMedianPearson()[p]);
        }
        // by hand for fold 0, population 1: r(tissue prediction, observed pop1) over the fold's genes
        double[] x = java.util.stream.IntStream.range(0, 40).filter(g -> cp.fold()[g] == 0).mapToDouble(g -> tissue.predicted()[g][0]).toArray();
        double[] y = java.util.stream.IntStream.range(0, 40).filter(g -> cp.fold()[g] == 0).mapToDouble(g -> cp.observed()[g][1]).toArray();
        double r0 = Metrics.pearson(x, y);
        double[] x1 = java.util.stream.IntStream.range(0, 40).filter(g -> cp.fold()[g] == 1).mapToDouble(g -> tissue.predicted()[g][0]).toArray();
        double[] y1 = java.util.stream.IntStream.range(0, 40).filter(g -> cp.fold()[g] == 1).mapToDouble(g -> cp.observed()[g][1]).toArray();
        // (a fold whose tiny model predicts a constant has r = NaN and is left out of the median)
        assertThat(e.tissueMedianPearson()[1]).isCloseTo(Metrics.median(new double[]{r0, Metrics.pearson(x1, y1)}),
                org.assertj.core.api.Assertions.within(1e-12));
    }
}
