package dev.scep.train.cpu;

import dev.scep.formats.io.FileFormatException;
import dev.scep.formats.io.OutputFile;
import dev.scep.formats.model.Architecture;
import dev.scep.train.RunDescription;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * Everything needed to continue a training run exactly where it stopped: epoch, parameters, Adam moments and step,
 * scheduler state, the best weights so far and the loss history. Written atomically after every epoch (temporary
 * file, then rename), with a CRC32C over the whole content, so a crash mid-write leaves the previous checkpoint.
 *
 * <p>{@link #read} trusts nothing in the file: its size is checked against what the network implies before it is
 * read, then the checksum, then the run description against the run that would continue it (every difference
 * named), then every field against its range and every tensor against the network's shape and for finite values;
 * each error names the file and the field.
 *
 * @param run the parameters of the run (dataset fingerprint, genes, populations, architecture, recipe, threads,
 *            kernels); resuming with a different one is refused, since it would not continue the same run
 */
public record Checkpoint(RunDescription run, int epochsDone, Parameters params, Parameters adamM, Parameters adamV,
                         long adamStep, double learningRate, double schedulerBest, int schedulerBad, Parameters best,
                         double bestLoss, int bestEpoch, List<double[]> history) {
    private static final String KERNELS = "kernels";

    /** Whether one description is a GPU run's and the other a CPU run's (then their kernels may differ). */
    private static boolean deviceSwitch(RunDescription a, RunDescription b) {
        String x = a.values().get(KERNELS);
        String y = b.values().get(KERNELS);
        return x != null && y != null && (x.equals(Trainer.GPU_KERNELS) != y.equals(Trainer.GPU_KERNELS));
    }

    private static final long MAGIC = 0x53434550434B5054L; // "SCEPCKPT"
    /** 2: the run is recorded as named fields (version 1 kept one opaque key, without epochs or the plateau settings). */
    private static final int VERSION = 2;
    /** The run description's share of a checkpoint, at most (it is a few hundred bytes in practice). */
    static final int MAX_DESCRIPTION_BYTES = 1 << 20;
    private static final int MAX_DESCRIPTION_FIELDS = 1000;
    /** Magic, version, the description's field count, the scalar fields and the history count. */
    private static final int FIXED_BYTES = 8 + 4 + 4 + (4 + 8 + 8 + 8 + 4 + 8 + 4) + 4;
    private static final List<String> GROUPS = List.of("weights", "Adam first moment", "Adam second moment", "best weights");

    /**
     * What a checkpoint that continues a given run must hold.
     *
     * @param run             this run's description; the checkpoint's must be equal
     * @param architecture    the network: the tensors' count and lengths
     * @param epochs          this run's epochs: the most a checkpoint can have done
     * @param batchesPerEpoch Adam steps per epoch, so the step count must be epochs done × this
     * @param learningRate    this run's initial learning rate (the scheduler only lowers it)
     * @param plateauPatience this run's patience: the scheduler's count of bad epochs never exceeds it
     */
    public record Expectation(RunDescription run, Architecture architecture, int epochs, int batchesPerEpoch,
                              double learningRate, int plateauPatience) {
    }

    /** Writes the checkpoint through an {@link OutputFile}, never over one of {@code inputs} (the dataset). */
    public void write(Path target, Path... inputs) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeLong(MAGIC);
            out.writeInt(VERSION);
            out.writeInt(run.values().size());
            for (Map.Entry<String, String> e : run.values().entrySet()) {
                for (String s : List.of(e.getKey(), e.getValue())) {
                    byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
                    out.writeInt(utf8.length);
                    out.write(utf8);
                }
            }
            if (out.size() > 16 + MAX_DESCRIPTION_BYTES) {
                throw new IllegalArgumentException("the run description is " + out.size() + " bytes; a checkpoint holds at most "
                        + MAX_DESCRIPTION_BYTES);
            }
            out.writeInt(epochsDone);
            out.writeLong(adamStep);
            out.writeDouble(learningRate);
            out.writeDouble(schedulerBest);
            out.writeInt(schedulerBad);
            out.writeDouble(bestLoss);
            out.writeInt(bestEpoch);
            out.writeInt(history.size());
            for (double[] h : history) {
                out.writeDouble(h[0]);
                out.writeDouble(h[1]);
                out.writeDouble(h[2]);
            }
            for (Parameters p : List.of(params, adamM, adamV, best)) {
                for (float[] a : p.arrays()) {
                    out.writeInt(a.length);
                    ByteBuffer b = ByteBuffer.allocate(a.length * 4);
                    b.asFloatBuffer().put(a);
                    out.write(b.array());
                }
            }
        }
        byte[] content = bytes.toByteArray();
        CRC32C crc = new CRC32C();
        crc.update(content);
        try (OutputFile out = OutputFile.create(target, inputs)) {
            out.stream().write(content);
            out.stream().write(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
            out.sync();
            out.commit();
        }
    }

    /** The tensors' bytes in a checkpoint of {@code arch}: four copies of the parameters, each tensor with its length. */
    private static long tensorBytes(Architecture arch) {
        long perCopy = 0;
        for (Architecture.ParameterShape s : arch.parameterShapes()) {
            perCopy += 4 + 4 * dev.scep.formats.model.Tensor.elementCount(s.shape());
        }
        return 4 * perCopy;
    }

    /**
     * Reads a checkpoint that is to continue the run {@code expected} describes, checking everything before using it.
     *
     * @throws FileFormatException naming the file and the field when the file is not a sound checkpoint
     * @throws dev.scep.train.RunMismatchException naming every difference when the checkpoint was written by another run
     */
    public static Checkpoint read(Path file, Expectation expected) throws IOException {
        Architecture arch = expected.architecture();
        long parameters = Parameters.zeros(arch).count();
        // the size before anything is read: the network's tensors, at most one history entry per epoch and a bounded
        // run description (generous, so that a checkpoint of a slightly different network reaches the comparison of
        // run descriptions below, which names what differs)
        long size = Files.size(file);
        long most = FIXED_BYTES + MAX_DESCRIPTION_BYTES + 24L * expected.epochs() + tensorBytes(arch) + 4;
        if (size > most) {
            throw new FileFormatException(file, "the checkpoint is " + size + " bytes; one of this network (" + parameters
                    + " parameters) after at most " + expected.epochs() + " epochs has at most " + most);
        }
        if (size < 16) {
            throw new FileFormatException(file, "not a scep training checkpoint (" + size + " bytes, too short)");
        }
        byte[] all = Files.readAllBytes(file);
        if (all.length != size) {
            throw new FileFormatException(file, "the checkpoint changed while it was read");
        }
        CRC32C crc = new CRC32C();
        crc.update(all, 0, all.length - 4);
        ByteBuffer in = ByteBuffer.wrap(all, 0, all.length - 4);
        if (in.getLong() != MAGIC) {
            throw new FileFormatException(file, "not a scep training checkpoint");
        }
        if (ByteBuffer.wrap(all, all.length - 4, 4).getInt() != (int) crc.getValue()) {
            throw new FileFormatException(file, "checkpoint checksum mismatch: the file is truncated or corrupted");
        }
        Fields f = new Fields(file, in);
        int version = f.i32("version");
        if (version == 1) {
            throw new FileFormatException(file, "checkpoint version 1, written by an older scep that did not record every"
                    + " parameter of its run, so it cannot be checked: start again without --resume");
        }
        if (version != VERSION) {
            throw new FileFormatException(file, "checkpoint version " + version + " is not supported (this scep writes "
                    + VERSION + ")");
        }
        int count = f.i32("run description field count", 0, MAX_DESCRIPTION_FIELDS);
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            String name = f.utf8("run description field " + (i + 1) + " name");
            values.put(name, f.utf8("run description field '" + name + "'"));
        }
        RunDescription recorded;
        try {
            recorded = new RunDescription(values);
        } catch (IllegalArgumentException e) {
            throw new FileFormatException(file, "checkpoint run description: " + e.getMessage());
        }
        RunDescription current = expected.run();
        if (deviceSwitch(recorded, current)) {
            // a run moves between the CPU and the GPU (either way): it continues, but not bit for bit as it would
            // have on one device, since the two sum in different orders
            Map<String, String> same = new LinkedHashMap<>(current.values());
            same.put(KERNELS, recorded.values().get(KERNELS));
            current = new RunDescription(same);
            org.slf4j.LoggerFactory.getLogger(Checkpoint.class).info("{}: written on {}, continued on {} (results are not"
                    + " bit-for-bit those of a run on one device)", file, recorded.values().get(KERNELS),
                    expected.run().values().get(KERNELS));
        }
        String mismatch = recorded.mismatch(current);
        if (mismatch != null) {
            throw new dev.scep.train.RunMismatchException(file + ": the checkpoint belongs to another run: it was written by " + mismatch
                    + ": pass the same options, or start again without --resume");
        }

        int epochsDone = f.i32("epochs done", 1, expected.epochs());
        long step = f.i64("Adam step");
        long steps = (long) epochsDone * expected.batchesPerEpoch();
        if (step != steps) {
            throw f.error("Adam step", Long.toString(step), steps + " (" + epochsDone + " epochs of "
                    + expected.batchesPerEpoch() + " batches)");
        }
        double lr = f.f64("learning rate");
        if (!(Double.isFinite(lr) && lr > 0 && lr <= expected.learningRate())) {
            throw f.error("learning rate", Double.toString(lr), "a finite positive number no larger than this run's "
                    + expected.learningRate() + " (the scheduler only lowers it)");
        }
        double schedulerBest = f.lossOrInfinity("scheduler best loss");
        int schedulerBad = f.i32("scheduler bad epochs", 0, expected.plateauPatience());
        double bestLoss = f.lossOrInfinity("best validation loss");
        int bestEpoch = f.i32("best epoch");
        if (bestLoss == Double.POSITIVE_INFINITY ? bestEpoch != -1 : bestEpoch < 0 || bestEpoch >= epochsDone) {
            throw f.error("best epoch", Integer.toString(bestEpoch), bestLoss == Double.POSITIVE_INFINITY
                    ? "-1 (no best validation loss yet)" : (epochsDone == 1 ? "0" : "0 to " + (epochsDone - 1)) + " (an epoch done)");
        }
        int n = f.i32("history count", epochsDone, epochsDone);
        List<double[]> history = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String at = "history[" + (i + 1) + "] ";
            double train = f.f64(at + "training loss");
            if (!(Double.isFinite(train) && train >= 0)) {
                throw f.error(at + "training loss", Double.toString(train), "a finite number >= 0");
            }
            double validation = f.f64(at + "validation loss");
            if (!Double.isNaN(validation) && !(Double.isFinite(validation) && validation >= 0)) {
                throw f.error(at + "validation loss", Double.toString(validation), "a finite number >= 0, or NaN without validation genes");
            }
            double rate = f.f64(at + "learning rate");
            if (!(Double.isFinite(rate) && rate > 0)) {
                throw f.error(at + "learning rate", Double.toString(rate), "a finite positive number");
            }
            history.add(new double[]{train, validation, rate});
        }
        Parameters[] ps = new Parameters[4];
        for (int k = 0; k < 4; k++) {
            ps[k] = Parameters.zeros(arch);
            List<Architecture.ParameterShape> shapes = ps[k].shapes();
            List<float[]> arrays = ps[k].arrays();
            for (int t = 0; t < arrays.size(); t++) {
                float[] a = arrays.get(t);
                String field = GROUPS.get(k) + " " + shapes.get(t).name();
                f.i32(field + " length", a.length, a.length);
                f.floats(field, a);
            }
        }
        if (in.hasRemaining()) {
            throw new FileFormatException(file, "the checkpoint has " + in.remaining() + " bytes after its last tensor");
        }
        return new Checkpoint(recorded, epochsDone, ps[0], ps[1], ps[2], step, lr, schedulerBest, schedulerBad, ps[3],
                bestLoss, bestEpoch, history);
    }

    /** Reads named fields, each checked before it is used; every error names the file and the field. */
    private record Fields(Path file, ByteBuffer in) {
        FileFormatException error(String field, String value, String expected) {
            return new FileFormatException(file, "checkpoint field '" + field + "' is " + value + "; expected " + expected);
        }

        private void need(String field, long bytes) throws FileFormatException {
            if (bytes > in.remaining()) {
                throw new FileFormatException(file, "the checkpoint ends inside field '" + field + "' (" + bytes
                        + " bytes needed, " + in.remaining() + " left)");
            }
        }

        int i32(String field) throws FileFormatException {
            need(field, 4);
            return in.getInt();
        }

        int i32(String field, int min, int max) throws FileFormatException {
            int v = i32(field);
            if (v < min || v > max) {
                throw error(field, Integer.toString(v), min == max ? Integer.toString(min) : min + " to " + max);
            }
            return v;
        }

        long i64(String field) throws FileFormatException {
            need(field, 8);
            return in.getLong();
        }

        double f64(String field) throws FileFormatException {
            need(field, 8);
            return in.getDouble();
        }

        /** A loss that may still be +infinity (nothing seen yet), else finite and >= 0. */
        double lossOrInfinity(String field) throws FileFormatException {
            double v = f64(field);
            if (!(v == Double.POSITIVE_INFINITY || Double.isFinite(v) && v >= 0)) {
                throw error(field, Double.toString(v), "a finite number >= 0, or Infinity when there is none yet");
            }
            return v;
        }

        String utf8(String field) throws FileFormatException {
            int length = i32(field + " length");
            if (length < 0) {
                throw error(field + " length", Integer.toString(length), "a number of bytes >= 0");
            }
            need(field, length);
            byte[] b = new byte[length];
            in.get(b);
            return new String(b, StandardCharsets.UTF_8);
        }

        void floats(String field, float[] into) throws FileFormatException {
            need(field, 4L * into.length);
            in.asFloatBuffer().get(into);
            in.position(in.position() + 4 * into.length);
            for (int i = 0; i < into.length; i++) {
                if (!Float.isFinite(into[i])) {
                    throw error(field + " value " + i, Float.toString(into[i]), "a finite number");
                }
            }
        }
    }
}
