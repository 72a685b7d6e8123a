package dev.scep.runtime.gpu;

import dev.scep.formats.model.Layer;
import dev.scep.nativebindings.cudnn.CudnnConvolutionDescriptor;
import dev.scep.nativebindings.cudnn.CudnnDescriptor;
import dev.scep.nativebindings.cudnn.CudnnFilterDescriptor;
import dev.scep.nativebindings.cudnn.CudnnPoolingDescriptor;
import dev.scep.nativebindings.cudnn.CudnnTensorDescriptor;
import dev.scep.nativebindings.Status;
import dev.scep.nativebindings.cuda.cudnn_cnn_h;
import dev.scep.nativebindings.cuda.cudnn_ops_h;
import dev.scep.runtime.network.NetworkShape;

import java.lang.foreign.MemorySegment;
import java.util.List;

/**
 * One convolution + max-pooling block on the GPU, for batches of up to {@code maxBatch}: its cuDNN descriptors, the
 * algorithms chosen for it ({@link ConvolutionAlgorithms}), and its device buffers. Lengths come from
 * {@link NetworkShape}; the first block reads the one-hot rows, which already hold conv1's padding.
 *
 * <p>Inference ({@link #forward}) pools with cuDNN. Training ({@link #forwardTraining}, {@link #backward}) pools with
 * scep's kernel, which records each pooled value's arg-max, so the backward pass routes every gradient to exactly the
 * position the CPU trainer routes it to (the first maximum: cuDNN's pooling backward finds its own and documents no
 * tie rule). Backward, the first block's weight gradient is a gather over its one-hot input at those arg-max positions
 * ({@code conv1_weight_grad}); later blocks use cuDNN's backward filter and backward data.
 */
final class GpuConvBlock {
    final Layer.Conv1d conv;
    final Layer.MaxPool1d pool;
    private final boolean relu;
    private final boolean first;
    final int inLength;
    final int convLength;
    final int poolLength;
    private final ConvolutionAlgorithms.Choice forwardAlgo;
    private final ConvolutionAlgorithms.Choice backwardDataAlgo;     // null unless training a later block
    private final ConvolutionAlgorithms.Choice backwardFilterAlgo;   // null unless training a later block
    /** Workspace the chosen algorithms need at {@code maxBatch} (the largest of them). */
    final long workspaceBytes;
    final MemorySegment convOut;     // device: batch x out channels x convLength
    final MemorySegment pooled;      // device: batch x out channels x poolLength (after bias and activation)
    // training only (NULL otherwise)
    final MemorySegment argmax;      // device ints: batch x out channels x poolLength
    final MemorySegment dPooled;     // device: dLoss / d(pooled), written by the layer after this block
    private final MemorySegment dMasked;   // device: dPooled where the activation passed it
    private final MemorySegment dConv;     // device: dLoss / d(convOut) (later blocks)
    private final CudnnTensorDescriptor x;
    private final CudnnFilterDescriptor w;
    private final CudnnConvolutionDescriptor convolution;
    private final CudnnTensorDescriptor y;
    private final CudnnPoolingDescriptor pooling;
    private final CudnnTensorDescriptor p;
    private final boolean training;
    // the algorithms for each batch size seen: those chosen at the largest batch, unless one of them cannot run at a
    // smaller one within the workspace (then chosen again at that size); the current batch's in `current`
    private final java.util.Map<Integer, java.util.Map<ConvolutionAlgorithms.Direction, ConvolutionAlgorithms.Choice>>
            byBatch = new java.util.HashMap<>();
    private java.util.Map<ConvolutionAlgorithms.Direction, ConvolutionAlgorithms.Choice> current;

