package dev.scep.train.cpu;

import dev.scep.train.TrainingDivergedException;

import dev.scep.train.TrainingConfig;
import dev.scep.train.TrainingListener;
import dev.scep.train.TrainedModel;

import dev.scep.formats.io.ScepDataset;
import dev.scep.formats.model.Architecture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** A run that diverges stops at the first non-finite value, says where and what, and writes nothing more. */
class DivergenceTest {
    @TempDir
    static Path dir;
    static ScepDataset dataset;
    static TrainingSet data;
    static final Architecture ARCH = Architecture.scepMultitask(3, 5);
    static final TrainingListener QUIET = new TrainingListener() { };

    @BeforeAll
    static void dataset() throws IOException {
        dataset = SyntheticDatasets.write(dir.resolve("d.sced"), 80, 3, 5);
        data = TrainingSet.of(dataset, IntStream.range(0, 64).toArray(), IntStream.range(64, 80).toArray(),
                new int[]{0, 1, 2}, true);
    }

    private static Trainer trainer(TrainingSet set, int epochs, double lr) {
        return new Trainer(set, ARCH, new TrainingConfig(epochs, 16, lr, 0.1, 5, 3, 2));
    }

    @Test
    void anAbsurdLearningRateStopsTheFirstEpochAndWritesNoCheckpoint() {
        Path ckpt = dir.resolve("absurd.ckpt");
        TrainingDivergedException e = catchThrowableOfType(TrainingDivergedException.class,
                () -> trainer(data, 3, 1e30).train(ckpt, false, QUIET));
        assertThat(e.epoch()).isEqualTo(1);
        assertThat(e.batch()).isBetween(1, 4);
        assertThat(e.learningRate()).isEqualTo(1e30);
        assertThat(e.beforeFirstUpdate()).isFalse();
        assertThat(e.getMessage()).startsWith("training diverged in epoch 1, batch " + e.batch() + " of 4, at learning rate 1.0E30: ")
                .contains("non-finite", "without writing a model", "try a lower --learning-rate");
        assertThat(ckpt).doesNotExist();
    }

    @Test
    void aWeightThatOverflowsIsNamedAtTheBatchOfTheUpdate() {
        // a float step of 1e40 is infinite: the very first update makes the weights infinite (the loss was still fine)
        TrainingDivergedException e = catchThrowableOfType(TrainingDivergedException.class,
                () -> trainer(data, 1, 1e39).train(null, false, QUIET));
        assertThat(e.epoch()).isEqualTo(1);
        assertThat(e.batch()).isEqualTo(1);
        assertThat(e.quantity()).startsWith("weight tensor 'conv1.weight' became non-finite in the update (")
                .endsWith(" at index 0 of 3072)");
        assertThat(e.getMessage()).startsWith("training diverged in epoch 1, batch 1 of 4, at learning rate 1.0E39:"
                + " weight tensor 'conv1.weight' became non-finite in the update (");
    }

    @Test
    void aNonFiniteValidationLossStopsTheRunAfterTheEpoch() throws IOException {
        // one validation gene's target is the largest float: z-scored with the training genes' statistics it
        // overflows, so the training batches are fine but the validation loss is not
        ScepDataset d = SyntheticDatasets.write(dir.resolve("v.sced"), 80, 3, 5, (targets, half) -> targets[70 * 3] = Float.MAX_VALUE);
        TrainingSet set = TrainingSet.of(d, IntStream.range(0, 64).toArray(), IntStream.range(64, 80).toArray(),
                new int[]{0, 1, 2}, true);
        TrainingDivergedException e = catchThrowableOfType(TrainingDivergedException.class,
                () -> trainer(set, 2, 1e-3).train(null, false, QUIET));
        assertThat(e.epoch()).isEqualTo(1);
        assertThat(e.batch()).isZero();
        assertThat(e.getMessage()).contains("epoch 1 (validation, after its 4 batches)", "the validation loss is non-finite (Infinity)");
    }

    @Test
    void withoutValidationGenesTheValidationLossIsNaNAndThatIsFine() throws IOException {
        TrainingSet set = TrainingSet.of(dataset, IntStream.range(0, 80).toArray(), new int[0], new int[]{0, 1, 2}, true);
        TrainedModel r = trainer(set, 2, 1e-3).train(null, false, QUIET);
        assertThat(r.history()).hasSize(2);
        assertThat(r.history().getFirst().validationLoss()).isNaN();
        assertThat(r.bestEpoch()).isEqualTo(1);
    }

    @Test
    void aLossThatIsNotFiniteBeforeAnyUpdateBlamesTheDataNotTheLearningRate() {
        // (the dataset writer refuses non-finite targets and half-life values, so this needs a damaged file)
        TrainingDivergedException e = new TrainingDivergedException(1, 1, 4, "the training loss is non-finite (NaN)", 5e-4, true);
        assertThat(e.getMessage()).isEqualTo("training diverged in epoch 1, batch 1 of 4, before any update: the training"
                + " loss is non-finite (NaN); training stopped without writing a model, and the last checkpoint is left as"
                + " it was: the learning rate is not the cause: the dataset's targets or half-life features hold non-finite values");
    }

    @Test
    void aResumedRunThatDivergesLeavesTheLastGoodCheckpointByteForByte() throws IOException {
        Path ckpt = dir.resolve("resumed.ckpt");
        assertThatThrownBy(() -> trainer(data, 2, 1e-3).train(ckpt, false, new TrainingListener() {
            @Override
            public void batch(int epoch, int batchesDone, int batches, double runningLoss) {
                if (epoch == 1) {
                    throw new IllegalStateException("stopped after epoch 1");
                }
            }
        })).hasMessage("stopped after epoch 1");
        // weights that are finite but so large that the next forward pass overflows
        Checkpoint c = Checkpoint.read(ckpt, trainer(data, 2, 1e-3).checkpointExpectation());
        java.util.Arrays.fill(c.params().get("conv1.weight"), Float.MAX_VALUE);
        c.write(ckpt);
        byte[] before = Files.readAllBytes(ckpt);
        TrainingDivergedException e = catchThrowableOfType(TrainingDivergedException.class,
                () -> trainer(data, 2, 1e-3).train(ckpt, true, QUIET));
        assertThat(e.epoch()).isEqualTo(2);
        assertThat(e.batch()).isEqualTo(1);
        assertThat(e.quantity()).startsWith("the training loss is non-finite");
        assertThat(Files.readAllBytes(ckpt)).isEqualTo(before);
    }
}
