package dev.scep.train.gpu;

import dev.scep.formats.model.AmbiguityRule;
import dev.scep.formats.model.Architecture;
import dev.scep.formats.model.Layer;
import dev.scep.formats.model.ParameterInit;
import dev.scep.formats.model.SequenceEncoding;
import dev.scep.runtime.BaseCodes;
import dev.scep.runtime.cpu.Kernels;
import dev.scep.runtime.gpu.GpuKernels;
import dev.scep.runtime.network.NetworkShape;
import dev.scep.train.cpu.Parameters;
import dev.scep.train.cpu.Trainer;
import dev.scep.train.cpu.TrainingNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The GPU training step's kernels, run on the CPU: scep_kernels.cu compiled by g++ against a small CUDA emulation
 * ({@code cuda_emulation.h}), driven by {@code gpu_step_emulation.cpp}, which makes GpuTrainingNetwork's calls in its
 * order with cuDNN's and cuBLAS's replaced by loops that follow their documented semantics. Its activations, loss and
 * every gradient must equal the CPU trainer's ({@link TrainingNetwork}, an independent implementation) for a batch with
 * ambiguous bases and real dropout. This checks, without a GPU, the kernels' index arithmetic (pooling's arg-max and
 * its backward, the first convolution's gathered weight gradient, the half-life concatenation and its backward,
 * dropout and activation backward, the reductions) and the layouts and GEMM arguments the GPU path passes; what it
 * cannot check (cuDNN and cuBLAS themselves, the FFM calls) is left to {@code benchmarks/gpu/run.sh device}.
 */
class GpuKernelsEmulationTest {
    private static final int WINDOW = 1_500;
    private static final int HALF_LIFE = 5;
    private static final int OUTPUTS = 3;
    private static final int BATCH = 3;
    private static final long SEED = 41;

    @TempDir
    Path dir;

