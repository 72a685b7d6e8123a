package dev.scep.runtime.ism;

import dev.scep.formats.model.Architecture;
import dev.scep.formats.model.ScepModel;
import dev.scep.runtime.BaseCodes;
import dev.scep.runtime.HalfLifeInput;
import dev.scep.runtime.IsmResult;
import dev.scep.runtime.cpu.Kernels;
import dev.scep.runtime.network.NetworkShape;
import dev.scep.runtime.network.WeightLayout;
import dev.scep.runtime.network.WeightSource;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ForkJoinPool;
import java.util.function.BiConsumer;
import java.util.stream.IntStream;

/**
 * Exact in-silico mutagenesis by incremental recomputation (DESIGN §4). For one window, every activation of the
 * reference sequence is computed and cached once ({@link ReferenceActivations}); each substitution then recomputes
 * only what it can change ({@link SubstitutionDelta}): the first convolution at the ≤ k positions that read the base,
 * the one or two pool-1 windows holding them, the second convolution's outputs that read a changed pooled value (a
 * rank-one update per changed channel), the one or two pool-2 windows holding those, the first dense layer through
 * the changed flattened inputs, and the rest of the head. A substitution that changes no pooled maximum changes
 * nothing and costs only the first step.
 *
 * <p>Results equal full forward passes up to float rounding ({@link NaiveIsm} is the check). Supported: the scEP
 * family with two convolution blocks (scEP, Xpresso); other architectures fall back to {@link NaiveIsm}.
 * Thread-safe; positions are spread over the given number of threads.
 */
public final class IncrementalIsm implements AutoCloseable {
    private final ScepModel model;
    private final int threads;
    private final int window;
    private final IsmNetwork net;
    private final IsmNetwork.Weights[] members;
    private final ForkJoinPool pool;      // null when single-threaded
    /**
     * Per member, the raw conv1 rows and running maxima of a finished {@link #run} (16 MB per member for scEP), kept
     * for the next: allocating them afresh per gene costs more than filling them. Every row a run reads it writes.
     */
    private final ConcurrentLinkedQueue<float[][][]> spareRows = new ConcurrentLinkedQueue<>();

    /** Two convolution blocks whose pooling windows do not overlap (stride = size), as in scEP and Xpresso. */
    public static boolean supports(Architecture a) {
        return a.convolutions().size() == 2 && a.pools().stream().allMatch(p -> p.stride() == p.size());
    }

    public IncrementalIsm(ScepModel model, Kernels kernels, int threads) {
        if (!supports(model.architecture())) {
            throw new IllegalArgumentException("incremental ISM needs two convolution blocks with non-overlapping pooling; use NaiveIsm");
        }
        this.model = model;
        this.threads = Math.max(1, threads);
        this.window = model.windowLength();
        NetworkShape shape = NetworkShape.of(model);
        this.net = new IsmNetwork(shape, kernels);
        WeightLayout layout = new WeightLayout(shape, model.encoding());
        this.members = model.members().stream().map(m -> net.pack(layout, WeightSource.of(m))).toArray(IsmNetwork.Weights[]::new);
        this.pool = this.threads > 1 ? new ForkJoinPool(this.threads) : null;
    }

    @Override
    public void close() {
        if (pool != null) {
            pool.shutdown();
        }
    }

    /**
     * Every substitution of a window: at each position every base other than the reference (three; four where the
     * reference is an ambiguity code such as N), per output the change in predicted expression (z-score undone).
     */
    public IsmResult run(byte[] asciiWindow, HalfLifeInput halfLifeInput) {
        byte[] codes = new byte[window];
        BaseCodes.encode(asciiWindow, window, codes, 0);
        float[] hl = halfLifeInput.toNetworkInput(model.halfLifeFeatures());
        ReferenceActivations[] refs = new ReferenceActivations[members.length];
        float[][][] rowBuffers = spareRows.poll();
        if (rowBuffers == null) {
            rowBuffers = new float[members.length][3][net.positions1 * net.stride1];
        }
        for (int m = 0; m < members.length; m++) {
            refs[m] = new ReferenceActivations(net, members[m], codes, hl, rowBuffers[m], null, this::inParallel);
        }
        int outputs = model.outputs().size();
        double[] scale = new double[outputs];
        for (int o = 0; o < outputs; o++) {
            scale[o] = model.outputs().get(o).std() / members.length;
        }
        SubstitutionTable table = new SubstitutionTable(codes, scale);
        int parts = Math.min(threads, window);
        Runnable[] tasks = new Runnable[parts];
        for (int t = 0; t < parts; t++) {
            int from = (int) ((long) window * t / parts);
            int to = (int) ((long) window * (t + 1) / parts);
            tasks[t] = () -> {
                SubstitutionDelta s = new SubstitutionDelta(net);
                double[][] acc = new double[4][outputs];
                for (int p = from; p < to; p++) {
                    for (double[] a : acc) {
                        java.util.Arrays.fill(a, 0);
                    }
                    for (ReferenceActivations r : refs) {
                        s.prepare(r, p);
                        int k = 0;
                        for (int b : SubstitutionTable.BASES) {
                            if (b != codes[p]) {
                                s.substitute(r, p, (byte) b, acc[k++]);
                            }
                        }
                    }
                    table.record(p, acc);
                }
            };
        }
        if (pool == null) {
            tasks[0].run();
        } else {
            pool.submit(() -> IntStream.range(0, parts).parallel().forEach(t -> tasks[t].run())).join();
        }
        spareRows.offer(rowBuffers);
        return new IsmResult(model.outputNames(), asciiWindow.clone(), model.encoding().upstream(), table.position, table.alt,
                table.delta);
    }

