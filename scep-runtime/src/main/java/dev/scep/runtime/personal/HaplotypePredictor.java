package dev.scep.runtime.personal;

import dev.scep.formats.model.ScepModel;
import dev.scep.formats.text.Sequences;
import dev.scep.runtime.Backend;
import dev.scep.runtime.HalfLifeInput;
import dev.scep.runtime.Predictor;
import dev.scep.runtime.cpu.Kernels;
import dev.scep.runtime.ism.IncrementalIsm;
import dev.scep.runtime.variants.GenePanel;
import dev.scep.runtime.variants.VariantScorer;

import java.util.ArrayList;
import java.util.List;

/**
 * One gene's predictions for every sample, on one scoring thread (a one-thread predictor and, for dosage mode, the
 * incremental engine: neither is thread-safe). Phased: each distinct haplotype predicted once, in batches, and each
 * sample the mean of its two. Dosage: reference + Σ dosage / 2 × each allele's single-SNV effect.
 */
final class HaplotypePredictor implements AutoCloseable {
    /** A gene's rows of the output table, and how many haplotypes it had and predicted (or alleles it scored). */
    record GeneResult(String rows, int haplotypes, int distinct) {
    }

    private static final int BATCH = 32;

    private final ScepModel model;
    private final GenePanel panel;
    private final PersonalGenomes.Options options;
    private final Predictor predictor;
    private final boolean shared;   // the GPU's predictor, used by every thread in turn (not closed here)
    private final int batch;
    private final IncrementalIsm ism;

    /** {@code gpu}: the predictor all threads share on the GPU, or null for a CPU predictor of this thread's own. */
    HaplotypePredictor(ScepModel model, GenePanel panel, PersonalGenomes.Options options, Predictor gpu) {
        this.model = model;
        this.panel = panel;
        this.options = options;
        this.shared = gpu != null;
        this.predictor = shared ? gpu : Predictor.of(model, new Predictor.Options(Backend.AUTO, 1));
        // the GPU wants large batches: a gene's distinct haplotypes go in one call, up to its batch
        this.batch = shared ? dev.scep.runtime.gpu.GpuPredictor.DEFAULT_BATCH : BATCH;
        this.ism = options.mode() == PersonalGenomes.Mode.DOSAGE && IncrementalIsm.supports(model.architecture())
                ? new IncrementalIsm(model, Kernels.best(), 1) : null;
    }

    @Override
    public void close() {
        if (!shared) {
            predictor.close();
        }
        if (ism != null) {
            ism.close();
        }
    }

    /**
     * Per sample its prediction and the alternative alleles applied; {@code predicted} counts the distinct haplotypes
     * (phased) or the allele effects (dosage) computed.
     */
    private record SamplePredictions(float[][] values, int[] altAlleles, int predicted) {
    }

    GeneResult predict(GenePanel.Gene g, List<Site> sites, List<String> samples) {
        int n = samples.size();
        SamplePredictions p = options.mode() == PersonalGenomes.Mode.PHASED ? phased(g, sites, n) : dosage(g, sites, n);
        return new GeneResult(PersonalTable.rows(g, samples, p.altAlleles(), p.values()), 2 * n, p.predicted());
    }

    private HalfLifeInput halfLife(GenePanel.Gene g) {
        return options.halfLife() == VariantScorer.HalfLife.ZEROS ? HalfLifeInput.zeros(model.halfLifeFeatures().size())
                : HalfLifeInput.raw(g.halfLife());
    }

    /** The window position of genomic {@code pos}. */
    private int position(GenePanel.Gene g, long pos) {
        long[] span = panel.windowSpan(g);
        return g.plus() ? (int) (pos - span[0]) : (int) (span[1] - pos);
    }

    /** The base to put into the window: complemented on the minus strand. */
    private static byte strandBase(GenePanel.Gene g, byte base) {
        return g.plus() ? base : Sequences.complement(base);
    }

