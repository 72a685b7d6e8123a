package dev.scep.runtime;

/** A window that cannot be encoded: wrong length or a character that is not an IUPAC nucleotide code. */
public class InvalidSequenceException extends IllegalArgumentException {
    private final long position;
    private final int batchIndex;
    private final String detail;

    public InvalidSequenceException(String message, long position) {
        this(message, position, -1, message);
    }

    private InvalidSequenceException(String message, long position, int batchIndex, String detail) {
        super(message);
        this.position = position;
        this.batchIndex = batchIndex;
        this.detail = detail;
    }

    /** The same problem, located as the {@code index}-th window of a batch call. */
    public InvalidSequenceException inBatch(int index) {
        return new InvalidSequenceException("window " + index + " of the batch: " + detail, position, index, detail);
    }

    /** 0-based position in the window of the offending character, or -1 for length errors. */
    public long position() {
        return position;
    }

    /** Index of the window in a batch call, or -1 for single-window calls. */
    public int batchIndex() {
        return batchIndex;
    }

    /** The problem itself, without the batch location. */
    public String detail() {
        return detail;
    }
}
