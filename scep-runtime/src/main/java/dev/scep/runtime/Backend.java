package dev.scep.runtime;

/** Which implementation of the forward pass a {@link Predictor} uses. */
public enum Backend {
    /** The fastest available CPU kernels: Vector API when its module is present, else scalar. */
    AUTO,
    /** The fast algorithm with Vector API kernels; fails if jdk.incubator.vector is absent. */
    VECTOR,
    /** The fast algorithm with plain-Java kernels. */
    SCALAR,
    /** The literal, double-precision reference implementation (slow; for checking). */
    REFERENCE
}
