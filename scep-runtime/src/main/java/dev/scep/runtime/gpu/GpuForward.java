package dev.scep.runtime.gpu;

import dev.scep.formats.model.Architecture;
import dev.scep.formats.model.FlattenOrder;
import dev.scep.formats.model.ScepModel;
import dev.scep.nativebindings.cudnn.CudnnDescriptor;
import dev.scep.nativebindings.Status;
import dev.scep.nativebindings.cuda.cublas_api_h;
import dev.scep.runtime.InvalidSequenceException;
import dev.scep.runtime.network.NetworkShape;
import dev.scep.runtime.network.WeightSource;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The scEP-family forward pass on the GPU, for batches of up to {@code maxBatch} windows: cuDNN for the
 * convolutions and max pooling ({@link GpuConvBlock}), scep's NVRTC kernels for one-hot expansion from 2-bit packed
 * windows ({@link OneHotInput}), bias with ReLU and the concatenation with the half-life features, cuBLAS for the
 * dense layers. It reads the same {@link ScepModel} and {@link NetworkShape} as the CPU engine and averages its
 * ensemble members the same way; outputs are raw (z-scored).
 *
 * <p>Arithmetic is plain float32 (TF32 off in cuDNN and cuBLAS). Written without GPU access: {@code GpuForwardTest}
 * holds it to the CPU engine within 1e-4 on machines with a GPU and skips elsewhere.
 */
public final class GpuForward implements AutoCloseable {
    private final ScepModel model;
    private final NetworkShape shape;
    private final int maxBatch;
    private CudaContext cuda;   // null only when its constructor failed
    private final List<GpuConvBlock> blocks = new ArrayList<>();
    private final List<CudnnDescriptor> descriptors = new ArrayList<>();   // every block's, destroyed at close
    private final List<Member> members = new ArrayList<>();
    private final OneHotInput input;
    private final MemorySegment denseIn;      // device: batch x (flat + halfLife)
    private final MemorySegment[] denseOut;   // device: per dense layer
    private final MemorySegment halfLifeDev;  // device: batch x halfLife
    private final MemorySegment workspace;
    private final long workspaceBytes;
    private final MemorySegment one;
    private final MemorySegment zero;
    private final Arena host = Arena.ofShared();
    private boolean closed;

    /** One ensemble member's weights on the device. */
    private record Member(MemorySegment[] convW, MemorySegment[] convB, MemorySegment[] denseW, MemorySegment[] denseB) {
    }