    /** Both haplotypes of every sample, the mean of their predictions; identical haplotypes predicted once. */
    private SamplePredictions phased(GenePanel.Gene g, List<Site> sites, int n) {
        Haplotypes haplotypes = Haplotypes.of(sites, n);
        List<long[]> distinct = haplotypes.distinct();
        byte[] reference = panel.window(g);
        HalfLifeInput hl = halfLife(g);
        float[][] predicted = new float[distinct.size()][];
        for (int from = 0; from < distinct.size(); from += batch) {
            int to = Math.min(distinct.size(), from + batch);
            List<byte[]> windows = new ArrayList<>(to - from);
            for (int d = from; d < to; d++) {
                byte[] w = reference.clone();
                for (long e : distinct.get(d)) {
                    Site site = sites.get(Haplotypes.site(e));
                    w[position(g, site.pos())] = strandBase(g, site.base()[Haplotypes.allele(e)]);
                }
                windows.add(w);
            }
            float[][] y = predictBatch(windows, java.util.Collections.nCopies(windows.size(), hl));
            System.arraycopy(y, 0, predicted, from, y.length);
        }
        int[] of = haplotypes.haplotype();
        float[][] perSample = new float[n][];
        for (int s = 0; s < n; s++) {
            float[] a = predicted[of[2 * s]];
            float[] b = predicted[of[2 * s + 1]];
            float[] mean = new float[a.length];
            for (int o = 0; o < a.length; o++) {
                mean[o] = (float) (0.5 * ((double) a[o] + b[o]));
            }
            perSample[s] = mean;
        }
        return new SamplePredictions(perSample, haplotypes.altAlleles(), distinct.size());
    }

    private float[][] predictBatch(List<byte[]> windows, List<HalfLifeInput> halfLife) {
        if (!shared) {
            return predictor.predictBatch(windows, halfLife);
        }
        synchronized (predictor) {
            return predictor.predictBatch(windows, halfLife);
        }
    }

    /** Additive: reference + Σ dosage / 2 × single-allele effect. */
    private SamplePredictions dosage(GenePanel.Gene g, List<Site> sites, int n) {
        byte[] reference = panel.window(g);
        HalfLifeInput hl = halfLife(g);
        float[] ref = predictBatch(List.of(reference), List.of(hl))[0];
        IncrementalIsm.Gene warm = ism == null ? null : ism.gene(reference, hl);
        double[][] sum = new double[n][ref.length];
        int[] altCount = new int[n];
        int scored = 0;
        for (Site site : sites) {
            for (int a = 1; a < site.base().length; a++) {
                if (site.base()[a] == 0) {
                    continue;
                }
                float[] effect = null;
                for (int s = 0; s < n; s++) {
                    int d = (site.alleles()[2 * s] == a ? 1 : 0) + (site.alleles()[2 * s + 1] == a ? 1 : 0);
                    if (d == 0) {
                        continue;
                    }
                    if (effect == null) {
                        effect = effect(warm, reference, hl, ref, position(g, site.pos()), strandBase(g, site.base()[a]));
                        scored++;
                    }
                    altCount[s] += d;
                    for (int o = 0; o < ref.length; o++) {
                        sum[s][o] += d * 0.5 * effect[o];
                    }
                }
            }
        }
        float[][] perSample = new float[n][];
        for (int s = 0; s < n; s++) {
            float[] y = new float[ref.length];
            for (int o = 0; o < ref.length; o++) {
                y[o] = (float) (ref[o] + sum[s][o]);
            }
            perSample[s] = y;
        }
        return new SamplePredictions(perSample, altCount, scored);
    }

    /** One substitution's effect: incremental where the architecture allows it, else a full forward pass. */
    private float[] effect(IncrementalIsm.Gene warm, byte[] reference, HalfLifeInput hl, float[] ref, int position, byte base) {
        if (warm != null) {
            return warm.effect(position, (char) base);
        }
        byte[] w = reference.clone();
        w[position] = base;
        float[] y = predictor.predict(w, hl);
        for (int o = 0; o < y.length; o++) {
            y[o] -= ref[o];
        }
        return y;
    }
}
