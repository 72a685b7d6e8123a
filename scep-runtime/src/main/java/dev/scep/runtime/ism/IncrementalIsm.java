package dev.scep.runtime.ism;

import dev.scep.runtime.IsmResult;
import dev.scep.formats.model.Activation;
import dev.scep.formats.model.Architecture;
import dev.scep.formats.model.FlattenOrder;
import dev.scep.formats.model.Layer;
import dev.scep.formats.model.ScepModel;
import dev.scep.formats.model.Tensor;
import dev.scep.runtime.BaseCodes;
import dev.scep.runtime.HalfLifeInput;
import dev.scep.runtime.cpu.Kernels;
import dev.scep.runtime.network.PairTable;
import dev.scep.runtime.network.PoolGeometry;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ForkJoinPool;
import java.util.stream.IntStream;

/**
 * Exact in-silico mutagenesis by incremental recomputation (DESIGN §4). For one window, every activation of the
 * reference sequence is computed and cached once; each substitution then recomputes only what it can change:
 * the first convolution at the ≤ k positions that read the base, the one or two pool-1 windows holding them, the
 * second convolution's outputs that read a changed pooled value (a rank-one update per changed channel), the one or
 * two pool-2 windows holding those, the first dense layer through the changed flattened inputs, and the rest of
 * the head. A substitution that changes no pooled maximum changes nothing and costs only the first step.
 *
 * <p>Results equal full forward passes up to float rounding ({@link NaiveIsm} is the check). Supported: the scEP
 * family with two convolution blocks (scEP, Xpresso); other architectures fall back to {@link NaiveIsm}.
 * Thread-safe; positions are spread over the given number of threads.
 */
public final class IncrementalIsm implements AutoCloseable {
    private final ScepModel model;
    private final Kernels kernels;
    private final int threads;
    private final int window;
    private final int[] bases;          // base masks A, C, G, T
    private final Layer.Conv1d c1;
    private final Layer.Conv1d c2;
    private final int stride1;
    private final int n2;
    private final int groups;
    private final int positions1;
    private final PoolGeometry pool1;
    private final int conv2Length;
    private final PoolGeometry pool2;
    private final FlattenOrder flatten;
    private final int flatSize;
    private final int halfLife;
    private final List<Layer.Dense> dense;
    private final Member[] members;
    private final ForkJoinPool pool;      // null when single-threaded
    /**
     * Per member, the raw conv1 rows and running maxima of a finished {@link #run} (16 MB per member for scEP), kept
     * for the next: allocating them afresh per gene costs more than filling them. Every row a run reads it writes.
     */
    private final java.util.concurrent.ConcurrentLinkedQueue<float[][][]> spareRows = new java.util.concurrent.ConcurrentLinkedQueue<>();

    /** Per ensemble member, weights in the layouts this engine reads. */
    private record Member(float[] table, float[] bias1, float[] gemmB, float[] wByInput, float[] bias2, float[][] denseWT,
                          float[][] denseBias) {
    }

    /** Two convolution blocks whose pooling windows do not overlap (stride = size), as in scEP and Xpresso. */
    public static boolean supports(Architecture a) {
        return a.convolutions().size() == 2 && a.pools().stream().allMatch(p -> p.stride() == p.size());
    }

    public IncrementalIsm(ScepModel model, Kernels kernels, int threads) {
        if (!supports(model.architecture())) {
            throw new IllegalArgumentException("incremental ISM needs two convolution blocks with non-overlapping pooling; use NaiveIsm");
        }
        this.model = model;
        this.kernels = kernels;
        this.threads = Math.max(1, threads);
        Architecture a = model.architecture();
        this.window = model.windowLength();
        this.bases = new int[]{BaseCodes.A, BaseCodes.C, BaseCodes.G, BaseCodes.T};
        this.c1 = a.convolutions().get(0);
        this.c2 = a.convolutions().get(1);
        this.stride1 = Kernels.padChannels(c1.outChannels());
        this.n2 = Kernels.padChannels(c2.outChannels());
        this.groups = PairTable.groups(c1.kernel());
        this.positions1 = c1.outputLength(window);
        this.pool1 = PoolGeometry.of(a.pools().get(0), positions1);
        this.conv2Length = c2.outputLength(pool1.outputLength());
        this.pool2 = PoolGeometry.of(a.pools().get(1), conv2Length);
        this.flatten = a.flatten().order();
        this.flatSize = c2.outChannels() * pool2.outputLength();
        this.halfLife = model.halfLifeFeatures().size();
        this.dense = a.denseLayers();
        this.members = model.members().stream().map(this::pack).toArray(Member[]::new);
        this.pool = this.threads > 1 ? new ForkJoinPool(this.threads) : null;
    }

