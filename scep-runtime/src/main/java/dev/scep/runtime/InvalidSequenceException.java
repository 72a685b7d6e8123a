package dev.scep.runtime;

/** A window that cannot be encoded: wrong length or a character that is not an IUPAC nucleotide code. */
public class InvalidSequenceException extends IllegalArgumentException {
    private final long position;

    public InvalidSequenceException(String message, long position) {
        super(message);
        this.position = position;
    }

    /** 0-based position in the window of the offending character, or -1 for length errors. */
    public long position() {
        return position;
    }
}
