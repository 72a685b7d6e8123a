package dev.scep.formats.model;

/** How a (channels × positions) map becomes a vector. */
public enum FlattenOrder {
    /** index = channel × positions + position (PyTorch's {@code view(B, -1)} on N,C,L; the scEP reference). */
    CHANNEL_MAJOR(0),
    /** index = position × channels + channel (Keras' Flatten on N,L,C; Xpresso). */
    POSITION_MAJOR(1);

    /** The order's code in the model file. */
    public final int code;

    FlattenOrder(int code) {
        this.code = code;
    }

    /**
     * The order a model file's code stands for.
     *
     * @param code the stored code
     * @return the order
     * @throws IllegalArgumentException when no order has that code
     */
    public static FlattenOrder ofCode(int code) {
        for (FlattenOrder o : values()) {
            if (o.code == code) {
                return o;
            }
        }
        throw new IllegalArgumentException("unknown flatten order code " + code);
    }
}
