package dev.scep.train;

import dev.scep.formats.io.ScepDataset;
import dev.scep.runtime.Device;
import dev.scep.train.cpu.SyntheticDatasets;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The training front door as an application calls it: a request with the paper's defaults, train, cross-validate. */
class TrainingFrontDoorTest {
    @TempDir
    static Path dir;
    static ScepDataset dataset;

    @BeforeAll
    static void dataset() throws Exception {
        dataset = SyntheticDatasets.write(dir.resolve("d.sced"), 160, 3, 5);
    }

    @Test
    void theDefaultsAreThePapersRecipe() {
        TrainingRequest r = TrainingRequest.of(dataset);
        assertThat(r.config()).isEqualTo(TrainingConfig.PAPER);
        assertThat(r.config().epochs()).isEqualTo(40);
        assertThat(r.config().batchSize()).isEqualTo(128);
        assertThat(r.config().learningRate()).isEqualTo(5e-4);
        assertThat(r.config().plateauFactor()).isEqualTo(0.1);
        assertThat(r.config().plateauPatience()).isEqualTo(5);
        assertThat(r.validationGenes()).isEqualTo(1000);
        assertThat(r.kind()).isEqualTo(ModelKind.CELL_POPULATION);
        assertThat(r.inputs()).isEqualTo(ModelInputs.SEQUENCE_AND_HALF_LIFE);
        assertThat(r.device()).isEqualTo(Device.CPU);
        List<String> names = dataset.populations().stream().map(ScepDataset.Population::name).toList();
        List<Integer> expected = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            if (!names.get(i).equals("all")) {
                expected.add(i);
            }
        }
        assertThat(r.populationIndices()).containsExactly(expected.stream().mapToInt(Integer::intValue).toArray());
    }

    @Test
    void populationsAreCheckedAgainstTheDataset() {
        String first = dataset.populations().getFirst().name();
        assertThat(TrainingRequest.of(dataset).tissue(first).populationIndices()).containsExactly(0);
        assertThat(TrainingRequest.of(dataset).tissue(first).kind()).isEqualTo(ModelKind.TISSUE);
        assertThatThrownBy(() -> TrainingRequest.of(dataset).withPopulations(List.of("nope")).populationIndices())
                .hasMessageContaining("population 'nope' is not in").hasMessageContaining(first);
        assertThatThrownBy(() -> new TrainingRequest(dataset, List.of("a", "b"), ModelKind.TISSUE,
                ModelInputs.SEQUENCE_AND_HALF_LIFE, TrainingConfig.PAPER, 10, Device.CPU))
                .hasMessageContaining("the tissue model predicts one population");
        if (!dev.scep.nativebindings.GpuProbe.probe().usable()) {
            // GPU is checked before anything is read (where a GPU works, benchmarks/gpu/run.sh device trains on it)
            assertThatThrownBy(() -> Training.train(TrainingRequest.of(dataset).withDevice(Device.GPU), null, false,
                    new TrainingListener() { })).hasMessageContaining("no usable GPU");
        }
    }

    @Test
    void trainAndCrossValidateFromARequest() throws Exception {
        TrainingConfig quick = new TrainingConfig(2, 16, 1e-3, 0.1, 5, 3, 2);
        TrainingRequest request = TrainingRequest.of(dataset).withConfig(quick).withValidationGenes(20);
        List<String> notes = new ArrayList<>();
        TrainingListener listener = new TrainingListener() {
            @Override
            public void note(String message) {
                notes.add(message);
            }
        };
        TrainedModel a = Training.train(request, null, false, listener);
        TrainedModel b = Training.train(request, null, false, listener);
        assertThat(a.history()).hasSize(2);
        assertThat(a.model().outputNames()).hasSize(request.populationIndices().length);
        assertThat(a.bestValidationLoss()).isEqualTo(b.bestValidationLoss());   // reproducible for a seed and thread count
        assertThat(notes.getFirst()).contains("140 training and 20 validation genes");

        Path cv = dir.resolve("cv");
        Training.CrossValidationResult r = Training.crossValidate(request.withConfig(quick.withEpochs(1)), 3, 1, cv, false,
                new dev.scep.train.cv.CrossValidation.Listener() { });
        assertThat(r.predictions().geneIds()).hasSize(dataset.geneCount());
        for (String f : List.of("manifest.tsv", "predictions.tsv", "metrics.tsv", "report.html")) {
            assertThat(cv.resolve(f)).isRegularFile();
        }
        assertThat(Files.list(cv.resolve("models")).count()).isEqualTo(3);
        assertThatThrownBy(() -> Training.crossValidate(request, 3, 1, cv, false, new dev.scep.train.cv.CrossValidation.Listener() { }))
                .hasMessageContaining("already holds models: pass --resume");
    }

    @Test
    void collapsedReplicatesAreRetrainedReportedInMetricsAndResumedExactlyAndLastEpochModelsAreKept() throws Exception {
        // one validation gene per fold: every replicate's predictions over it are constant, so each is retrained 3 times
        TrainingConfig quick = new TrainingConfig(1, 16, 1e-3, 0.1, 5, 3, 2);
        TrainingRequest request = TrainingRequest.of(dataset).withConfig(quick).withValidationGenes(1).withKeepLast(true);
        assertThat(TrainingRequest.of(dataset).retrainCollapsed()).isTrue();
        assertThat(TrainingRequest.of(dataset).keepLast()).isFalse();
        List<String> notes = new ArrayList<>();
        dev.scep.train.cv.CrossValidation.Listener listener = new dev.scep.train.cv.CrossValidation.Listener() {
            @Override
            public void note(String message) {
                notes.add(message);
            }
        };
        Path whole = dir.resolve("cv-collapse");
        Training.crossValidate(request, 2, 2, whole, false, listener);
        assertThat(notes).anyMatch(n -> n.startsWith("fold 2 replicate 2 collapsed (variance ")
                && n.contains("retrained with seed "));
        assertThat(notes).anyMatch(n -> n.startsWith("warning: fold 1 replicate 1 collapsed"));
        String metrics = Files.readString(whole.resolve("metrics.tsv"));
        assertThat(metrics).contains("collapsed_kept\tfold-01-replicate-1\t3\n", "collapsed_kept\tfold-02-replicate-2\t3\n");
        assertThat(whole.resolve("models/fold-01.last.scep")).isRegularFile();
        assertThat(whole.resolve("models/fold-02.last.scep")).isRegularFile();
        assertThat(Files.readString(whole.resolve("manifest.tsv"))).contains("keep_last\tyes\n").doesNotContain("retrain_collapsed");
        var fold1 = dev.scep.formats.io.ScepModelFile.read(whole.resolve("models/fold-01.scep"));
        assertThat(fold1.provenance()).containsEntry("collapse_retrains", "3,3").containsEntry("collapsed_replicates", "1,2");
        var last1 = dev.scep.formats.io.ScepModelFile.read(whole.resolve("models/fold-01.last.scep"));
        assertThat(last1.members()).hasSize(2);
        assertThat(last1.provenance()).containsEntry("weights", "last epoch");
        try (var files = Files.list(whole.resolve("models"))) {
            assertThat(files.map(f -> f.getFileName().toString()).sorted().toList())
                    .containsExactly("fold-01.last.scep", "fold-01.scep", "fold-02.last.scep", "fold-02.scep");
        }

        // interrupted after fold 1 replicate 1 (retrained) was written: the resumed run ends with the same files
        Path cut = dir.resolve("cv-collapse-cut");
        assertThatThrownBy(() -> Training.crossValidate(request, 2, 2, cut, false, new dev.scep.train.cv.CrossValidation.Listener() {
            @Override
            public void replicate(int fold, int folds, int replicate, int replicates) {
                if (fold == 0 && replicate == 1) {
                    throw new IllegalStateException("stop");
                }
            }
        })).hasMessage("stop");
        assertThat(cut.resolve("models/fold-01-replicate-1.scep")).isRegularFile();
        assertThat(cut.resolve("models/fold-01-replicate-1.last.scep")).isRegularFile();
        Training.crossValidate(request, 2, 2, cut, true, listener);
        for (String f : List.of("models/fold-01.scep", "models/fold-02.scep", "models/fold-01.last.scep", "models/fold-02.last.scep")) {
            assertThat(Files.readAllBytes(cut.resolve(f))).as(f).isEqualTo(Files.readAllBytes(whole.resolve(f)));
        }
        assertThat(Files.readString(cut.resolve("metrics.tsv"))).isEqualTo(metrics);

        // with retraining off the manifest says so, and a resume with it on is refused
        Path off = dir.resolve("cv-collapse-off");
        Training.crossValidate(request.withRetrainCollapsed(false).withKeepLast(false), 2, 1, off, false, listener);
        assertThat(Files.readString(off.resolve("manifest.tsv"))).contains("retrain_collapsed\tno\n").doesNotContain("keep_last");
        assertThat(Files.readString(off.resolve("metrics.tsv"))).contains("collapsed_kept\tfold-01-replicate-1\t0\n");
        assertThatThrownBy(() -> Training.crossValidate(request.withKeepLast(false), 2, 1, off, true, listener))
                .isInstanceOf(RunMismatchException.class).hasMessageContaining("retrain_collapsed");
    }
}
