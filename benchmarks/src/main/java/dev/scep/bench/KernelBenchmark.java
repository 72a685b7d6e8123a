package dev.scep.bench;

import dev.scep.runtime.cpu.Kernels;
import dev.scep.runtime.network.PoolGeometry;
import dev.scep.runtime.cpu.ScalarKernels;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * Where one window's time goes, on one thread: the first convolution (paired-tap tables, fused with pooling)
 * and the second convolution (one GEMM, 350 × 1152 × 32 = 25.8 MFLOP) of the scEP network.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class KernelBenchmark {
    @Param({"vector", "scalar"})
    public String kernels;

    private Kernels k;
    private final float[] table = new float[3 * 256 * 128];
    private final int[] offsets = new int[3 * 10_499];
    private final float[] bias = new float[128];
    private final float[] pooled = new float[358 * 128];
    private final PoolGeometry pool1 = new PoolGeometry(30, 30, 1, 10_499, 350);
    private final float[] b2 = new float[1152 * 32];
    private final float[] raw = new float[350 * 32];

    @Setup
    public void setUp() {
        k = kernels.equals("vector") ? Kernels.best() : new ScalarKernels();
        if (kernels.equals("vector") && k instanceof ScalarKernels) {
            throw new IllegalStateException("Vector API not available");
        }
        SplittableRandom r = new SplittableRandom(3);
        for (int i = 0; i < table.length; i++) {
            table[i] = (float) r.nextDouble(-0.5, 0.5);
        }
        int[] acgt = {1, 2, 4, 8};
        byte[] codes = new byte[10_504];
        for (int i = 2; i < 10_502; i++) {
            codes[i] = (byte) acgt[r.nextInt(4)];
        }
        for (int g = 0; g < 3; g++) {
            for (int q = 0; q < 10_499; q++) {
                offsets[g * 10_499 + q] = (g * 256 + codes[q + 2 * g] * 16 + codes[q + 2 * g + 1]) * 128;
            }
        }
        for (int i = 4 * 128; i < 354 * 128; i++) {
            pooled[i] = (float) r.nextDouble();
        }
        for (int i = 0; i < b2.length; i++) {
            b2[i] = (float) r.nextDouble(-0.5, 0.5);
        }
    }

    /** conv1 (4 → 128, k = 6) over 10,499 positions, max-pooled to 350, bias, ReLU. */
    @Benchmark
    public float[] conv1TablePool() {
        k.tableConvPool(table, 3, 128, offsets, 10_499, pool1, 0, 350, bias, true, pooled, 4);
        return pooled;
    }

    /** conv2 (128 → 32, k = 9) at 350 positions as one GEMM: 25.8 MFLOP. */
    @Benchmark
    public float[] conv2Gemm() {
        k.gemm(pooled, 128, 1152, b2, 32, 0, 350, raw);
        return raw;
    }
}
