package dev.scep.nativebindings.cudnn;

import dev.scep.nativebindings.Status;

import dev.scep.nativebindings.cuda.cudnn_cnn_h;
import dev.scep.nativebindings.cuda.cudnn_graph_h;

/**
 * A 1-D convolution along the width (stride 1, no dilation), zero-padded by {@code pad} on both sides: cross-correlation
 * as in PyTorch and Keras, float arithmetic with FMA math so cuDNN picks no TF32 tensor-core algorithm.
 */
public final class CudnnConvolutionDescriptor extends CudnnDescriptor {
    /**
     * Creates and sets the descriptor.
     *
     * @param pad zero columns on each side of the input
     */
    public CudnnConvolutionDescriptor(int pad) {
        super("ConvolutionDescriptor", cudnn_cnn_h::cudnnCreateConvolutionDescriptor, cudnn_cnn_h::cudnnDestroyConvolutionDescriptor);
        configure(() -> {
            Status.cudnn(cudnn_cnn_h.cudnnSetConvolution2dDescriptor(handle(), 0, pad, 1, 1, 1, 1,
                    cudnn_cnn_h.CUDNN_CROSS_CORRELATION(), cudnn_graph_h.CUDNN_DATA_FLOAT()), "cudnnSetConvolution2dDescriptor");
            Status.cudnn(cudnn_cnn_h.cudnnSetConvolutionMathType(handle(), cudnn_graph_h.CUDNN_FMA_MATH()),
                    "cudnnSetConvolutionMathType");
        });
    }
}
