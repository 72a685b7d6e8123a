/**
 * Dataset preparation (genome + annotation + expression → training set, {@code prepare}), training on the CPU
 * ({@code cpu}), cross-validation: folds, the run, its manifest and out-of-fold predictions ({@code cv}), the metrics,
 * reports and personal-genome evaluation computed from predictions ({@code evaluate}), and the simulator
 * ({@code simulate}). This package holds what training and cross-validation share:
 * {@link dev.scep.train.RunDescription}, the parameters a run records so that resuming it can be checked, and
 * {@link dev.scep.train.RunMismatchException}, the refusal to resume another run's work.
 */
package dev.scep.train;
