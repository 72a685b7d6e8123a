package dev.scep.train.cpu;

import dev.scep.formats.io.ScepDataset;
import dev.scep.formats.model.Architecture;
import dev.scep.formats.model.ScepModel;
import dev.scep.formats.model.Tensor;
import dev.scep.train.TrainedModel;
import dev.scep.train.TrainingConfig;
import dev.scep.train.TrainingListener;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/** The original recipe's last two rules: collapsed models are retrained with a new seed; the last epoch's model is kept. */
class CollapseCheckTest {
    @TempDir
    static Path dir;
    static ScepDataset dataset;
    static final Architecture ARCH = Architecture.scepMultitask(3, 5);

    @BeforeAll
    static void dataset() throws IOException {
        dataset = SyntheticDatasets.write(dir.resolve("d.sced"), 80, 3, 5);
    }

    private static TrainingSet set(int validation) {
        return TrainingSet.of(dataset, IntStream.range(0, 64).toArray(), IntStream.range(64, 64 + validation).toArray(),
                new int[]{0, 1, 2}, true);
    }

    private static TrainingConfig config(int epochs) {
        return new TrainingConfig(epochs, 16, 1e-3, 0.1, 5, 11, 2);
    }

    private static void assertSameWeights(ScepModel a, ScepModel b) {
        Map<String, Tensor> x = a.members().getFirst();
        Map<String, Tensor> y = b.members().getFirst();
        assertThat(x.keySet()).isEqualTo(y.keySet());
        x.forEach((k, t) -> assertThat(t.toArray()).as(k).containsExactly(y.get(k).toArray()));
    }

    private static final class Notes implements TrainingListener {
        final List<String> notes = new ArrayList<>();

        @Override
        public void note(String message) {
            notes.add(message);
        }
    }

    @Test
    void detectionIsOnEachOutputsVarianceAcrossGenes() {
        float[][] y = {{1f, 5f, 0f}, {2f, 5f, 0.01f}, {3f, 5.000001f, -0.01f}};
        double[] v = CollapseCheck.variances(y, 3);
        assertThat(v[0]).isCloseTo(2.0 / 3, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(v[1]).isLessThan(1e-5);
        assertThat(v[2]).isGreaterThan(1e-5);
        assertThat(CollapseCheck.collapsed(v)).isEqualTo(1);
        assertThat(CollapseCheck.collapsed(new double[]{1, 1e-5, 0.5})).isEqualTo(-1);
        assertThat(CollapseCheck.collapsed(new double[]{1, Double.NaN})).isEqualTo(1);
        assertThat(CollapseCheck.collapsed(new double[0])).isEqualTo(-1);
        assertThat(CollapseCheck.seed(7, 2)).isEqualTo(7 + 2 * 1_000_003L);
        assertThat(CollapseCheck.checkpoints(Path.of("m.checkpoint"))).containsExactly(Path.of("m.checkpoint"),
                Path.of("m.checkpoint.retrain-1"), Path.of("m.checkpoint.retrain-2"), Path.of("m.checkpoint.retrain-3"));
    }

    @Test
    void aHealthyModelIsNotRetrained() throws IOException {
        Notes n = new Notes();
        TrainedModel m = CollapseCheck.train(set(16), ARCH, config(2), null, false, true, "the model", n);
        assertThat(m.validationVariance()).hasSize(3);
        assertThat(CollapseCheck.collapsed(m.validationVariance())).isEqualTo(-1);
        assertThat(n.notes).isEmpty();
        assertThat(m.model().provenance()).doesNotContainKeys("collapse_retrains", "first_seed", "collapsed_output");
        assertSameWeights(m.model(), new Trainer(set(16), ARCH, config(2)).train(null, false, new TrainingListener() { }).model());
    }

    @Test
    void aCollapsedModelIsRetrainedWithNewSeedsThenKeptWithAWarning() throws IOException {
        // one validation gene: any model's predictions over it are a constant, so every attempt has collapsed
        Notes n = new Notes();
        Path ckpt = dir.resolve("collapse.checkpoint");
        TrainedModel m = CollapseCheck.train(set(1), ARCH, config(1), ckpt, false, true, "fold 3 replicate 2", n);
        assertThat(n.notes).hasSize(4);
        assertThat(n.notes.getFirst()).startsWith("fold 3 replicate 2 collapsed (variance 0.00 of output pop0): retrained with seed "
                + (11 + 1_000_003L) + " (retrain 1 of at most 3)");
        assertThat(n.notes.getLast()).startsWith("warning: fold 3 replicate 2 collapsed").endsWith("after 3 retrains; keeping the last");
        assertThat(m.model().provenance()).containsEntry("collapse_retrains", "3").containsEntry("first_seed", "11")
                .containsEntry("collapsed_output", "pop0").containsEntry("seed", Long.toString(11 + 3 * 1_000_003L));
        assertThat(m.lastModel().provenance()).containsEntry("collapse_retrains", "3");
        // the model kept is the one its seed gives, directly
        TrainedModel direct = new Trainer(set(1), ARCH, config(1).withSeed(11 + 3 * 1_000_003L)).train(null, false,
                new TrainingListener() { });
        assertSameWeights(m.model(), direct.model());
        // every attempt's checkpoint is kept until the caller removes it, so resuming re-reads them and ends the same
        for (Path c : CollapseCheck.checkpoints(ckpt)) {
            assertThat(c).exists();
        }
        Notes again = new Notes();
        TrainedModel resumed = CollapseCheck.train(set(1), ARCH, config(1), ckpt, true, true, "fold 3 replicate 2", again);
        assertSameWeights(resumed.model(), m.model());
        assertThat(again.notes).isEqualTo(n.notes);
    }

    @Test
    void withRetrainingOffACollapseIsOnlyReported() throws IOException {
        Notes n = new Notes();
        TrainedModel m = CollapseCheck.train(set(1), ARCH, config(1), null, false, false, "the model", n);
        assertThat(n.notes).singleElement().asString().startsWith("the model collapsed (variance")
                .endsWith("kept (retraining collapsed models is off)");
        assertThat(m.model().provenance()).containsEntry("seed", "11").containsEntry("collapsed_output", "pop0")
                .doesNotContainKey("collapse_retrains");
    }

    @Test
    void theLastEpochsModelIsWhatTrainingWithoutBestKeepingGives() throws IOException {
        // with no validation genes the last epoch's weights are kept; validation changes nothing else in 3 epochs
        // (patience 5), so the last-epoch model of a validated run must have exactly those weights
        TrainingSet validated = set(16);
        TrainingSet unvalidated = TrainingSet.of(dataset, IntStream.range(0, 64).toArray(), new int[0], new int[]{0, 1, 2}, true);
        TrainedModel a = new Trainer(validated, ARCH, config(3)).train(null, false, new TrainingListener() { });
        TrainedModel b = new Trainer(unvalidated, ARCH, config(3)).train(null, false, new TrainingListener() { });
        assertSameWeights(a.lastModel(), b.model());
        assertThat(a.lastModel().provenance()).containsEntry("weights", "last epoch").doesNotContainKey("best_epoch");
        // resumed from a finished checkpoint, the last epoch's model is the same
        Path ckpt = dir.resolve("last.checkpoint");
        new Trainer(validated, ARCH, config(3)).train(ckpt, false, new TrainingListener() { });
        assertThat(Files.exists(ckpt)).isTrue();
        TrainedModel resumed = new Trainer(validated, ARCH, config(3)).train(ckpt, true, new TrainingListener() { });
        assertSameWeights(resumed.lastModel(), a.lastModel());
        assertSameWeights(resumed.model(), a.model());
    }
}
