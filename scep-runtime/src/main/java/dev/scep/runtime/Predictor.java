package dev.scep.runtime;

import dev.scep.formats.io.ScepModelFile;
import dev.scep.formats.model.ScepModel;
import dev.scep.runtime.cpu.CpuPredictor;
import dev.scep.runtime.gpu.GpuPredictor;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Predicts expression for TSS windows with a {@code .scep} model: the library's front door for prediction.
 *
 * <p>A window is {@link #windowLength()} ASCII IUPAC bases in transcription orientation: position {@code i} (0-based)
 * holds the base at offset {@code i - upstream} from the TSS (DESIGN §3; {@code scep prepare --windows-out} and
 * {@link dev.scep.runtime.variants.GenePanel} cut them). Results are reported values: the ensemble average of the network's outputs with
 * the z-score undone (log10 expression), one per {@link #outputNames() output}; every call returns fresh arrays.
 *
 * <p>Thread-safe: one instance may serve many threads. A closed predictor refuses to work
 * ({@link IllegalStateException}).
 *
 * <pre>{@code
 * try (Predictor p = Predictor.open(Path.of("model.scep"), Predictor.Options.defaults())) {
 *     float[] y = p.predict(window, HalfLifeInput.raw(utr5, utr3, orf, intron, density));
 * }
 * }</pre>
 */
public interface Predictor extends AutoCloseable {
    /**
     * How to run the network.
     *
     * @param device  {@link Device#CPU} (default), {@link Device#GPU} (fails at once, naming what is missing, when no
     *                GPU works) or {@link Device#AUTO} (the GPU when one works, else the CPU)
     * @param backend the CPU implementation (ignored on the GPU)
     * @param threads CPU worker threads, at least 1 (default: all available processors)
     */
    record Options(Device device, Backend backend, int threads) {
        /** Checks the values. */
        public Options {
            Objects.requireNonNull(device, "device");
            Objects.requireNonNull(backend, "backend");
            if (threads < 1) {
                throw new IllegalArgumentException("threads must be at least 1, got " + threads);
            }
        }

        /**
         * CPU options.
         *
         * @param backend the CPU implementation
         * @param threads worker threads, at least 1
         */
        public Options(Backend backend, int threads) {
            this(Device.CPU, backend, threads);
        }

        /**
         * The defaults: the CPU, the fastest kernels available, all processors.
         *
         * @return the default options
         */
        public static Options defaults() {
            return new Options(Device.CPU, Backend.AUTO, Runtime.getRuntime().availableProcessors());
        }

        /**
         * These options on another device.
         *
         * @param d the device
         * @return a copy with {@code device = d}
         */
        public Options withDevice(Device d) {
            return new Options(d, backend, threads);
        }

        /**
         * These options with another CPU implementation.
         *
         * @param b the backend
         * @return a copy with {@code backend = b}
         */
        public Options withBackend(Backend b) {
            return new Options(device, b, threads);
        }

        /**
         * These options with another thread count.
         *
         * @param t worker threads, at least 1
         * @return a copy with {@code threads = t}
         */
        public Options withThreads(int t) {
            return new Options(device, backend, t);
        }
    }

    /**
     * A predictor for {@code model} on the CPU with default options.
     *
     * @param model the model
     * @return a new predictor; close it when done
     */
    static Predictor of(ScepModel model) {
        return of(model, Options.defaults());
    }

    /**
     * A predictor for {@code model}; {@link Device#AUTO} that finds no GPU falls back to the CPU silently (use
     * {@link #of(ScepModel, Options, Consumer)} to hear why).
     *
     * @param model   the model
     * @param options device, backend and threads
     * @return a new predictor; close it when done
     * @throws dev.scep.nativebindings.GpuUnavailableException for {@link Device#GPU} when no GPU works, naming each
     *                                                         missing library or device
     */
    static Predictor of(ScepModel model, Options options) {
        return of(model, options, note -> { });
    }

    /**
     * A predictor for {@code model}.
     *
     * @param model    the model
     * @param options  device, backend and threads
     * @param fallback told why, when {@link Device#AUTO} finds no usable GPU and runs on the CPU
     * @return a new predictor; close it when done
     * @throws dev.scep.nativebindings.GpuUnavailableException for {@link Device#GPU} when no GPU works
     */
    static Predictor of(ScepModel model, Options options, Consumer<String> fallback) {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(options, "options");
        return options.device().resolve(fallback) == Device.GPU ? new GpuPredictor(model) : new CpuPredictor(model, options);
    }

    /**
     * Reads (memory-maps) a model file and makes a predictor.
     *
     * @param modelFile a {@code .scep} file
     * @param options   device, backend and threads
     * @return a new predictor; close it when done
     * @throws IOException when the file cannot be read or is not a valid model (the message names the file)
     */
    static Predictor open(Path modelFile, Options options) throws IOException {
        return of(ScepModelFile.read(modelFile), options);
    }

    /**
     * Reads (memory-maps) a model file and makes a CPU predictor with default options.
     *
     * @param modelFile a {@code .scep} file
     * @return a new predictor; close it when done
     * @throws IOException when the file cannot be read or is not a valid model
     */
    static Predictor open(Path modelFile) throws IOException {
        return open(modelFile, Options.defaults());
    }

    /**
     * The model this predictor runs.
     *
     * @return the model (immutable)
     */
    ScepModel model();

    /**
     * The names of the outputs (cell populations), in the order of every result array.
     *
     * @return the output names
     */
    List<String> outputNames();

    /**
     * The number of bases a window must have (upstream + downstream of the model's encoding; 10,500 for scEP).
     *
     * @return the window length in bases
     */
    int windowLength();

    /**
     * Predicted expression for one window.
     *
     * @param window   exactly {@link #windowLength()} ASCII IUPAC bases (either case) in transcription orientation
     * @param halfLife the gene's half-life features
     * @return log10 expression per output (z-score undone), a new array
     * @throws InvalidSequenceException for a byte that is not an IUPAC base, or a window of the wrong length
     */
    float[] predict(byte[] window, HalfLifeInput halfLife);

    /**
     * Predicted expression for one window given as text.
     *
     * @param window   exactly {@link #windowLength()} IUPAC bases in transcription orientation
     * @param halfLife the gene's half-life features
     * @return log10 expression per output (z-score undone), a new array
     * @throws InvalidSequenceException for a character that is not an IUPAC base, or a window of the wrong length
     */
    default float[] predict(CharSequence window, HalfLifeInput halfLife) {
        return predict(window.toString().getBytes(StandardCharsets.ISO_8859_1), halfLife);
    }

    /**
     * Predictions for many windows, in parallel; the i-th result belongs to the i-th window.
     *
     * @param windows  windows as for {@link #predict(byte[], HalfLifeInput)}
     * @param halfLife one half-life input per window
     * @return one new array per window
     * @throws InvalidSequenceException for the first bad window, with its index in the message
     * @throws IllegalArgumentException when the lists' sizes differ
     */
    float[][] predictBatch(List<byte[]> windows, List<? extends HalfLifeInput> halfLife);

    /**
     * The engine in words, for reports: e.g. {@code vector-512}, {@code scalar}, {@code reference}, {@code gpu: H100}.
     *
     * @return a short description of the implementation in use
     */
    String backendName();

    /**
     * CPU worker threads it uses (1 on the GPU).
     *
     * @return the thread count
     */
    int threads();

    /** Releases threads, buffers and device memory; later calls throw {@link IllegalStateException}. */
    @Override
    void close();
}
