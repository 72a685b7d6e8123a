package dev.scep.formats.model;

/** Activation applied after a convolution or dense layer. Codes are stored in the model file. */
public enum Activation {
    NONE(0), RELU(1);

    public final int code;

    Activation(int code) {
        this.code = code;
    }

    public static Activation ofCode(int code) {
        for (Activation a : values()) {
            if (a.code == code) {
                return a;
            }
        }
        throw new IllegalArgumentException("unknown activation code " + code);
    }
}