    private static boolean gxx() {
        try {
            Process p = new ProcessBuilder("g++", "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    /** scEP's network on short windows, with dropout 0.5 so that the masks really drop units. */
    private static Architecture architecture() {
        List<Layer> layers = new ArrayList<>();
        for (Layer l : Architecture.scepMultitask(OUTPUTS, HALF_LIFE, WINDOW).layers()) {
            layers.add(l instanceof Layer.Dropout d ? new Layer.Dropout(d.name(), 0.5f) : l);
        }
        return new Architecture(layers);
    }

    @Test
    void theKernelsOnTheCpuGiveTheCpuTrainersActivationsLossAndGradients() throws Exception {
        assumeTrue(gxx(), "skipped: g++ is not installed here (it builds the CPU emulation of the GPU kernels)");
        Architecture arch = architecture();
        SequenceEncoding encoding = new SequenceEncoding("ACTG", AmbiguityRule.FRACTIONAL, 1_000, WINDOW - 1_000);
        NetworkShape shape = new NetworkShape(arch, WINDOW, HALF_LIFE);
        Parameters params = Parameters.of(arch, ParameterInit.pytorchDefault(arch, 9));
        SplittableRandom rnd = new SplittableRandom(5);
        List<byte[]> masks = new ArrayList<>();
        float[] halfLife = new float[BATCH * HALF_LIFE];
        float[] targets = new float[BATCH * OUTPUTS];
        for (int s = 0; s < BATCH; s++) {
            byte[] ascii = new byte[WINDOW];
            for (int p = 0; p < WINDOW; p++) {
                ascii[p] = (byte) "ACGT".charAt(rnd.nextInt(4));
            }
            for (int p = 200 + 100 * s; p < 230 + 100 * s; p++) {
                ascii[p] = (byte) (s == 1 ? 'R' : 'N');   // ambiguity: fractions of a base on every channel they allow
            }
            byte[] m = new byte[WINDOW];
            BaseCodes.encode(ascii, WINDOW, m, 0);
            masks.add(m);
            for (int k = 0; k < HALF_LIFE; k++) {
                halfLife[s * HALF_LIFE + k] = (float) rnd.nextGaussian();
            }
            for (int o = 0; o < OUTPUTS; o++) {
                targets[s * OUTPUTS + o] = (float) rnd.nextGaussian();
            }
        }

        // the CPU trainer: a training forward (dropout keyed as Trainer keys it) and backward per window
        TrainingNetwork cpu = new TrainingNetwork(arch, encoding, HALF_LIFE, Kernels.best());
        TrainingNetwork.Packed packed = cpu.pack(params);
        TrainingNetwork.Work w = cpu.newWork();
        TrainingNetwork.Gradients grads = cpu.newGradients();
        List<NetworkShape.DenseStep> dense = shape.dense();
        float[][] keep = {new float[BATCH * dense.get(0).out()], new float[BATCH * dense.get(1).out()]};
        List<String> names = List.of(arch.convolutions().get(0).name(), arch.convolutions().get(1).name(),
                dense.get(0).layer().name(), dense.get(1).layer().name());
        List<float[]> activations = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            activations.add(new float[0]);
        }
        double loss = 0;
        float[] gy = new float[OUTPUTS];
        for (int s = 0; s < BATCH; s++) {
            w.setCodes(masks.get(s));
            float[] y = cpu.forward(packed, w, java.util.Arrays.copyOfRange(halfLife, s * HALF_LIFE, (s + 1) * HALF_LIFE),
                    Trainer.dropoutRandom(SEED, 0, s));
            SplittableRandom again = Trainer.dropoutRandom(SEED, 0, s);
            for (int l = 0; l < 2; l++) {
                TrainingNetwork.drawDropout(dense.get(l), again, keep[l], s * dense.get(l).out());
            }
            for (int i = 0; i < names.size(); i++) {
                float[] a = cpu.activations(w, names.get(i));
                float[] all = java.util.Arrays.copyOf(activations.get(i), activations.get(i).length + a.length);
                System.arraycopy(a, 0, all, activations.get(i).length, a.length);
                activations.set(i, all);
            }
            for (int o = 0; o < OUTPUTS; o++) {
                float d = y[o] - targets[s * OUTPUTS + o];
                loss += (double) d * d;
                gy[o] = 2f / (BATCH * OUTPUTS) * d;
            }
            cpu.backward(packed, w, gy, grads);
        }
        Parameters gradient = Parameters.zeros(arch);
        grads.addTo(gradient);
        assertThat(keep[0]).as("dropout drops units in this batch").contains(0f);

        // the emulated GPU step on the same inputs
        NetworkShape.ConvBlock b1 = shape.blocks().get(0);
        NetworkShape.ConvBlock b2 = shape.blocks().get(1);
        int row = shape.first().paddedInputLength();
        int[] channelBases = BaseCodes.channelBases(encoding);
        ByteBuffer in = ByteBuffer.allocate(1 << 24).order(ByteOrder.LITTLE_ENDIAN);
        for (int v : new int[]{BATCH, row,
                b1.conv().outChannels(), b1.conv().kernel(), b1.convLength(), b1.pool().size(), b1.pool().stride(),
                b1.pool().padLeft(), b1.pool().outputLength(), b1.relu() ? 1 : 0,
                b2.conv().outChannels(), b2.conv().kernel(), b2.conv().padLeft(), b2.convLength(), b2.pool().size(),
                b2.pool().stride(), b2.pool().padLeft(), b2.pool().outputLength(), b2.relu() ? 1 : 0,
                HALF_LIFE, dense.get(0).out(), dense.get(0).relu() ? 1 : 0, OUTPUTS,
                shape.flattenOrder() == dev.scep.formats.model.FlattenOrder.POSITION_MAJOR ? 1 : 0, 4}) {
            in.putInt(v);
        }
        for (Architecture.ParameterShape p : arch.parameterShapes()) {
            for (float v : params.get(p.name())) {
                in.putFloat(v);
            }
        }
        int padLeft = shape.first().conv().padLeft();
        for (int s = 0; s < BATCH; s++) {
            for (int ch = 0; ch < 4; ch++) {
                for (int p = 0; p < row; p++) {
                    int q = p - padLeft;
                    in.putFloat(q < 0 || q >= WINDOW ? 0f
                            : (float) BaseCodes.channelValue(masks.get(s)[q], channelBases[ch], encoding.ambiguity()));
                }
            }
        }
        for (float[] a : new float[][]{halfLife, targets, keep[0], keep[1]}) {
            for (float v : a) {
                in.putFloat(v);
            }
        }
        Path input = dir.resolve("in.bin");
        Files.write(input, java.util.Arrays.copyOf(in.array(), in.position()));
        Path output = dir.resolve("out.bin");
        run(dir, input, output);

        ByteBuffer out = ByteBuffer.wrap(Files.readAllBytes(output)).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < names.size(); i++) {
            float[] want = activations.get(i);
            assertThat(relative(next(out, want.length), want)).as("activations of " + names.get(i)).isLessThan(1e-5);
        }
        float gpuLoss = out.getFloat();
        assertThat(Math.abs(gpuLoss - loss) / loss).as("the loss").isLessThan(1e-5);
        for (Architecture.ParameterShape p : arch.parameterShapes()) {
            float[] want = gradient.get(p.name());
            assertThat(relative(next(out, want.length), want)).as("gradient of " + p.name()).isLessThan(1e-4);
        }
        assertThat(out.remaining()).isZero();
    }

    /** Builds the emulation with g++ and runs it on {@code input}. */
    private static void run(Path dir, Path input, Path output) throws IOException, InterruptedException {
        Files.writeString(dir.resolve("scep_kernels.cu"), GpuKernels.source());
        for (String name : List.of("cuda_emulation.h", "gpu_step_emulation.cpp")) {
            try (InputStream s = GpuKernelsEmulationTest.class.getResourceAsStream(name)) {
                Files.write(dir.resolve(name), s.readAllBytes());
            }
        }
        Path exe = dir.resolve("gpu_step_emulation");
        exec(dir, "g++", "-std=c++20", "-O2", "-pthread", "-Wall", "-Wno-unused-function", "-I", dir.toString(),
                "-o", exe.toString(), dir.resolve("gpu_step_emulation.cpp").toString());
        exec(dir, exe.toString(), input.toString(), output.toString());
    }

    private static void exec(Path dir, String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(300, TimeUnit.SECONDS)).as("%s finished", command[0]).isTrue();
        assertThat(p.exitValue()).as("%s:%n%s", String.join(" ", command), log).isZero();
        assertThat(log).as("compiler warnings").doesNotContain("warning");
    }

    private static float[] next(ByteBuffer b, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = b.getFloat();
        }
        return v;
    }

    /** max |got - want| / max |want|. */
    private static double relative(float[] got, float[] want) {
        double diff = 0;
        double scale = 1e-30;
        for (int i = 0; i < want.length; i++) {
            diff = Math.max(diff, Math.abs(got[i] - want[i]));
            scale = Math.max(scale, Math.abs(want[i]));
        }
        return diff / scale;
    }
}
