package dev.scep.cli;

import dev.scep.train.EpochStats;

import dev.scep.train.cv.CrossValidation;

import java.io.PrintWriter;

/** Progress of training on a terminal (epoch, batch, loss, ETA) and one line per epoch everywhere. */
final class TrainProgress implements CrossValidation.Listener {
    private final PrintWriter err;
    private final boolean terminal;
    private long epochStart = System.nanoTime();
    private long lastDraw;
    private String prefix = "";

    private final String command;

    /** {@code command} prefixes the notes: "scep train", "scep cv". */
    TrainProgress(PrintWriter err, String command) {
        this.err = err;
        this.command = command;
        java.io.Console c = System.console();
        this.terminal = c != null && c.isTerminal();
    }

    @Override
    public void note(String message) {
        err.println(command + ": " + message);
        err.flush();
    }

    @Override
    public void replicate(int fold, int folds, int replicate, int replicates) {
        prefix = String.format("fold %d/%d, replicate %d/%d, ", fold + 1, folds, replicate + 1, replicates);
    }

    @Override
    public void batch(int epoch, int batchesDone, int batches, double runningLoss) {
        if (batchesDone == 1) {
            epochStart = System.nanoTime();
        }
        if (!terminal) {
            return;
        }
        long now = System.nanoTime();
        if (now - lastDraw < 200_000_000L && batchesDone < batches) {
            return;
        }
        lastDraw = now;
        double elapsed = (now - epochStart) / 1e9;
        double eta = elapsed / batchesDone * (batches - batchesDone);
        int width = 24;
        int filled = (int) ((long) width * batchesDone / batches);
        err.printf("\r%sepoch %d [%s%s] %d/%d batches, loss %.4f, ETA %.0f s   ", prefix, epoch + 1, "=".repeat(filled),
                " ".repeat(width - filled), batchesDone, batches, runningLoss, eta);
        err.flush();
    }

    @Override
    public void epoch(EpochStats s) {
        if (terminal) {
            err.print("\r\033[K");
        }
        err.printf("%sepoch %d/%d: train loss %.4f, validation loss %.4f, lr %.1e, %.1f s%s%n", prefix, s.epoch() + 1,
                s.epochs(), s.trainLoss(), s.validationLoss(), s.learningRate(), s.nanos() / 1e9, s.best() ? "  (best)" : "");
        err.flush();
    }
}
