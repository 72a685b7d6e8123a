package dev.scep.train.cpu;

import dev.scep.formats.io.OutputFile;
import dev.scep.formats.model.Architecture;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * Everything needed to continue a training run exactly where it stopped: epoch, parameters, Adam moments and step,
 * scheduler state, the best weights so far and the loss history. Written atomically after every epoch (temporary
 * file, then rename), with a CRC32C over the whole content, so a crash mid-write leaves the previous checkpoint.
 *
 * @param runKey a description of the run (dataset fingerprint, genes, populations, architecture, recipe, threads);
 *               resuming with a different one is refused, since it would not continue the same run
 */
public record Checkpoint(String runKey, int epochsDone, Parameters params, Parameters adamM, Parameters adamV, long adamStep,
                         double learningRate, double schedulerBest, int schedulerBad, Parameters best, double bestLoss,
                         int bestEpoch, List<double[]> history) {
    private static final long MAGIC = 0x53434550434B5054L; // "SCEPCKPT"
    private static final int VERSION = 1;

    /** Writes the checkpoint through an {@link OutputFile}, never over one of {@code inputs} (the dataset). */
    public void write(Path target, Path... inputs) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeLong(MAGIC);
            out.writeInt(VERSION);
            out.writeUTF(runKey);
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

    public static Checkpoint read(Path file, Architecture arch) throws IOException {
        byte[] all = Files.readAllBytes(file);
        if (all.length < 16) {
            throw new IOException(file + ": not a scep training checkpoint (too short)");
        }
        CRC32C crc = new CRC32C();
        crc.update(all, 0, all.length - 4);
        if (ByteBuffer.wrap(all, all.length - 4, 4).getInt() != (int) crc.getValue()) {
            throw new IOException(file + ": checkpoint checksum mismatch: the file is truncated or corrupted");
        }
        try (DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(all, 0, all.length - 4))) {
            if (in.readLong() != MAGIC) {
                throw new IOException(file + ": not a scep training checkpoint");
            }
            int version = in.readInt();
            if (version != VERSION) {
                throw new IOException(file + ": checkpoint version " + version + " is not supported (this scep writes " + VERSION + ")");
            }
            String key = in.readUTF();
            int epochs = in.readInt();
            long step = in.readLong();
            double lr = in.readDouble();
            double sBest = in.readDouble();
            int sBad = in.readInt();
            double bestLoss = in.readDouble();
            int bestEpoch = in.readInt();
            int n = in.readInt();
            List<double[]> history = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                history.add(new double[]{in.readDouble(), in.readDouble(), in.readDouble()});
            }
            Parameters[] ps = new Parameters[4];
            for (int k = 0; k < 4; k++) {
                ps[k] = Parameters.zeros(arch);
                for (float[] a : ps[k].arrays()) {
                    int len = in.readInt();
                    if (len != a.length) {
                        throw new IOException(file + ": checkpoint tensor of " + len + " values where the architecture has " + a.length);
                    }
                    byte[] raw = new byte[len * 4];
                    in.readFully(raw);
                    ByteBuffer.wrap(raw).asFloatBuffer().get(a);
                }
            }
            return new Checkpoint(key, epochs, ps[0], ps[1], ps[2], step, lr, sBest, sBad, ps[3], bestLoss, bestEpoch, history);
        }
    }
}