    /**
     * {@code inLength}: the input width as the GPU holds it (for the first block, the one-hot row with conv1's padding).
     * Each descriptor goes into {@code descriptors} as soon as it exists, so the engine destroys it even when a later
     * step here fails.
     *
     * @param workspaceBudget most workspace bytes an algorithm may ask for
     * @param training        also choose the backward algorithms (deterministic ones) and allocate the gradients
     */
    GpuConvBlock(CudaContext cuda, NetworkShape.ConvBlock block, Layer.MaxPool1d pool, boolean first, int inLength,
                 int maxBatch, List<CudnnDescriptor> descriptors, long workspaceBudget, boolean training) {
        this.conv = block.conv();
        this.pool = pool;
        this.relu = block.relu();
        this.first = first;
        // conv1's padding is in the one-hot rows; later convolutions and all pools need even padding for cuDNN
        // (cudnnSetConvolution2dDescriptor and cudnnSetPooling2dDescriptor take one padding per side pair)
        int pad = first ? 0 : conv.padLeft();
        if (!first && conv.padLeft() != conv.padRight() || pool.padLeft() != pool.padRight()) {
            throw new IllegalArgumentException("the GPU engine needs even padding after the first convolution ("
                    + conv.name() + ", " + pool.name() + ")");
        }
        this.training = training;
        this.inLength = inLength;
        this.convLength = block.convLength();
        this.poolLength = block.pool().outputLength();
        x = own(descriptors, new CudnnTensorDescriptor(maxBatch, conv.inChannels(), inLength));
        w = own(descriptors, new CudnnFilterDescriptor(conv.outChannels(), conv.inChannels(), conv.kernel()));
        convolution = own(descriptors, new CudnnConvolutionDescriptor(pad));
        y = own(descriptors, new CudnnTensorDescriptor(maxBatch, conv.outChannels(), convLength));
        // padding counts as -infinity in cuDNN's max pooling (cudnnPoolingForward, CUDNN_POOLING_MAX_DETERMINISTIC:
        // padded cells are excluded from the maximum), as in PyTorch
        pooling = own(descriptors, new CudnnPoolingDescriptor(pool.size(), pool.padLeft(), pool.stride()));
        p = own(descriptors, new CudnnTensorDescriptor(maxBatch, conv.outChannels(), poolLength));
        forwardAlgo = ConvolutionAlgorithms.choose(cuda, ConvolutionAlgorithms.Direction.FORWARD, x.handle(), w.handle(),
                convolution.handle(), y.handle(), workspaceBudget, training, conv.name());
        boolean cudnnBackward = training && !first;
        backwardDataAlgo = cudnnBackward ? ConvolutionAlgorithms.choose(cuda, ConvolutionAlgorithms.Direction.BACKWARD_DATA,
                x.handle(), w.handle(), convolution.handle(), y.handle(), workspaceBudget, true, conv.name()) : null;
        backwardFilterAlgo = cudnnBackward ? ConvolutionAlgorithms.choose(cuda, ConvolutionAlgorithms.Direction.BACKWARD_FILTER,
                x.handle(), w.handle(), convolution.handle(), y.handle(), workspaceBudget, true, conv.name()) : null;
        long ws = forwardAlgo.workspaceBytes();
        if (cudnnBackward) {
            ws = Math.max(ws, Math.max(backwardDataAlgo.workspaceBytes(), backwardFilterAlgo.workspaceBytes()));
        }
        workspaceBytes = ws;
        long convCells = (long) maxBatch * conv.outChannels() * convLength;
        long poolCells = (long) maxBatch * conv.outChannels() * poolLength;
        convOut = cuda.allocateFloats(convCells);
        pooled = cuda.allocateFloats(poolCells);
        argmax = training ? cuda.allocateBytes(poolCells * Integer.BYTES) : MemorySegment.NULL;
        dPooled = training ? cuda.allocateFloats(poolCells) : MemorySegment.NULL;
        dMasked = training ? cuda.allocateFloats(poolCells) : MemorySegment.NULL;
        dConv = cudnnBackward ? cuda.allocateFloats(convCells) : MemorySegment.NULL;
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
        setBatch(cuda, n, workspaceSize);
        convolve(cuda, in, weight, workspace, workspaceSize, one, zero);
        // max pooling before bias and ReLU: both are monotonic per channel, so the order does not change the values
        Status.cudnn(cudnn_ops_h.cudnnPoolingForward(cuda.cudnn, pooling.handle(), one, y.handle(), convOut, zero, p.handle(),
                pooled), "cudnnPoolingForward(" + pool.name() + ")");
        cuda.launch("add_bias", (long) n * conv.outChannels() * poolLength, pooled, bias, n, conv.outChannels(), poolLength,
                relu ? 1 : 0);
        return pooled;
    }

    /** As {@link #forward}, pooling with scep's kernel, which keeps each pooled value's arg-max for the backward pass. */
    MemorySegment forwardTraining(CudaContext cuda, int n, MemorySegment in, MemorySegment weight, MemorySegment bias,
                                  MemorySegment workspace, long workspaceSize, MemorySegment one, MemorySegment zero) {
        setBatch(cuda, n, workspaceSize);
        convolve(cuda, in, weight, workspace, workspaceSize, one, zero);
        cuda.launch("pool_argmax_bias", (long) n * conv.outChannels() * poolLength, convOut, bias, n, conv.outChannels(),
                convLength, pool.size(), pool.stride(), pool.padLeft(), poolLength, relu ? 1 : 0, pooled, argmax);
        return pooled;
    }

    private void convolve(CudaContext cuda, MemorySegment in, MemorySegment weight, MemorySegment workspace,
                          long workspaceSize, MemorySegment one, MemorySegment zero) {
        Status.cudnn(cudnn_cnn_h.cudnnConvolutionForward(cuda.cudnn, one, x.handle(), in, w.handle(), weight, convolution.handle(),
                current.get(ConvolutionAlgorithms.Direction.FORWARD).algo(), workspace, workspaceSize, zero, y.handle(), convOut),
                "cudnnConvolutionForward(" + conv.name() + ")");
    }