    /**
     * A window prepared for single substitutions (variant scoring): its reference activations are computed once,
     * then {@link Gene#effect} costs one incremental step. Unlike {@link #run}, which caches every raw conv1 row with
     * running maxima (16 MB for a scEP window) to share them among 31,500 substitutions, a gene keeps only the pooled
     * maps (about 0.3 MB) and recomputes the conv1 rows of the one or two pool windows a substitution touches: a few
     * microseconds more per call, and a reference built by the fused forward kernel in a fraction of the time.
     * Not thread-safe: use one per thread, or synchronise.
     */
    public final class Gene {
        private final ReferenceActivations[] refs;
        private final byte[] codes;
        private final SubstitutionDelta scratch = new SubstitutionDelta(net);
        private final double[] acc = new double[model.outputs().size()];

        private Gene(byte[] codes, float[] hl, Gene recycle) {
            this.codes = codes;
            this.refs = new ReferenceActivations[members.length];
            for (int m = 0; m < members.length; m++) {
                refs[m] = new ReferenceActivations(net, members[m], codes, hl, null, recycle == null ? null : recycle.refs[m],
                        IncrementalIsm.this::inParallel);
            }
        }

        private IncrementalIsm engine() {
            return IncrementalIsm.this;
        }

        /** The reference window's base at a position (upper-case A, C, G, T or an IUPAC code). */
        public char referenceBase(int position) {
            int mask = codes[position];
            return "?ACMGRSVTWYHKDBN".charAt(mask);
        }

        /**
         * The change of every output (log10, z-score undone) when the base at window {@code position} becomes
         * {@code base} (A, C, G or T); zeros when it is the reference base.
         */
        public float[] effect(int position, char base) {
            int b = BaseCodes.mask((byte) Character.toUpperCase(base));
            if (b <= 0 || Integer.bitCount(b) != 1) {
                throw new IllegalArgumentException("alternative base must be A, C, G or T, not '" + base + "'");
            }
            if (position < 0 || position >= window) {
                throw new IllegalArgumentException("position " + position + " is outside the " + window + "-nt window");
            }
            float[] out = new float[acc.length];
            if (b == codes[position]) {
                return out;
            }
            java.util.Arrays.fill(acc, 0);
            for (ReferenceActivations r : refs) {
                scratch.prepare(r, position);
                scratch.substitute(r, position, (byte) b, acc);
            }
            for (int o = 0; o < out.length; o++) {
                out[o] = (float) (acc[o] / members.length * model.outputs().get(o).std());
            }
            return out;
        }
    }

    /** Prepares a window for single-substitution effects (the warm path of variant scoring). */
    public Gene gene(byte[] asciiWindow, HalfLifeInput halfLifeInput) {
        return gene(asciiWindow, halfLifeInput, null);
    }

    /**
     * {@link #gene(byte[], HalfLifeInput)} that takes over the buffers of {@code recycle}, a gene of this engine the
     * caller no longer uses (or null): a variant scorer that drops genes from its cache saves ~0.7 MB of allocation
     * and zeroing per new gene. {@code recycle} must not be used afterwards.
     */
    public Gene gene(byte[] asciiWindow, HalfLifeInput halfLifeInput, Gene recycle) {
        if (recycle != null && recycle.engine() != this) {
            throw new IllegalArgumentException("the gene to recycle belongs to another IncrementalIsm");
        }
        byte[] codes = recycle == null ? new byte[window] : recycle.codes;
        BaseCodes.encode(asciiWindow, window, codes, 0);
        return new Gene(codes, halfLifeInput.toNetworkInput(model.halfLifeFeatures()), recycle);
    }

    /** Runs {@code body(from, to)} over slices of [0, n), on the engine's threads when it has more than one. */
    private void inParallel(int n, BiConsumer<Integer, Integer> body) {
        int parts = pool == null ? 1 : Math.min(threads, n);
        if (parts == 1) {
            body.accept(0, n);
            return;
        }
        pool.submit(() -> IntStream.range(0, parts).parallel()
                .forEach(t -> body.accept((int) ((long) n * t / parts), (int) ((long) n * (t + 1) / parts)))).join();
    }
}
