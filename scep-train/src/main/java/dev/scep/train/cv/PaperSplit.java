package dev.scep.train.cv;

import java.util.Arrays;

/**
 * The original scEP pipeline's split, exactly (DESIGN §9): genes are dataset rows, dealt into folds by scikit-learn's
 * {@code KFold(n_splits=folds, shuffle=True, random_state=1)} (numpy's legacy MT19937 shuffle of {@code arange(n)},
 * then consecutive slices, the first {@code n % folds} one row longer); within fold F the non-test rows, in row order,
 * are reordered by {@code np.random.seed(F); np.random.permutation(n_non_test)}: the first
 * {@code validationGenes} of them validate, the rest train. With 20 folds and 1,000 validation genes this is the
 * paper's split, so gene sets, and models trained on them, can be compared gene for gene with the original's.
 *
 * <p>Immutable and safe to share between threads.
 */
public final class PaperSplit {
    /** The paper's number of folds. */
    public static final int FOLDS = 20;
    /** The paper's validation genes per fold. */
    public static final int VALIDATION_GENES = 1000;
    /** {@code KFold}'s {@code random_state} in the original code. */
    static final long KFOLD_RANDOM_STATE = 1;

    private final int[] foldOf;
    private final int folds;
    private final int validationGenes;

    private PaperSplit(int genes, int folds, int validationGenes) {
        if (folds < 2 || folds > genes) {
            throw new IllegalArgumentException("the paper's split needs 2 to " + genes + " folds for " + genes
                    + " genes, got " + folds);
        }
        if (validationGenes < 0) {
            throw new IllegalArgumentException("validation genes must not be negative, got " + validationGenes);
        }
        this.folds = folds;
        this.validationGenes = validationGenes;
        int[] order = new NumpyRandomState(KFOLD_RANDOM_STATE).permutation(genes);
        foldOf = new int[genes];
        int base = genes / folds;
        int extra = genes % folds;
        int at = 0;
        for (int f = 0; f < folds; f++) {
            int size = base + (f < extra ? 1 : 0);
            for (int i = 0; i < size; i++) {
                foldOf[order[at++]] = f;
            }
        }
    }

    /**
     * The paper's split: 20 folds, 1,000 validation genes.
     *
     * @param genes the number of dataset rows (genes), at least 20
     * @return the split
     * @throws IllegalArgumentException when there are fewer genes than folds
     */
    public static PaperSplit of(int genes) {
        return new PaperSplit(genes, FOLDS, VALIDATION_GENES);
    }

    /**
     * The same procedure with another number of folds or validation genes.
     *
     * @param genes           the number of dataset rows (genes)
     * @param folds           {@code KFold}'s {@code n_splits}, from 2 to {@code genes}
     * @param validationGenes how many of each fold's permuted non-test rows validate (all of them when fewer)
     * @return the split
     * @throws IllegalArgumentException when {@code folds} is out of range or {@code validationGenes} is negative
     */
    public static PaperSplit of(int genes, int folds, int validationGenes) {
        return new PaperSplit(genes, folds, validationGenes);
    }

    /**
     * The number of genes (dataset rows) split.
     *
     * @return the row count
     */
    public int genes() {
        return foldOf.length;
    }

    /**
     * The number of folds.
     *
     * @return {@code n_splits}
     */
    public int folds() {
        return folds;
    }

    /**
     * The fold in which a gene is a test gene.
     *
     * @param gene 0-based dataset row
     * @return its 0-based test fold
     * @throws IndexOutOfBoundsException when there is no such row
     */
    public int testFold(int gene) {
        return foldOf[gene];
    }

    /**
     * A fold's test genes.
     *
     * @param fold 0-based fold
     * @return its rows, ascending
     * @throws IllegalArgumentException when there is no such fold
     */
    public int[] test(int fold) {
        checkFold(fold);
        return java.util.stream.IntStream.range(0, foldOf.length).filter(g -> foldOf[g] == fold).toArray();
    }

    /**
     * A fold's validation genes.
     *
     * @param fold 0-based fold
     * @return its rows, ascending
     * @throws IllegalArgumentException when there is no such fold
     */
    public int[] validation(int fold) {
        int[][] vt = validationAndTraining(fold);
        return vt[0];
    }

    /**
     * A fold's training genes: neither test nor validation.
     *
     * @param fold 0-based fold
     * @return its rows, ascending
     * @throws IllegalArgumentException when there is no such fold
     */
    public int[] training(int fold) {
        return validationAndTraining(fold)[1];
    }

    private int[][] validationAndTraining(int fold) {
        checkFold(fold);
        int[] rest = java.util.stream.IntStream.range(0, foldOf.length).filter(g -> foldOf[g] != fold).toArray();
        int[] perm = new NumpyRandomState(fold).permutation(rest.length);
        int n = Math.min(validationGenes, rest.length);
        int[] validation = new int[n];
        int[] training = new int[rest.length - n];
        for (int i = 0; i < rest.length; i++) {
            if (i < n) {
                validation[i] = rest[perm[i]];
            } else {
                training[i - n] = rest[perm[i]];
            }
        }
        Arrays.sort(validation);
        Arrays.sort(training);
        return new int[][]{validation, training};
    }

    private void checkFold(int fold) {
        if (fold < 0 || fold >= folds) {
            throw new IllegalArgumentException("fold " + fold + " does not exist: the split has folds 0 to " + (folds - 1));
        }
    }
}