    /**
     * The backward pass of the last {@link #forwardTraining} over {@code n} windows, from {@link #dPooled}: the weight
     * and bias gradients (overwritten) and, when {@code dIn} is not NULL, the gradient of the block's input
     * (overwritten; the previous block's {@code dPooled}).
     */
    void backward(CudaContext cuda, int n, MemorySegment in, MemorySegment weight, MemorySegment dWeight, MemorySegment dBias,
                  MemorySegment dIn, MemorySegment workspace, long workspaceSize, MemorySegment one, MemorySegment zero) {
        setBatch(cuda, n, workspaceSize);
        long poolCells = (long) n * conv.outChannels() * poolLength;
        if (!first) {
            cuda.zero(dConv, (long) n * conv.outChannels() * convLength * Float.BYTES);
        }
        cuda.launch("pool_argmax_backward", poolCells, dPooled, pooled, argmax, n, conv.outChannels(), convLength, poolLength,
                relu ? 1 : 0, dMasked, first ? MemorySegment.NULL : dConv);
        cuda.launchBlocks("bias_grad", conv.outChannels(), REDUCE_THREADS, REDUCE_THREADS * Float.BYTES, dMasked, dBias, n,
                conv.outChannels(), poolLength);
        if (first) {
            // conv1 sees only one-hot rows: its gradient is a gather at the arg-max positions, no convolution needed
            cuda.launchBlocks("conv1_weight_grad", conv.outChannels() * conv.inChannels() * conv.kernel(), REDUCE_THREADS,
                    REDUCE_THREADS * Float.BYTES, dMasked, argmax, in, n, conv.outChannels(), poolLength, inLength,
                    conv.kernel(), dWeight);
            return;
        }
        Status.cudnn(cudnn_cnn_h.cudnnConvolutionBackwardFilter(cuda.cudnn, one, x.handle(), in, y.handle(), dConv,
                convolution.handle(), current.get(ConvolutionAlgorithms.Direction.BACKWARD_FILTER).algo(), workspace, workspaceSize,
                zero, w.handle(), dWeight),
                "cudnnConvolutionBackwardFilter(" + conv.name() + ")");
        if (!dIn.equals(MemorySegment.NULL)) {
            Status.cudnn(cudnn_cnn_h.cudnnConvolutionBackwardData(cuda.cudnn, one, w.handle(), weight, y.handle(), dConv,
                    convolution.handle(), current.get(ConvolutionAlgorithms.Direction.BACKWARD_DATA).algo(), workspace,
                    workspaceSize, zero, x.handle(), dIn),
                    "cudnnConvolutionBackwardData(" + conv.name() + ")");
        }
    }

    /** Threads of the reduction kernels' blocks (a power of two, as their shared-memory trees need). */
    static final int REDUCE_THREADS = 256;

    /**
     * Sets the descriptors to a batch of {@code n}. The algorithms were chosen, and the workspace sized, at the
     * largest batch. The first time a batch size is seen, each algorithm's workspace at that size is queried; one that
     * cuDNN cannot run there, or that would need more workspace, is chosen again at that size within the workspace
     * (so the last, smaller batch of an epoch cannot fail for want of an algorithm).
     */
    private void setBatch(CudaContext cuda, int n, long workspaceSize) {
        x.set(n, conv.inChannels(), inLength);
        y.set(n, conv.outChannels(), convLength);
        p.set(n, conv.outChannels(), poolLength);
        current = byBatch.get(n);
        if (current != null) {
            return;
        }
        java.util.Map<ConvolutionAlgorithms.Direction, ConvolutionAlgorithms.Choice> chosen =
                new java.util.EnumMap<>(ConvolutionAlgorithms.Direction.class);
        for (var direction : ConvolutionAlgorithms.Direction.values()) {
            ConvolutionAlgorithms.Choice c = switch (direction) {
                case FORWARD -> forwardAlgo;
                case BACKWARD_DATA -> backwardDataAlgo;
                case BACKWARD_FILTER -> backwardFilterAlgo;
            };
            if (c == null) {
                continue;
            }
            long need;
            try {
                need = ConvolutionAlgorithms.workspace(cuda, direction, x.handle(), w.handle(), convolution.handle(),
                        y.handle(), c.algo(), conv.name());
            } catch (RuntimeException notAtThisSize) {
                need = Long.MAX_VALUE;
            }
            chosen.put(direction, need <= workspaceSize ? c : ConvolutionAlgorithms.choose(cuda, direction, x.handle(),
                    w.handle(), convolution.handle(), y.handle(), workspaceSize, training, conv.name() + " at a batch of " + n));
        }
        byBatch.put(n, chosen);
        current = chosen;
    }
}
