package dev.scep.bench;

import dev.scep.formats.model.Architecture;
import dev.scep.formats.model.HalfLifeFeature;
import dev.scep.formats.model.OutputSpec;
import dev.scep.formats.model.ParameterInit;
import dev.scep.formats.model.ScepModel;
import dev.scep.formats.model.SequenceEncoding;
import dev.scep.runtime.HalfLifeInput;
import dev.scep.runtime.cpu.Kernels;
import dev.scep.runtime.ism.IncrementalIsm;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

/**
 * Latency of one warm SNV effect (a gene already prepared, as a variant-scoring service keeps it): the change of
 * all 20 outputs of a scEP model for one substitution at a random position, next to libtorch scoring the same SNV
 * the naive way (one forward pass of the mutant window, its one-hot tensor prepared beforehand). Sample-time mode
 * gives percentiles.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class SnvLatencyBenchmark {
    private IncrementalIsm ism;
    private IncrementalIsm.Gene gene;
    private LibtorchNetwork torch;
    private org.bytedeco.pytorch.Tensor mutant;
    private org.bytedeco.pytorch.Tensor halfLife;
    private final SplittableRandom rnd = new SplittableRandom(7);

    @Setup
    public void setUp() {
        Architecture arch = Architecture.scepMultitask(20, 5);
        ScepModel m = new ScepModel(arch, SequenceEncoding.SCEP,
                IntStream.range(0, 20).mapToObj(i -> new OutputSpec("pop" + i, 0, 1)).toList(),
                IntStream.range(0, 5).mapToObj(i -> HalfLifeFeature.raw("h" + i)).toList(), Map.of(),
                List.of(ParameterInit.pytorchDefault(arch, 1)));
        byte[] window = new byte[10_500];
        SplittableRandom r = new SplittableRandom(1);
        for (int i = 0; i < window.length; i++) {
            window[i] = (byte) "ACGT".charAt(r.nextInt(4));
        }
        ism = new IncrementalIsm(m, Kernels.best(), 1);
        gene = ism.gene(window, HalfLifeInput.zeros(5));
        org.bytedeco.pytorch.global.torch.set_num_threads(1);
        torch = new LibtorchNetwork(m);
        byte[] mutated = window.clone();
        mutated[5000] = (byte) (mutated[5000] == 'A' ? 'C' : 'A');
        mutant = torch.oneHot(List.of(mutated));
        halfLife = torch.halfLife(new float[1][5]);
    }

    @TearDown
    public void tearDown() {
        ism.close();
        torch.close();
    }

    @Benchmark
    public float[] libtorchMutantForward() {
        return torch.forward(mutant, halfLife);
    }

    @Benchmark
    public float[] warmSnv() {
        return gene.effect(rnd.nextInt(10_500), "ACGT".charAt(rnd.nextInt(4)));
    }
}
