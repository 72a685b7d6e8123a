package dev.scep.nativebindings.cudnn;

import dev.scep.nativebindings.Status;

import dev.scep.nativebindings.cuda.cudnn_graph_h;
import dev.scep.nativebindings.cuda.cudnn_ops_h;

/**
 * Deterministic 1-D max pooling along the width: {@code window} wide, {@code pad} on both sides, {@code stride}.
 * Padded cells are ignored (count as −∞), as in PyTorch.
 */
public final class CudnnPoolingDescriptor extends CudnnDescriptor {
    /**
     * Creates and sets the descriptor.
     *
     * @param window positions per pooling window
     * @param pad    padded positions on each side
     * @param stride positions between windows
     */
    public CudnnPoolingDescriptor(int window, int pad, int stride) {
        super("PoolingDescriptor", cudnn_ops_h::cudnnCreatePoolingDescriptor, cudnn_ops_h::cudnnDestroyPoolingDescriptor);
        configure(() -> Status.cudnn(cudnn_ops_h.cudnnSetPooling2dDescriptor(handle(), cudnn_ops_h.CUDNN_POOLING_MAX_DETERMINISTIC(),
                cudnn_graph_h.CUDNN_PROPAGATE_NAN(), 1, window, 0, pad, 1, stride), "cudnnSetPooling2dDescriptor"));
    }
}
