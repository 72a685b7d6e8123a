package dev.scep.runtime;

/** A window that cannot be encoded: wrong length or a character that is not an IUPAC nucleotide code. */
public class InvalidSequenceException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    /** 0-based window position of the offending character, or -1. */
    private final long position;
    /** Index of the window in a batch call, or -1. */
    private final int batchIndex;
    /** The problem without the batch location. */
    private final String detail;

    /**
     * A bad window.
     *
     * @param message  what is wrong, in words
     * @param position 0-based window position of the offending character, or -1 for a length error
     */
    public InvalidSequenceException(String message, long position) {
        this(message, position, -1, message);
    }

    private InvalidSequenceException(String message, long position, int batchIndex, String detail) {
        super(message);
        this.position = position;
        this.batchIndex = batchIndex;
        this.detail = detail;
    }

    /**
     * The same problem, located in a batch call.
     *
     * @param index the window's index in the batch
     * @return a new exception whose message starts with the window's index
     */
    public InvalidSequenceException inBatch(int index) {
        return new InvalidSequenceException("window " + index + " of the batch: " + detail, position, index, detail);
    }

    /**
     * Where the problem is.
     *
     * @return 0-based position in the window of the offending character, or -1 for length errors
     */
    public long position() {
        return position;
    }

    /**
     * Which window of a batch.
     *
     * @return the index of the window in a batch call, or -1 for single-window calls
     */
    public int batchIndex() {
        return batchIndex;
    }

    /**
     * The problem itself.
     *
     * @return the message without the batch location
     */
    public String detail() {
        return detail;
    }
}
