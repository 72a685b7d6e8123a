package dev.scep.train.cpu;

import dev.scep.train.ModelInputs;

import dev.scep.formats.io.ScepDataset;
import dev.scep.formats.model.HalfLifeFeature;
import dev.scep.formats.model.OutputSpec;
import dev.scep.runtime.BaseCodes;

import java.util.ArrayList;
import java.util.List;

/**
 * What one training run sees of a dataset (DESIGN §3): its training and validation genes, the chosen populations,
 * half-life features as {@code log10(x + 0.1)} z-scored with training-gene statistics, and targets z-scored per
 * population with training-gene statistics. The statistics go into the trained model, which undoes them.
 */
public final class TrainingSet {

    private final ScepDataset dataset;
    private final ModelInputs inputs;
    private final int[] train;
    private final int[] validation;
    private final List<OutputSpec> outputs;
    private final List<HalfLifeFeature> halfLifeFeatures;
    private final float[] halfLife;   // [gene × features], all dataset genes
    private final float[] targets;    // [gene × outputs], all dataset genes, z-scored
    private final int nOut;
    private final int nHalf;

    private TrainingSet(ScepDataset dataset, ModelInputs inputs, int[] train, int[] validation, List<OutputSpec> outputs,
                        List<HalfLifeFeature> halfLifeFeatures, float[] halfLife, float[] targets) {
        this.dataset = dataset;
        this.inputs = inputs;
        this.train = train;
        this.validation = validation;
        this.outputs = outputs;
        this.halfLifeFeatures = halfLifeFeatures;
        this.halfLife = halfLife;
        this.targets = targets;
        this.nOut = outputs.size();
        this.nHalf = halfLifeFeatures.size();
    }

    /**
     * @param populations dataset population indices to predict (the model's outputs, in this order)
     * @param useHalfLife false for the sequence-only variant
     */
    public static TrainingSet of(ScepDataset d, int[] train, int[] validation, int[] populations, boolean useHalfLife) {
        return of(d, train, validation, populations, useHalfLife ? ModelInputs.SEQUENCE_AND_HALF_LIFE : ModelInputs.SEQUENCE_ONLY);
    }

    public static TrainingSet of(ScepDataset d, int[] train, int[] validation, int[] populations, ModelInputs inputs) {
        boolean useHalfLife = inputs != ModelInputs.SEQUENCE_ONLY;
        if (train.length == 0) {
            throw new IllegalArgumentException("no training genes");
        }
        if (populations.length == 0) {
            throw new IllegalArgumentException("no populations to train on");
        }
        if (d.populations().isEmpty()) {
            throw new IllegalArgumentException(d.file() + " has no targets: prepare it with --expression");
        }
        int genes = d.geneCount();
        int nf = useHalfLife ? d.halfLifeNames().size() : 0;
        List<HalfLifeFeature> features = new ArrayList<>();
        float[] hl = new float[genes * nf];
        for (int f = 0; f < nf; f++) {
            int feature = f;
            double[] stats = stats(train, g -> d.halfLifeTransform(feature).apply(d.rawHalfLife(g, feature)));
            features.add(new HalfLifeFeature(d.halfLifeNames().get(f), d.halfLifeTransform(f), stats[0], stats[1]));
            for (int g = 0; g < genes; g++) {
                hl[g * nf + f] = features.get(f).normalise(d.rawHalfLife(g, f));
            }
        }
        int no = populations.length;
        List<OutputSpec> outputs = new ArrayList<>();
        float[] t = new float[genes * no];
        for (int o = 0; o < no; o++) {
            int p = populations[o];
            double[] stats = stats(train, g -> d.target(g, p));
            outputs.add(new OutputSpec(d.populations().get(p).name(), stats[0], stats[1]));
            for (int g = 0; g < genes; g++) {
                t[g * no + o] = (float) ((d.target(g, p) - stats[0]) / stats[1]);
            }
        }
        return new TrainingSet(d, inputs, train.clone(), validation.clone(), List.copyOf(outputs), List.copyOf(features), hl, t);
    }

    /** Mean and standard deviation (population, ddof 0; 1 when all values are equal) over the genes. */
    private static double[] stats(int[] genes, java.util.function.IntToDoubleFunction value) {
        double sum = 0;
        for (int g : genes) {
            sum += value.applyAsDouble(g);
        }
        double mean = sum / genes.length;
        double ss = 0;
        for (int g : genes) {
            double dv = value.applyAsDouble(g) - mean;
            ss += dv * dv;
        }
        double std = Math.sqrt(ss / genes.length);
        return new double[]{mean, std > 0 ? std : 1.0};
    }

    public ModelInputs inputs() {
        return inputs;
    }

    public ScepDataset dataset() {
        return dataset;
    }

    public int[] trainGenes() {
        return train;
    }

    public int[] validationGenes() {
        return validation;
    }

    public List<OutputSpec> outputs() {
        return outputs;
    }

    public List<HalfLifeFeature> halfLifeFeatures() {
        return halfLifeFeatures;
    }

    /** Network-ready half-life features of a gene into {@code dst}. */
    public void halfLife(int gene, float[] dst) {
        System.arraycopy(halfLife, gene * nHalf, dst, 0, nHalf);
    }

    /** z-scored targets of a gene into {@code dst}. */
    public void targets(int gene, float[] dst) {
        System.arraycopy(targets, gene * nOut, dst, 0, nOut);
    }

    /** The window of a gene as base masks ({@link BaseCodes}); {@code ascii} is scratch of the window length. */
    public void codes(int gene, byte[] ascii, byte[] masks) {
        dataset.window(gene, ascii);
        BaseCodes.encode(ascii, ascii.length, masks, 0);
    }
}
