package dev.scep.nativebindings.cudnn;

import dev.scep.nativebindings.Status;

import dev.scep.nativebindings.cuda.cudnn_graph_h;
import dev.scep.nativebindings.cuda.cudnn_ops_h;

/** A float NCHW tensor of n × channels × 1 × width: a batch of 1-D maps, as scep hands them to cuDNN. */
public final class CudnnTensorDescriptor extends CudnnDescriptor {
    /**
     * Creates and sets the descriptor.
     *
     * @param n        batch size
     * @param channels channels
     * @param width    positions
     */
    public CudnnTensorDescriptor(int n, int channels, int width) {
        super("TensorDescriptor", cudnn_ops_h::cudnnCreateTensorDescriptor, cudnn_ops_h::cudnnDestroyTensorDescriptor);
        configure(() -> set(n, channels, width));
    }

    /**
     * Sets the shape again (a smaller batch reuses the descriptor).
     *
     * @param n        batch size
     * @param channels channels
     * @param width    positions
     */
    public void set(int n, int channels, int width) {
        Status.cudnn(cudnn_ops_h.cudnnSetTensor4dDescriptor(handle(), cudnn_graph_h.CUDNN_TENSOR_NCHW(),
                cudnn_graph_h.CUDNN_DATA_FLOAT(), n, channels, 1, width), "cudnnSetTensor4dDescriptor");
    }
}
