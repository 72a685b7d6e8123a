package dev.scep.train.gpu;

import dev.scep.formats.model.Architecture;
import dev.scep.formats.model.SequenceEncoding;
import dev.scep.runtime.gpu.GpuTrainingNetwork;
import dev.scep.runtime.network.NetworkShape;
import dev.scep.train.ModelInputs;
import dev.scep.train.TrainingConfig;
import dev.scep.train.cpu.Adam;
import dev.scep.train.cpu.Parameters;
import dev.scep.train.cpu.Trainer;
import dev.scep.train.cpu.TrainingEngine;
import dev.scep.train.cpu.TrainingNetwork;
import dev.scep.train.cpu.TrainingSet;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The GPU engine of {@link Trainer}: each batch's forward, loss, backward and Adam step run on the device
 * ({@link GpuTrainingNetwork}); the host reads the genes, draws the dropout masks exactly as the CPU engine does
 * ({@link TrainingNetwork#drawDropout} from {@link Trainer#dropoutRandom}), and stages batch b + 1 while the device
 * computes batch b. Weights and Adam's moments stay on the device between {@link #load} and {@link #store}.
 *
 * <p>Evaluation and prediction run in batches of up to {@link #EVALUATION_BATCH} windows (or the training batch when
 * larger). The GPU's sums are float32 in another order than the CPU's, so a GPU run is not bit-for-bit a CPU run; the
 * checks in {@code benchmarks/gpu/run.sh device} hold the two to 1e-3 (gradients) and 2% (loss curves).
 */
public final class GpuEngine implements TrainingEngine {
    /** Windows per batch when evaluating (no dropout): about 1.4 GB of activations for scEP. */
    public static final int EVALUATION_BATCH = 256;

    private final TrainingSet data;
    private final TrainingConfig config;
    private final GpuTrainingNetwork net;
    private final List<NetworkShape.DenseStep> dense;
    private final int outputs;
    private final int halfLifeCount;
    private final int windowLength;
    private final boolean zeroFirstConvolution;
    private final Parameters deviceCopyOf;   // host arrays the device weights equal while synced
    private boolean synced;                  // false from the first update after load or store until the next store
    private Parameters live;
    private Adam adam;
    // the batch staged ahead: (epoch, batch) it holds, or none
    private GpuTrainingNetwork.Batch ahead;
    private int aheadEpoch = -1;
    private int aheadBatch = -1;

    /**
     * Opens the GPU for a run.
     *
     * @param data         the genes
     * @param architecture the network
     * @param config       the recipe (its batch size bounds the device batch)
     * @param encoding     the windows' encoding, as the CPU engine's
     * @throws dev.scep.nativebindings.GpuUnavailableException when no GPU works, naming what is missing
     */
    public GpuEngine(TrainingSet data, Architecture architecture, TrainingConfig config, SequenceEncoding encoding) {
        this.data = data;
        this.config = config;
        int halfLife = data.halfLifeFeatures().size();
        NetworkShape shape = new NetworkShape(architecture, encoding.windowLength(), halfLife);
        this.dense = shape.dense();
        this.outputs = shape.outputs();
        this.halfLifeCount = halfLife;
        this.windowLength = encoding.windowLength();
        this.zeroFirstConvolution = data.inputs() == ModelInputs.HALF_LIFE_ONLY;
        this.net = new GpuTrainingNetwork(architecture, encoding, halfLife, Math.max(config.batchSize(), EVALUATION_BATCH));
        this.deviceCopyOf = Parameters.zeros(architecture);
    }

    @Override
    public String description() {
        return "GPU, " + net.device();
    }

    @Override
    public void load(Parameters params, Adam state) {
        this.live = params;
        this.adam = state;
        net.setState(params.arrays(), state.firstMoment().arrays(), state.secondMoment().arrays());
        deviceCopyOf.copyFrom(params);
        synced = true;
        ahead = null;
    }

    @Override
    public double gradients(int epoch, int[] order, int b, int batchSize) {
        GpuTrainingNetwork.Batch batch = ahead != null && aheadEpoch == epoch && aheadBatch == b ? ahead
                : stageTraining(epoch, order, b, batchSize);
        ahead = null;
        net.startGradients(batch, zeroFirstConvolution);
        // the next batch of this epoch is packed and copied while the device works on this one
        if ((long) (b + 1) * batchSize < order.length) {
            ahead = stageTraining(epoch, order, b + 1, batchSize);
            aheadEpoch = epoch;
            aheadBatch = b + 1;
        }
        return net.finishGradients();
    }

    private GpuTrainingNetwork.Batch stageTraining(int epoch, int[] order, int b, int batchSize) {
        int from = b * batchSize;
        return stage(order, from, Math.min(order.length, from + batchSize) - from, epoch);
    }

    /**
     * Genes {@code genes[from, from + n)} staged: windows and half-life inputs, and for training ({@code epoch} at
     * least 0) the targets and the dropout factors of each sample's position in the epoch.
     */
    private GpuTrainingNetwork.Batch stage(int[] genes, int from, int n, int epoch) {
        boolean training = epoch >= 0;
        List<byte[]> windows = new ArrayList<>(n);
        float[] halfLife = new float[n * halfLifeCount];
        float[] targets = training ? new float[n * outputs] : null;
        float[][] keep = training ? new float[dense.size()][] : null;
        for (int l = 0; training && l < keep.length; l++) {
            keep[l] = new float[n * dense.get(l).out()];
        }
        Sample s = new Sample();
        for (int i = 0; i < n; i++) {
            s.read(genes[from + i]);
            windows.add(s.ascii.clone());
            System.arraycopy(s.halfLife, 0, halfLife, i * halfLifeCount, halfLifeCount);
            if (training) {
                System.arraycopy(s.target, 0, targets, i * outputs, outputs);
                SplittableRandom dropout = Trainer.dropoutRandom(config.seed(), epoch, from + i);
                for (int l = 0; l < keep.length; l++) {
                    TrainingNetwork.drawDropout(dense.get(l), dropout, keep[l], i * dense.get(l).out());
                }
            }
        }
        return net.stage(windows, halfLife, targets, keep);
    }

    @Override
    public void update(double learningRate) {
        synced = false;
        Adam.Corrections c = adam.advance(learningRate);
        net.adamStep(Adam.BETA1, Adam.BETA2, Adam.EPS, c.stepSize(), (float) c.bc2Sqrt());
    }

    @Override
    public String nonFinite() {
        if (!net.nonFinite()) {
            return null;
        }
        // rare: bring the state over to name the tensor, as the CPU engine names it
        Parameters p = live.copy();
        Adam a = new Adam(live);
        net.getState(p.arrays(), a.firstMoment().arrays(), a.secondMoment().arrays());
        String what = Trainer.firstNonFinite(p, a);
        return what != null ? what : "a weight or Adam moment became non-finite in the update";
    }

    @Override
    public void store(Parameters params, Adam state) {
        net.getState(params.arrays(), state.firstMoment().arrays(), state.secondMoment().arrays());
        deviceCopyOf.copyFrom(params);
        synced = true;
    }

    @Override
    public double sumSquaredError(Parameters weights, int[] genes) {
        float[][] y = predict(weights, genes);
        double sum = 0;
        float[] target = new float[outputs];
        for (int i = 0; i < genes.length; i++) {
            data.targets(genes[i], target);
            for (int o = 0; o < outputs; o++) {
                double d = y[i][o] - target[o];
                sum += d * d;
            }
        }
        return sum;
    }

    @Override
    public float[][] predict(Parameters weights, int[] genes) {
        if (!synced) {
            throw new IllegalStateException("the device weights moved on since the last store(): store them first");
        }
        ahead = null;   // prediction batches take the slots; a training batch staged ahead would be overwritten
        boolean other = !sameValues(weights, deviceCopyOf);
        if (other) {
            useWeights(weights);
        }
        try {
            float[][] y = new float[genes.length][];
            for (int from = 0; from < genes.length; from += net.maxBatch()) {
                int n = Math.min(genes.length, from + net.maxBatch()) - from;
                float[] out = net.predict(stage(genes, from, n, -1));
                for (int i = 0; i < n; i++) {
                    y[from + i] = java.util.Arrays.copyOfRange(out, i * outputs, (i + 1) * outputs);
                }
            }
            return y;
        } finally {
            if (other) {
                useWeights(deviceCopyOf);   // the live weights back
            }
        }
    }

    /** Puts these weights on the device (Adam's moments untouched). */
    private void useWeights(Parameters weights) {
        net.setParameters(weights.arrays());
    }

    private static boolean sameValues(Parameters a, Parameters b) {
        List<float[]> x = a.arrays();
        List<float[]> y = b.arrays();
        for (int k = 0; k < x.size(); k++) {
            if (!java.util.Arrays.equals(x.get(k), y.get(k))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void close() {
        net.close();
    }

    /** One gene's inputs, read from the training set. */
    private final class Sample {
        final byte[] ascii = new byte[windowLength];
        final byte[] masks = new byte[windowLength];
        final float[] halfLife = new float[Math.max(1, halfLifeCount)];
        final float[] target = new float[outputs];

        void read(int gene) {
            data.codes(gene, ascii, masks);
            data.halfLife(gene, halfLife);
            data.targets(gene, target);
        }
    }
}
