package dev.scep.train.cv;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The paper's split (DESIGN §3): genes shuffled with a seed and dealt into k folds; in fold f the fold's genes are
 * the test set, and a seeded draw of the other genes forms the validation set (1,000 by default), the rest trains.
 * Genes are 0-based indices into the dataset. Immutable and safe to share between threads; the same arguments give
 * the same split on every machine.
 */
public final class Folds {
    private final int[] foldOf;
    private final int folds;
    private final int validation;
    private final long seed;
    private final PaperSplit paper;   // the original's split, when chosen; null for scep's own

    /**
     * Deals {@code genes} genes into {@code folds} folds.
     *
     * @param genes      the number of genes
     * @param folds      the number of folds, from 2 to {@code genes}
     * @param validation validation genes wanted per fold (fewer when a fifth of the non-test genes is fewer)
     * @param seed       seeds the shuffle and each fold's validation draw
     * @throws IllegalArgumentException when {@code folds} is below 2 or above {@code genes}
     */
    public Folds(int genes, int folds, int validation, long seed) {
        if (folds < 2 || folds > genes) {
            throw new IllegalArgumentException(folds + " folds for " + genes + " genes");
        }
        this.folds = folds;
        this.validation = validation;
        this.seed = seed;
        this.paper = null;
        int[] order = shuffled(genes, new SplittableRandom(seed));
        this.foldOf = new int[genes];
        for (int i = 0; i < genes; i++) {
            foldOf[order[i]] = i % folds;
        }
    }

    /** The original scEP split over {@code genes} rows (see {@link PaperSplit}), with these folds and validation genes. */
    Folds(PaperSplit paper) {
        this.paper = paper;
        this.folds = paper.folds();
        this.validation = -1;
        this.seed = PaperSplit.KFOLD_RANDOM_STATE;
        this.foldOf = new int[paper.genes()];
        for (int g = 0; g < foldOf.length; g++) {
            foldOf[g] = paper.testFold(g);
        }
    }

    /** The split {@code split} makes of {@code genes} genes for these options. */
    static Folds of(Split split, int genes, int folds, int validation, long seed) {
        return switch (split) {
            case SCEP -> new Folds(genes, folds, validation, seed);
            case SCEP_PAPER -> new Folds(PaperSplit.of(genes, folds, validation));
        };
    }

    private static int[] shuffled(int n, SplittableRandom rnd) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }

    int count() {
        return folds;
    }

    int foldOf(int gene) {
        return foldOf[gene];
    }

    int[] test(int fold) {
        return java.util.stream.IntStream.range(0, foldOf.length).filter(g -> foldOf[g] == fold).toArray();
    }

    /**
     * Validation genes of a fold: a seeded draw from the non-test genes, at most a fifth of them.
     *
     * @param fold 0-based fold
     * @return the validation genes, ascending
     */
    public int[] validation(int fold) {
        if (paper != null) {
            return paper.validation(fold);
        }
        int[] rest = java.util.stream.IntStream.range(0, foldOf.length).filter(g -> foldOf[g] != fold).toArray();
        int n = Math.min(validation, rest.length / 5);
        int[] order = shuffled(rest.length, new SplittableRandom(seed * 31 + fold + 1));
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = rest[order[i]];
        }
        Arrays.sort(out);
        return out;
    }

    /** Training genes of a fold: neither test nor validation. */
    int[] train(int fold) {
        if (paper != null) {
            return paper.training(fold);
        }
        boolean[] excluded = new boolean[foldOf.length];
        for (int g : validation(fold)) {
            excluded[g] = true;
        }
        return java.util.stream.IntStream.range(0, foldOf.length).filter(g -> foldOf[g] != fold && !excluded[g]).toArray();
    }
}
