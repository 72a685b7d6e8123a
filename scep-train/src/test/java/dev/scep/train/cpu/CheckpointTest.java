package dev.scep.train.cpu;

import dev.scep.train.TrainingConfig;
import dev.scep.train.TrainingListener;
import dev.scep.train.EpochStats;

import dev.scep.formats.io.FileFormatException;
import dev.scep.formats.io.ScepDataset;
import dev.scep.formats.model.Architecture;
import dev.scep.train.RunDescription;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.zip.CRC32C;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A checkpoint is checked field by field before anything in it is used or allocated from. */
class CheckpointTest {
    @TempDir
    static Path dir;
    static TrainingSet data;
    static final Architecture ARCH = Architecture.scepMultitask(3, 5);
    /** A good checkpoint after epoch 1 of 2. */
    static Checkpoint good;
    static Checkpoint.Expectation expected;

    private static Trainer trainer(double lr, long seed) {
        return new Trainer(data, ARCH, new TrainingConfig(2, 16, lr, 0.1, 5, seed, 2));
    }

    @BeforeAll
    static void aCheckpointAfterTheFirstEpoch() throws IOException {
        ScepDataset d = SyntheticDatasets.write(dir.resolve("d.sced"), 80, 3, 5);
        data = TrainingSet.of(d, IntStream.range(0, 64).toArray(), IntStream.range(64, 80).toArray(), new int[]{0, 1, 2}, true);
        Path ckpt = dir.resolve("good.ckpt");
        assertThatThrownBy(() -> trainer(1e-3, 11).train(ckpt, false, new TrainingListener() {
            @Override
            public void epoch(EpochStats stats) {
                throw new IllegalStateException("stop");
            }
        })).hasMessage("stop");
        expected = trainer(1e-3, 11).checkpointExpectation();
        good = Checkpoint.read(ckpt, expected);
        assertThat(good.epochsDone()).isEqualTo(1);
        assertThat(good.run()).isEqualTo(trainer(1e-3, 11).runDescription());
    }

    private static Checkpoint with(int epochsDone, long adamStep, double lr, int bestEpoch, List<double[]> history) {
        Checkpoint c = good;
        return new Checkpoint(c.run(), epochsDone, c.params(), c.adamM(), c.adamV(), adamStep, lr, c.schedulerBest(),
                c.schedulerBad(), c.best(), c.bestLoss(), bestEpoch, history);
    }

    private static Path write(Checkpoint c, String name) throws IOException {
        Path p = dir.resolve(name);
        c.write(p);
        return p;
    }

    /** Overwrites 4 bytes at {@code offset} and repairs the checksum, as a deliberate forgery would. */
    private static void patchInt(Path file, int offset, int value) throws IOException {
        byte[] b = Files.readAllBytes(file);
        ByteBuffer.wrap(b).putInt(offset, value);
        CRC32C crc = new CRC32C();
        crc.update(b, 0, b.length - 4);
        ByteBuffer.wrap(b).putInt(b.length - 4, (int) crc.getValue());
        Files.write(file, b);
    }

    /** Where the scalar fields start: after magic, version and the run description. */
    private static int afterDescription(RunDescription run) {
        int at = 8 + 4 + 4;
        for (Map.Entry<String, String> e : run.values().entrySet()) {
            at += 8 + e.getKey().getBytes(StandardCharsets.UTF_8).length + e.getValue().getBytes(StandardCharsets.UTF_8).length;
        }
        return at;
    }

    private static void assertRefused(Path file, String message) {
        assertThatThrownBy(() -> Checkpoint.read(file, expected)).isInstanceOf(FileFormatException.class)
                .hasMessage(file + ": " + message);
    }

    @Test
    void aGoodCheckpointReadsBackAsItWasWritten() throws IOException {
        Checkpoint back = Checkpoint.read(write(good, "again.ckpt"), expected);
        assertThat(back.params().arrays().getFirst()).containsExactly(good.params().arrays().getFirst());
        assertThat(back.history()).hasSize(1);
        assertThat(back.learningRate()).isEqualTo(1e-3);
    }

