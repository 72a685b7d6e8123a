package dev.scep.formats.model;

/** Activation applied after a convolution or dense layer. Codes are stored in the model file. */
public enum Activation {
    /** No activation: the layer's output is used as it is. */
    NONE(0),
    /** ReLU: {@code max(0, x)}. */
    RELU(1);

    /** The activation's code in the model file. */
    public final int code;

    Activation(int code) {
        this.code = code;
    }

    /**
     * The activation a model file's code stands for.
     *
     * @param code the stored code
     * @return the activation
     * @throws IllegalArgumentException when no activation has that code
     */
    public static Activation ofCode(int code) {
        for (Activation a : values()) {
            if (a.code == code) {
                return a;
            }
        }
        throw new IllegalArgumentException("unknown activation code " + code);
    }
}
