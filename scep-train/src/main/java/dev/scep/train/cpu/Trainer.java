package dev.scep.train.cpu;

import dev.scep.train.TrainingDivergedException;

import dev.scep.train.TrainingListener;

import dev.scep.train.TrainingConfig;
import dev.scep.train.ModelInputs;
import dev.scep.train.EpochStats;
import dev.scep.train.TrainedModel;

import dev.scep.formats.ScepVersion;
import dev.scep.formats.model.Architecture;
import dev.scep.formats.model.Layer;
import dev.scep.formats.model.ParameterInit;
import dev.scep.formats.model.ScepModel;
import dev.scep.formats.model.SequenceEncoding;
import dev.scep.runtime.cpu.Kernels;
import dev.scep.train.RunDescription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.zip.CRC32C;

/**
 * Trains one scEP-family model on the CPU with the paper's recipe ({@link TrainingConfig}): MSE, Adam, mini-batches
 * in a seeded shuffle, ReduceLROnPlateau on the validation loss, the weights of the best validation epoch kept.
 *
 * <p>Reproducible: the shuffle of epoch e and the dropout masks of each sample come from generators keyed by
 * (seed, epoch, position), a batch is split into fixed contiguous slices per thread and the slices' gradients are
 * summed in a fixed order, so a run gives the same weights for the same seed and thread count, and a run resumed
 * from a checkpoint continues exactly as if it had never stopped.
 */
public final class Trainer {
    private static final Logger LOG = LoggerFactory.getLogger(Trainer.class);

    private final TrainingSet data;
    private final Architecture architecture;
    private final TrainingConfig config;
    private final TrainingNetwork net;
    private final Kernels kernels;
    private final boolean gpu;   // the config's device, resolved once (AUTO probes for a GPU here)

    public Trainer(TrainingSet data, Architecture architecture, TrainingConfig config) {
        this(data, architecture, config, Kernels.best());
    }

    public Trainer(TrainingSet data, Architecture architecture, TrainingConfig config, Kernels kernels) {
        this.data = data;
        this.architecture = architecture;
        this.config = config;
        this.kernels = kernels;
        this.net = new TrainingNetwork(architecture, encoding(data), data.halfLifeFeatures().size(), kernels);
        this.gpu = config.device().resolve(LOG::info) == dev.scep.runtime.Device.GPU;
        if (architecture.outputCount() != data.outputs().size()) {
            throw new IllegalArgumentException("the architecture has " + architecture.outputCount() + " outputs but "
                    + data.outputs().size() + " populations were chosen");
        }
    }

    /**
     * The encoding every trained model reads: scEP's channel order (A, C, T, G), ambiguity codes as fractions, the
     * dataset's window.
     *
     * @param data the genes
     * @return the encoding
     */
    public static SequenceEncoding encoding(TrainingSet data) {
        return new SequenceEncoding("ACTG", dev.scep.formats.model.AmbiguityRule.FRACTIONAL,
                data.dataset().geometry().upstream(), data.dataset().geometry().downstream());
    }

    private String kernelsName() {
        return gpu ? GPU_KERNELS : kernels.name();
    }

    /** The run description's {@code kernels} on the GPU. */
    public static final String GPU_KERNELS = "gpu";

    private TrainingEngine newEngine() {
        // the GPU classes load only here: a CPU run never touches them
        return gpu ? new dev.scep.train.gpu.GpuEngine(data, architecture, config, net.encoding()) : new CpuEngine();
    }

    private String firstConvolutionWeight() {
        return architecture.convolutions().getFirst().name() + ".weight";
    }

    /**
     * Every parameter that decides this run's result, as a checkpoint records it: a checkpoint continues this run only
     * when all of them are equal (the kernels and thread count too: results are bit-for-bit reproducible for one of
     * each, not across them).
     */
    public RunDescription runDescription() {
        Map<String, String> v = new LinkedHashMap<>();
        v.put("dataset", String.valueOf(data.dataset().fingerprint()));
        v.put("populations", RunDescription.oneLine(String.join(",", data.outputs().stream().map(o -> o.name()).toList())));
        v.put("inputs", data.inputs().name().toLowerCase(java.util.Locale.ROOT));
        v.put("architecture", describe(architecture));
        v.put("train_genes", genes(data.trainGenes()));
        v.put("validation_genes", genes(data.validationGenes()));
        v.putAll(config.recipe());
        v.put("seed", Long.toString(config.seed()));
        v.put("kernels", kernelsName());
        return new RunDescription(v);
    }

