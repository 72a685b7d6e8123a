package dev.scep.runtime.network;

/**
 * One ensemble member's weights in the layouts the CPU inner loops read ({@link WeightLayout#pack}), shared by the
 * forward engine, incremental ISM and the trainer. Channel dimensions are padded with zeros to the strides of
 * {@link NetworkShape}.
 *
 * @param pairTable       the first convolution as a pair table ({@link PairTable#build})
 * @param conv1Bias       its bias, padded
 * @param gemmWeights     per later block b, input-major: {@code [(t × inStride + i) × outStride + o] = w[o][i][t]}
 * @param gemmBias        per later block, padded
 * @param denseTransposed per dense layer, {@code [in × outStride + o] = w[o][in]}
 * @param denseBias       per dense layer, padded
 */
public record PackedWeights(float[] pairTable, float[] conv1Bias, float[][] gemmWeights, float[][] gemmBias,
                            float[][] denseTransposed, float[][] denseBias) {
}
