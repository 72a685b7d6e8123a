package dev.scep.cli;

import java.io.PrintWriter;

/** A one-line progress display on a terminal; silent when stderr is not a terminal (logs, pipes, CI). */
final class Progress {
    private final PrintWriter err;
    private final String what;
    private final boolean terminal;
    private final long start = System.nanoTime();
    private long lastDraw;

    Progress(PrintWriter err, String what) {
        this.err = err;
        this.what = what;
        java.io.Console c = System.console();
        this.terminal = c != null && c.isTerminal();
    }

    void update(long done) {
        if (!terminal) {
            return;
        }
        long now = System.nanoTime();
        if (now - lastDraw < 200_000_000L) {
            return;
        }
        lastDraw = now;
        double s = (now - start) / 1e9;
        err.printf("\r%s: %,d done, %.0f/s   ", what, done, done / Math.max(s, 1e-9));
        err.flush();
    }

    void finish() {
        if (terminal && lastDraw != 0) {
            err.print("\r\033[K");
            err.flush();
        }
    }
}
