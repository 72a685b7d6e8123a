package dev.scep.bench;

import dev.scep.formats.model.Architecture;
import dev.scep.formats.model.HalfLifeFeature;
import dev.scep.formats.model.OutputSpec;
import dev.scep.formats.model.ParameterInit;
import dev.scep.formats.model.ScepModel;
import dev.scep.formats.model.SequenceEncoding;
import dev.scep.runtime.HalfLifeInput;
import dev.scep.runtime.Predictor;
import dev.scep.runtime.cpu.Kernels;
import dev.scep.runtime.ism.IncrementalIsm;
import dev.scep.runtime.IsmResult;
import dev.scep.runtime.ism.NaiveIsm;
import org.bytedeco.pytorch.global.torch;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * ISM of one gene (10,500 positions × 3 = 31,500 substitutions) with a 20-output scEP model, three ways in one run:
 * scep's incremental ISM, naive ISM with scep's fastest forward pass (every mutant batched), and naive ISM with
 * libtorch (1,000 mutants in batches of 64, scaled to 31,500). All on the same threads.
 *
 * <p>Usage: {@code IsmBenchmark [repeats=20]}
 */
public final class IsmBenchmark {
    public static void main(String[] args) {
        int repeats = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        int threads = Runtime.getRuntime().availableProcessors();
        Architecture arch = Architecture.scepMultitask(20, 5);
        ScepModel m = new ScepModel(arch, SequenceEncoding.SCEP,
                IntStream.range(0, 20).mapToObj(i -> new OutputSpec("pop" + i, 0, 1)).toList(),
                IntStream.range(0, 5).mapToObj(i -> HalfLifeFeature.raw("h" + i)).toList(), Map.of(),
                List.of(ParameterInit.pytorchDefault(arch, 1)));
        SplittableRandom rnd = new SplittableRandom(1);
        byte[] window = new byte[10_500];
        for (int i = 0; i < window.length; i++) {
            window[i] = (byte) "ACGT".charAt(rnd.nextInt(4));
        }
        HalfLifeInput hl = HalfLifeInput.normalised(0.1f, -0.3f, 0.5f, 0.2f, -1f);

        double[] inc = new double[repeats];
        IsmResult incremental;
        try (IncrementalIsm ism = new IncrementalIsm(m, Kernels.best(), threads)) {
            for (int i = 0; i < 10; i++) {
                ism.run(window, hl); // warm-up
            }
            incremental = ism.run(window, hl);
            for (int i = 0; i < repeats; i++) {
                long t = System.nanoTime();
                ism.run(window, hl);
                inc[i] = (System.nanoTime() - t) / 1e6;
            }
        }
        Arrays.sort(inc);
        double incMs = inc[repeats / 2];
        System.out.printf("scep incremental ISM: %,d substitutions x 20 outputs, median of %d: %.1f ms (min %.1f, max %.1f)%n",
                incremental.substitutions(), repeats, incMs, inc[0], inc[repeats - 1]);

        double naiveMs;
        try (Predictor p = Predictor.of(m, new Predictor.Options(dev.scep.runtime.Backend.AUTO, threads))) {
            NaiveIsm.run(p, window, hl); // warm-up
            long t = System.nanoTime();
            IsmResult naive = NaiveIsm.run(p, window, hl);
            naiveMs = (System.nanoTime() - t) / 1e6;
            double maxDiff = 0;
            for (int e = 0; e < naive.substitutions(); e++) {
                for (int o = 0; o < 20; o++) {
                    maxDiff = Math.max(maxDiff, Math.abs(naive.delta(e, o) - incremental.delta(e, o)));
                }
            }
            System.out.printf("scep naive ISM (fast forward, batches of 256): %.0f ms; max |incremental - naive| = %.2e%n", naiveMs, maxDiff);
        }

        torch.set_num_threads(threads);
        double torchMs;
        try (LibtorchNetwork net = new LibtorchNetwork(m)) {
            int mutants = 1000;
            List<byte[]> all = new ArrayList<>();
            for (int k = 0; k < mutants; k++) {
                byte[] w = window.clone();
                int p = k / 3;
                w[p] = (byte) "ACGT".charAt(("ACGT".indexOf(w[p]) + 1 + k % 3) % 4);
                all.add(w);
            }
            // libtorch's best: one mutant at a time or batches of 64, whichever is faster here
            torchMs = Double.MAX_VALUE;
            for (int batch : new int[]{1, 64}) {
                double ms = net.forwardMsPerWindow(all, batch, 5) * mutants;
                double scaled = ms * (incremental.substitutions() / (double) mutants);
                System.out.printf("libtorch naive ISM, batches of %d: 1,000 mutants in %.0f ms, scaled to %,d: %.0f ms%n",
                        batch, ms, incremental.substitutions(), scaled);
                torchMs = Math.min(torchMs, scaled);
            }
        }
        System.out.printf("RESULT threads=%d incremental_ms=%.2f naive_scep_ms=%.1f naive_libtorch_ms=%.1f vs_scep=%.0f vs_libtorch=%.0f%n",
                threads, incMs, naiveMs, torchMs, naiveMs / incMs, torchMs / incMs);
    }
}