    @Test
    void aGpuRunsCheckpointContinuesOnTheCpuAndOtherDifferencesAreStillRefused() throws IOException {
        // the same state, recorded as a GPU run's: the CPU continues it (the device is not part of the run)
        java.util.Map<String, String> v = new java.util.LinkedHashMap<>(good.run().values());
        v.put("kernels", Trainer.GPU_KERNELS);
        Checkpoint gpu = new Checkpoint(new dev.scep.train.RunDescription(v), good.epochsDone(), good.params(), good.adamM(),
                good.adamV(), good.adamStep(), good.learningRate(), good.schedulerBest(), good.schedulerBad(), good.best(),
                good.bestLoss(), good.bestEpoch(), good.history());
        Path p = write(gpu, "gpu.ckpt");
        assertThat(Checkpoint.read(p, expected).epochsDone()).isEqualTo(1);
        // and continues exactly where the CPU's own checkpoint would: the same weights after epoch 2
        Path own = write(good, "own.ckpt");
        float[] fromGpu = trainer(1e-3, 11).train(p, true, new TrainingListener() { }).lastModel().members().getFirst()
                .get(ARCH.parameterShapes().getFirst().name()).toArray();
        float[] fromCpu = trainer(1e-3, 11).train(own, true, new TrainingListener() { }).lastModel().members().getFirst()
                .get(ARCH.parameterShapes().getFirst().name()).toArray();
        assertThat(fromGpu).containsExactly(fromCpu);
        // a GPU checkpoint of another run (another seed) is refused as any other
        v.put("seed", "12");
        Checkpoint other = new Checkpoint(new dev.scep.train.RunDescription(v), good.epochsDone(), good.params(), good.adamM(),
                good.adamV(), good.adamStep(), good.learningRate(), good.schedulerBest(), good.schedulerBad(), good.best(),
                good.bestLoss(), good.bestEpoch(), good.history());
        assertThatThrownBy(() -> Checkpoint.read(write(other, "gpu-other.ckpt"), expected))
                .isInstanceOf(dev.scep.train.RunMismatchException.class).hasMessageContaining("seed=12")
                .hasMessageNotContaining("kernels=");
    }

    @Test
    void anAbsurdEpochCountIsRefused() throws IOException {
        assertRefused(write(with(Integer.MAX_VALUE, good.adamStep(), 1e-3, good.bestEpoch(), good.history()), "epochs.ckpt"),
                "checkpoint field 'epochs done' is 2147483647; expected 1 to 2");
        assertRefused(write(with(0, good.adamStep(), 1e-3, good.bestEpoch(), good.history()), "zero.ckpt"),
                "checkpoint field 'epochs done' is 0; expected 1 to 2");
    }

    @Test
    void aNaNOrNegativeLearningRateIsRefused() throws IOException {
        assertRefused(write(with(1, good.adamStep(), Double.NaN, good.bestEpoch(), good.history()), "nan.ckpt"),
                "checkpoint field 'learning rate' is NaN; expected a finite positive number no larger than this run's"
                        + " 0.001 (the scheduler only lowers it)");
        assertRefused(write(with(1, good.adamStep(), -1e-3, good.bestEpoch(), good.history()), "negative.ckpt"),
                "checkpoint field 'learning rate' is -0.001; expected a finite positive number no larger than this run's"
                        + " 0.001 (the scheduler only lowers it)");
        assertRefused(write(with(1, good.adamStep(), 5.0, good.bestEpoch(), good.history()), "higher.ckpt"),
                "checkpoint field 'learning rate' is 5.0; expected a finite positive number no larger than this run's"
                        + " 0.001 (the scheduler only lowers it)");
    }

    @Test
    void anAdamStepOrBestEpochThatCannotBeIsRefused() throws IOException {
        assertRefused(write(with(1, -1, 1e-3, good.bestEpoch(), good.history()), "step.ckpt"),
                "checkpoint field 'Adam step' is -1; expected 4 (1 epochs of 4 batches)");
        assertRefused(write(with(1, good.adamStep(), 1e-3, 7, good.history()), "best.ckpt"),
                "checkpoint field 'best epoch' is 7; expected 0 (an epoch done)");
        assertRefused(write(with(1, good.adamStep(), 1e-3, good.bestEpoch(), List.of(new double[]{Double.NaN, 1, 1e-3})), "history.ckpt"),
                "checkpoint field 'history[1] training loss' is NaN; expected a finite number >= 0");
    }

