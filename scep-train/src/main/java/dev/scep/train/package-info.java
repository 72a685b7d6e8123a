/**
 * Dataset preparation (genome + annotation + expression → training set, {@code prepare}), training on the CPU
 * ({@code cpu}), cross-validation: folds, the run, its manifest and out-of-fold predictions ({@code cv}), the metrics,
 * reports and personal-genome evaluation computed from predictions ({@code evaluate}), and the simulator
 * ({@code simulate}).
 *
 * <p>This package is the front door: {@link dev.scep.train.Training} trains or cross-validates what a
 * {@link dev.scep.train.TrainingRequest} describes and tells a {@link dev.scep.train.TrainingListener} how it goes.
 * It also holds what training and cross-validation share: {@link dev.scep.train.RunDescription}, the parameters a run
 * records so that resuming it can be checked, {@link dev.scep.train.RunMismatchException}, the refusal to resume
 * another run's work, and {@link dev.scep.train.TrainingDivergedException}, the end of a run whose loss stopped being
 * finite.
 */
package dev.scep.train;
