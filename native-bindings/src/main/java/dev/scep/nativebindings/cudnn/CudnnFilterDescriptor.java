package dev.scep.nativebindings.cudnn;

import dev.scep.nativebindings.Status;

import dev.scep.nativebindings.cuda.cudnn_graph_h;
import dev.scep.nativebindings.cuda.cudnn_ops_h;

/** Float 1-D convolution weights [out][in][kernel]: cuDNN's KCRS with R = 1, PyTorch's Conv1d layout as stored. */
public final class CudnnFilterDescriptor extends CudnnDescriptor {
    /**
     * Creates and sets the descriptor.
     *
     * @param out    output channels
     * @param in     input channels
     * @param kernel taps
     */
    public CudnnFilterDescriptor(int out, int in, int kernel) {
        super("FilterDescriptor", cudnn_ops_h::cudnnCreateFilterDescriptor, cudnn_ops_h::cudnnDestroyFilterDescriptor);
        configure(() -> Status.cudnn(cudnn_ops_h.cudnnSetFilter4dDescriptor(handle(), cudnn_graph_h.CUDNN_DATA_FLOAT(),
                cudnn_graph_h.CUDNN_TENSOR_NCHW(), out, in, 1, kernel), "cudnnSetFilter4dDescriptor"));
    }
}