    @Override
    public void close() {
        if (pool != null) {
            pool.shutdown();
        }
    }

    private Member pack(Map<String, Tensor> w) {
        float[] table = PairTable.build(w.get(c1.name() + ".weight").toArray(), c1.outChannels(), c1.kernel(), stride1,
                model.encoding());
        float[] bias1 = java.util.Arrays.copyOf(w.get(c1.name() + ".bias").toArray(), stride1);
        float[] w2 = w.get(c2.name() + ".weight").toArray();
        int k2 = c2.kernel();
        float[] gemmB = new float[k2 * stride1 * n2];
        float[] byInput = new float[(c2.inChannels() * k2) * n2];   // [(c × k + t) × n2 + o]
        for (int o = 0; o < c2.outChannels(); o++) {
            for (int i = 0; i < c2.inChannels(); i++) {
                for (int t = 0; t < k2; t++) {
                    float v = w2[(o * c2.inChannels() + i) * k2 + t];
                    gemmB[(t * stride1 + i) * n2 + o] = v;
                    byInput[(i * k2 + t) * n2 + o] = v;
                }
            }
        }
        float[] bias2 = java.util.Arrays.copyOf(w.get(c2.name() + ".bias").toArray(), n2);
        float[][] wt = new float[dense.size()][];
        float[][] db = new float[dense.size()][];
        for (int l = 0; l < dense.size(); l++) {
            Layer.Dense d = dense.get(l);
            float[] dw = w.get(d.name() + ".weight").toArray();
            int out = l == 0 ? d.outFeatures() : Kernels.padChannels(d.outFeatures());
            float[] t = new float[d.inFeatures() * out];
            for (int o = 0; o < d.outFeatures(); o++) {
                for (int in = 0; in < d.inFeatures(); in++) {
                    t[in * out + o] = dw[o * d.inFeatures() + in];
                }
            }
            wt[l] = t;
            db[l] = java.util.Arrays.copyOf(w.get(d.name() + ".bias").toArray(), out);
        }
        return new Member(table, bias1, gemmB, byInput, bias2, wt, db);
    }

