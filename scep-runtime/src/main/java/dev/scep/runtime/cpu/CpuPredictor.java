package dev.scep.runtime.cpu;

import dev.scep.formats.io.ScepModelFile;
import dev.scep.formats.model.ScepModel;
import dev.scep.runtime.Backend;
import dev.scep.runtime.BaseCodes;
import dev.scep.runtime.HalfLifeInput;
import dev.scep.runtime.InvalidSequenceException;
import dev.scep.runtime.Predictor;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@link Predictor} on the CPU: the fast one-hot algorithm ({@link FastForward}) with Vector API or scalar kernels, or
 * the literal double-precision {@link ReferenceForward}.
 *
 * <p>Thread-safe: one instance may serve many threads. A single-window call splits its work over the
 * predictor's threads; a batch call runs windows in parallel. Results are reported values: the ensemble average
 * of the network outputs with the z-score undone (log10 expression), one per {@link #outputNames() output}.
 */
public final class CpuPredictor implements Predictor {
    private final ScepModel model;
    private final Options options;
    private final FastForward fast;          // null for the reference backend
    private final ForkJoinPool pool;         // null when single-threaded
    private final ConcurrentLinkedQueue<FastForward.Buffers> singleBuffers = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<FastForward.Buffers> batchBuffers = new ConcurrentLinkedQueue<>();
    private final SpinningPartRunner parallelRunner;  // null when single-threaded
    private volatile boolean closed;

    public CpuPredictor(ScepModel model, Options options) {
        this.model = model;
        this.options = options;
        if (options.backend() != Backend.REFERENCE) {
            // every thread gets its own activation buffers: check they fit before any is made
            dev.scep.formats.Memory.require(dev.scep.formats.Memory.times(options.threads() + 1L,
                    FastForward.bufferBytes(model)), options.threads() + " threads' working memory (--threads)");
        }
        Kernels kernels = kernels(options.backend());
        this.fast = kernels == null ? null : new FastForward(model, kernels);
        this.pool = options.threads() > 1 ? new ForkJoinPool(options.threads()) : null;
        this.parallelRunner = options.threads() > 1 && fast != null ? new SpinningPartRunner(options.threads()) : null;
    }

    public ScepModel model() {
        return model;
    }

    public List<String> outputNames() {
        return model.outputNames();
    }

    public int windowLength() {
        return model.windowLength();
    }

    /** The implementation in use, e.g. "vector-512", "scalar" or "reference". */
    public String backendName() {
        return fast == null ? "reference" : fast.kernelsName();
    }

    public int threads() {
        return options.threads();
    }

    /** Predicted expression for one window (ASCII IUPAC bases, exactly {@link #windowLength()} of them). */
    public float[] predict(byte[] window, HalfLifeInput halfLife) {
        ensureOpen();
        float[] hl = halfLife.toNetworkInput(model.halfLifeFeatures());
        double[] z = new double[model.outputs().size()];
        if (fast == null) {
            referenceForward(window, hl, z);
        } else {
            FastForward.Buffers buf = take(singleBuffers, options.threads());
            try {
                buf.setWindow(window);
                if (parallelRunner == null) {
                    fast.forward(buf, hl, z);
                } else {
                    fast.forward(buf, hl, z, options.threads(), parallelRunner);
                }
            } finally {
                singleBuffers.offer(buf);
            }
        }
        return model.unscale(z);
    }

    /**
     * Predictions for many windows, in parallel across windows. The i-th result belongs to the i-th window.
     *
     * @throws InvalidSequenceException for the first bad window, with its index in the message
     */
    public float[][] predictBatch(List<byte[]> windows, List<? extends HalfLifeInput> halfLife) {
        ensureOpen();
        checkBatch(windows, halfLife);
        int n = windows.size();
        float[][] hl = new float[n][];
        for (int i = 0; i < n; i++) {
            hl[i] = halfLife.get(i).toNetworkInput(model.halfLifeFeatures());
        }
        float[][] out = new float[n][];
        AtomicInteger next = new AtomicInteger();
        Runnable worker = () -> {
            double[] z = new double[model.outputs().size()];
            FastForward.Buffers buf = fast == null ? null : take(batchBuffers, 1);
            try {
                for (int i; (i = next.getAndIncrement()) < n; ) {
                    try {
                        if (fast == null) {
                            referenceForward(windows.get(i), hl[i], z);
                        } else {
                            buf.setWindow(windows.get(i));
                            fast.forward(buf, hl[i], z);
                        }
                    } catch (InvalidSequenceException e) {
                        throw e.inBatch(i);
                    }
                    out[i] = model.unscale(z);
                }
            } finally {
                if (buf != null) {
                    batchBuffers.offer(buf);
                }
            }
        };
        int workers = Math.min(options.threads(), n);
        if (workers <= 1 || pool == null) {
            worker.run();
        } else {
            List<ForkJoinTask<?>> tasks = new ArrayList<>();
            for (int w = 1; w < workers; w++) {
                tasks.add(pool.submit(worker));
            }
            worker.run();
            for (ForkJoinTask<?> t : tasks) {
                t.join();
            }
        }
        return out;
    }

    private void referenceForward(byte[] window, float[] hl, double[] z) {
        byte[] codes = new byte[model.windowLength()];
        BaseCodes.encode(window, model.windowLength(), codes, 0);
        java.util.Arrays.fill(z, 0);
        for (int m = 0; m < model.members().size(); m++) {
            double[] y = ReferenceForward.forward(model, m, codes, hl);
            for (int o = 0; o < z.length; o++) {
                z[o] += y[o] / model.members().size();
            }
        }
    }

    private FastForward.Buffers take(ConcurrentLinkedQueue<FastForward.Buffers> q, int parts) {
        FastForward.Buffers b = q.poll();
        return b != null ? b : fast.newBuffers(parts);
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("this predictor has been closed");
        }
    }

    @Override
    public void close() {
        closed = true;
        if (pool != null) {
            pool.shutdown();
        }
        if (parallelRunner != null) {
            parallelRunner.close();
        }
    }

    /**
     * The kernels a CPU backend runs on.
     *
     * @param backend the backend
     * @return the kernels, or null for the reference implementation (which has none)
     * @throws IllegalStateException for {@link Backend#VECTOR} when the Vector API module is absent
     */
    public static Kernels kernels(Backend backend) {
        return switch (backend) {
            case REFERENCE -> null;
            case SCALAR -> new ScalarKernels();
            case AUTO -> Kernels.best();
            case VECTOR -> {
                Kernels k = Kernels.best();
                if (k instanceof ScalarKernels) {
                    throw new IllegalStateException("the Vector API is not available: start java with "
                            + "--add-modules jdk.incubator.vector, or use the AUTO or SCALAR backend");
                }
                yield k;
            }
        };
    }

    /**
     * The check every engine's {@code predictBatch} starts with: one half-life input per window.
     *
     * @param windows  the windows
     * @param halfLife the half-life inputs
     * @throws IllegalArgumentException when the counts differ
     */
    public static void checkBatch(List<byte[]> windows, List<? extends HalfLifeInput> halfLife) {
        if (windows.size() != halfLife.size()) {
            throw new IllegalArgumentException(windows.size() + " windows but " + halfLife.size() + " half-life inputs");
        }
    }
}
