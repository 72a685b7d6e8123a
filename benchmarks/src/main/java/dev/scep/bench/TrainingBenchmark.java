package dev.scep.bench;

import dev.scep.train.TrainingConfig;
import dev.scep.train.TrainingListener;
import dev.scep.train.TrainedModel;

import dev.scep.formats.annotation.Strand;
import dev.scep.formats.genome.WindowGeometry;
import dev.scep.formats.io.ScepDataset;
import dev.scep.formats.io.ScepDatasetWriter;
import dev.scep.formats.model.Architecture;
import dev.scep.formats.model.HalfLifeFeature;
import dev.scep.formats.model.HalfLifeTransform;
import dev.scep.formats.model.OutputSpec;
import dev.scep.formats.model.ParameterInit;
import dev.scep.formats.model.ScepModel;
import dev.scep.formats.model.SequenceEncoding;
import dev.scep.train.cpu.Trainer;

import dev.scep.train.cpu.TrainingSet;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Adam;
import org.bytedeco.pytorch.AdamOptions;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * One training epoch of the 20-output scEP network over N genes × 10,500 nt, scep's CPU trainer next to libtorch
 * doing the same steps (forward, MSE, backward, Adam at batch 128) in the same JVM with the same thread count.
 * libtorch is timed on a few batches and scaled to the epoch; it holds the batch as the one-hot float tensor the
 * PyTorch reference code feeds its network.
 *
 * <p>Usage: {@code TrainingBenchmark WORK_DIR [genes=20000] [outputs=20] [libtorchBatches=4]}
 */
public final class TrainingBenchmark {
    public static void main(String[] args) throws IOException {
        Path work = Path.of(args[0]);
        int genes = args.length > 1 ? Integer.parseInt(args[1]) : 20_000;
        int outputs = args.length > 2 ? Integer.parseInt(args[2]) : 20;
        int torchBatches = args.length > 3 ? Integer.parseInt(args[3]) : 4;
        int threads = Runtime.getRuntime().availableProcessors();
        Files.createDirectories(work);
        Path file = work.resolve("random.sced");
        long t0 = System.nanoTime();
        ScepDataset d = randomDataset(file, genes, outputs, 17);
        System.out.printf("dataset: %,d genes x %,d nt, %d populations, written in %.1f s (%,d bytes)%n", genes,
                d.geometry().length(), outputs, (System.nanoTime() - t0) / 1e9, Files.size(file));

        // scep: one epoch over every gene, no validation set
        TrainingSet set = TrainingSet.of(d, IntStream.range(0, genes).toArray(), new int[0],
                IntStream.range(0, outputs).toArray(), true);
        Architecture arch = Architecture.scepMultitask(outputs, 5);
        TrainingConfig config = TrainingConfig.PAPER.withEpochs(1).withThreads(threads);
        long s0 = System.nanoTime();
        TrainedModel r = new Trainer(set, arch, config).train(null, false, new TrainingListener() { });
        double scepSeconds = (System.nanoTime() - s0) / 1e9;
        System.out.printf("scep: 1 epoch, %,d genes, batch %d, %d threads: %.2f s (%.3f ms per sequence per step), train loss %.4f%n",
                genes, config.batchSize(), threads, scepSeconds, scepSeconds * 1000 / genes, r.history().getFirst().trainLoss());

        // libtorch: the same network and recipe on the same data, a few batches
        torch.set_num_threads(threads);
        double torchPerSequence = libtorch(d, arch, outputs, torchBatches);
        double torchEpoch = torchPerSequence * genes;
        System.out.printf("libtorch: %d batches of 128 timed after 1 warm-up: %.2f ms per sequence per step; epoch of %,d genes ~ %.1f s%n",
                torchBatches, torchPerSequence * 1000, genes, torchEpoch);
        System.out.printf("RESULT genes=%d outputs=%d threads=%d scep_s=%.3f libtorch_s=%.3f ratio=%.1f%n", genes, outputs,
                threads, scepSeconds, torchEpoch, torchEpoch / scepSeconds);
    }

