package dev.scep.train.cpu;

import dev.scep.train.TrainingConfig;
import dev.scep.train.ModelInputs;
import dev.scep.train.TrainingListener;
import dev.scep.train.TrainedModel;

import dev.scep.formats.io.ScepDataset;
import dev.scep.formats.model.Architecture;
import dev.scep.formats.model.ScepModel;
import dev.scep.formats.model.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TrainerTest {
    @TempDir
    static Path dir;
    static ScepDataset dataset;
    static TrainingSet data;

    @BeforeAll
    static void dataset() throws IOException {
        dataset = SyntheticDatasets.write(dir.resolve("d.sced"), 160, 3, 5);
        data = TrainingSet.of(dataset, IntStream.range(0, 128).toArray(), IntStream.range(128, 160).toArray(),
                new int[]{0, 1, 2}, true);
    }

    private static TrainingConfig config(int epochs) {
        return new TrainingConfig(epochs, 32, 1e-3, 0.1, 5, 11, 2);
    }

    private static Trainer trainer(int epochs) {
        return new Trainer(data, Architecture.scepMultitask(3, 5), config(epochs));
    }

    private static void assertSameWeights(ScepModel a, ScepModel b) {
        Map<String, Tensor> x = a.members().getFirst();
        Map<String, Tensor> y = b.members().getFirst();
        assertThat(x.keySet()).isEqualTo(y.keySet());
        x.forEach((k, t) -> assertThat(t.toArray()).as(k).containsExactly(y.get(k).toArray()));
    }

    @Test
    void lossFallsAndTheModelRecordsItsNormalisation() throws IOException {
        // 128 genes, 4 steps an epoch: slow going, but the motif and half-life signal is picked up
        TrainedModel r = trainer(30).train(null, false, new TrainingListener() { });
        assertThat(r.history()).hasSize(30);
        assertThat(r.history().getLast().trainLoss()).isLessThan(r.history().getFirst().trainLoss() * 0.9);
        assertThat(r.history().getLast().learningRate()).isLessThan(1e-3); // the plateau scheduler stepped in
        assertThat(r.bestValidationLoss()).isLessThan(r.history().getFirst().validationLoss());
        ScepModel m = r.model();
        assertThat(m.outputNames()).containsExactly("pop0", "pop1", "pop2");
        assertThat(m.halfLifeFeatures()).hasSize(5);
        assertThat(m.provenance()).containsEntry("dataset_fingerprint", dataset.fingerprint())
                .containsEntry("best_epoch", Integer.toString(r.bestEpoch() + 1));
    }

    @Test
    void sameSeedSameWeightsAndAResumedRunEndsWhereAnUninterruptedOneDoes() throws IOException {
        ScepModel straight = trainer(4).train(null, false, new TrainingListener() { }).model();
        assertSameWeights(trainer(4).train(null, false, new TrainingListener() { }).model(), straight);

        Path ckpt = dir.resolve("run.ckpt");
        Files.deleteIfExists(ckpt);
        // a run that dies in the middle of epoch 3 (after the checkpoint of epoch 2)
        assertThatThrownBy(() -> trainer(4).train(ckpt, false, new TrainingListener() {
            @Override
            public void batch(int epoch, int batchesDone, int batches, double runningLoss) {
                if (epoch == 2 && batchesDone == 2) {
                    throw new IllegalStateException("simulated crash");
                }
            }
        })).hasMessage("simulated crash");
        assertThat(ckpt).exists();
        TrainedModel resumed = trainer(4).train(ckpt, true, new TrainingListener() { });
        assertThat(resumed.history()).hasSize(4);
        assertSameWeights(resumed.model(), straight);
    }

    @Test
    void theHalfLifeOnlyVariantCannotSeeTheSequence() throws IOException {
        TrainingSet halfLifeOnly = TrainingSet.of(dataset, IntStream.range(0, 128).toArray(), IntStream.range(128, 160).toArray(),
                new int[]{0, 1, 2}, ModelInputs.HALF_LIFE_ONLY);
        ScepModel m = new Trainer(halfLifeOnly, Architecture.scepMultitask(3, 5), config(2)).train(null, false,
                new TrainingListener() { }).model();
        assertThat(m.members().getFirst().get("conv1.weight").toArray()).containsOnly(0f);
        assertThat(m.provenance()).containsEntry("inputs", "half_life_only");
        try (dev.scep.runtime.Predictor p = dev.scep.runtime.Predictor.of(m)) {
            dev.scep.runtime.HalfLifeInput h = dev.scep.runtime.HalfLifeInput.raw(100, 200, 900, 3000, 5);
            assertThat(p.predict(dataset.window(0), h)).containsExactly(p.predict(dataset.window(1), h));
        }
    }

    @Test
    void aCheckpointOfAnotherRunIsRefused() throws IOException {
        Path ckpt = dir.resolve("other.ckpt");
        trainer(1).train(ckpt, false, new TrainingListener() { });
        Trainer other = new Trainer(data, Architecture.scepMultitask(3, 5), config(2).withSeed(99));
        assertThatThrownBy(() -> other.train(ckpt, true, new TrainingListener() { }))
                .hasMessageContaining("belongs to another run");
        byte[] bytes = Files.readAllBytes(ckpt);
        bytes[bytes.length / 2] ^= 1;
        Files.write(ckpt, bytes);
        assertThatThrownBy(() -> trainer(2).train(ckpt, true, new TrainingListener() { }))
                .hasMessageContaining("checksum mismatch");
    }
}
