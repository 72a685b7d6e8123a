package dev.scep.train.cpu;

import dev.scep.formats.model.Architecture;
import dev.scep.formats.model.Tensor;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A network's parameters (or their gradients, or optimiser moments) in PyTorch layouts, by tensor name. */
public final class Parameters {
    private final List<Architecture.ParameterShape> shapes;
    private final Map<String, float[]> values = new LinkedHashMap<>();

    private Parameters(List<Architecture.ParameterShape> shapes) {
        this.shapes = shapes;
    }

    public static Parameters zeros(Architecture arch) {
        Parameters p = new Parameters(arch.parameterShapes());
        for (Architecture.ParameterShape s : p.shapes) {
            p.values.put(s.name(), new float[(int) Tensor.elementCount(s.shape())]);
        }
        return p;
    }

    public static Parameters of(Architecture arch, Map<String, Tensor> tensors) {
        Parameters p = zeros(arch);
        for (Architecture.ParameterShape s : p.shapes) {
            Tensor t = tensors.get(s.name());
            if (t == null) {
                throw new IllegalArgumentException("missing tensor " + s.name());
            }
            float[] v = t.toArray();
            System.arraycopy(v, 0, p.values.get(s.name()), 0, v.length);
        }
        return p;
    }

    public float[] get(String name) {
        float[] v = values.get(name);
        if (v == null) {
            throw new IllegalArgumentException("no parameter " + name);
        }
        return v;
    }

    public List<Architecture.ParameterShape> shapes() {
        return shapes;
    }

    /** The arrays in a fixed order (the architecture's parameter order). */
    public List<float[]> arrays() {
        return List.copyOf(values.values());
    }

    public Parameters copy() {
        Parameters p = new Parameters(shapes);
        values.forEach((k, v) -> p.values.put(k, v.clone()));
        return p;
    }

    public void copyFrom(Parameters other) {
        values.forEach((k, v) -> System.arraycopy(other.get(k), 0, v, 0, v.length));
    }

    public void clear() {
        for (float[] v : values.values()) {
            java.util.Arrays.fill(v, 0f);
        }
    }

    public Map<String, Tensor> toTensors() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (Architecture.ParameterShape s : shapes) {
            out.put(s.name(), Tensor.of(s.shape(), values.get(s.name()).clone()));
        }
        return out;
    }

    /** A value that is NaN or infinite: which tensor, where in it, and what. */
    public record NonFinite(String tensor, int index, int length, float value) {
        @Override
        public String toString() {
            return "'" + tensor + "' (" + value + " at index " + index + " of " + length + ")";
        }
    }

    /** The first non-finite value, or null when every value is finite. A plain loop: about 0.05 ms for 110k values. */
    public NonFinite firstNonFinite() {
        for (Map.Entry<String, float[]> e : values.entrySet()) {
            float[] v = e.getValue();
            for (int i = 0; i < v.length; i++) {
                if (!Float.isFinite(v[i])) {
                    return new NonFinite(e.getKey(), i, v.length, v[i]);
                }
            }
        }
        return null;
    }

    public long count() {
        return values.values().stream().mapToLong(v -> v.length).sum();
    }
}
