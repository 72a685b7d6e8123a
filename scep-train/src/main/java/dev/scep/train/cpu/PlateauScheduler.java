package dev.scep.train.cpu;

/**
 * PyTorch's {@code ReduceLROnPlateau} in 'min' mode with relative threshold 1e-4, no cooldown: when the
 * validation loss has not improved on the best by more than the threshold for more than {@code patience} epochs,
 * the learning rate is multiplied by {@code factor}.
 */
public final class PlateauScheduler {
    static final double THRESHOLD = 1e-4;

    private final double factor;
    private final int patience;
    private double lr;
    private double best = Double.POSITIVE_INFINITY;
    private int badEpochs;

    public PlateauScheduler(double lr, double factor, int patience) {
        this.lr = lr;
        this.factor = factor;
        this.patience = patience;
    }

    PlateauScheduler(double lr, double factor, int patience, double best, int badEpochs) {
        this(lr, factor, patience);
        this.best = best;
        this.badEpochs = badEpochs;
    }

    public double learningRate() {
        return lr;
    }

    double best() {
        return best;
    }

    int badEpochs() {
        return badEpochs;
    }

    /** Records one epoch's validation loss; returns true when the learning rate was reduced. */
    public boolean step(double loss) {
        if (loss < best * (1 - THRESHOLD)) {
            best = loss;
            badEpochs = 0;
        } else {
            badEpochs++;
        }
        if (badEpochs > patience) {
            lr *= factor;
            badEpochs = 0;
            return true;
        }
        return false;
    }
}
