package dev.scep.train.cv;

import dev.scep.train.TrainingConfig;
import dev.scep.train.ModelKind;

import dev.scep.formats.io.ScepDataset;
import dev.scep.formats.io.ScepModelFile;
import dev.scep.formats.model.ScepModel;
import dev.scep.train.evaluate.Evaluation;
import dev.scep.train.evaluate.Report;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;

import static org.assertj.core.api.Assertions.assertThat;

class CrossValidationTest {
    @TempDir
    Path dir;

    @Test
    void everyGeneIsPredictedByTheFoldThatHeldItOut() throws IOException {
        ScepDataset d = dev.scep.train.cpu.SyntheticDatasetsAccess.write(dir.resolve("d.sced"), 60, 3, 2);
        CrossValidation.Options o = new CrossValidation.Options(3, 2, 10, 5,
                new TrainingConfig(2, 16, 1e-3, 0.1, 5, 1, 2), ModelKind.CELL_POPULATION, dev.scep.train.ModelInputs.SEQUENCE_AND_HALF_LIFE);
        CvPredictions p = CrossValidation.run(d, new int[]{0, 1, 2}, o, dir.resolve("cv"), new CrossValidation.Listener() { });
        assertThat(p.genes()).isEqualTo(60);
        assertThat(p.folds()).isEqualTo(3);
        Folds folds = new Folds(60, 3, 10, 5);
        for (int f = 0; f < 3; f++) {
            ScepModel m = ScepModelFile.read(dir.resolve("cv/models/fold-0" + (f + 1) + ".scep"));
            assertThat(m.members()).hasSize(2);
            assertThat(m.provenance()).containsEntry("cv_fold", (f + 1) + "/3").containsEntry("replicates", "2");
            int[] test = folds.test(f);
            float[][] again = CrossValidation.predict(m, d, test);
            for (int i = 0; i < test.length; i++) {
                assertThat(p.fold()[test[i]]).isEqualTo(f);
                assertThat(p.predicted()[test[i]]).containsExactly(again[i]);
                assertThat(p.observed()[test[i]][1]).isEqualTo(d.target(test[i], 1));
            }
        }
        try (var files = Files.list(dir.resolve("cv/models"))) {
            assertThat(files.map(x -> x.getFileName().toString())).containsExactlyInAnyOrder("fold-01.scep", "fold-02.scep", "fold-03.scep");
        }
        // predictions survive the TSV round trip, and evaluation runs on them
        p.write(dir.resolve("p.tsv"));
        CvPredictions back = CvPredictions.read(dir.resolve("p.tsv"));
        assertThat(back.predicted()[7]).containsExactly(p.predicted()[7]);
        assertThat(back.fold()).containsExactly(p.fold());
        Evaluation e = Evaluation.of(back, null);
        assertThat(e.foldPearson()).hasDimensions(3, 3);
        Report.write(dir.resolve("report.html"), back, e, "test");
        assertThat(Files.readString(dir.resolve("report.html"))).contains("Chart.js", "pop1", "new Chart(");

        // a rerun keeps finished folds: their files are not rewritten
        Path fold1 = dir.resolve("cv/models/fold-01.scep");
        Files.setLastModifiedTime(fold1, FileTime.fromMillis(1_000_000));
        CrossValidation.run(d, new int[]{0, 1, 2}, o, dir.resolve("cv"), new CrossValidation.Listener() { });
        assertThat(Files.getLastModifiedTime(fold1).toMillis()).isEqualTo(1_000_000);
    }

    @Test
    void collapsesAreReadFromTheFoldModels() throws IOException {
        ScepDataset d = dev.scep.train.cpu.SyntheticDatasetsAccess.write(dir.resolve("d.sced"), 60, 3, 2);
        CrossValidation.Options o = new CrossValidation.Options(2, 3, 10, 5,
                new TrainingConfig(1, 16, 1e-3, 0.1, 5, 1, 2), ModelKind.CELL_POPULATION, dev.scep.train.ModelInputs.SEQUENCE_AND_HALF_LIFE);
        Path out = dir.resolve("cv");
        CrossValidation.run(d, new int[]{0, 1, 2}, o, out, new CrossValidation.Listener() { });
        assertThat(CrossValidation.collapses(out, 2)).isEmpty();   // 10 validation genes: nothing collapsed
        // a fold whose replicate 2 was retrained twice and then healthy, and whose replicate 3 was kept collapsed
        Path f2 = out.resolve("models/fold-02.scep");
        ScepModel m = ScepModelFile.read(f2);
        java.util.Map<String, String> p = new java.util.LinkedHashMap<>(m.provenance());
        p.put("collapse_retrains", "0,2,3");
        p.put("collapsed_replicates", "3");
        ScepModelFile.write(new ScepModel(m.architecture(), m.encoding(), m.outputs(), m.halfLifeFeatures(), p, m.members()), f2);
        assertThat(CrossValidation.collapses(out, 2)).containsExactly(new CrossValidation.Collapse(1, 1, 2, false),
                new CrossValidation.Collapse(1, 2, 3, true));
    }
}
