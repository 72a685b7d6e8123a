/**
 * Dataset preparation (genome + annotation + expression → training set) and training (CPU and GPU back ends,
 * cross-validation, ensembles). Empty so far: data preparation is issue 3, training issue 4.
 */
package dev.scep.train;
