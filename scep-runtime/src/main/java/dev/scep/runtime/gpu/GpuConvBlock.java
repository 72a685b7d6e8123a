package dev.scep.runtime.gpu;

import dev.scep.formats.model.Layer;
import dev.scep.nativebindings.cudnn.CudnnConvolutionDescriptor;
import dev.scep.nativebindings.cudnn.CudnnDescriptor;
import dev.scep.nativebindings.cudnn.CudnnFilterDescriptor;
import dev.scep.nativebindings.cudnn.CudnnPoolingDescriptor;
import dev.scep.nativebindings.cudnn.CudnnTensorDescriptor;
import dev.scep.nativebindings.Status;
import dev.scep.nativebindings.cuda.cudnnConvolutionFwdAlgoPerf_t;
import dev.scep.nativebindings.cuda.cudnn_cnn_h;
import dev.scep.nativebindings.cuda.cudnn_ops_h;
import dev.scep.runtime.network.NetworkShape;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;

/**
 * One convolution + max-pooling block on the GPU, for batches of up to {@code maxBatch}: its cuDNN descriptors, the
 * forward algorithm chosen for it, and its device output buffers (conv output, pooled output). Lengths come from
 * {@link NetworkShape}; the first block reads the one-hot rows, which already hold conv1's padding.
 */
final class GpuConvBlock {
    final Layer.Conv1d conv;
    final Layer.MaxPool1d pool;
    private final boolean relu;
    final int inLength;
    final int convLength;
    final int poolLength;
    final int algo;
    /** Workspace the chosen algorithm needs at {@code maxBatch}. */
    final long workspaceBytes;
    final MemorySegment convOut;     // device: batch x out channels x convLength
    final MemorySegment pooled;      // device: batch x out channels x poolLength
    private final CudnnTensorDescriptor x;
    private final CudnnFilterDescriptor w;
    private final CudnnConvolutionDescriptor convolution;
    private final CudnnTensorDescriptor y;
    private final CudnnPoolingDescriptor pooling;
    private final CudnnTensorDescriptor p;

    /**
     * {@code inLength}: the input width as the GPU holds it (for the first block, the one-hot row with conv1's padding).
     * Each descriptor goes into {@code descriptors} as soon as it exists, so the engine destroys it even when a later
     * step here fails.
     */
    GpuConvBlock(CudaContext cuda, NetworkShape.ConvBlock block, Layer.MaxPool1d pool, boolean first, int inLength,
                 int maxBatch, List<CudnnDescriptor> descriptors) {
        this.conv = block.conv();
        this.pool = pool;
        this.relu = block.relu();
        // conv1's padding is in the one-hot rows; later convolutions and all pools need even padding for cuDNN
        int pad = first ? 0 : conv.padLeft();
        if (!first && conv.padLeft() != conv.padRight() || pool.padLeft() != pool.padRight()) {
            throw new IllegalArgumentException("the GPU engine needs even padding after the first convolution ("
                    + conv.name() + ", " + pool.name() + ")");
        }
        this.inLength = inLength;
        this.convLength = block.convLength();
        this.poolLength = block.pool().outputLength();
        x = own(descriptors, new CudnnTensorDescriptor(maxBatch, conv.inChannels(), inLength));
        w = own(descriptors, new CudnnFilterDescriptor(conv.outChannels(), conv.inChannels(), conv.kernel()));
        convolution = own(descriptors, new CudnnConvolutionDescriptor(pad));
        y = own(descriptors, new CudnnTensorDescriptor(maxBatch, conv.outChannels(), convLength));
        // padding counts as -infinity in cuDNN's max pooling, as in PyTorch
        pooling = own(descriptors, new CudnnPoolingDescriptor(pool.size(), pool.padLeft(), pool.stride()));
        p = own(descriptors, new CudnnTensorDescriptor(maxBatch, conv.outChannels(), poolLength));
        int[] chosen = new int[1];
        workspaceBytes = forwardAlgorithm(cuda, chosen);
        algo = chosen[0];
        convOut = cuda.allocateFloats((long) maxBatch * conv.outChannels() * convLength);
        pooled = cuda.allocateFloats((long) maxBatch * conv.outChannels() * poolLength);
    }

    private static <D extends CudnnDescriptor> D own(List<CudnnDescriptor> descriptors, D descriptor) {
        descriptors.add(descriptor);
        return descriptor;
    }

    /**
     * Convolution, pooling, then bias and activation for a batch of {@code n} read from {@code in}; returns the pooled
     * output (device).
     */
    MemorySegment forward(CudaContext cuda, int n, MemorySegment in, MemorySegment weight, MemorySegment bias,
                          MemorySegment workspace, long workspaceSize, MemorySegment one, MemorySegment zero) {
        setBatch(n);
        Status.cudnn(cudnn_cnn_h.cudnnConvolutionForward(cuda.cudnn, one, x.handle(), in, w.handle(), weight, convolution.handle(),
                algo, workspace, workspaceSize, zero, y.handle(), convOut), "cudnnConvolutionForward(" + conv.name() + ")");
        // max pooling before bias and ReLU: both are monotonic per channel, so the order does not change the values
        Status.cudnn(cudnn_ops_h.cudnnPoolingForward(cuda.cudnn, pooling.handle(), one, y.handle(), convOut, zero, p.handle(),
                pooled), "cudnnPoolingForward(" + pool.name() + ")");
        cuda.launch("add_bias", (long) n * conv.outChannels() * poolLength, pooled, bias, n, conv.outChannels(), poolLength,
                relu ? 1 : 0);
        return pooled;
    }

    private void setBatch(int n) {
        x.set(n, conv.inChannels(), inLength);
        y.set(n, conv.outChannels(), convLength);
        p.set(n, conv.outChannels(), poolLength);
    }

    private long forwardAlgorithm(CudaContext cuda, int[] algoOut) {
        try (Arena a = Arena.ofConfined()) {
            int requested = 8;
            MemorySegment count = a.allocate(ValueLayout.JAVA_INT);
            MemorySegment perf = cudnnConvolutionFwdAlgoPerf_t.allocateArray(requested, a);
            Status.cudnn(cudnn_cnn_h.cudnnGetConvolutionForwardAlgorithm_v7(cuda.cudnn, x.handle(), w.handle(),
                    convolution.handle(), y.handle(), requested, count, perf), "cudnnGetConvolutionForwardAlgorithm_v7");
            for (int i = 0; i < count.get(ValueLayout.JAVA_INT, 0); i++) {
                MemorySegment entry = cudnnConvolutionFwdAlgoPerf_t.asSlice(perf, i);
                if (cudnnConvolutionFwdAlgoPerf_t.status(entry) == 0) {
                    algoOut[0] = cudnnConvolutionFwdAlgoPerf_t.algo(entry);
                    MemorySegment size = a.allocate(ValueLayout.JAVA_LONG);
                    Status.cudnn(cudnn_cnn_h.cudnnGetConvolutionForwardWorkspaceSize(cuda.cudnn, x.handle(), w.handle(),
                            convolution.handle(), y.handle(), algoOut[0], size), "cudnnGetConvolutionForwardWorkspaceSize");
                    return size.get(ValueLayout.JAVA_LONG, 0);
                }
            }
            throw new IllegalStateException("cuDNN offers no forward algorithm for this convolution");
        }
    }
}
