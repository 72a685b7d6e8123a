/**
 * The paper's analyses of cross-validation outputs, each a table, a static figure and a report page: the resolution
 * ladder ({@link dev.scep.train.analysis.ResolutionLadder}, Figure 4B), transfer between populations and datasets with
 * one-sided rank-sum tests ({@link dev.scep.train.analysis.Transfer}, Figure 3), per-gene correlation across
 * populations and its variance threshold ({@link dev.scep.train.analysis.VariableGenes}, Figure 4C), and Δcp,t against
 * similarity to the tissue ({@link dev.scep.train.analysis.SimilarityDelta}, Figure 2C). Runs are read with
 * {@link dev.scep.train.analysis.CvRun}.
 */
package dev.scep.train.analysis;
