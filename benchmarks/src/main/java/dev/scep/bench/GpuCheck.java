package dev.scep.bench;

import dev.scep.formats.io.ScepDataset;
import dev.scep.formats.model.Architecture;
import dev.scep.formats.model.HalfLifeFeature;
import dev.scep.formats.model.HalfLifeTransform;
import dev.scep.formats.model.OutputSpec;
import dev.scep.formats.model.ParameterInit;
import dev.scep.formats.model.ScepModel;
import dev.scep.formats.model.SequenceEncoding;
import dev.scep.nativebindings.GpuProbe;
import dev.scep.runtime.Device;
import dev.scep.runtime.HalfLifeInput;
import dev.scep.runtime.cpu.Kernels;
import dev.scep.runtime.gpu.GpuForward;
import dev.scep.runtime.gpu.GpuPredictor;
import dev.scep.runtime.gpu.GpuTrainingNetwork;
import dev.scep.train.TrainedModel;
import dev.scep.train.TrainingConfig;
import dev.scep.train.TrainingListener;
import dev.scep.train.cpu.Adam;
import dev.scep.train.cpu.Parameters;
import dev.scep.train.cpu.Trainer;
import dev.scep.train.cpu.TrainingNetwork;
import dev.scep.train.cpu.TrainingSet;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * The one-shot verification of the GPU path ({@code benchmarks/gpu/run.sh device}): each check on its own line, PASS,
 * FAIL or SKIP with its measure and time, none stopping the others, in the order that pinpoints a failure: library
 * discovery and the device; the training forward pass layer by layer against the CPU trainer's (each layer one cuDNN
 * or cuBLAS call and its kernels); the inference engine's whole forward pass against the CPU engine (1e-4); each
 * parameter's gradient against the CPU trainer's (1e-3); one Adam step; 200 training steps against the CPU trainer on
 * the same batches (loss curves within 2%); 5 GPU epochs then 5 CPU epochs from the GPU's checkpoint against 10 epochs
 * on each (validation loss within 2%); then the benchmarks (GPU inference of 20,000 windows, one training epoch of
 * 20,000 genes), as RESULT lines that run.sh tabulates with the PyTorch peer's.
 *
 * <p>Without a GPU the CPU-side parts still run (data, the CPU references, the CPU's 200 steps) and every GPU check
 * says SKIP with the reason, so the script is exercised everywhere; the exit status is 1 only when a check that ran
 * failed.
 *
 * <p>Usage: {@code GpuCheck WORK_DIR [benchGenes=20000] [steps=200]}
 */
public final class GpuCheck {
    private static final int OUTPUTS = 20;
    private static final int HALF_LIFE = 5;
    private static final int LAYER_BATCH = 8;
    private static final int STEP_BATCH = 32;
    private static int failures;

    private GpuCheck() {
    }

    public static void main(String[] args) throws Exception {
        Path work = Path.of(args.length > 0 ? args[0] : System.getProperty("java.io.tmpdir")).resolve("gpucheck");
        int benchGenes = args.length > 1 ? Integer.parseInt(args[1]) : 20_000;
        int steps = args.length > 2 ? Integer.parseInt(args[2]) : 200;
        Files.createDirectories(work);

        // 1. libraries and device
        long t = System.nanoTime();
        GpuProbe.Report probe = GpuProbe.probe();
        String noGpu = probe.usable() ? null : "no usable GPU (see discovery)";
        line("discovery: CUDA, cuDNN, cuBLAS, NVRTC and a device", probe.usable() ? "PASS" : "SKIP",
                probe.usable() ? probe.device() : "no usable GPU: " + probe.explanation().replace("\n", ";").replace("  - ", " "), t);

        // the data: 200 steps' genes, and a model to compare with
        t = System.nanoTime();
        ScepDataset d = TrainingBenchmark.randomDataset(work.resolve("check.sced"), steps * STEP_BATCH, OUTPUTS, 23);
        int[] all = IntStream.range(0, d.geneCount()).toArray();
        TrainingSet set = TrainingSet.of(d, all, new int[0], IntStream.range(0, OUTPUTS).toArray(), true);
        Architecture arch = Architecture.scepMultitask(OUTPUTS, HALF_LIFE);
        SequenceEncoding encoding = Trainer.encoding(set);
        Parameters params = Parameters.of(arch, ParameterInit.pytorchDefault(arch, 5));
        line("data: " + d.geneCount() + " random genes x " + d.geometry().length() + " nt, scEP with " + OUTPUTS + " outputs",
                "PASS", "CPU", t);

        // CPU references for one batch: activations, outputs and gradients (dropout keyed as in training)
        t = System.nanoTime();
        TrainingNetwork cpu = new TrainingNetwork(arch, encoding, HALF_LIFE, Kernels.best());
        Batch batch = Batch.of(set, cpu, 0, LAYER_BATCH);
        CpuReference ref = CpuReference.of(cpu, params, batch, 7);
        line("CPU reference: forward and gradients of " + LAYER_BATCH + " windows", "PASS", Kernels.best().name(), t);

        if (noGpu != null) {
            for (String check : List.of("forward, layer by layer (cuDNN convolutions, pooling kernel, cuBLAS dense)",
                    "forward, inference engine whole (1e-4)", "backward, every parameter's gradient (1e-3)",
                    "one Adam step")) {
                line(check, "SKIP", noGpu, System.nanoTime());
            }
        } else {
            gpuBatchChecks(arch, encoding, params, batch, ref, cpu);
            wholeForward(arch, encoding, params, batch, ref);
        }

        // 200 steps on the same batches: the CPU trainer, then the GPU trainer
        TrainingConfig config = new TrainingConfig(1, STEP_BATCH, 5e-4, 0.1, 5, 3, Runtime.getRuntime().availableProcessors());
        t = System.nanoTime();
        double[] cpuCurve = curve(set, arch, config);
        line(steps + " training steps on the CPU", "PASS", String.format(Locale.ROOT, "loss %.4f -> %.4f",
                cpuCurve[0], cpuCurve[cpuCurve.length - 1]), t);
        if (noGpu != null) {
            line(steps + " training steps on the GPU against the CPU (loss curves within 2%)", "SKIP", noGpu, System.nanoTime());
        } else {
            t = System.nanoTime();
            try {
                double[] gpuCurve = curve(set, arch, config.withDevice(Device.GPU));
                double worst = 0;
                int at = 0;
                for (int b = 0; b < cpuCurve.length; b++) {
                    double rel = Math.abs(gpuCurve[b] - cpuCurve[b]) / Math.abs(cpuCurve[b]);
                    if (rel > worst) {
                        worst = rel;
                        at = b + 1;
                    }
                }
                line(steps + " training steps on the GPU against the CPU (loss curves within 2%)", worst <= 0.02 ? "PASS" : "FAIL",
                        String.format(Locale.ROOT, "largest difference %.3f%% at step %d; GPU loss %.4f -> %.4f", 100 * worst, at,
                                gpuCurve[0], gpuCurve[gpuCurve.length - 1]), t);
            } catch (RuntimeException e) {
                failed(steps + " training steps on the GPU", e, t);
            }
        }

        // one model file, either device: 5 GPU epochs, then 5 CPU epochs from the GPU's checkpoint, against 10 on each
        deviceSwitch(work, noGpu);

        // the benchmarks
        if (noGpu != null) {
            line("benchmark: GPU inference of " + benchGenes + " windows", "SKIP", noGpu, System.nanoTime());
            line("benchmark: one GPU training epoch of " + benchGenes + " genes", "SKIP", noGpu, System.nanoTime());
        } else {
            benchmarks(work, benchGenes);
        }
        System.out.println(failures == 0 ? "all checks that ran passed" : failures + " check(s) failed");
        System.exit(failures == 0 ? 0 : 1);
    }

    /**
     * A model trained 5 epochs on the GPU and 5 more on the CPU from its checkpoint against 10 epochs on the CPU and 10
     * on the GPU: the final validation losses within 2% (the test of one model file and cross-device resume),
     * on data a network can learn (motif counts), so that the losses move.
     */
    private static void deviceSwitch(Path work, String noGpu) throws Exception {
        long t = System.nanoTime();
        ScepDataset d = learnableDataset(work.resolve("learnable.sced"), 2_000, 31);
        int[] train = IntStream.range(0, 1_800).toArray();
        int[] validation = IntStream.range(1_800, 2_000).toArray();
        TrainingSet set = TrainingSet.of(d, train, validation, new int[]{0, 1, 2}, true);
        Architecture arch = Architecture.scepMultitask(3, HALF_LIFE);
        TrainingConfig ten = new TrainingConfig(10, 64, 1e-3, 0.1, 5, 7, Runtime.getRuntime().availableProcessors());
        TrainingListener quiet = new TrainingListener() { };
        TrainedModel cpu = new Trainer(set, arch, ten).train(null, false, quiet);
        double cpuLoss = cpu.history().getLast().validationLoss();
        line("10 epochs on the CPU (1,800 genes, targets from half-life and motifs)", "PASS", String.format(Locale.ROOT,
                "validation loss %.4f -> %.4f", cpu.history().getFirst().validationLoss(), cpuLoss), t);
        String what = "5 GPU epochs + 5 CPU epochs from the GPU's checkpoint, against 10 on each (validation loss within 2%)";
        if (noGpu != null) {
            line(what, "SKIP", noGpu, System.nanoTime());
            return;
        }
        t = System.nanoTime();
        try {
            double gpuLoss = new Trainer(set, arch, ten.withDevice(Device.GPU)).train(null, false, quiet).history().getLast()
                    .validationLoss();
            Path checkpoint = work.resolve("switch.checkpoint");
            Files.deleteIfExists(checkpoint);
            class Stop extends RuntimeException {
            }
            try {
                new Trainer(set, arch, ten.withDevice(Device.GPU)).train(checkpoint, false, new TrainingListener() {
                    @Override
                    public void epoch(dev.scep.train.EpochStats stats) {
                        if (stats.epoch() == 4) {
                            throw new Stop();   // after epoch 5's checkpoint
                        }
                    }
                });
            } catch (Stop expected) {
                // the GPU's half is done
            }
            double mixedLoss = new Trainer(set, arch, ten).train(checkpoint, true, quiet).history().getLast().validationLoss();
            double worst = Math.max(Math.abs(mixedLoss - cpuLoss) / cpuLoss, Math.abs(mixedLoss - gpuLoss) / gpuLoss);
            line(what, worst <= 0.02 ? "PASS" : "FAIL", String.format(Locale.ROOT,
                    "GPU+CPU %.4f, CPU %.4f, GPU %.4f (largest difference %.2f%%)", mixedLoss, cpuLoss, gpuLoss, 100 * worst), t);
        } catch (RuntimeException e) {
            failed(what, e, t);
        }
    }

    /**
     * Genes whose three targets mix a half-life feature (target o follows feature o, log-scaled and z-scored: the dense
     * layers learn it within epochs) with counts of planted motifs (TATAAA, GGGCGG, CCAAT; 0 to 6 copies each) over
     * random bases: something the network learns, so that the validation loss moves.
     */
    static ScepDataset learnableDataset(Path file, int genes, long seed) throws java.io.IOException {
        SplittableRandom rnd = new SplittableRandom(seed);
        String[] motifs = {"TATAAA", "GGGCGG", "CCAAT"};
        List<ScepDataset.Gene> list = new ArrayList<>(genes);
        for (int i = 0; i < genes; i++) {
            list.add(new ScepDataset.Gene("G" + i, "", "T" + i, "chr1", 10_000L + i, dev.scep.formats.annotation.Strand.PLUS));
        }
        dev.scep.formats.genome.WindowGeometry g = dev.scep.formats.genome.WindowGeometry.SCEP;
        float[] targets = new float[genes * motifs.length];
        try (dev.scep.formats.io.ScepDatasetWriter w = new dev.scep.formats.io.ScepDatasetWriter(file, g, list)) {
            byte[] window = new byte[g.length()];
            for (int i = 0; i < genes; i++) {
                for (int k = 0; k < window.length; k++) {
                    window[k] = (byte) "ACGT".charAt(rnd.nextInt(4));
                }
                for (int m = 0; m < motifs.length; m++) {
                    int copies = rnd.nextInt(7);
                    for (int c = 0; c < copies; c++) {
                        int at = rnd.nextInt(window.length - motifs[m].length());
                        for (int k = 0; k < motifs[m].length(); k++) {
                            window[at + k] = (byte) motifs[m].charAt(k);
                        }
                    }
                    targets[i * motifs.length + m] = (copies - 3f) / 4f + (float) (0.1 * rnd.nextGaussian());
                }
                w.window(i, window);
            }
            double[] half = new double[genes * HALF_LIFE];
            for (int i = 0; i < half.length; i++) {
                half[i] = 10 + rnd.nextInt(5000);
            }
            for (int m = 0; m < motifs.length; m++) {
                double sum = 0;
                double squares = 0;
                for (int i = 0; i < genes; i++) {
                    double v = Math.log10(half[i * HALF_LIFE + m] + 0.1);
                    sum += v;
                    squares += v * v;
                }
                double mean = sum / genes;
                double sd = Math.sqrt(Math.max(1e-12, squares / genes - mean * mean));
                for (int i = 0; i < genes; i++) {
                    targets[i * motifs.length + m] += (float) ((Math.log10(half[i * HALF_LIFE + m] + 0.1) - mean) / sd);
                }
            }
            w.halfLife(List.of("utr5_length", "utr3_length", "orf_length", "intron_length", "exon_junction_density"), half);
            List<ScepDataset.Population> p = new ArrayList<>();
            for (String m : motifs) {
                p.add(new ScepDataset.Population(m, "motif", 100, genes, false));
            }
            w.targets(p, targets);
            w.finish(Map.of("source", "GpuCheck"));
        }
        return ScepDataset.open(file);
    }

    /** Layer-by-layer forward, the gradients and one Adam step on the GPU, against the CPU references. */
    private static void gpuBatchChecks(Architecture arch, SequenceEncoding encoding, Parameters params, Batch batch,
                                       CpuReference ref, TrainingNetwork cpu) {
        long t = System.nanoTime();
        try (GpuTrainingNetwork gpu = new GpuTrainingNetwork(arch, encoding, HALF_LIFE, LAYER_BATCH)) {
            line("GPU training network: descriptors, algorithms, buffers", "PASS", gpu.device(), t);
            Adam adam = new Adam(params);
            gpu.setState(params.arrays(), adam.firstMoment().arrays(), adam.secondMoment().arrays());
            // forward without dropout: every layer against the CPU's
            t = System.nanoTime();
            gpu.predict(gpu.stage(batch.windows, batch.halfLife, null, null));
            for (String layer : ref.layers) {
                float[] want = ref.activations.get(layer);
                float[] got = gpu.activations(layer, LAYER_BATCH);
                compare("forward " + layer + " (no dropout)", got, want, 1e-4, t);
                t = System.nanoTime();
            }
            // gradients with the same dropout masks
            t = System.nanoTime();
            double loss = gpu.gradients(gpu.stage(batch.windows, batch.halfLife, batch.targets, ref.keep), false);
            line("loss of the batch (sum of squares)", Math.abs(loss - ref.loss) <= 1e-4 * Math.abs(ref.loss) ? "PASS" : "FAIL",
                    String.format(Locale.ROOT, "GPU %.6g, CPU %.6g", loss, ref.loss), t);
            Parameters g = Parameters.zeros(arch);
            gpu.getGradients(g.arrays());
            for (Architecture.ParameterShape s : arch.parameterShapes()) {
                compare("backward " + s.name(), g.get(s.name()), ref.gradient.get(s.name()), 1e-3, System.nanoTime());
            }
            // one Adam step with the GPU's own gradient, against Adam on the CPU with that gradient
            t = System.nanoTime();
            Parameters expected = params.copy();
            Adam cpuAdam = new Adam(params);
            cpuAdam.step(expected, g, 5e-4);
            Adam.Corrections c = adam.advance(5e-4);
            gpu.adamStep(Adam.BETA1, Adam.BETA2, Adam.EPS, c.stepSize(), (float) c.bc2Sqrt());
            Parameters after = params.copy();
            Parameters m = params.copy();
            Parameters v = params.copy();
            gpu.getState(after.arrays(), m.arrays(), v.arrays());
            double worst = 0;
            for (Architecture.ParameterShape s : arch.parameterShapes()) {
                worst = Math.max(worst, relative(after.get(s.name()), expected.get(s.name())));
            }
            line("one Adam step (weights after it, relative to their range)", worst <= 1e-5 ? "PASS" : "FAIL",
                    String.format(Locale.ROOT, "%.2e", worst), t);
            line("no non-finite weight or moment after the step", gpu.nonFinite() ? "FAIL" : "PASS", "", System.nanoTime());
        } catch (RuntimeException e) {
            failed("GPU training network", e, t);
        }
    }

    /** The inference engine (cuDNN pooling, the ensemble path of predict --device gpu) against the CPU engine. */
    private static void wholeForward(Architecture arch, SequenceEncoding encoding, Parameters params, Batch batch, CpuReference ref) {
        long t = System.nanoTime();
        ScepModel model = new ScepModel(arch, encoding, IntStream.range(0, OUTPUTS).mapToObj(i -> OutputSpec.unscaled("o" + i)).toList(),
                List.of("a", "b", "c", "d", "e").stream().map(n -> new HalfLifeFeature(n, HalfLifeTransform.LOG10_PLUS_0_1, 0, 1)).toList(),
                Map.of(), List.of(params.toTensors()));
        try (GpuForward gpu = new GpuForward(model, LAYER_BATCH)) {
            List<float[]> hl = new ArrayList<>();
            for (int i = 0; i < LAYER_BATCH; i++) {
                hl.add(java.util.Arrays.copyOfRange(batch.halfLife, i * HALF_LIFE, (i + 1) * HALF_LIFE));
            }
            double[][] y = gpu.forward(batch.windows, hl);
            float[] got = new float[LAYER_BATCH * OUTPUTS];
            for (int i = 0; i < LAYER_BATCH; i++) {
                for (int o = 0; o < OUTPUTS; o++) {
                    got[i * OUTPUTS + o] = (float) y[i][o];
                }
            }
            compare("forward, inference engine whole (cuDNN pooling)", got, ref.outputs, 1e-4, t);
        } catch (RuntimeException e) {
            failed("forward, inference engine whole", e, t);
        }
    }

    private static void benchmarks(Path work, int genes) {
        long t = System.nanoTime();
        try {
            GpuInference.main(new String[]{Integer.toString(genes), Integer.toString(GpuPredictor.DEFAULT_BATCH), "200"});
            line("benchmark: GPU inference of " + genes + " windows", "PASS", "see RESULT gpu_inference_seconds", t);
        } catch (RuntimeException e) {
            failed("benchmark: GPU inference", e, t);
        }
        t = System.nanoTime();
        try {
            ScepDataset d = TrainingBenchmark.randomDataset(work.resolve("bench.sced"), genes, OUTPUTS, 17);
            TrainingSet set = TrainingSet.of(d, IntStream.range(0, genes).toArray(), new int[0],
                    IntStream.range(0, OUTPUTS).toArray(), true);
            Architecture arch = Architecture.scepMultitask(OUTPUTS, HALF_LIFE);
            TrainingConfig config = TrainingConfig.PAPER.withEpochs(2).withDevice(Device.GPU);
            TrainedModel r = new Trainer(set, arch, config).train(null, false, new TrainingListener() { });
            // the second epoch: the first one pays for NVRTC, cuDNN's heuristics and the JIT
            double seconds = r.history().get(1).nanos() / 1e9;
            System.out.printf(Locale.ROOT, "RESULT gpu_epoch_seconds=%.4f genes=%d batch=%d%n", seconds, genes, config.batchSize());
            line("benchmark: one GPU training epoch of " + genes + " genes (the second of two)", seconds <= 2 ? "PASS" : "FAIL",
                    String.format(Locale.ROOT, "%.3f s (goal: at most 2 s)", seconds), t);
        } catch (Exception e) {
            failed("benchmark: GPU training epoch", e, t);
        }
    }

    /** The running mean training loss after each batch of one epoch. */
    private static double[] curve(TrainingSet set, Architecture arch, TrainingConfig config) throws java.io.IOException {
        List<Double> losses = new ArrayList<>();
        new Trainer(set, arch, config).train(null, false, new TrainingListener() {
            @Override
            public void batch(int epoch, int batch, int batches, double meanLoss) {
                losses.add(meanLoss);
            }
        });
        return losses.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private static void compare(String what, float[] got, float[] want, double tolerance, long t) {
        double rel = relative(got, want);
        line(what, rel <= tolerance ? "PASS" : "FAIL", String.format(Locale.ROOT, "largest difference %.2e of the"
                + " values' range (tolerance %.0e)", rel, tolerance), t);
    }

    /** max |got - want| / max |want| (the values' range), or infinity for another length or a non-finite value. */
    static double relative(float[] got, float[] want) {
        if (got.length != want.length) {
            return Double.POSITIVE_INFINITY;
        }
        double diff = 0;
        double scale = 1e-30;
        for (int i = 0; i < got.length; i++) {
            if (!Float.isFinite(got[i])) {
                return Double.POSITIVE_INFINITY;
            }
            diff = Math.max(diff, Math.abs(got[i] - want[i]));
            scale = Math.max(scale, Math.abs(want[i]));
        }
        return diff / scale;
    }

    private static void failed(String what, Exception e, long t) {
        line(what, "FAIL", e.getClass().getSimpleName() + ": " + String.valueOf(e.getMessage()).replace('\n', ' '), t);
    }

    private static void line(String what, String status, String detail, long startNanos) {
        if (status.equals("FAIL")) {
            failures++;
        }
        System.out.printf(Locale.ROOT, "CHECK %-4s %-78s %8.2f s  %s%n", status, what, (System.nanoTime() - startNanos) / 1e9,
                detail);
        System.out.flush();
    }

    /** A batch read as both engines read it. */
    private record Batch(List<byte[]> windows, List<byte[]> masks, float[] halfLife, float[] targets) {
        static Batch of(TrainingSet set, TrainingNetwork net, int from, int n) {
            List<byte[]> windows = new ArrayList<>();
            List<byte[]> masks = new ArrayList<>();
            float[] halfLife = new float[n * HALF_LIFE];
            float[] targets = new float[n * OUTPUTS];
            float[] hl = new float[HALF_LIFE];
            float[] tg = new float[OUTPUTS];
            for (int i = 0; i < n; i++) {
                byte[] ascii = new byte[net.windowLength()];
                byte[] m = new byte[net.windowLength()];
                set.codes(from + i, ascii, m);
                windows.add(ascii);
                masks.add(m);
                set.halfLife(from + i, hl);
                set.targets(from + i, tg);
                System.arraycopy(hl, 0, halfLife, i * HALF_LIFE, HALF_LIFE);
                System.arraycopy(tg, 0, targets, i * OUTPUTS, OUTPUTS);
            }
            return new Batch(windows, masks, halfLife, targets);
        }
    }

    /** The CPU trainer's forward (no dropout) activations and outputs, and its loss and gradient with dropout. */
    private record CpuReference(List<String> layers, Map<String, float[]> activations, float[] outputs, float[][] keep,
                                double loss, Parameters gradient) {
        static CpuReference of(TrainingNetwork cpu, Parameters params, Batch batch, long dropoutSeed) {
            int n = batch.windows().size();
            TrainingNetwork.Packed packed = cpu.pack(params);
            TrainingNetwork.Work w = cpu.newWork();
            List<String> layers = new ArrayList<>();
            for (var l : cpu.architecture().layers()) {
                if (l instanceof dev.scep.formats.model.Layer.Conv1d || l instanceof dev.scep.formats.model.Layer.Dense) {
                    layers.add(l.name());
                }
            }
            Map<String, List<float[]>> perWindow = new java.util.LinkedHashMap<>();
            float[] outputs = new float[n * OUTPUTS];
            for (int i = 0; i < n; i++) {
                w.setCodes(batch.masks().get(i));
                float[] y = cpu.forward(packed, w, java.util.Arrays.copyOfRange(batch.halfLife(), i * HALF_LIFE, (i + 1) * HALF_LIFE), null);
                System.arraycopy(y, 0, outputs, i * OUTPUTS, OUTPUTS);
                for (String layer : layers) {
                    perWindow.computeIfAbsent(layer, k -> new ArrayList<>()).add(cpu.activations(w, layer));
                }
            }
            Map<String, float[]> activations = new java.util.LinkedHashMap<>();
            perWindow.forEach((layer, rows) -> {
                int size = rows.getFirst().length;
                float[] all = new float[n * size];
                for (int i = 0; i < n; i++) {
                    System.arraycopy(rows.get(i), 0, all, i * size, size);
                }
                activations.put(layer, all);
            });
            // training: dropout drawn per window as the trainer draws it, the loss's gradient summed over the batch
            var dense = cpu.denseSteps();
            float[][] keep = new float[dense.size()][];
            for (int l = 0; l < keep.length; l++) {
                keep[l] = new float[n * dense.get(l).out()];
            }
            TrainingNetwork.Gradients grads = cpu.newGradients();
            double loss = 0;
            float scale = 2f / (n * OUTPUTS);
            float[] gy = new float[OUTPUTS];
            for (int i = 0; i < n; i++) {
                w.setCodes(batch.masks().get(i));
                float[] y = cpu.forward(packed, w, java.util.Arrays.copyOfRange(batch.halfLife(), i * HALF_LIFE, (i + 1) * HALF_LIFE),
                        Trainer.dropoutRandom(dropoutSeed, 0, i));
                SplittableRandom again = Trainer.dropoutRandom(dropoutSeed, 0, i);
                for (int l = 0; l < keep.length; l++) {
                    TrainingNetwork.drawDropout(dense.get(l), again, keep[l], i * dense.get(l).out());
                }
                for (int o = 0; o < OUTPUTS; o++) {
                    float d = y[o] - batch.targets()[i * OUTPUTS + o];
                    loss += (double) d * d;
                    gy[o] = scale * d;
                }
                cpu.backward(packed, w, gy, grads);
            }
            Parameters gradient = Parameters.zeros(cpu.architecture());
            grads.addTo(gradient);
            return new CpuReference(layers, activations, outputs, keep, loss, gradient);
        }
    }
}
