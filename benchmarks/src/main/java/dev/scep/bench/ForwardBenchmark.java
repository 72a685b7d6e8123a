package dev.scep.bench;

import dev.scep.formats.model.ScepModel;
import dev.scep.runtime.Backend;
import dev.scep.runtime.HalfLifeInput;
import dev.scep.runtime.Predictor;
import org.bytedeco.pytorch.global.torch;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Forward pass, scep against libtorch in the same JVM and run, same weights, both on all cores (2 here).
 * One operation = one call on {@code batch} windows. libtorch gets its input tensor prebuilt (its one-hot
 * encoding is not timed); scep's time includes decoding the windows from bytes.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 4, time = 2)
@Measurement(iterations = 6, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
public class ForwardBenchmark {
    @Param({"scep20", "xpresso"})
    public String shape;

    @Param({"1", "64"})
    public int batch;

    private Predictor vector;
    private Predictor scalar;
    private LibtorchNetwork libtorch;
    private List<byte[]> windows;
    private List<HalfLifeInput> halfLife;
    private org.bytedeco.pytorch.Tensor torchInput;
    private org.bytedeco.pytorch.Tensor torchHalfLife;

    @Setup(Level.Trial)
    public void setUp() {
        int threads = Runtime.getRuntime().availableProcessors();
        torch.set_num_threads(threads);
        ScepModel model = BenchModels.byName(shape, 42);
        vector = Predictor.of(model, new Predictor.Options(Backend.AUTO, threads));
        scalar = Predictor.of(model, new Predictor.Options(Backend.SCALAR, threads));
        libtorch = new LibtorchNetwork(model);
        windows = BenchModels.windows(batch, model.windowLength(), 7);
        float[][] hl = BenchModels.halfLife(batch, model.halfLifeFeatures().size(), 7);
        halfLife = new ArrayList<>();
        for (float[] row : hl) {
            halfLife.add(HalfLifeInput.normalised(row));
        }
        torchInput = libtorch.oneHot(windows);
        torchHalfLife = libtorch.halfLife(hl);
        System.out.printf("%n[setup] scep kernels %s, %d threads; libtorch %s threads%n", vector.backendName(), threads,
                torch.get_num_threads());
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        vector.close();
        scalar.close();
        libtorch.close();
    }

    @Benchmark
    public Object scep() {
        return batch == 1 ? vector.predict(windows.getFirst(), halfLife.getFirst()) : vector.predictBatch(windows, halfLife);
    }

    @Benchmark
    public Object scepScalar() {
        return batch == 1 ? scalar.predict(windows.getFirst(), halfLife.getFirst()) : scalar.predictBatch(windows, halfLife);
    }

    @Benchmark
    public Object libtorch() {
        return libtorch.forward(torchInput, torchHalfLife);
    }
}
