package dev.scep.train;

/** What the model reads: the paper compares the full model with sequence-only and half-life-only variants. */
public enum ModelInputs {
    /** The TSS window and the half-life features (the paper's model). */
    SEQUENCE_AND_HALF_LIFE,
    /** The TSS window alone: no half-life inputs. */
    SEQUENCE_ONLY,
    /** The standard network with its first convolution's weights held at zero: the output cannot depend on the sequence. */
    HALF_LIFE_ONLY
}
