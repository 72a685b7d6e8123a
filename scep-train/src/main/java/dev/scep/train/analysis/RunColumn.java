package dev.scep.train.analysis;

/**
 * One population column of a cross-validation's predictions: which run, and which of its populations.
 *
 * @param run   the cross-validation
 * @param index the population's index in the run's predictions
 */
record RunColumn(CvRun run, int index) {
    /** {@code <run label>:<population>}, as the analyses' tables name a model or a target. */
    String label() {
        return run.label() + ":" + run.predictions().populations().get(index);
    }
}
