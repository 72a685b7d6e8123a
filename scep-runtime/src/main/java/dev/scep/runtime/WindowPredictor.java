package dev.scep.runtime;

import java.util.List;

/** What batch prediction of windows needs from an engine: the CPU {@link Predictor} or the GPU's. */
public interface WindowPredictor extends AutoCloseable {
    List<String> outputNames();

    int windowLength();

    /** Predictions (log10, z-score undone) for many windows; the i-th result belongs to the i-th window. */
    float[][] predictBatch(List<byte[]> windows, List<? extends HalfLifeInput> halfLife);

    /** The check every {@link #predictBatch} starts with: one half-life input per window. */
    static void checkBatch(List<byte[]> windows, List<? extends HalfLifeInput> halfLife) {
        if (windows.size() != halfLife.size()) {
            throw new IllegalArgumentException(windows.size() + " windows but " + halfLife.size() + " half-life inputs");
        }
    }

    /** The engine in words, for reports. */
    String backendName();

    /** CPU threads it uses. */
    int threads();

    @Override
    void close();
}
