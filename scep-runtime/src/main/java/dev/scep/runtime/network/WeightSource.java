package dev.scep.runtime.network;

import dev.scep.formats.model.Layer;
import dev.scep.formats.model.Tensor;

import java.util.Map;

/**
 * One ensemble member's parameters by tensor name, in PyTorch layouts (conv [out][in][k], dense [out][in]): a model
 * file's member or the trainer's parameters. Tensors are named {@code <layer>.weight} and {@code <layer>.bias}.
 */
@FunctionalInterface
public interface WeightSource {
    float[] tensor(String name);

    default float[] weight(Layer layer) {
        return tensor(layer.name() + ".weight");
    }

    default float[] bias(Layer layer) {
        return tensor(layer.name() + ".bias");
    }

    /** A model file's member (each call copies the tensor out of the file's buffer). */
    static WeightSource of(Map<String, Tensor> member) {
        return name -> member.get(name).toArray();
    }
}
