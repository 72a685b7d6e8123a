package dev.scep.runtime;

import dev.scep.formats.model.ScepModel;
import dev.scep.runtime.cpu.CpuPredictor;
import dev.scep.runtime.cpu.Kernels;
import dev.scep.runtime.ism.IncrementalIsm;
import dev.scep.runtime.IsmResult;
import dev.scep.runtime.ism.NaiveIsm;

import java.util.Objects;

/**
 * In-silico mutagenesis of whole windows: every substitution at every position, the change of every output.
 *
 * <p>It picks its engine itself: the exact incremental engine (cached reference activations, only the changed
 * columns recomputed; results equal full forward passes up to float rounding) for the scEP family on the CPU, and
 * one full forward pass per mutant otherwise (other architectures, or the GPU). {@link #naive} forces the latter, for
 * checking.
 *
 * <p>Thread-safe; one window's positions are spread over {@link Predictor.Options#threads()} threads. A closed
 * engine refuses to work ({@link IllegalStateException}).
 *
 * <pre>{@code
 * try (Ism ism = Ism.open(model, Predictor.Options.defaults())) {
 *     IsmResult r = ism.run(window, HalfLifeInput.raw(utr5, utr3, orf, intron, density));
 * }
 * }</pre>
 */
public final class Ism implements AutoCloseable {
    private final Predictor predictor;        // the naive engine's forward passes; null when incremental
    private final IncrementalIsm incremental; // null when naive
    private final String engineName;
    private final int windowLength;
    private volatile boolean closed;

    private Ism(ScepModel model, Predictor.Options options, boolean allowIncremental) {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(options, "options");
        // the device is resolved once; the incremental engine runs on the CPU and needs no predictor of its own
        Predictor.Options resolved = options.withDevice(options.device().resolve(note -> { }));
        Kernels kernels = resolved.device() == Device.CPU ? CpuPredictor.kernels(options.backend()) : null;
        if (allowIncremental && kernels != null && IncrementalIsm.supports(model.architecture())) {
            this.predictor = null;
            this.incremental = new IncrementalIsm(model, kernels, options.threads());
            this.engineName = "incremental (" + kernels.name() + ")";
        } else {
            this.predictor = Predictor.of(model, resolved);
            this.incremental = null;
            this.engineName = "naive (" + predictor.backendName() + ")";
        }
        this.windowLength = model.windowLength();
    }

    /**
     * The fastest exact engine for {@code model} on {@code options}' device.
     *
     * @param model   the model
     * @param options device, CPU backend and threads
     * @return a new engine; close it when done
     * @throws dev.scep.nativebindings.GpuUnavailableException for {@link Device#GPU} when no GPU works
     */
    public static Ism open(ScepModel model, Predictor.Options options) {
        return new Ism(model, options, true);
    }

    /**
     * One full forward pass per mutant (slow; the check for the incremental engine).
     *
     * @param model   the model
     * @param options device, CPU backend and threads
     * @return a new engine; close it when done
     */
    public static Ism naive(ScepModel model, Predictor.Options options) {
        return new Ism(model, options, false);
    }

    /**
     * Every substitution of a window: at each position every base other than the reference (three; four where the
     * reference is an ambiguity code such as N), per output the change in predicted expression
     * (mutant − reference, log10, z-score undone).
     *
     * @param window   exactly {@code model.windowLength()} ASCII IUPAC bases in transcription orientation
     *                 (position {@code i} is 0-based; offset from the TSS = {@code i − upstream})
     * @param halfLife the gene's half-life features
     * @return the substitutions and their effects
     * @throws InvalidSequenceException for a byte that is not an IUPAC base, or a window of the wrong length
     */
    public IsmResult run(byte[] window, HalfLifeInput halfLife) {
        if (closed) {
            throw new IllegalStateException("this ISM engine has been closed");
        }
        if (window.length != windowLength) {
            throw new InvalidSequenceException("the window has " + window.length + " bases, the model needs "
                    + windowLength, -1);
        }
        return incremental != null ? incremental.run(window, halfLife) : NaiveIsm.run(predictor, window, halfLife);
    }

    /**
     * Whether the incremental engine is in use.
     *
     * @return true for incremental, false for one forward pass per mutant
     */
    public boolean incremental() {
        return incremental != null;
    }

    /**
     * The engine in words, for reports.
     *
     * @return e.g. {@code incremental (vector-512)} or {@code naive (reference)}
     */
    public String engineName() {
        return engineName;
    }

    /** Releases threads and buffers; later calls throw {@link IllegalStateException}. */
    @Override
    public void close() {
        closed = true;
        if (incremental != null) {
            incremental.close();
        } else {
            predictor.close();
        }
    }
}