    /**
     * Every substitution of a window: at each position every base other than the reference (three; four where the
     * reference is an ambiguity code such as N), per output the change in predicted expression (z-score undone).
     */
    public IsmResult run(byte[] asciiWindow, HalfLifeInput halfLifeInput) {
        byte[] codes = new byte[window];
        BaseCodes.encode(asciiWindow, window, codes, 0);
        float[] hl = halfLifeInput.toNetworkInput(model.halfLifeFeatures());
        Reference[] refs = new Reference[members.length];
        float[][][] rowBuffers = spareRows.poll();
        if (rowBuffers == null) {
            rowBuffers = new float[members.length][3][positions1 * stride1];
        }
        for (int m = 0; m < members.length; m++) {
            refs[m] = new Reference(members[m], codes, hl, rowBuffers[m], null);
        }
        int outputs = model.outputs().size();
        int[] first = new int[window + 1];
        for (int p = 0; p < window; p++) {
            first[p + 1] = first[p] + (Integer.bitCount(codes[p]) == 1 ? 3 : 4);
        }
        int n = first[window];
        int[] position = new int[n];
        byte[] alt = new byte[n];
        float[] delta = new float[n * outputs];
        double[] scale = new double[outputs];
        for (int o = 0; o < outputs; o++) {
            scale[o] = model.outputs().get(o).std() / members.length;
        }
        int parts = Math.min(threads, window);
        Runnable[] tasks = new Runnable[parts];
        for (int t = 0; t < parts; t++) {
            int from = (int) ((long) window * t / parts);
            int to = (int) ((long) window * (t + 1) / parts);
            tasks[t] = () -> {
                Scratch s = new Scratch();
                double[][] acc = new double[4][outputs];
                for (int p = from; p < to; p++) {
                    for (double[] a : acc) {
                        java.util.Arrays.fill(a, 0);
                    }
                    for (Reference r : refs) {
                        r.prepare(p, s);
                        int k = 0;
                        for (int b : bases) {
                            if (b != codes[p]) {
                                r.substitute(p, (byte) b, s, acc[k++]);
                            }
                        }
                    }
                    int e = first[p];
                    int k = 0;
                    for (int b : bases) {
                        if (b == codes[p]) {
                            continue;
                        }
                        for (int o = 0; o < outputs; o++) {
                            delta[e * outputs + o] = (float) (acc[k][o] * scale[o]);
                        }
                        position[e] = p;
                        alt[e] = (byte) "ACGT".charAt(Integer.numberOfTrailingZeros(b));
                        e++;
                        k++;
                    }
                }
            };
        }
        if (pool == null) {
            tasks[0].run();
        } else {
            pool.submit(() -> IntStream.range(0, parts).parallel().forEach(t -> tasks[t].run())).join();
        }
        spareRows.offer(rowBuffers);
        return new IsmResult(model.outputNames(), asciiWindow.clone(), model.encoding().upstream(), position, alt, delta);
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
        private final Reference[] refs;
        private final byte[] codes;
        private final Scratch scratch = new Scratch();
        private final double[] acc = new double[model.outputs().size()];

        private Gene(byte[] codes, float[] hl, Gene recycle) {
            this.codes = codes;
            this.refs = new Reference[members.length];
            for (int m = 0; m < members.length; m++) {
                refs[m] = new Reference(members[m], codes, hl, null, recycle == null ? null : recycle.refs[m]);
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
            for (Reference r : refs) {
                r.prepare(position, scratch);
                r.substitute(position, (byte) b, scratch, acc);
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

    /** Per-thread scratch for one substitution. */
    private final class Scratch {
        final byte[] codes = new byte[c1.kernel() * 2 + 1];
        final int[] oldOff = new int[c1.kernel()];        // per affected conv1 row: the table row of the old tap pair
        final int[] newOff = new int[c1.kernel()];        // and of the new one
        final float[] row = new float[stride1];
        final float[] other = new float[stride1];
        final float[] row2 = new float[n2];
        final float[] base2 = new float[n2];
        final float[] lanes = new float[Kernels.CHANNEL_ALIGN];
        final int[] changed2 = new int[n2];
        final float[] delta2 = new float[n2];
        final int[] changedC = new int[4 * stride1];
        final float[] changedD = new float[4 * stride1];
        final int[] offsets = new int[4 * stride1];
        final int[] segmentJ = new int[4];
        float[] rows1 = new float[0];         // conv1 rows recomputed around the substitution (genes keep no conv1)
        float[] rows;                         // where prepare() left the raw conv1 rows: the cache or rows1
        int rowsFirst;                        // the conv1 position of rows' first row
        int q0;
        int q1;
        int windows;
        final int[] windowJ = new int[4];
        final int[] windowLo = new int[4];
        final int[] windowHi = new int[4];
        final boolean[] hasBase = new boolean[4];
        final float[][] base = new float[4][stride1];
        final int[] segmentStart = new int[4];
        final int[] segmentEnd = new int[4];
        int segments;
        final float[] raw2 = new float[(2 * c2.kernel() + 2) * n2];   // affected conv2 rows
        final float[] h = new float[dense.getFirst().outFeatures()];
        final float[] hAct = new float[dense.getFirst().outFeatures()];
        final double[] y = new double[model.outputs().size()];
        final float[][] act = new float[dense.size()][];

        Scratch() {
            for (int l = 0; l < dense.size(); l++) {
                act[l] = new float[Kernels.padChannels(dense.get(l).outFeatures())];
            }
        }
    }

    /** The cached activations of the reference window for one member. */
    private final class Reference {
        final Member w;
        final byte[] padded;                 // codes with the conv1 padding (code 0)
        final int[] offsets;                 // table rows per tap pair and position (kept only without cached rows)
        final float[] conv1;                 // raw conv1 sums [q × stride1 + c]
        final float[] prefix1;               // max of conv1 from its pool window's start to q [q × stride1 + c]
        final float[] suffix1;               // max of conv1 from q to its pool window's end
        final float[] prefix2;               // the same over conv2 rows and pool2 windows [u × n2 + o]
        final float[] suffix2;
        final float[] pooled1;               // post-activation [j × stride1 + c]
        final float[] map;                   // pooled1 with conv2's zero padding (conv2's input)
        final float[] raw2;                  // raw conv2 [u × n2 + o]
        final float[] pooled2;               // post-activation [j2 × n2 + o]
        final float[] x;                     // flattened + half-life
        final float[] h1pre;                 // first dense layer before activation
        final double[] y;                    // raw outputs

        /**
         * {@code rowBuffers}: three arrays of positions × channels to keep every raw conv1 row and its running maxima in
         * (whole-window ISM), or null to keep only the pooled maps (single substitutions). {@code recycle}: a
         * reference of the same member and mode whose arrays are overwritten and taken over, or null. Every array
         * taken over is either written whole below or only ever written in the same places (the padding stays zero).
         */
        Reference(Member w, byte[] codes, float[] hl, float[][] rowBuffers, Reference recycle) {
            boolean cacheRows = rowBuffers != null;
            boolean reuse = recycle != null && !cacheRows && recycle.offsets != null;
            this.w = w;
            int padL = c1.padLeft();
            padded = reuse ? recycle.padded : new byte[window + padL + c1.padRight()];
            System.arraycopy(codes, 0, padded, padL, window);
            int[] offsets = reuse ? recycle.offsets : new int[groups * positions1];
            PairTable.offsets(padded, c1.kernel(), positions1, stride1, offsets);
            this.offsets = cacheRows ? null : offsets;
            int l1 = pool1.outputLength();
            pooled1 = reuse ? recycle.pooled1 : new float[l1 * stride1];
            boolean relu1 = c1.activation() == Activation.RELU;
            if (cacheRows) {
                conv1 = rowBuffers[0];
                prefix1 = rowBuffers[1];
                suffix1 = rowBuffers[2];
                // the first block's reference activations, pool window by pool window, spread over the threads
                inParallel(l1, (j0, j1) -> {
                    int qs = j0 == 0 ? 0 : pool1.start(j0);
                    int qe = j1 == l1 ? positions1 : pool1.start(j1);
                    for (int q = qs; q < qe; q++) {
                        conv1Row(q, conv1, q * stride1);
                    }
                    prefixSuffix(conv1, stride1, pool1, j0, j1, prefix1, suffix1);
                });
                for (int j = 0; j < l1; j++) {
                    for (int c = 0; c < stride1; c++) {
                        float m = prefix1[(pool1.end(j) - 1) * stride1 + c];
                        pooled1[j * stride1 + c] = act(m + w.bias1()[c], relu1);
                    }
                }
            } else {
                conv1 = null;
                prefix1 = null;
                suffix1 = null;
                // the forward pass's fused kernel: same sums in the same order, so unchanged maxima compare equal
                kernels.tableConvPool(w.table(), groups, stride1, offsets, positions1, pool1, 0, l1, w.bias1(), relu1, pooled1, 0);
            }
            // conv2 over the zero-padded pooled map
            int padL2 = c2.padLeft();
            map = reuse ? recycle.map : new float[(padL2 + l1 + c2.padRight()) * stride1];
            System.arraycopy(pooled1, 0, map, padL2 * stride1, l1 * stride1);
            raw2 = reuse ? recycle.raw2 : new float[conv2Length * n2];
            kernels.gemm(map, stride1, c2.kernel() * stride1, w.gemmB(), n2, 0, conv2Length, raw2);
            prefix2 = reuse ? recycle.prefix2 : new float[conv2Length * n2];
            suffix2 = reuse ? recycle.suffix2 : new float[conv2Length * n2];
            prefixSuffix(raw2, n2, pool2, 0, pool2.outputLength(), prefix2, suffix2);
            pooled2 = reuse ? recycle.pooled2 : new float[pool2.outputLength() * n2];
            boolean relu2 = c2.activation() == Activation.RELU;
            for (int j = 0; j < pool2.outputLength(); j++) {
                int last = (pool2.end(j) - 1) * n2;      // the running maximum at the window's last row is its maximum
                for (int o = 0; o < n2; o++) {
                    pooled2[j * n2 + o] = act(prefix2[last + o] + w.bias2()[o], relu2);
                }
            }
            x = reuse ? recycle.x : new float[flatSize + halfLife];
            for (int j = 0; j < pool2.outputLength(); j++) {
                for (int o = 0; o < c2.outChannels(); o++) {
                    x[flatIndex(o, j)] = pooled2[j * n2 + o];
                }
            }
            System.arraycopy(hl, 0, x, flatSize, halfLife);
            Layer.Dense d1 = dense.getFirst();
            h1pre = reuse ? recycle.h1pre : new float[w.denseBias()[0].length];
            System.arraycopy(w.denseBias()[0], 0, h1pre, 0, h1pre.length);
            for (int i = 0; i < d1.inFeatures(); i++) {
                if (x[i] != 0f) {
                    kernels.axpy(x[i], w.denseWT()[0], i * d1.outFeatures(), h1pre, 0, d1.outFeatures());
                }
            }
            float[][] act = new float[dense.size()][];
            for (int l = 0; l < dense.size(); l++) {
                act[l] = new float[Kernels.padChannels(dense.get(l).outFeatures())];
            }
            y = reuse ? recycle.y : new double[model.outputs().size()];
            head(h1pre, new float[d1.outFeatures()], act, y);
        }

        /** The raw conv1 sums of the reference at position q: the tap pairs' table rows added in order. */
        void conv1Row(int q, float[] out, int outOff) {
            for (int g = 0; g < groups; g++) {
                int t1 = 2 * g;
                int cA = padded[q + t1];
                int cB = t1 + 1 < c1.kernel() ? padded[q + t1 + 1] : 0;
                int off = PairTable.rowOffset(g, cA, cB, stride1);
                if (g == 0) {
                    System.arraycopy(w.table(), off, out, outOff, stride1);
                } else {
                    kernels.axpy(1f, w.table(), off, out, outOff, stride1);
                }
            }
        }

        /** The rest of the network from the first dense layer's pre-activation, into {@code yy}. */
        void head(float[] pre, float[] scratchH, float[][] act, double[] yy) {
            Layer.Dense d1 = dense.getFirst();
            boolean relu = d1.activation() == Activation.RELU;
            float[] in = scratchH;
            for (int o = 0; o < d1.outFeatures(); o++) {
                in[o] = act(pre[o], relu);
            }
            for (int l = 1; l < dense.size(); l++) {
                Layer.Dense d = dense.get(l);
                kernels.dense(in, d.inFeatures(), w.denseWT()[l], Kernels.padChannels(d.outFeatures()), w.denseBias()[l],
                        d.activation() == Activation.RELU, act[l]);
                in = act[l];
            }
            for (int o = 0; o < yy.length; o++) {
                yy[o] = in[o];
            }
        }

        /**
         * The work shared by every substitution at {@code p}: which pool-1 windows it touches and, per window, the
         * maximum of the conv1 rows it leaves unchanged.
         */
        void prepare(int p, Scratch s) {
            int padL = c1.padLeft();
            int q0 = Math.max(0, p + padL - c1.kernel() + 1);
            int q1 = Math.min(positions1 - 1, p + padL);
            s.q0 = q0;
            s.q1 = q1;
            s.windows = 0;
            for (int j = pool1.firstWindowContaining(q0); j < pool1.outputLength() && pool1.start(j) <= q1; j++) {
                int ws = pool1.start(j);
                int we = pool1.end(j);
                if (we <= q0) {
                    continue;
                }
                int wi = s.windows++;
                s.windowJ[wi] = j;
                s.windowLo[wi] = Math.max(q0, ws);
                s.windowHi[wi] = Math.min(q1, we - 1);
            }
            if (conv1 != null) {
                s.rows = conv1;
                s.rowsFirst = 0;
                for (int wi = 0; wi < s.windows; wi++) {
                    int j = s.windowJ[wi];
                    s.hasBase[wi] = unchangedMax(prefix1, suffix1, stride1, pool1.start(j), pool1.end(j), s.windowLo[wi],
                            s.windowHi[wi], s.base[wi]);
                }
                return;
            }
            // no cached rows: rows q0..q1 recomputed, and each touched window's maximum over its other rows straight
            // from the table (the fused kernel stores no rows)
            int need = (q1 - q0 + 1) * stride1;
            if (s.rows1.length < need) {
                s.rows1 = new float[need];
            }
            for (int q = q0; q <= q1; q++) {
                conv1Row(q, s.rows1, (q - q0) * stride1);
            }
            s.rows = s.rows1;
            s.rowsFirst = q0;
            for (int wi = 0; wi < s.windows; wi++) {
                int j = s.windowJ[wi];
                int ws = pool1.start(j);
                int we = pool1.end(j);
                int lo = s.windowLo[wi];
                int hi = s.windowHi[wi];
                float[] out = s.base[wi];
                boolean has = false;
                if (lo > ws) {
                    kernels.tableConvMax(w.table(), groups, stride1, offsets, positions1, ws, lo, out);
                    has = true;
                }
                if (hi < we - 1) {
                    if (has) {
                        kernels.tableConvMax(w.table(), groups, stride1, offsets, positions1, hi + 1, we, s.other);
                        kernels.maxRows(out, 0, s.other, 0, 1, 0, out, 0, stride1);
                    } else {
                        kernels.tableConvMax(w.table(), groups, stride1, offsets, positions1, hi + 1, we, out);
                    }
                    has = true;
                }
                s.hasBase[wi] = has;
            }
        }

        /**
         * Adds (mutant − reference) raw outputs for base {@code b} at window position {@code p} into {@code acc};
         * {@link #prepare} must have run for p with the same scratch.
         */
        void substitute(int p, byte b, Scratch s, double[] acc) {
            int padL = c1.padLeft();
            int k = c1.kernel();
            int q0 = s.q0;
            int q1 = s.q1;
            int changed = 0;
            s.segments = 0;
            // new conv1 rows: only the tap pair holding p changes, so row = cached row − old pair + new pair (fused into
            // the pool window's maximum below)
            int mutated = p + padL;
            for (int q = q0; q <= q1; q++) {
                int g = (mutated - q) / 2;
                int t1 = 2 * g;
                int cA = padded[q + t1];
                int cB = t1 + 1 < k ? padded[q + t1 + 1] : 0;
                int oldOff = PairTable.rowOffset(g, cA, cB, stride1);
                int nA = q + t1 == mutated ? b : cA;
                int nB = t1 + 1 < k && q + t1 + 1 == mutated ? b : cB;
                s.oldOff[q - q0] = oldOff;
                s.newOff[q - q0] = PairTable.rowOffset(g, nA, nB, stride1);
            }
            boolean relu1 = c1.activation() == Activation.RELU;
            for (int wi = 0; wi < s.windows; wi++) {
                int j = s.windowJ[wi];
                int lo = s.windowLo[wi];
                int hi = s.windowHi[wi];
                kernels.editedRowsMax(s.rows, (lo - s.rowsFirst) * stride1, hi - lo + 1, stride1, w.table(), s.oldOff, s.newOff,
                        lo - q0, s.hasBase[wi], s.base[wi], s.row);
                int start = changed;
                changed = kernels.changedChannels(s.row, w.bias1(), relu1, pooled1, j * stride1, c1.outChannels(),
                        s.changedC, s.changedD, changed, s.lanes);
                if (changed > start) {
                    s.segmentJ[s.segments] = j;
                    s.segmentStart[s.segments] = start;
                    s.segmentEnd[s.segments] = changed;
                    s.segments++;
                }
            }
            if (changed == 0) {
                return;
            }
            // conv2 outputs u reading a changed pooled row j: u + t − padL2 = j
            int padL2 = c2.padLeft();
            int k2 = c2.kernel();
            int u0 = conv2Length;
            int u1 = -1;
            for (int g = 0; g < s.segments; g++) {
                u0 = Math.min(u0, Math.max(0, s.segmentJ[g] + padL2 - k2 + 1));
                u1 = Math.max(u1, Math.min(conv2Length - 1, s.segmentJ[g] + padL2));
            }
            if (u1 < u0) {
                return;
            }
            for (int i = 0; i < changed; i++) {
                s.offsets[i] = s.changedC[i] * k2 * n2; // the weights of input channel c, tap 0
            }
            System.arraycopy(raw2, u0 * n2, s.raw2, 0, (u1 - u0 + 1) * n2);
            for (int u = u0; u <= u1; u++) {
                for (int g = 0; g < s.segments; g++) {
                    int t = s.segmentJ[g] + padL2 - u;
                    if (t >= 0 && t < k2) {
                        kernels.axpyMany(s.changedD, s.offsets, s.segmentStart[g], s.segmentEnd[g], t * n2, w.wByInput(),
                                s.raw2, (u - u0) * n2, n2);
                    }
                }
            }
            // pool2 windows holding u0..u1, then the first dense layer through the changed flattened inputs
            boolean relu2 = c2.activation() == Activation.RELU;
            float[] pre = s.h;
            System.arraycopy(h1pre, 0, pre, 0, pre.length);
            boolean any = false;
            int hidden = dense.getFirst().outFeatures();
            for (int j = pool2.firstWindowContaining(u0); j < pool2.outputLength() && pool2.start(j) <= u1; j++) {
                if (pool2.end(j) <= u0) {
                    continue;
                }
                int ws = pool2.start(j);
                int we = pool2.end(j);
                int lo = Math.max(u0, ws);
                int hi = Math.min(u1, we - 1);
                boolean hasBase = unchangedMax(prefix2, suffix2, n2, ws, we, lo, hi, s.base2);
                withNewRows(hasBase, s.base2, s.raw2, (lo - u0) * n2, hi - lo + 1, n2, s.row2);
                int count = kernels.changedChannels(s.row2, w.bias2(), relu2, pooled2, j * n2, c2.outChannels(),
                        s.changed2, s.delta2, 0, s.lanes);
                for (int i = 0; i < count; i++) {
                    kernels.axpy(s.delta2[i], w.denseWT()[0], flatIndex(s.changed2[i], j) * hidden, pre, 0, hidden);
                }
                any |= count > 0;
            }
            if (!any) {
                return;
            }
            head(pre, s.hAct, s.act, s.y);
            for (int o = 0; o < s.y.length; o++) {
                acc[o] += s.y[o] - y[o];
            }
        }

    }

    /**
     * out[c] = max over the rows of pool window [ws, we) outside [lo, hi], from the prefix maximum before lo and the
     * suffix maximum after hi; false (out untouched) when [lo, hi] covers the whole window.
     */
    private boolean unchangedMax(float[] prefix, float[] suffix, int stride, int ws, int we, int lo, int hi, float[] out) {
        if (lo > ws && hi < we - 1) {
            kernels.maxRows(prefix, (lo - 1) * stride, suffix, (hi + 1) * stride, 1, 0, out, 0, stride);
        } else if (lo > ws) {
            System.arraycopy(prefix, (lo - 1) * stride, out, 0, stride);
        } else if (hi < we - 1) {
            System.arraycopy(suffix, (hi + 1) * stride, out, 0, stride);
        } else {
            return false;
        }
        return true;
    }

    /** out[c] = max(base[c] when hasBase, the {@code rows} new rows at {@code newRows[newOff...]}). */
    private void withNewRows(boolean hasBase, float[] base, float[] newRows, int newOff, int rows, int stride, float[] out) {
        if (hasBase) {
            kernels.maxRows(base, 0, newRows, newOff, rows, stride, out, 0, stride);
        } else {
            kernels.maxRows(newRows, newOff, newRows, newOff + stride, rows - 1, stride, out, 0, stride);
        }
    }

    /** Runs {@code body(from, to)} over slices of [0, n), on the engine's threads when it has more than one. */
    private void inParallel(int n, java.util.function.BiConsumer<Integer, Integer> body) {
        int parts = pool == null ? 1 : Math.min(threads, n);
        if (parts == 1) {
            body.accept(0, n);
            return;
        }
        pool.submit(() -> IntStream.range(0, parts).parallel()
                .forEach(t -> body.accept((int) ((long) n * t / parts), (int) ((long) n * (t + 1) / parts)))).join();
    }

    /** Running maxima from each pool window's start (prefix) and to its end (suffix), per channel, windows [j0, j1). */
    private void prefixSuffix(float[] map, int stride, PoolGeometry pool, int j0, int j1, float[] prefix, float[] suffix) {
        for (int j = j0; j < j1; j++) {
            int ws = pool.start(j);
            int we = pool.end(j);
            System.arraycopy(map, ws * stride, prefix, ws * stride, stride);
            for (int q = ws + 1; q < we; q++) {
                kernels.maxRows(prefix, (q - 1) * stride, map, q * stride, 1, 0, prefix, q * stride, stride);
            }
            System.arraycopy(map, (we - 1) * stride, suffix, (we - 1) * stride, stride);
            for (int q = we - 2; q >= ws; q--) {
                kernels.maxRows(suffix, (q + 1) * stride, map, q * stride, 1, 0, suffix, q * stride, stride);
            }
        }
    }

    private int flatIndex(int o, int j) {
        return flatten == FlattenOrder.CHANNEL_MAJOR ? o * pool2.outputLength() + j : j * c2.outChannels() + o;
    }

    private static float act(float v, boolean relu) {
        return relu ? Math.max(0f, v) : v;
    }
}
