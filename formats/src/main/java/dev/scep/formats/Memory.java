package dev.scep.formats;

/**
 * What this JVM can still hold. Sizes read from a file or an option are checked against it before anything is
 * allocated from them, so a corrupted count or an absurd option ends in an error that says what to change instead of
 * an {@link OutOfMemoryError} half-way through a run.
 *
 * <p>Sizes are in bytes. All methods are static and thread-safe; the answer reflects the heap at the moment of the
 * call, so it is a guard against absurd sizes, not a reservation.
 */
public final class Memory {
    private Memory() {
    }

    /** An allocation that cannot fit: the message says how much was asked for and how much there is. */
    public static final class NotEnoughMemoryException extends IllegalArgumentException {
        NotEnoughMemoryException(String message) {
            super(message);
        }
    }

    /** Bytes the heap can still grow by: its maximum ({@code -Xmx}) less what is in use now. */
    static long available() {
        Runtime rt = Runtime.getRuntime();
        return rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
    }

    /**
     * Whether {@code bytes} more fit in the heap.
     *
     * @param bytes the size of the allocation, in bytes
     * @return true when {@code bytes} is non-negative and at most what the heap can still grow by (its maximum,
     *         {@code -Xmx}, less what is in use now)
     */
    public static boolean fits(long bytes) {
        return bytes >= 0 && bytes <= available();
    }

    /**
     * Fails unless {@code bytes} more fit in the heap.
     *
     * @param bytes the size of the allocation, in bytes
     * @param what  what needs the memory, as the start of a sentence ("a batch of 1,000,000 windows")
     * @throws NotEnoughMemoryException when they do not fit; the message names {@code what}, both sizes and how to
     *                                  raise the maximum heap
     */
    public static void require(long bytes, String what) {
        if (!fits(bytes)) {
            throw new NotEnoughMemoryException(what + " needs about " + format(bytes) + " of memory, more than the "
                    + format(Math.max(0, available())) + " this JVM has left (its maximum heap is "
                    + format(Runtime.getRuntime().maxMemory()) + "; raise it with -Xmx, e.g. SCEP_JAVA_OPTS=-Xmx16g)");
        }
    }

    /**
     * A size computed without overflow, for passing to {@link #fits} or {@link #require}.
     *
     * @param a a count or a size in bytes
     * @param b a count or a size in bytes
     * @return {@code a × b}, or {@link Long#MAX_VALUE} when the product overflows a {@code long}
     */
    public static long times(long a, long b) {
        try {
            return Math.multiplyExact(a, b);
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }

    /** Bytes in words: "512 B", "3.4 MB", "5.2 GB". */
    static String format(long bytes) {
        if (bytes < 1000) {
            return bytes + " B";
        }
        String[] units = {"kB", "MB", "GB", "TB", "PB", "EB"};
        double v = bytes;
        int u = -1;
        while (v >= 1000 && u < units.length - 1) {
            v /= 1000;
            u++;
        }
        return String.format(java.util.Locale.ROOT, "%.1f %s", v, units[u]);
    }
}
