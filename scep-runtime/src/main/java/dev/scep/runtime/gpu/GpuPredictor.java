package dev.scep.runtime.gpu;

import dev.scep.formats.model.ScepModel;
import dev.scep.runtime.HalfLifeInput;
import dev.scep.runtime.Predictor;

import java.util.ArrayList;
import java.util.List;

/** Window prediction on the GPU ({@code scep predict --device gpu}): {@link GpuForward} in batches, z-score undone. */
public final class GpuPredictor implements Predictor {
    /**
     * Windows per device batch: about 3 GB of device memory for scEP (conv1's output alone is 512 × 128 × 10,499
     * floats, 2.75 GB), well within an H100's 80 GB; callers with smaller GPUs pass a smaller batch.
     */
    public static final int DEFAULT_BATCH = 512;

    private final ScepModel model;
    private final GpuForward forward;
    private volatile boolean closed;

    public GpuPredictor(ScepModel model) {
        this(model, DEFAULT_BATCH);
    }

    public GpuPredictor(ScepModel model, int batch) {
        this.model = model;
        this.forward = new GpuForward(model, batch);
    }

    @Override
    public ScepModel model() {
        return model;
    }

    @Override
    public float[] predict(byte[] window, HalfLifeInput halfLife) {
        return predictBatch(List.of(window), List.of(halfLife))[0];
    }

    @Override
    public List<String> outputNames() {
        return model.outputNames();
    }

    @Override
    public int windowLength() {
        return model.windowLength();
    }

    @Override
    public float[][] predictBatch(List<byte[]> windows, List<? extends HalfLifeInput> halfLife) {
        if (closed) {
            throw new IllegalStateException("this predictor has been closed");
        }
        dev.scep.runtime.cpu.CpuPredictor.checkBatch(windows, halfLife);
        float[][] out = new float[windows.size()][];
        for (int from = 0; from < windows.size(); from += forward.maxBatch()) {
            int to = Math.min(windows.size(), from + forward.maxBatch());
            List<float[]> hl = new ArrayList<>(to - from);
            for (int i = from; i < to; i++) {
                hl.add(halfLife.get(i).toNetworkInput(model.halfLifeFeatures()));
            }
            double[][] z = forward.forward(windows.subList(from, to), hl, from);
            for (int i = 0; i < z.length; i++) {
                out[from + i] = model.unscale(z[i]);
            }
        }
        return out;
    }

    @Override
    public String backendName() {
        return "gpu: " + forward.device();
    }

    @Override
    public int threads() {
        return 1;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            forward.close();
        }
    }
}