    public GpuForward(ScepModel model, int maxBatch) {
        Architecture a = model.architecture();
        if (a.convolutions().isEmpty() || a.convolutions().size() != a.pools().size()) {
            throw new IllegalArgumentException("the GPU engine runs convolution + pooling blocks; this architecture has "
                    + a.convolutions().size() + " convolutions and " + a.pools().size() + " pools");
        }
        this.model = model;
        this.shape = NetworkShape.of(model);
        this.maxBatch = maxBatch;
        int cap = maxBatch(shape);
        if (maxBatch < 1 || maxBatch > cap) {
            throw new IllegalArgumentException("a GPU batch holds 1 to " + cap + " windows for this network (cuDNN's"
                    + " legacy tensors hold at most 2^31 - 1 elements), not " + maxBatch);
        }
        try {
            this.cuda = new CudaContext();
            one = host.allocateFrom(ValueLayout.JAVA_FLOAT, 1f);
            zero = host.allocateFrom(ValueLayout.JAVA_FLOAT, 0f);
            // the one-hot rows hold conv1's padding, so the first block reads them whole
            int row = shape.first().paddedInputLength();
            long workspaceNeeded = 0;
            long budget = cuda.memoryInfo()[0] / 4;   // no algorithm may take more than a quarter of what is free
            for (int b = 0; b < shape.blocks().size(); b++) {
                NetworkShape.ConvBlock block = shape.blocks().get(b);
                GpuConvBlock k = new GpuConvBlock(cuda, block, a.pools().get(b), b == 0, b == 0 ? row : block.inLength(), maxBatch,
                        descriptors, budget, false);
                blocks.add(k);
                workspaceNeeded = Math.max(workspaceNeeded, k.workspaceBytes);
            }
            workspaceBytes = workspaceNeeded;
            workspace = cuda.allocateBytes(workspaceNeeded);
            input = new OneHotInput(cuda, model.encoding(), row, shape.first().conv().padLeft(), maxBatch);
            denseIn = cuda.allocateFloats((long) maxBatch * shape.denseInputs());
            halfLifeDev = cuda.allocateFloats((long) maxBatch * Math.max(1, shape.halfLifeCount()));
            denseOut = new MemorySegment[shape.dense().size()];
            for (int l = 0; l < denseOut.length; l++) {
                denseOut[l] = cuda.allocateFloats((long) maxBatch * shape.dense().get(l).out());
            }
            for (Map<String, dev.scep.formats.model.Tensor> w : model.members()) {
                members.add(upload(WeightSource.of(w)));
            }
            cuda.synchronize();
        } catch (RuntimeException e) {
            try {
                close();
            } catch (RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    /**
     * The largest batch this network's tensors allow: cuDNN's legacy (non-graph) tensor descriptors hold at most
     * 2^31 - 1 elements (cudnn_ops.h, cudnnSetTensorNdDescriptor: CUDNN_STATUS_NOT_SUPPORTED beyond), and the first
     * convolution's output is the largest tensor (scEP: 128 x 10,499 floats a window, so 1,598 windows).
     *
     * @param shape the network
     * @return the cap on windows per batch
     */
    public static int maxBatch(NetworkShape shape) {
        long largest = 1;
        for (NetworkShape.ConvBlock b : shape.blocks()) {
            largest = Math.max(largest, (long) b.conv().outChannels() * b.convLength());
            largest = Math.max(largest, (long) b.conv().inChannels() * (b.convLength() + b.conv().kernel()));
        }
        return (int) Math.min(Integer.MAX_VALUE, Integer.MAX_VALUE / largest);
    }

    /** The device this engine runs on, in words. */
    public String device() {
        return cuda.device;
    }

    public int maxBatch() {
        return maxBatch;
    }

    /**
     * Raw outputs (z-scored, ensemble mean) for up to {@link #maxBatch} windows of ASCII IUPAC bases.
     *
     * @throws InvalidSequenceException for a window of the wrong length or with a character that is no base code
     */
    public double[][] forward(List<byte[]> windows, List<float[]> halfLifeInputs) {
        return forward(windows, halfLifeInputs, 0);
    }

    /** {@link #forward(List, List)} for windows numbered from {@code firstIndex} in the caller's batch (for messages). */
    public double[][] forward(List<byte[]> windows, List<float[]> halfLifeInputs, int firstIndex) {
        int n = windows.size();
        if (n == 0) {
            return new double[0][];
        }
        if (n > maxBatch || halfLifeInputs.size() != n) {
            throw new IllegalArgumentException(n + " windows and " + halfLifeInputs.size() + " half-life rows for a batch of at most " + maxBatch);
        }
        double[][] out = new double[n][shape.outputs()];
        try (Arena a = Arena.ofConfined()) {
            try {
                forwardStaged(a, windows, halfLifeInputs, firstIndex, out);
            } finally {
                // an asynchronous copy may still read the host memory of a (pageable memory is staged asynchronously,
                // CUDA's "API synchronization behavior"): nothing queued may outlive it, on an error path too
                cuda.synchronize();
            }
        }
        return out;
    }

    private void forwardStaged(Arena a, List<byte[]> windows, List<float[]> halfLifeInputs, int firstIndex, double[][] out) {
        int n = windows.size();
        int outputs = shape.outputs();
        int halfLife = shape.halfLifeCount();
        OneHotInput.Staged batch = input.stage(a, windows, firstIndex);
        MemorySegment hlHost = a.allocate(ValueLayout.JAVA_FLOAT, (long) n * Math.max(1, halfLife));
        for (int w = 0; w < n; w++) {
            MemorySegment.copy(halfLifeInputs.get(w), 0, hlHost, ValueLayout.JAVA_FLOAT, (long) w * halfLife * Float.BYTES, halfLife);
        }
        input.upload(batch);
        if (halfLife > 0) {
            cuda.upload(hlHost, halfLifeDev, (long) n * halfLife * Float.BYTES);
        }
        input.expand(a, batch);
        MemorySegment y = a.allocate(ValueLayout.JAVA_FLOAT, (long) n * outputs);
        for (Member m : members) {
            MemorySegment last = forwardMember(m, n);
            cuda.download(last, y, (long) n * outputs * Float.BYTES);
            cuda.synchronize();
            for (int w = 0; w < n; w++) {
                for (int o = 0; o < outputs; o++) {
                    out[w][o] += y.getAtIndex(ValueLayout.JAVA_FLOAT, (long) w * outputs + o) / members.size();
                }
            }
        }
    }

    private MemorySegment forwardMember(Member m, int n) {
        MemorySegment in = input.onehot;
        for (int b = 0; b < blocks.size(); b++) {
            in = blocks.get(b).forward(cuda, n, in, m.convW()[b], m.convB()[b], workspace, workspaceBytes, one, zero);
        }
        cuda.launch("concat_halflife", (long) n * shape.denseInputs(), in, halfLifeDev, n, shape.finalChannels(),
                shape.finalLength(), shape.halfLifeCount(), shape.flattenOrder() == FlattenOrder.POSITION_MAJOR ? 1 : 0, denseIn);
        MemorySegment x = denseIn;
        for (int l = 0; l < shape.dense().size(); l++) {
            NetworkShape.DenseStep d = shape.dense().get(l);
            // row-major Y[n][out] = X[n][in] W^T: in cuBLAS's column-major terms Y^T = W^T^T X^T with W stored [out][in]
            Status.cublas(cublas_api_h.cublasSgemm_v2(cuda.cublas, cublas_api_h.CUBLAS_OP_T(), cublas_api_h.CUBLAS_OP_N(),
                    d.out(), n, d.in(), one, m.denseW()[l], d.in(), x, d.in(), zero, denseOut[l],
                    d.out()), "cublasSgemm(" + d.layer().name() + ")");
            cuda.launch("add_bias", (long) n * d.out(), denseOut[l], m.denseB()[l], n, d.out(), 1, d.relu() ? 1 : 0);
            x = denseOut[l];
        }
        return x;
    }

    private Member upload(WeightSource w) {
        int nb = blocks.size();
        MemorySegment[] cw = new MemorySegment[nb];
        MemorySegment[] cb = new MemorySegment[nb];
        for (int b = 0; b < nb; b++) {
            GpuConvBlock k = blocks.get(b);
            cw[b] = copy(w.weight(k.conv));      // [out][in][k]: cuDNN's KCRS with R = 1
            cb[b] = copy(w.bias(k.conv));
        }
        List<NetworkShape.DenseStep> dense = shape.dense();
        MemorySegment[] dw = new MemorySegment[dense.size()];
        MemorySegment[] db = new MemorySegment[dense.size()];
        for (int l = 0; l < dense.size(); l++) {
            dw[l] = copy(w.weight(dense.get(l).layer()));   // [out][in], row-major
            db[l] = copy(w.bias(dense.get(l).layer()));
        }
        return new Member(cw, cb, dw, db);
    }

    private MemorySegment copy(float[] values) {
        MemorySegment device = cuda.allocateFloats(values.length);
        MemorySegment staging = host.allocateFrom(ValueLayout.JAVA_FLOAT, values);
        cuda.upload(staging, device, (long) values.length * Float.BYTES);
        return device;
    }

    /** Destroys the descriptors, then frees the context and the host memory, whatever fails (the first failure leaves). */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            RuntimeException failure = CudnnDescriptor.closeAll(descriptors);
            if (cuda != null) {
                cuda.close();
            }
            if (failure != null) {
                throw failure;
            }
        } finally {
            host.close();
        }
    }
}
