package dev.scep.train.cpu;

import dev.scep.formats.Memory;
import dev.scep.formats.fuzz.FuzzInput;
import dev.scep.formats.fuzz.ReaderFuzzTest;
import dev.scep.formats.io.FileFormatException;
import dev.scep.formats.model.Activation;
import dev.scep.formats.model.Architecture;
import dev.scep.formats.model.FlattenOrder;
import dev.scep.formats.model.Layer;
import dev.scep.train.RunDescription;
import dev.scep.train.RunMismatchException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * The training checkpoint reader on arbitrary bytes, as a resumed run reads it: a checkpoint of this run whose every
 * field is in range, or {@link FileFormatException} (corrupted), {@link RunMismatchException} (another run's) or a
 * refusal to allocate what the heap cannot hold. Input: {@code [mode] checkpoint} ({@link FuzzInput}); mode 1
 * recomputes the trailing CRC32C so mutations reach the fields behind it. Seeds: checkpoints of {@link #RUN} after
 * one, two and three epochs, written by {@link Checkpoint#write}.
 */
class CheckpointFuzzTest {
    /** A small network of the scEP family, so seeds stay small. */
    static final Architecture ARCHITECTURE = new Architecture(List.of(
            new Layer.Conv1d("conv1", 4, 8, 6, 2, 2, Activation.RELU), new Layer.MaxPool1d("pool1", 5, 5, 1, 1),
            new Layer.Conv1d("conv2", 8, 4, 3, 1, 1, Activation.RELU), new Layer.MaxPool1d("pool2", 4, 4, 0, 0),
            new Layer.Flatten("flatten", FlattenOrder.CHANNEL_MAJOR), new Layer.ConcatHalfLife("halflife", 5),
            new Layer.Dense("dense1", 4 * 5 + 5, 6, Activation.RELU), new Layer.Dense("dense2", 6, 2, Activation.NONE)));
    static final RunDescription RUN = new RunDescription(Map.of("dataset", "0123abcd", "epochs", "3", "lr", "0.001",
            "seed", "1", "threads", "2"));
    static final Checkpoint.Expectation EXPECTED = new Checkpoint.Expectation(RUN, ARCHITECTURE, 3, 2, 1e-3, 5);
    private static final Path FILE = FuzzInput.scratch("checkpoint").resolve("run.checkpoint");

    @ReaderFuzzTest
    void read(byte[] data) throws IOException {
        FuzzInput in = FuzzInput.of(data);
        int mode = in.mode(2);
        byte[] file = in.rest();
        if (mode == 1 && file.length >= 4) {
            CRC32C crc = new CRC32C();
            crc.update(file, 0, file.length - 4);
            ByteBuffer.wrap(file, file.length - 4, 4).putInt((int) crc.getValue());
        }
        Files.write(FILE, file);
        try {
            Checkpoint c = Checkpoint.read(FILE, EXPECTED);
            if (c.epochsDone() < 1 || c.epochsDone() > 3 || c.history().size() != c.epochsDone()
                    || !(c.learningRate() > 0 && c.learningRate() <= 1e-3)) {
                throw new AssertionError("an out-of-range checkpoint was accepted: " + c.epochsDone() + " epochs, history "
                        + c.history().size() + ", learning rate " + c.learningRate());
            }
            for (Parameters p : List.of(c.params(), c.adamM(), c.adamV(), c.best())) {
                for (float[] a : p.arrays()) {
                    for (float v : a) {
                        if (!Float.isFinite(v)) {
                            throw new AssertionError("a non-finite value was accepted: " + Arrays.toString(a));
                        }
                    }
                }
            }
        } catch (FileFormatException | RunMismatchException | Memory.NotEnoughMemoryException expected) {
            // the documented outcomes for a checkpoint that is damaged or belongs to another run
        }
    }
}