    /** "conv1(4->128 k6 pad 2/2 relu) pool1(30/30 pad 1/1) ... dense2(64->3 none)": every layer and its settings. */
    static String describe(Architecture arch) {
        List<String> parts = new ArrayList<>();
        for (Layer layer : arch.layers()) {
            parts.add(switch (layer) {
                case Layer.Conv1d c -> c.name() + "(" + c.inChannels() + "->" + c.outChannels() + " k" + c.kernel() + " pad "
                        + c.padLeft() + "/" + c.padRight() + " " + c.activation().name().toLowerCase(java.util.Locale.ROOT) + ")";
                case Layer.MaxPool1d p -> p.name() + "(" + p.size() + "/" + p.stride() + " pad " + p.padLeft() + "/" + p.padRight() + ")";
                case Layer.Flatten f -> f.name() + "(" + f.order().name().toLowerCase(java.util.Locale.ROOT) + ")";
                case Layer.ConcatHalfLife h -> h.name() + "(" + h.features() + ")";
                case Layer.Dense d -> d.name() + "(" + d.inFeatures() + "->" + d.outFeatures() + " "
                        + d.activation().name().toLowerCase(java.util.Locale.ROOT) + ")";
                case Layer.Dropout d -> d.name() + "(" + d.rate() + ")";
            });
        }
        return String.join(" ", parts);
    }

    /** "1234 genes, CRC32C 1a2b3c4d": the count and a checksum of the gene indices in order. */
    private static String genes(int[] genes) {
        ByteBuffer b = ByteBuffer.allocate(genes.length * 4);
        b.asIntBuffer().put(genes);
        CRC32C crc = new CRC32C();
        crc.update(b.array());
        return genes.length + " genes, CRC32C " + String.format("%08x", crc.getValue());
    }

    private int batchesPerEpoch() {
        return (data.trainGenes().length + config.batchSize() - 1) / config.batchSize();
    }

    /** What a checkpoint must hold to continue this run. */
    Checkpoint.Expectation checkpointExpectation() {
        return new Checkpoint.Expectation(runDescription(), architecture, config.epochs(), batchesPerEpoch(),
                config.learningRate(), config.plateauPatience());
    }

