package dev.scep.cli;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * Progress of a long command on standard error. On a terminal: a bar redrawn in place, with the count, the rate and,
 * when the total is known, the share done and the time left ({@code windows [#########.......] 56% 11,200/20,000
 * 1,870/s ETA 0:05}). Elsewhere (a log file, a pipe, CI): one plain line a minute, so long runs show they are alive
 * without filling the log. Nothing ever goes to standard output.
 */
final class Progress {
    private static final long REDRAW_NANOS = 200_000_000L;
    private static final long LINE_NANOS = 60_000_000_000L;
    private static final int BAR = 24;

    private final PrintWriter err;
    private final String what;
    private final boolean terminal;
    private final long start = System.nanoTime();
    private long lastDraw;

    Progress(PrintWriter err, String what) {
        this(err, what, terminal());
    }

    /** For tests: a display that behaves as on a terminal or not. */
    Progress(PrintWriter err, String what, boolean terminal) {
        this.err = err;
        this.what = what;
        this.terminal = terminal;
        this.lastDraw = terminal ? 0 : start;   // off a terminal, the first line comes after a minute
    }

    private static boolean terminal() {
        java.io.Console c = System.console();
        return c != null && c.isTerminal();
    }

    /** Progress with an unknown total. */
    void update(long done) {
        update(done, -1);
    }

    /** Progress out of {@code total} (negative: unknown). */
    void update(long done, long total) {
        long now = System.nanoTime();
        if (now - lastDraw < (terminal ? REDRAW_NANOS : LINE_NANOS)) {
            return;
        }
        lastDraw = now;
        String line = line(done, total, (now - start) / 1e9);
        if (terminal) {
            err.print("\r" + line + "\033[K");
        } else {
            err.println(line);
        }
        err.flush();
    }

    /** The text of one update. */
    String line(long done, long total, double seconds) {
        double rate = done / Math.max(seconds, 1e-9);
        StringBuilder sb = new StringBuilder(what);
        if (total > 0) {
            double share = Math.min(1, (double) done / total);
            int filled = (int) Math.round(share * BAR);
            sb.append(terminal ? " [" + "#".repeat(filled) + ".".repeat(BAR - filled) + "]" : "")
                    .append(String.format(Locale.ROOT, " %3.0f%% %,d/%,d", 100 * share, done, total));
        } else {
            sb.append(String.format(Locale.ROOT, " %,d", done));
        }
        sb.append(String.format(Locale.ROOT, " %,.0f/s", rate));
        if (total > 0 && done > 0 && done < total) {
            sb.append(" ETA ").append(clock((total - done) / rate));
        }
        sb.append(String.format(Locale.ROOT, ", %s elapsed", clock(seconds)));
        return sb.toString();
    }

    /** h:mm:ss or m:ss. */
    static String clock(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }

    void finish() {
        if (terminal && lastDraw != 0) {
            err.print("\r\033[K");
            err.flush();
        }
    }
}