    static ScepDataset randomDataset(Path file, int genes, int pops, long seed) throws IOException {
        SplittableRandom rnd = new SplittableRandom(seed);
        List<ScepDataset.Gene> list = new ArrayList<>(genes);
        for (int i = 0; i < genes; i++) {
            list.add(new ScepDataset.Gene("G" + i, "", "T" + i, "chr1", 10_000L + i, Strand.PLUS));
        }
        WindowGeometry g = WindowGeometry.SCEP;
        try (ScepDatasetWriter w = new ScepDatasetWriter(file, g, list)) {
            byte[] window = new byte[g.length()];
            for (int i = 0; i < genes; i++) {
                for (int k = 0; k < window.length; k++) {
                    window[k] = (byte) "ACGT".charAt(rnd.nextInt(4));
                }
                w.window(i, window);
            }
            double[] half = new double[genes * 5];
            for (int i = 0; i < half.length; i++) {
                half[i] = 10 + rnd.nextInt(5000);
            }
            w.halfLife(List.of("utr5_length", "utr3_length", "orf_length", "intron_length", "exon_junction_density"), half);
            float[] t = new float[genes * pops];
            for (int i = 0; i < t.length; i++) {
                t[i] = (float) rnd.nextDouble(-4, 3);
            }
            List<ScepDataset.Population> p = new ArrayList<>();
            for (int k = 0; k < pops; k++) {
                p.add(new ScepDataset.Population("pop" + k, "type", 100, genes, false));
            }
            w.targets(p, t);
            w.finish(Map.of("source", "TrainingBenchmark"));
        }
        return ScepDataset.open(file);
    }

    /** Seconds per sequence for one training step of libtorch at batch 128. */
    private static double libtorch(ScepDataset d, Architecture arch, int outputs, int batches) {
        ScepModel init = new ScepModel(arch, SequenceEncoding.SCEP,
                IntStream.range(0, outputs).mapToObj(i -> OutputSpec.unscaled("o" + i)).toList(),
                List.of("a", "b", "c", "d", "e").stream().map(n -> new HalfLifeFeature(n, HalfLifeTransform.LOG10_PLUS_0_1, 0, 1)).toList(),
                Map.of(), List.of(ParameterInit.pytorchDefault(arch, 1)));
        try (LibtorchNetwork net = new LibtorchNetwork(init)) {
            TensorVector params = new TensorVector();
            for (org.bytedeco.pytorch.Tensor t : net.parameters()) {
                t.set_requires_grad(true);
                params.push_back(t);
            }
            Adam adam = new Adam(params, new AdamOptions(5e-4));
            SplittableRandom rnd = new SplittableRandom(3);
            long timed = 0;
            for (int b = 0; b <= batches; b++) {
                List<byte[]> windows = new ArrayList<>();
                float[][] hl = new float[128][5];
                float[] target = new float[128 * outputs];
                for (int i = 0; i < 128; i++) {
                    windows.add(d.window(rnd.nextInt(d.geneCount())));
                    for (int o = 0; o < outputs; o++) {
                        target[i * outputs + o] = (float) rnd.nextGaussian();
                    }
                }
                try (PointerScope scope = new PointerScope()) {
                    org.bytedeco.pytorch.Tensor x = net.oneHot(windows);
                    org.bytedeco.pytorch.Tensor h = net.halfLife(hl);
                    org.bytedeco.pytorch.Tensor y = org.bytedeco.pytorch.Tensor.create(target, 128, outputs);
                    long start = System.nanoTime();
                    adam.zero_grad();
                    org.bytedeco.pytorch.Tensor loss = torch.mse_loss(net.forwardTrain(x, h), y);
                    loss.backward();
                    adam.step();
                    if (b > 0) {
                        timed += System.nanoTime() - start;
                    }
                }
            }
            return timed / 1e9 / (batches * 128.0);
        }
    }
}
