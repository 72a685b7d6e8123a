package dev.scep.bench;

import dev.scep.formats.model.Activation;
import dev.scep.formats.model.FlattenOrder;
import dev.scep.formats.model.Layer;
import dev.scep.formats.model.ScepModel;
import dev.scep.formats.model.Tensor;
import dev.scep.runtime.BaseCodes;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.InferenceMode;
import org.bytedeco.pytorch.TensorArrayRef;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.global.torch;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The same network in libtorch (PyTorch's C++ engine, through bytedeco), built from a {@code .scep} model's
 * weights: the peer scep is measured and checked against. Layer by layer it is what the PyTorch reference code
 * does: conv1d, relu, max_pool1d, flatten, cat, linear. Keras-style asymmetric 'same' padding becomes an explicit
 * constant pad; position-major flatten becomes a permute.
 */
public final class LibtorchNetwork implements AutoCloseable {
    private final ScepModel model;
    private final List<Map<String, org.bytedeco.pytorch.Tensor>> members = new ArrayList<>();

    public LibtorchNetwork(ScepModel model) {
        this.model = model;
        for (Map<String, Tensor> m : model.members()) {
            Map<String, org.bytedeco.pytorch.Tensor> t = new java.util.HashMap<>();
            m.forEach((name, tensor) -> t.put(name, org.bytedeco.pytorch.Tensor.create(tensor.toArray(), toLong(tensor.shape()))));
            members.add(t);
        }
    }

    private static long[] toLong(int[] shape) {
        long[] r = new long[shape.length];
        for (int i = 0; i < shape.length; i++) {
            r[i] = shape[i];
        }
        return r;
    }

    /** The input tensor [batch, 4, length] as the model's encoding defines it (what a PyTorch user would build). */
    public org.bytedeco.pytorch.Tensor oneHot(List<byte[]> windows) {
        int length = model.windowLength();
        float[] x = new float[windows.size() * 4 * length];
        int[] bases = BaseCodes.channelBases(model.encoding());
        for (int b = 0; b < windows.size(); b++) {
            byte[] w = windows.get(b);
            for (int i = 0; i < length; i++) {
                int mask = BaseCodes.mask(w[i]);
                for (int ch = 0; ch < 4; ch++) {
                    x[(b * 4 + ch) * length + i] = (float) BaseCodes.channelValue(mask, bases[ch], model.encoding().ambiguity());
                }
            }
        }
        return org.bytedeco.pytorch.Tensor.create(x, windows.size(), 4, length);
    }

    public org.bytedeco.pytorch.Tensor halfLife(float[][] normalised) {
        int n = model.halfLifeFeatures().size();
        float[] v = new float[normalised.length * n];
        for (int b = 0; b < normalised.length; b++) {
            System.arraycopy(normalised[b], 0, v, b * n, n);
        }
        return org.bytedeco.pytorch.Tensor.create(v, normalised.length, n);
    }

    /**
     * Ensemble-averaged network outputs (z-scored), [batch × outputs] row-major. Intermediate tensors are freed
     * as soon as the call ends (a PointerScope), as Python's reference counting frees them in PyTorch: left to the
     * garbage collector they would make every call map fresh memory and slow libtorch down several-fold.
     */
    public float[] forward(org.bytedeco.pytorch.Tensor input, org.bytedeco.pytorch.Tensor halfLife) {
        try (PointerScope scope = new PointerScope(); InferenceMode guard = new InferenceMode()) {
            org.bytedeco.pytorch.Tensor sum = null;
            for (Map<String, org.bytedeco.pytorch.Tensor> w : members) {
                org.bytedeco.pytorch.Tensor y = forwardMember(w, input, halfLife);
                sum = sum == null ? y : sum.add(y);
            }
            org.bytedeco.pytorch.Tensor mean = members.size() == 1 ? sum : sum.div(new org.bytedeco.pytorch.Scalar(members.size()));
            FloatBuffer buf = mean.contiguous().createBuffer();
            float[] out = new float[buf.remaining()];
            buf.get(out);
            return out;
        }
    }

    /** The first member's parameters, for training (in the architecture's parameter order). */
    public List<org.bytedeco.pytorch.Tensor> parameters() {
        List<org.bytedeco.pytorch.Tensor> out = new ArrayList<>();
        for (var s : model.architecture().parameterShapes()) {
            out.add(members.getFirst().get(s.name()));
        }
        return out;
    }

    /** The first member's forward pass with autograd on (no inference mode), for a training step. */
    public org.bytedeco.pytorch.Tensor forwardTrain(org.bytedeco.pytorch.Tensor input, org.bytedeco.pytorch.Tensor halfLife) {
        return forwardMember(members.getFirst(), input, halfLife);
    }

    private org.bytedeco.pytorch.Tensor forwardMember(Map<String, org.bytedeco.pytorch.Tensor> w,
                                                      org.bytedeco.pytorch.Tensor x, org.bytedeco.pytorch.Tensor halfLife) {
        long batch = x.size(0);
        for (Layer layer : model.architecture().layers()) {
            switch (layer) {
                case Layer.Conv1d c -> {
                    long pad = c.padLeft();
                    if (c.padLeft() != c.padRight()) {
                        x = torch.constant_pad_nd(x, c.padLeft(), c.padRight());
                        pad = 0;
                    }
                    x = torch.conv1d(x, w.get(c.name() + ".weight"), new TensorOptional(w.get(c.name() + ".bias")),
                            new long[]{1}, new long[]{pad}, new long[]{1}, 1);
                    if (c.activation() == Activation.RELU) {
                        x = torch.relu(x);
                    }
                }
                case Layer.MaxPool1d p -> {
                    if (p.padLeft() != p.padRight()) {
                        throw new IllegalArgumentException("libtorch max_pool1d needs symmetric padding");
                    }
                    x = torch.max_pool1d(x, new long[]{p.size()}, new long[]{p.stride()}, new long[]{p.padLeft()}, new long[]{1}, false);
                }
                case Layer.Flatten f -> x = f.order() == FlattenOrder.CHANNEL_MAJOR
                        ? x.reshape(batch, -1)
                        : x.permute(0, 2, 1).contiguous().reshape(batch, -1);
                case Layer.ConcatHalfLife h -> {
                    if (h.features() > 0) {
                        x = torch.cat(new TensorArrayRef(new org.bytedeco.pytorch.TensorVector(x, halfLife)), 1);
                    }
                }
                case Layer.Dense d -> {
                    x = torch.linear(x, w.get(d.name() + ".weight"), new TensorOptional(w.get(d.name() + ".bias")));
                    if (d.activation() == Activation.RELU) {
                        x = torch.relu(x);
                    }
                }
                case Layer.Dropout ignored -> {
                }
            }
        }
        return x;
    }

    /** Reported predictions (z-score undone), [batch][outputs]. */
    public float[][] predict(List<byte[]> windows, float[][] halfLifeNormalised) {
        float[] y;
        try (PointerScope scope = new PointerScope()) {
            y = forward(oneHot(windows), halfLife(halfLifeNormalised));
        }
        int outs = model.outputs().size();
        float[][] r = new float[windows.size()][outs];
        for (int b = 0; b < windows.size(); b++) {
            for (int o = 0; o < outs; o++) {
                r[b][o] = (float) model.outputs().get(o).unscale(y[b * outs + o]);
            }
        }
        return r;
    }

    /**
     * Milliseconds of forward pass per window over {@code windows} in batches of {@code batch}, the way a PyTorch user
     * scores mutants: one-hot batch tensors built before timing, two rounds, the second (warm) one counted.
     */
    public double forwardMsPerWindow(List<byte[]> windows, int batch, int halfLifeFeatures) {
        List<org.bytedeco.pytorch.Tensor> inputs = new java.util.ArrayList<>();
        List<org.bytedeco.pytorch.Tensor> halfLives = new java.util.ArrayList<>();
        for (int from = 0; from < windows.size(); from += batch) {
            List<byte[]> part = windows.subList(from, Math.min(windows.size(), from + batch));
            inputs.add(oneHot(part));
            halfLives.add(halfLife(new float[part.size()][halfLifeFeatures]));
        }
        long timed = 0;
        for (int round = 0; round < 2; round++) {
            long t = System.nanoTime();
            for (int k = 0; k < inputs.size(); k++) {
                forward(inputs.get(k), halfLives.get(k));
            }
            timed = System.nanoTime() - t;
        }
        return timed / 1e6 / windows.size();
    }

    @Override
    public void close() {
        for (Map<String, org.bytedeco.pytorch.Tensor> m : members) {
            m.values().forEach(org.bytedeco.pytorch.Tensor::close);
        }
    }
}