    @Test
    void aHugeHistoryCountIsRefusedBeforeAnythingIsAllocated() throws IOException {
        int at = afterDescription(good.run()) + 4 + 8 + 8 + 8 + 4 + 8 + 4;
        for (int n : new int[]{Integer.MAX_VALUE, Integer.MIN_VALUE, 2}) {
            Path p = write(good, "huge-history.ckpt");
            patchInt(p, at, n);
            assertRefused(p, "checkpoint field 'history count' is " + n + "; expected 1");
        }
    }

    @Test
    void aTensorOfTheWrongLengthOrWithNonFiniteValuesIsRefused() throws IOException {
        int at = afterDescription(good.run()) + 44 + 4 + 24;   // the first tensor's length
        Path p = write(good, "tensor.ckpt");
        patchInt(p, at, Integer.MAX_VALUE);
        assertRefused(p, "checkpoint field 'weights conv1.weight length' is 2147483647; expected 3072");

        Checkpoint c = good;
        Parameters v = c.adamV().copy();
        v.get("dense1.weight")[5] = Float.POSITIVE_INFINITY;
        assertRefused(write(new Checkpoint(c.run(), 1, c.params(), c.adamM(), v, c.adamStep(), c.learningRate(),
                        c.schedulerBest(), c.schedulerBad(), c.best(), c.bestLoss(), c.bestEpoch(), c.history()), "inf.ckpt"),
                "checkpoint field 'Adam second moment dense1.weight value 5' is Infinity; expected a finite number");
    }

    @Test
    void aFileFarLargerThanTheNetworkImpliesIsRefusedBeforeItIsRead() throws IOException {
        Path p = dir.resolve("large.ckpt");
        try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
            f.setLength(1L << 30);   // sparse: nothing is written
        }
        assertThatThrownBy(() -> Checkpoint.read(p, expected)).isInstanceOf(FileFormatException.class)
                .hasMessageStartingWith(p + ": the checkpoint is 1073741824 bytes; one of this network (")
                .hasMessageContaining("parameters) after at most 2 epochs has at most");
        Files.delete(p);
    }

    @Test
    void aCheckpointOfAnOlderFormatIsRefusedWithTheReason() throws IOException {
        byte[] b = ByteBuffer.allocate(24).putLong(0x53434550434B5054L).putInt(1).putInt(0).putInt(0).array();
        CRC32C crc = new CRC32C();
        crc.update(b, 0, 20);
        ByteBuffer.wrap(b).putInt(20, (int) crc.getValue());
        Path p = dir.resolve("v1.ckpt");
        Files.write(p, b);
        assertRefused(p, "checkpoint version 1, written by an older scep that did not record every parameter of its"
                + " run, so it cannot be checked: start again without --resume");
    }

    @Test
    void resumingWithOtherOptionsNamesEveryDifference() throws IOException {
        Path p = write(good, "other-run.ckpt");
        assertThatThrownBy(() -> trainer(2e-3, 12).train(p, true, new TrainingListener() { }))
                .hasMessage(p + ": the checkpoint belongs to another run: it was written by a run with lr=0.001, seed=11;"
                        + " this run has lr=0.002, seed=12: pass the same options, or start again without --resume");
        TrainingSet otherGenes = TrainingSet.of(data.dataset(), IntStream.range(0, 60).toArray(), IntStream.range(60, 80).toArray(),
                new int[]{0, 1}, true);
        Trainer fewer = new Trainer(otherGenes, Architecture.scepMultitask(2, 5), new TrainingConfig(2, 16, 1e-3, 0.1, 5, 11, 2));
        assertThatThrownBy(() -> fewer.train(p, true, new TrainingListener() { }))
                .hasMessageContaining("it was written by a run with populations=pop0,pop1,pop2, architecture=")
                .hasMessageContaining("train_genes=64 genes, CRC32C ")
                .hasMessageContaining("; this run has populations=pop0,pop1, architecture=")
                .hasMessageContaining("dense2(64->2 none), train_genes=60 genes, CRC32C ");
        assertThat(Checkpoint.read(p, expected).epochsDone()).isEqualTo(1);   // refused, not touched
    }
}