    /**
     * Trains for {@code config.epochs()} epochs. With a checkpoint path, writes the run's state there after every
     * epoch; with {@code resume} and an existing checkpoint, continues from it.
     *
     * <p>Divergence stops the run at once: the loss of every batch, every weight and optimiser moment after every
     * update and the validation loss of every epoch (when there are validation genes) must be finite, else a
     * {@link TrainingDivergedException} names the epoch, the batch and what became non-finite; the checkpoint of the
     * last good epoch is left as it was and no model is returned.
     *
     * @throws TrainingDivergedException when the run diverges
     */
    public TrainedModel train(Path checkpoint, boolean resume, TrainingListener listener) throws IOException {
        Parameters params;
        Adam adam;
        PlateauScheduler scheduler;
        Parameters best;
        double bestLoss = Double.POSITIVE_INFINITY;
        int bestEpoch = -1;
        int startEpoch = 0;
        List<EpochStats> history = new ArrayList<>();
        if (resume && checkpoint != null && Files.exists(checkpoint)) {
            Checkpoint c = Checkpoint.read(checkpoint, checkpointExpectation());
            params = c.params();
            adam = new Adam(c.adamM(), c.adamV(), c.adamStep());
            scheduler = new PlateauScheduler(c.learningRate(), config.plateauFactor(), config.plateauPatience(),
                    c.schedulerBest(), c.schedulerBad());
            best = c.best();
            bestLoss = c.bestLoss();
            bestEpoch = c.bestEpoch();
            startEpoch = c.epochsDone();
            for (double[] h : c.history()) {
                history.add(new EpochStats(history.size(), config.epochs(), h[0], h[1], h[2], false, 0));
            }
            LOG.info("resuming {} after epoch {} of {}", checkpoint, startEpoch, config.epochs());
        } else {
            params = Parameters.of(architecture, ParameterInit.pytorchDefault(architecture, config.seed()));
            if (data.inputs() == ModelInputs.HALF_LIFE_ONLY) {
                java.util.Arrays.fill(params.get(firstConvolutionWeight()), 0f);
            }
            adam = new Adam(params);
            scheduler = new PlateauScheduler(config.learningRate(), config.plateauFactor(), config.plateauPatience());
            best = params.copy();
        }
        RunDescription run = runDescription();
        try (TrainingEngine engine = newEngine()) {
            engine.load(params, adam);
            for (int epoch = startEpoch; epoch < config.epochs(); epoch++) {
                long t0 = System.nanoTime();
                double lr = scheduler.learningRate();
                double trainLoss = trainEpoch(engine, epoch, adam, lr, listener);
                engine.store(params, adam);
                double validationLoss = evaluate(engine, params, data.validationGenes());
                if (data.validationGenes().length > 0 && !Double.isFinite(validationLoss)) {
                    // (with no validation genes it is NaN by design: there is nothing to select on)
                    throw new TrainingDivergedException(epoch + 1, 0, batchesPerEpoch(), "the validation loss is non-finite ("
                            + validationLoss + ")", lr, false);
                }
                scheduler.step(validationLoss);
                boolean improved = validationLoss < bestLoss;
                if (improved) {
                    bestLoss = validationLoss;
                    bestEpoch = epoch;
                    best.copyFrom(params);
                }
                EpochStats stats = new EpochStats(epoch, config.epochs(), trainLoss, validationLoss, lr, improved,
                        System.nanoTime() - t0);
                history.add(stats);
                if (checkpoint != null) {
                    new Checkpoint(run, epoch + 1, params, adam.firstMoment(), adam.secondMoment(), adam.stepCount(),
                            scheduler.learningRate(), scheduler.best(), scheduler.badEpochs(), best, bestLoss, bestEpoch,
                            history.stream().map(h -> new double[]{h.trainLoss(), h.validationLoss(), h.learningRate()}).toList())
                            .write(checkpoint, data.dataset().file());
                }
                listener.epoch(stats);
            }
            if (data.validationGenes().length == 0) {
                best = params; // nothing to select on: the last weights
                bestEpoch = config.epochs() - 1;
            }
            double[] variance = data.validationGenes().length == 0 ? new double[0]
                    : CollapseCheck.variances(engine.predict(best, data.validationGenes()), net.outputs());
            // the live weights are the last epoch's (on a resume from a finished checkpoint too): no extra copy is kept
            double lastLoss = history.isEmpty() ? Double.NaN : history.getLast().validationLoss();
            ScepModel last = model(engine, params, config.epochs() - 1, lastLoss);
            Map<String, String> lastProvenance = new LinkedHashMap<>(last.provenance());
            lastProvenance.remove("best_epoch");
            lastProvenance.remove("best_validation_loss");
            lastProvenance.put("weights", "last epoch");
            lastProvenance.put("last_validation_loss", Double.toString(lastLoss));
            last = new ScepModel(last.architecture(), last.encoding(), last.outputs(), last.halfLifeFeatures(),
                    lastProvenance, last.members());
            return new TrainedModel(model(engine, best, bestEpoch, bestLoss), List.copyOf(history), bestEpoch, bestLoss, last,
                    variance);
        }
    }

    private ScepModel model(TrainingEngine engine, Parameters weights, int bestEpoch, double bestLoss) {
        Map<String, String> provenance = new LinkedHashMap<>();
        provenance.put("trained_by", "scep " + ScepVersion.get() + " (" + engine.description() + ")");
        provenance.put("dataset_fingerprint", String.valueOf(data.dataset().fingerprint()));
        provenance.put("train_genes", Integer.toString(data.trainGenes().length));
        provenance.put("validation_genes", Integer.toString(data.validationGenes().length));
        provenance.put("inputs", data.inputs().name().toLowerCase(java.util.Locale.ROOT));
        provenance.put("seed", Long.toString(config.seed()));
        provenance.put("epochs", Integer.toString(config.epochs()));
        provenance.put("best_epoch", Integer.toString(bestEpoch + 1));
        provenance.put("best_validation_loss", Double.toString(bestLoss));
        provenance.put("batch_size", Integer.toString(config.batchSize()));
        provenance.put("learning_rate", Double.toString(config.learningRate()));
        return new ScepModel(architecture, net.encoding(), data.outputs(), data.halfLifeFeatures(), provenance,
                List.of(weights.toTensors()));
    }

