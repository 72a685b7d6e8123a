package dev.scep.bench;

import dev.scep.formats.model.ScepModel;
import org.bytedeco.pytorch.global.torch;

import java.util.List;

/**
 * The libtorch side of the variant-scoring benchmark: how long libtorch needs to score SNVs the way a PyTorch user
 * would, one forward pass per mutant window plus one per gene's reference window. Times 512 windows of the same
 * 20-output scEP network (one at a time and in batches of 64, the faster counts; one-hot tensors built before
 * timing) and scales to the benchmark's variants and genes.
 *
 * <p>Usage: {@code VariantThroughputPeer SNVS GENES}
 */
public final class VariantThroughputPeer {
    public static void main(String[] args) {
        long snvs = Long.parseLong(args[0]);
        long genes = Long.parseLong(args[1]);
        int threads = Runtime.getRuntime().availableProcessors();
        torch.set_num_threads(threads);
        ScepModel m = BenchModels.byName("scep20", 1);
        int windows = 512;
        List<byte[]> all = BenchModels.windows(windows, m.windowLength(), 3);
        double best = Double.MAX_VALUE;
        try (LibtorchNetwork net = new LibtorchNetwork(m)) {
            for (int batch : new int[]{1, 64}) {
                double msPerWindow = net.forwardMsPerWindow(all, batch, 5);
                System.out.printf("libtorch forward, batches of %d: %.3f ms per window%n", batch, msPerWindow);
                best = Math.min(best, msPerWindow);
            }
        }
        double seconds = best * (snvs + genes) / 1e3;
        System.out.printf("RESULT libtorch_ms_per_window=%.3f libtorch_seconds=%.0f libtorch_variants_per_s=%.0f threads=%d%n",
                best, seconds, snvs / seconds, threads);
    }
}
