/**
 * The one description of the scEP-family network that every engine reads (internal to scep's modules).
 * {@link dev.scep.runtime.network.NetworkShape} is worked out once from a model's
 * {@link dev.scep.formats.model.Architecture}: each convolution block's lengths, padded channel strides and pooling
 * geometry ({@link dev.scep.runtime.network.PoolGeometry}), the rows where a block writes its pooled values
 * ({@code outRow0}), the flatten index ({@code flatIndex}), the dense steps and the half-life input count.
 * {@link dev.scep.runtime.network.WeightLayout} packs a member's weights ({@link dev.scep.runtime.network.WeightSource},
 * PyTorch layouts) into the layouts the CPU inner loops read ({@link dev.scep.runtime.network.PackedWeights}, with the
 * first convolution as a {@link dev.scep.runtime.network.PairTable}) and holds the trainer's gradient layouts with
 * their inverses.
 *
 * <p>Where each layer lives. CPU forward: {@code runtime.cpu.FastForward} over {@code runtime.cpu.Kernels}. Backward:
 * {@code dev.scep.train.cpu.TrainingNetwork} (scep-train). ISM delta: {@code runtime.ism.SubstitutionDelta}, from the
 * reference cached by {@code runtime.ism.ReferenceActivations}. GPU: {@code runtime.gpu.GpuForward} (inference) and
 * {@code runtime.gpu.GpuTrainingNetwork} (training: forward, backward, Adam), their blocks {@code GpuConvBlock}, their
 * input {@code OneHotInput}, and the NVRTC kernels of {@code scep_kernels.cu}.
 * <table>
 *   <caption>Each layer's shape, forward, backward, ISM delta and GPU call</caption>
 *   <tr><th>layer</th><th>shape / weights</th><th>CPU forward</th><th>backward (train)</th><th>ISM delta</th>
 *       <th>GPU</th></tr>
 *   <tr><td>conv1 (one-hot input)</td>
 *       <td>{@code NetworkShape.LookupBlock}; {@code PairTable.build}, rows by {@code PairTable.rowOffset}</td>
 *       <td>{@code FastForward.convolutions} → {@code Kernels.tableConvPool} (fused with pool1, bias, ReLU), row
 *           offsets by {@code PairTable.offsets}</td>
 *       <td>forward {@code Kernels.tableConvPoolArgmax}; backward the last loop of {@code TrainingNetwork.backward}: the
 *           arg-max position's bases select {@code WeightLayout.tapColumn}s, folded by {@code addTapColumns}</td>
 *       <td>{@code SubstitutionDelta.prepare} (touched rows; rows cached or recomputed by
 *           {@code ReferenceActivations.conv1Row}), {@code pool1Changes} (old tap pair out, new one in:
 *           {@code Kernels.editedRowsMax})</td>
 *       <td>{@code OneHotInput}: kernels {@code expand_onehot}, {@code patch_ambiguous}; then
 *           {@code GpuConvBlock.forward}: {@code cudnnConvolutionForward}; training: the same in
 *           {@code forwardTraining}, backward kernel {@code conv1_weight_grad} (a gather over the one-hot rows at the
 *           arg-max positions) in {@code GpuConvBlock.backward}</td></tr>
 *   <tr><td>ReLU (+ bias) after conv1</td>
 *       <td>{@code ConvBlock.relu()}</td>
 *       <td>once per pooled value in {@code tableConvPool} (both monotone)</td>
 *       <td>the {@code out <= 0} test in {@code TrainingNetwork.backward}</td>
 *       <td>{@code Kernels.changedChannels} in {@code SubstitutionDelta.pool1Changes}</td>
 *       <td>kernel {@code add_bias} after pooling, in {@code GpuConvBlock.forward}; training: fused into
 *           {@code pool_argmax_bias}, backward in {@code pool_argmax_backward}</td></tr>
 *   <tr><td>pool1</td>
 *       <td>{@code LookupBlock.pool()} ({@code PoolGeometry})</td>
 *       <td>fused into {@code Kernels.tableConvPool}</td>
 *       <td>arg-max recorded by {@code tableConvPoolArgmax}, read in {@code TrainingNetwork.backward}</td>
 *       <td>{@code SubstitutionDelta.prepare} (maxima of the unchanged rows: {@code IsmNetwork.unchangedMax} or
 *           {@code Kernels.tableConvMax}), {@code pool1Changes}</td>
 *       <td>{@code cudnnPoolingForward} ({@code CudnnPoolingDescriptor}) in {@code GpuConvBlock.forward}; training:
 *           kernel {@code pool_argmax_bias} (keeps the arg-max), backward {@code pool_argmax_backward}</td></tr>
 *   <tr><td>conv2 (and later convolutions) + ReLU</td>
 *       <td>{@code NetworkShape.GemmBlock}; {@code PackedWeights.gemmWeights} (input-major)</td>
 *       <td>{@code Kernels.gemm} in {@code FastForward.convolutions}</td>
 *       <td>forward {@code Kernels.gemm}; backward the block loop of {@code TrainingNetwork.backward} over
 *           {@code WeightLayout.outputMajor} weights, gradient folded by {@code addOutputMajor}</td>
 *       <td>{@code SubstitutionDelta.conv2Changes}: {@code Kernels.axpyMany} over
 *           {@code WeightLayout.byInputChannel}</td>
 *       <td>{@code cudnnConvolutionForward} ({@code CudnnFilterDescriptor}, {@code CudnnConvolutionDescriptor}) and
 *           {@code add_bias} in {@code GpuConvBlock.forward}; training: {@code cudnnConvolutionBackwardFilter} and
 *           {@code cudnnConvolutionBackwardData} (deterministic algorithms, {@code ConvolutionAlgorithms}) and
 *           {@code bias_grad} in {@code GpuConvBlock.backward}</td></tr>
 *   <tr><td>pool2 (and later pools)</td>
 *       <td>{@code GemmBlock.pool()}, {@code outRow0}/{@code outRows}</td>
 *       <td>{@code Kernels.poolRows} (with bias and activation)</td>
 *       <td>forward {@code TrainingNetwork.poolWithArgmax}; backward through the arg-max in the block loop</td>
 *       <td>{@code SubstitutionDelta.dense1Changes} ({@code IsmNetwork.unchangedMax}, {@code withNewRows},
 *           {@code Kernels.changedChannels})</td>
 *       <td>{@code cudnnPoolingForward} in {@code GpuConvBlock.forward}; training: as pool1</td></tr>
 *   <tr><td>flatten + concat half-life</td>
 *       <td>{@code NetworkShape.flatIndex}, {@code flatten}, {@code unflatten}</td>
 *       <td>{@code FastForward.head}</td>
 *       <td>{@code TrainingNetwork.forward}; {@code unflatten} in {@code backward}</td>
 *       <td>{@code ReferenceActivations} ({@code flatten}); {@code flatIndex} in
 *           {@code SubstitutionDelta.dense1Changes}</td>
 *       <td>kernel {@code concat_halflife} (the same two orders in CUDA C) in {@code GpuForward.forwardMember};
 *           training: backward kernel {@code unflatten_grad} in {@code GpuTrainingNetwork.backward}</td></tr>
 *   <tr><td>dense1 (+ ReLU, dropout)</td>
 *       <td>{@code NetworkShape.DenseStep}; {@code PackedWeights.denseTransposed}</td>
 *       <td>{@code Kernels.dense} in {@code FastForward.head}</td>
 *       <td>forward {@code Kernels.dense} and dropout masks; backward the dense loop of
 *           {@code TrainingNetwork.backward} (parameter rows)</td>
 *       <td>the changed inputs' rows added in {@code SubstitutionDelta.dense1Changes}; activation in
 *           {@code ReferenceActivations.head}</td>
 *       <td>{@code cublasSgemm_v2} and kernel {@code add_bias} in {@code GpuForward.forwardMember}; training: kernel
 *           {@code multiply} (dropout masks drawn on the host as the CPU draws them); backward
 *           {@code dense_act_backward}, two {@code cublasSgemm_v2} and {@code bias_grad} in
 *           {@code GpuTrainingNetwork.backward}</td></tr>
 *   <tr><td>dense2 … head</td>
 *       <td>{@code NetworkShape.DenseStep}; {@code PackedWeights.denseTransposed}</td>
 *       <td>{@code Kernels.dense} in {@code FastForward.head}</td>
 *       <td>as dense1</td>
 *       <td>recomputed whole by {@code ReferenceActivations.head}</td>
 *       <td>as dense1</td></tr>
 * </table>
 */
package dev.scep.runtime.network;

import dev.scep.nativebindings.cudnn.CudnnPoolingDescriptor;

import dev.scep.nativebindings.cudnn.CudnnFilterDescriptor;

import dev.scep.nativebindings.cudnn.CudnnConvolutionDescriptor;