    /** Per-thread state: network buffers, gradient accumulators, sample scratch. */
    private final class Worker {
        final TrainingNetwork.Work work = net.newWork();
        final TrainingNetwork.Gradients grads = net.newGradients();
        final byte[] ascii = new byte[net.windowLength()];
        final byte[] masks = new byte[net.windowLength()];
        final float[] halfLife = new float[Math.max(1, net.halfLifeCount())];
        final float[] target = new float[net.outputs()];
        final float[] gy = new float[net.outputs()];
        double loss;
    }

    private static long mix(long seed, long a, long b) {
        long z = seed * 0x9E3779B97F4A7C15L + a * 0xBF58476D1CE4E5B9L + b * 0x94D049BB133111EBL;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** The training genes in epoch {@code epoch}'s order (a seeded Fisher-Yates shuffle). */
    int[] epochOrder(int epoch) {
        int[] order = data.trainGenes().clone();
        SplittableRandom rnd = new SplittableRandom(mix(config.seed(), epoch, -1));
        for (int i = order.length - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }

    private double trainEpoch(TrainingEngine engine, int epoch, Adam adam, double lr, TrainingListener listener)
            throws IOException {
        int[] order = epochOrder(epoch);
        int batches = batchesPerEpoch();
        double lossSum = 0;
        long samples = 0;
        int outputs = net.outputs();
        for (int b = 0; b < batches; b++) {
            int size = Math.min(order.length, (b + 1) * config.batchSize()) - b * config.batchSize();
            boolean firstStep = adam.stepCount() == 0;
            double batchLoss = engine.gradients(epoch, order, b, config.batchSize());
            if (!Double.isFinite(batchLoss)) {
                throw new TrainingDivergedException(epoch + 1, b + 1, batches, "the training loss is non-finite ("
                        + batchLoss + ")", lr, firstStep);
            }
            engine.update(lr);
            String bad = engine.nonFinite();
            if (bad != null) {
                throw new TrainingDivergedException(epoch + 1, b + 1, batches, bad, lr, false);
            }
            lossSum += batchLoss;
            samples += size;
            listener.batch(epoch, b + 1, batches, lossSum / (samples * outputs));
        }
        return lossSum / (samples * outputs);
    }

    /**
     * After an update: every weight and both Adam moments must be finite (about 3 × 110k floats, a fraction of a
     * millisecond against the tens of milliseconds of a batch), else the run has diverged. A moment that overflowed
     * would freeze its weight silently and could not be resumed from, so it counts too.
     *
     * @return what became non-finite, in words, or null
     */
    public static String firstNonFinite(Parameters params, Adam adam) {
        Parameters.NonFinite bad = params.firstNonFinite();
        String what = "weight tensor";
        if (bad == null) {
            bad = adam.firstMoment().firstNonFinite();
            what = "the Adam first moment of";
        }
        if (bad == null) {
            bad = adam.secondMoment().firstNonFinite();
            what = "the Adam second moment of";
        }
        return bad == null ? null : what + " '" + bad.tensor() + "' became non-finite in the update (" + bad.value()
                + " at index " + bad.index() + " of " + bad.length() + ")";
    }

    /** Mean squared error (z-scored targets, no dropout) of {@code params} over {@code genes}. */
    private double evaluate(TrainingEngine engine, Parameters params, int[] genes) throws IOException {
        if (genes.length == 0) {
            return Double.NaN;
        }
        return engine.sumSquaredError(params, genes) / ((double) genes.length * net.outputs());
    }

    /**
     * The dropout generator of the sample at {@code position} of epoch {@code epoch}'s order: every engine draws a
     * sample's masks from it, layer by layer ({@link TrainingNetwork#drawDropout}).
     *
     * @param seed     the run's seed
     * @param epoch    0-based epoch
     * @param position the sample's position in the epoch's order
     * @return the generator
     */
    public static SplittableRandom dropoutRandom(long seed, int epoch, int position) {
        return new SplittableRandom(mix(seed, epoch, position));
    }

    /** The CPU engine: {@link TrainingNetwork} on worker threads, each batch split into fixed slices per thread. */
    private final class CpuEngine implements TrainingEngine {
        private final ExecutorService pool = Executors.newFixedThreadPool(config.threads(), r -> {
            Thread t = new Thread(r, "scep-train");
            t.setDaemon(true);
            return t;
        });
        private final Worker[] workers = new Worker[config.threads()];
        private final Parameters grad = Parameters.zeros(architecture);
        private Parameters params;
        private Adam adam;

        CpuEngine() {
            for (int i = 0; i < workers.length; i++) {
                workers[i] = new Worker();
            }
        }

        @Override
        public String description() {
            return "CPU, " + kernels.name();
        }

        @Override
        public void load(Parameters p, Adam a) {
            this.params = p;   // the trainer's own objects: updated in place
            this.adam = a;
        }

        @Override
        public double gradients(int epoch, int[] order, int b, int batchSize) throws IOException {
            int from = b * batchSize;
            int size = Math.min(order.length, from + batchSize) - from;
            int outputs = net.outputs();
            float scale = 2f / (size * outputs);
            TrainingNetwork.Packed packed = net.pack(params);
            run(pool, workers, size, (w, i0, i1) -> {
                w.grads.clear();
                w.loss = 0;
                for (int i = i0; i < i1; i++) {
                    int gene = order[from + i];
                    sample(w, gene);
                    float[] y = net.forward(packed, w.work, w.halfLife, dropoutRandom(config.seed(), epoch, from + i));
                    for (int o = 0; o < outputs; o++) {
                        float d = y[o] - w.target[o];
                        w.loss += (double) d * d;
                        w.gy[o] = scale * d;
                    }
                    net.backward(packed, w.work, w.gy, w.grads);
                }
            });
            for (int i = 1; i < workers.length; i++) {
                workers[0].grads.add(workers[i].grads);
            }
            grad.clear();
            workers[0].grads.addTo(grad);
            if (data.inputs() == ModelInputs.HALF_LIFE_ONLY) {
                java.util.Arrays.fill(grad.get(firstConvolutionWeight()), 0f); // held at zero: blind to the sequence
            }
            double batchLoss = 0;
            for (Worker w : workers) {
                batchLoss += w.loss;
            }
            return batchLoss;
        }

        @Override
        public void update(double learningRate) {
            adam.step(params, grad, learningRate);
        }

        @Override
        public String nonFinite() {
            return firstNonFinite(params, adam);
        }

        @Override
        public void store(Parameters p, Adam a) {
            if (p != params) {
                p.copyFrom(params);
            }
            if (a != adam) {
                a.firstMoment().copyFrom(adam.firstMoment());
                a.secondMoment().copyFrom(adam.secondMoment());
            }
        }

        @Override
        public double sumSquaredError(Parameters weights, int[] genes) throws IOException {
            TrainingNetwork.Packed packed = net.pack(weights);
            int outputs = net.outputs();
            run(pool, workers, genes.length, (w, i0, i1) -> {
                w.loss = 0;
                for (int i = i0; i < i1; i++) {
                    sample(w, genes[i]);
                    float[] y = net.forward(packed, w.work, w.halfLife, null);
                    for (int o = 0; o < outputs; o++) {
                        double d = y[o] - w.target[o];
                        w.loss += d * d;
                    }
                }
            });
            double sum = 0;
            for (Worker w : workers) {
                sum += w.loss;
            }
            return sum;
        }

        @Override
        public float[][] predict(Parameters weights, int[] genes) throws IOException {
            TrainingNetwork.Packed packed = net.pack(weights);
            float[][] y = new float[genes.length][];
            run(pool, workers, genes.length, (w, i0, i1) -> {
                for (int i = i0; i < i1; i++) {
                    sample(w, genes[i]);
                    y[i] = net.forward(packed, w.work, w.halfLife, null).clone();
                }
            });
            return y;
        }

        @Override
        public void close() {
            pool.shutdownNow();
        }
    }

    private void sample(Worker w, int gene) {
        data.codes(gene, w.ascii, w.masks);
        w.work.setCodes(w.masks);
        data.halfLife(gene, w.halfLife);
        data.targets(gene, w.target);
    }

    private interface Slice {
        void run(Worker w, int from, int to);
    }

    /** Runs {@code slice} over [0, n) split into one contiguous part per worker, and waits. */
    private static void run(ExecutorService pool, Worker[] workers, int n, Slice slice) throws IOException {
        List<Future<?>> futures = new ArrayList<>(workers.length);
        for (int t = 0; t < workers.length; t++) {
            int from = (int) ((long) n * t / workers.length);
            int to = (int) ((long) n * (t + 1) / workers.length);
            Worker w = workers[t];
            futures.add(pool.submit(() -> slice.run(w, from, to)));
        }
        try {
            for (Future<?> f : futures) {
                f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("training interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IOException(e.getCause());
        }
    }
}
