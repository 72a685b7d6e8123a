package dev.scep.train.cv;

import java.util.Locale;

/** How a cross-validation splits genes into folds, and each fold's non-test genes into validation and training. */
public enum Split {
    /**
     * scep's own (the default): genes shuffled with the run's seed and dealt round-robin into the folds; a seeded draw
     * of at most a fifth of the non-test genes validates.
     */
    SCEP,
    /**
     * The original scEP pipeline's, exactly ({@link PaperSplit}): {@code KFold(folds, shuffle=True, random_state=1)}
     * over dataset rows, validation = the first validation genes of {@code np.random.seed(fold)}'s permutation of
     * the non-test rows. The run's seed does not change it.
     */
    SCEP_PAPER;

    /**
     * The name on the command line and in manifests.
     *
     * @return {@code scep} or {@code scep-paper}
     */
    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /**
     * The split a label names.
     *
     * @param label {@code scep} or {@code scep-paper}
     * @return the split
     * @throws IllegalArgumentException naming the choices when there is no such split
     */
    public static Split ofLabel(String label) {
        for (Split s : values()) {
            if (s.label().equals(label)) {
                return s;
            }
        }
        throw new IllegalArgumentException("no split '" + label + "': choose scep or scep-paper");
    }
}
