package dev.scep.bench;

import dev.scep.formats.model.ScepModel;
import dev.scep.runtime.Backend;
import dev.scep.runtime.HalfLifeInput;
import dev.scep.runtime.Predictor;
import dev.scep.runtime.gpu.GpuPredictor;

import java.util.ArrayList;
import java.util.List;

/**
 * GPU batch inference of N windows (default 20,000) with the 20-output scEP model, after one warm-up batch (NVRTC
 * compilation, cuDNN algorithm choice and module load stay out of the number), against scep's CPU engine on a
 * sample of the same windows, scaled. Prints RESULT lines for benchmarks/gpu/run.sh.
 *   GpuInference [windows=20000] [batch=512] [cpuSample=400]
 */
public final class GpuInference {
    private GpuInference() {
    }

    public static void main(String[] args) {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        int batch = args.length > 1 ? Integer.parseInt(args[1]) : GpuPredictor.DEFAULT_BATCH;
        int cpuSample = args.length > 2 ? Integer.parseInt(args[2]) : 400;
        ScepModel model = BenchModels.byName("scep20", 1);
        List<byte[]> windows = BenchModels.windows(n, model.windowLength(), 7);
        List<HalfLifeInput> hl = new ArrayList<>(n);
        for (float[] row : BenchModels.halfLife(n, model.halfLifeFeatures().size(), 8)) {
            hl.add(HalfLifeInput.normalised(row));   // already normalised, as the other benchmarks use them
        }
        try (GpuPredictor gpu = new GpuPredictor(model, batch)) {
            gpu.predictBatch(windows.subList(0, Math.min(batch, n)), hl.subList(0, Math.min(batch, n)));   // warm-up
            double best = Double.MAX_VALUE;
            float[][] y = null;
            for (int rep = 0; rep < 3; rep++) {
                long t0 = System.nanoTime();
                y = gpu.predictBatch(windows, hl);
                best = Math.min(best, (System.nanoTime() - t0) / 1e9);
            }
            System.out.printf("GPU (%s): %,d windows in %.3f s (best of 3), batch %d%n", gpu.backendName(), n, best, batch);
            try (Predictor cpu = Predictor.of(model, new Predictor.Options(Backend.AUTO, Runtime.getRuntime().availableProcessors()))) {
                List<byte[]> sample = windows.subList(0, Math.min(cpuSample, n));
                float[][] c = cpu.predictBatch(sample, hl.subList(0, sample.size()));   // warm-up and reference
                long t0 = System.nanoTime();
                cpu.predictBatch(sample, hl.subList(0, sample.size()));
                double cpuSeconds = (System.nanoTime() - t0) / 1e9 * n / sample.size();
                double maxRel = 0;
                for (int i = 0; i < c.length; i++) {
                    for (int o = 0; o < c[i].length; o++) {
                        maxRel = Math.max(maxRel, Math.abs(y[i][o] - c[i][o]) / Math.max(1, Math.abs(c[i][o])));
                    }
                }
                System.out.printf("CPU (%d threads): %.1f s for %,d windows (scaled from %d)%n", cpu.threads(), cpuSeconds, n, sample.size());
                System.out.printf("RESULT gpu_inference_seconds=%.4f windows=%d gpu_windows_per_s=%.0f cpu_seconds=%.2f max_rel_diff=%.2e%n",
                        best, n, n / best, cpuSeconds, maxRel);
            }
        }
    }
}
