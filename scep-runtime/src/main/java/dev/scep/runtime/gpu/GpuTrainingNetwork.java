package dev.scep.runtime.gpu;

import dev.scep.formats.model.Architecture;
import dev.scep.formats.model.FlattenOrder;
import dev.scep.formats.model.SequenceEncoding;
import dev.scep.nativebindings.Status;
import dev.scep.nativebindings.cuda.cublas_api_h;
import dev.scep.nativebindings.cuda.cuda_runtime_api_h;
import dev.scep.nativebindings.cudnn.CudnnDescriptor;
import dev.scep.runtime.network.NetworkShape;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The scEP-family network's training step on the GPU, for the trainer in scep-train (DESIGN §4's recipe, the CPU
 * trainer's semantics): a forward pass that keeps what the backward pass needs (the pooled maps and their arg-max
 * positions, the dense activations and dropout masks), the MSE loss, the backward pass into one flat gradient, and
 * Adam, all on the device. Parameters, gradients and both Adam moments live in four flat device buffers with one
 * slice per tensor in {@link Architecture#parameterShapes()} order (each slice 256-byte aligned, as cuDNN's
 * vectorised kernels prefer); the host sees them only when it asks ({@link #setState}, {@link #getState}).
 *
 * <p>Pieces: cuDNN convolutions forward and, after the first block, backward data and filter with deterministic
 * algorithms ({@link GpuConvBlock}); scep's kernels for one-hot expansion, pooling with arg-max and its backward, the
 * first convolution's weight gradient (a gather over its one-hot input), bias gradients, the half-life concatenation and
 * its backward, dropout, the loss, Adam and the divergence check; cuBLAS for the dense layers forward and backward.
 * Plain float32 throughout (TF32 off in cuDNN and cuBLAS).
 *
 * <p>Batches arrive 2-bit packed in pinned host memory ({@link #stage}): a batch's copy runs on a second stream while
 * the previous batch computes, and the compute stream waits for it with an event; a slot's next copy waits for the
 * compute stream to release it. Two slots alternate: the caller queues batch b ({@link #startGradients}), stages
 * b + 1, then waits for b ({@link #finishGradients}). A batch with ambiguous bases is patched synchronously (rare in
 * genomic windows). Not thread-safe.
 */
public final class GpuTrainingNetwork implements AutoCloseable {
    private static final int ALIGN_FLOATS = 64;

    private final NetworkShape shape;
    private final int maxBatch;
    private final CudaContext cuda;
    private final List<GpuConvBlock> blocks = new ArrayList<>();
    private final List<CudnnDescriptor> descriptors = new ArrayList<>();
    private final OneHotInput input;
    private final MemorySegment workspace;
    private final long workspaceBytes;
    private final Arena host = Arena.ofShared();
    private final MemorySegment one;
    private final MemorySegment zero;
    // parameters: name -> [offset, length] in floats, within the flat buffers
    private final Map<String, long[]> slices = new LinkedHashMap<>();
    private final long totalFloats;
    private final MemorySegment params;
    private final MemorySegment grads;
    private final MemorySegment adamM;
    private final MemorySegment adamV;
    // dense part
    private final MemorySegment denseIn;      // batch x denseInputs
    private final MemorySegment dDenseIn;     // batch x denseInputs
    private final MemorySegment[] act;        // per dense layer: batch x out, after activation and dropout
    private final MemorySegment[] dAct;       // per dense layer but the last: dLoss / d(act)
    private final MemorySegment[] g;          // per dense layer: dLoss / d(pre-activation)
    private final MemorySegment predictionGrad;
    private final MemorySegment lossSum;      // one float
    private final MemorySegment flag;         // one int
    private final MemorySegment scratch;      // pinned host: the loss at 0, the flag at 8
    // batch slots: pinned host memory and its device copy, [packed | half-life | targets | keep per dense layer]
    private final Slot[] slots = new Slot[2];
    private final MemorySegment copyStream;
    private boolean closed;

    /** A staged batch: which slot holds it, and its ambiguous runs. */
    public static final class Batch {
        private final int slot;
        private final int windows;
        private final OneHotInput.Staged staged;

        private Batch(int slot, int windows, OneHotInput.Staged staged) {
            this.slot = slot;
            this.windows = windows;
            this.staged = staged;
        }

        /** Windows in the batch. */
        public int windows() {
            return windows;
        }
    }

    /**
     * A batch slot: pinned host memory, its device copy, and two events: {@code copied} (recorded on the copy stream
     * after the upload; the compute stream waits for it) and {@code released} (recorded on the compute stream after
     * the batch's last use of the slot; the next upload into the slot waits for it).
     */
    private record Slot(MemorySegment hostMemory, MemorySegment device, MemorySegment copied, MemorySegment released,
                        long halfLifeOffset, long targetOffset, long[] keepOffsets, long bytes) {
    }

    /**
     * Builds the network on device 0 for batches of up to {@code maxBatch} windows.
     *
     * @param architecture  the network
     * @param encoding      the windows' encoding (length, channel order, ambiguity rule)
     * @param halfLifeCount half-life features
     * @param maxBatch      most windows a batch holds, at most {@link GpuForward#maxBatch(NetworkShape)}
     * @throws dev.scep.nativebindings.GpuUnavailableException when no GPU works
     */
    public GpuTrainingNetwork(Architecture architecture, SequenceEncoding encoding, int halfLifeCount, int maxBatch) {
        this.shape = new NetworkShape(architecture, encoding.windowLength(), halfLifeCount);
        int cap = GpuForward.maxBatch(shape);
        if (maxBatch < 1 || maxBatch > cap) {
            throw new IllegalArgumentException("a GPU batch holds 1 to " + cap + " windows for this network, not " + maxBatch);
        }
        if (architecture.convolutions().size() != architecture.pools().size()) {
            throw new IllegalArgumentException("the GPU engine runs convolution + pooling blocks; this architecture has "
                    + architecture.convolutions().size() + " convolutions and " + architecture.pools().size() + " pools");
        }
        this.maxBatch = maxBatch;
        CudaContext context = null;
        try {
            context = new CudaContext();
            this.cuda = context;
            one = host.allocateFrom(ValueLayout.JAVA_FLOAT, 1f);
            zero = host.allocateFrom(ValueLayout.JAVA_FLOAT, 0f);
            int row = shape.first().paddedInputLength();
            long budget = cuda.memoryInfo()[0] / 4;
            long ws = 0;
            for (int b = 0; b < shape.blocks().size(); b++) {
                NetworkShape.ConvBlock block = shape.blocks().get(b);
                GpuConvBlock k = new GpuConvBlock(cuda, block, architecture.pools().get(b), b == 0,
                        b == 0 ? row : block.inLength(), maxBatch, descriptors, budget, true);
                blocks.add(k);
                ws = Math.max(ws, k.workspaceBytes);
            }
            workspaceBytes = ws;
            workspace = cuda.allocateBytes(ws);
            input = new OneHotInput(cuda, encoding, row, shape.first().conv().padLeft(), maxBatch);
            long offset = 0;
            for (Architecture.ParameterShape p : architecture.parameterShapes()) {
                long length = 1;
                for (int d : p.shape()) {
                    length *= d;
                }
                slices.put(p.name(), new long[]{offset, length});
                offset += (length + ALIGN_FLOATS - 1) / ALIGN_FLOATS * ALIGN_FLOATS;
            }
            totalFloats = offset;
            params = cuda.allocateFloats(totalFloats);
            grads = cuda.allocateFloats(totalFloats);
            adamM = cuda.allocateFloats(totalFloats);
            adamV = cuda.allocateFloats(totalFloats);
            for (MemorySegment m : List.of(params, grads, adamM, adamV)) {
                cuda.zero(m, totalFloats * Float.BYTES);   // the alignment gaps stay zero: Adam leaves zeros alone
            }
            int layers = shape.dense().size();
            denseIn = cuda.allocateFloats((long) maxBatch * shape.denseInputs());
            dDenseIn = cuda.allocateFloats((long) maxBatch * shape.denseInputs());
            act = new MemorySegment[layers];
            dAct = new MemorySegment[layers];
            g = new MemorySegment[layers];
            for (int l = 0; l < layers; l++) {
                long cells = (long) maxBatch * shape.dense().get(l).out();
                act[l] = cuda.allocateFloats(cells);
                dAct[l] = cuda.allocateFloats(cells);
                g[l] = cuda.allocateFloats(cells);
            }
            predictionGrad = cuda.allocateFloats((long) maxBatch * shape.outputs());
            lossSum = cuda.allocateFloats(1);
            flag = cuda.allocateBytes(Integer.BYTES);
            try (Arena a = Arena.ofConfined()) {
                MemorySegment cell = a.allocate(ValueLayout.ADDRESS);
                // pinned, so that the loss's download is asynchronous: a copy to pageable memory returns only once it
                // is done (CUDA Runtime API, "API synchronization behavior"), which would end the overlap with staging
                scratch = pinned(cell, 16);
                Status.cuda(cuda_runtime_api_h.cudaStreamCreate(cell), "cudaStreamCreate (copies)");
                copyStream = cell.get(ValueLayout.ADDRESS, 0);
                for (int k = 0; k < slots.length; k++) {
                    slots[k] = slot(cell, input.bytesPerWindow());
                }
            }
            cuda.synchronize();
        } catch (RuntimeException e) {
            if (context != null) {
                try {
                    closeAll(context);
                } catch (RuntimeException suppressed) {
                    e.addSuppressed(suppressed);
                }
            } else {
                host.close();
            }
            throw e;
        }
    }

    private Slot slot(MemorySegment cell, int bytesPerWindow) {
        long packedBytes = align((long) maxBatch * bytesPerWindow);
        long halfLifeOffset = packedBytes;
        long targetOffset = halfLifeOffset + align((long) maxBatch * Math.max(1, shape.halfLifeCount()) * Float.BYTES);
        long[] keepOffsets = new long[shape.dense().size()];
        long end = targetOffset + align((long) maxBatch * shape.outputs() * Float.BYTES);
        for (int l = 0; l < keepOffsets.length; l++) {
            keepOffsets[l] = end;
            end += align((long) maxBatch * shape.dense().get(l).out() * Float.BYTES);
        }
        // pinned (page-locked) host memory: cudaMemcpyAsync from it is a true asynchronous DMA (from pageable memory
        // it is staged by the driver, CUDA Runtime API "API synchronization behavior")
        MemorySegment pinned = pinned(cell, end);
        MemorySegment device = cuda.allocateBytes(end);
        Status.cuda(cuda_runtime_api_h.cudaEventCreate(cell), "cudaEventCreate");
        MemorySegment copied = cell.get(ValueLayout.ADDRESS, 0);
        Status.cuda(cuda_runtime_api_h.cudaEventCreate(cell), "cudaEventCreate");
        MemorySegment released = cell.get(ValueLayout.ADDRESS, 0);
        return new Slot(pinned, device, copied, released, halfLifeOffset, targetOffset, keepOffsets, end);
    }

    /** Page-locked host memory, freed with the host arena (cudaFreeHost). */
    private MemorySegment pinned(MemorySegment cell, long bytes) {
        Status.cuda(cuda_runtime_api_h.cudaMallocHost(cell, bytes), "cudaMallocHost(" + bytes + " bytes)");
        return cell.get(ValueLayout.ADDRESS, 0).reinterpret(bytes, host, p -> cuda_runtime_api_h.cudaFreeHost(p));
    }

    private static long align(long bytes) {
        return (bytes + 255) / 256 * 256;
    }

    /** The device this network runs on, in words. */
    public String device() {
        return cuda.device;
    }

    /** Most windows a batch holds. */
    public int maxBatch() {
        return maxBatch;
    }

    // ------------------------------------------------------------------------------------------------ state

    /**
     * Uploads the parameters and Adam's moments (each list in {@link Architecture#parameterShapes()} order, PyTorch
     * layouts).
     */
    public void setState(List<float[]> parameters, List<float[]> firstMoment, List<float[]> secondMoment) {
        upload(parameters, params);
        upload(firstMoment, adamM);
        upload(secondMoment, adamV);
        cuda.synchronize();
    }

    /** Uploads the parameters only (to evaluate other weights; Adam's moments stay). */
    public void setParameters(List<float[]> parameters) {
        upload(parameters, params);
    }

    /** Downloads the parameters and Adam's moments into these arrays (same order and sizes as {@link #setState}). */
    public void getState(List<float[]> parameters, List<float[]> firstMoment, List<float[]> secondMoment) {
        download(params, parameters);
        download(adamM, firstMoment);
        download(adamV, secondMoment);
    }

    /** Downloads the last batch's gradient (the loss's, as the CPU trainer sums it) into these arrays. */
    public void getGradients(List<float[]> into) {
        download(grads, into);
    }

    private void upload(List<float[]> arrays, MemorySegment device) {
        requireArrays(arrays);
        try (Arena a = Arena.ofConfined()) {
            MemorySegment staging = a.allocate(ValueLayout.JAVA_FLOAT, totalFloats);
            int k = 0;
            for (long[] s : slices.values()) {
                MemorySegment.copy(arrays.get(k++), 0, staging, ValueLayout.JAVA_FLOAT, s[0] * Float.BYTES, (int) s[1]);
            }
            cuda.upload(staging, device, totalFloats * Float.BYTES);
            cuda.synchronize();   // the staging memory goes with this arena
        }
    }

    private void download(MemorySegment device, List<float[]> arrays) {
        requireArrays(arrays);
        try (Arena a = Arena.ofConfined()) {
            MemorySegment staging = a.allocate(ValueLayout.JAVA_FLOAT, totalFloats);
            cuda.download(device, staging, totalFloats * Float.BYTES);
            cuda.synchronize();
            int k = 0;
            for (long[] s : slices.values()) {
                MemorySegment.copy(staging, ValueLayout.JAVA_FLOAT, s[0] * Float.BYTES, arrays.get(k++), 0, (int) s[1]);
            }
        }
    }

    private void requireArrays(List<float[]> arrays) {
        if (arrays.size() != slices.size()) {
            throw new IllegalArgumentException(arrays.size() + " arrays for " + slices.size() + " parameter tensors");
        }
        int k = 0;
        for (Map.Entry<String, long[]> e : slices.entrySet()) {
            if (arrays.get(k++).length != e.getValue()[1]) {
                throw new IllegalArgumentException(e.getKey() + ": " + arrays.get(k - 1).length + " values for " + e.getValue()[1]);
            }
        }
    }

    private MemorySegment at(MemorySegment flat, String name) {
        long[] s = slices.get(name);
        if (s == null) {
            throw new IllegalArgumentException("no parameter " + name);
        }
        return MemorySegment.ofAddress(flat.address() + s[0] * Float.BYTES);
    }

    // ------------------------------------------------------------------------------------------------ batches

    /**
     * Packs a batch into the next slot's pinned memory and starts its copy on the copy stream (returns at once).
     * Stage batch b + 1 before waiting for batch b: its copy then overlaps b's computation.
     *
     * @param windows  ASCII windows
     * @param halfLife {@code n × halfLifeCount} network inputs, row by row
     * @param targets  {@code n × outputs} z-scored targets (ignored when null: evaluation)
     * @param keep     per dense layer {@code n × out} dropout factors (0 or 1 / (1 - rate); 1 where no dropout), or null
     *                 for none (evaluation)
     * @return the staged batch
     */
    public Batch stage(List<byte[]> windows, float[] halfLife, float[] targets, float[][] keep) {
        int n = windows.size();
        if (n < 1 || n > maxBatch) {
            throw new IllegalArgumentException(n + " windows for a batch of 1 to " + maxBatch);
        }
        int k = nextSlot;
        nextSlot = (nextSlot + 1) % slots.length;
        Slot s = slots[k];
        // the slot's previous batch must be done with its device copy before the host memory is rewritten
        Status.cuda(cuda_runtime_api_h.cudaStreamSynchronize(copyStream), "cudaStreamSynchronize (copies)");
        OneHotInput.Staged staged = input.stage((bytes, alignment) -> s.hostMemory().asSlice(0, bytes), windows, 0);
        int hl = shape.halfLifeCount();
        MemorySegment.copy(halfLife, 0, s.hostMemory(), ValueLayout.JAVA_FLOAT, s.halfLifeOffset(), n * hl);
        if (targets != null) {
            MemorySegment.copy(targets, 0, s.hostMemory(), ValueLayout.JAVA_FLOAT, s.targetOffset(), n * shape.outputs());
        }
        if (keep != null) {
            for (int l = 0; l < keep.length; l++) {
                MemorySegment.copy(keep[l], 0, s.hostMemory(), ValueLayout.JAVA_FLOAT, s.keepOffsets()[l],
                        n * shape.dense().get(l).out());
            }
        }
        // the slot's device memory may still be read by the batch it held before: wait for its release (an event never
        // recorded counts as done)
        Status.cuda(cuda_runtime_api_h.cudaStreamWaitEvent(copyStream, s.released(), 0), "cudaStreamWaitEvent (slot)");
        Status.cuda(cuda_runtime_api_h.cudaMemcpyAsync(s.device(), s.hostMemory(), s.bytes(),
                cuda_runtime_api_h.cudaMemcpyHostToDevice(), copyStream), "cudaMemcpyAsync (batch " + s.bytes() + " bytes)");
        Status.cuda(cuda_runtime_api_h.cudaEventRecord(s.copied(), copyStream), "cudaEventRecord");
        return new Batch(k, n, staged);
    }

    private int nextSlot;

    /**
     * Forward with dropout, loss, backward into the gradient buffer for a staged training batch; waits for it.
     *
     * @param batch                from {@link #stage} with targets and keep factors
     * @param zeroFirstConvolution hold the first convolution's weight gradient at zero (half-life-only models)
     * @return the batch's sum of squared errors (z-scored units)
     */
    public double gradients(Batch batch, boolean zeroFirstConvolution) {
        startGradients(batch, zeroFirstConvolution);
        return finishGradients();
    }

    /**
     * As {@link #gradients}, without waiting: the work is queued on the device and this returns at once, so the host
     * can {@link #stage} the next batch meanwhile; {@link #finishGradients} waits.
     *
     * @param batch                from {@link #stage} with targets and keep factors
     * @param zeroFirstConvolution hold the first convolution's weight gradient at zero
     */
    public void startGradients(Batch batch, boolean zeroFirstConvolution) {
        int n = batch.windows;
        Slot s = slots[batch.slot];
        forward(batch, true);
        int outputs = shape.outputs();
        MemorySegment prediction = act[act.length - 1];
        cuda.zero(lossSum, Float.BYTES);
        cuda.launch("mse_loss", (long) n * outputs, prediction, offset(s.device(), s.targetOffset()), (long) n * outputs,
                predictionGrad, lossSum);
        backward(n, s);
        Status.cuda(cuda_runtime_api_h.cudaEventRecord(s.released(), cuda.stream), "cudaEventRecord (slot released)");
        if (zeroFirstConvolution) {
            NetworkShape.ConvBlock first = shape.blocks().getFirst();
            cuda.zero(at(grads, first.conv().name() + ".weight"), slices.get(first.conv().name() + ".weight")[1] * Float.BYTES);
        }
        cuda.download(lossSum, scratch, Float.BYTES);
    }

    /**
     * Waits for the batch {@link #startGradients} queued.
     *
     * @return its sum of squared errors (z-scored units)
     */
    public double finishGradients() {
        cuda.synchronize();
        return scratch.get(ValueLayout.JAVA_FLOAT, 0);
    }

    /**
     * The network's outputs (z-scored, no dropout) for a staged batch; waits for them.
     *
     * @return {@code n × outputs}, row by row
     */
    public float[] predict(Batch batch) {
        int n = batch.windows;
        forward(batch, false);
        Status.cuda(cuda_runtime_api_h.cudaEventRecord(slots[batch.slot].released(), cuda.stream), "cudaEventRecord (slot released)");
        float[] out = new float[n * shape.outputs()];
        try (Arena a = Arena.ofConfined()) {
            MemorySegment y = a.allocate(ValueLayout.JAVA_FLOAT, out.length);
            cuda.download(act[act.length - 1], y, (long) out.length * Float.BYTES);
            cuda.synchronize();
            MemorySegment.copy(y, ValueLayout.JAVA_FLOAT, 0, out, 0, out.length);
        }
        return out;
    }

    /**
     * One Adam step over every parameter with the gradient left by {@link #gradients}, as PyTorch's Adam (and the
     * CPU trainer's): {@code stepSize = lr / (1 - beta1^t)}, {@code bc2Sqrt = sqrt(1 - beta2^t)}.
     */
    public void adamStep(float beta1, float beta2, float eps, float stepSize, float bc2Sqrt) {
        cuda.launch("adam_step", totalFloats, params, grads, adamM, adamV, totalFloats, beta1, beta2, eps, stepSize, bc2Sqrt);
    }

    /**
     * Whether any parameter or Adam moment is NaN or infinite (waits for the step before).
     *
     * @return true when one is
     */
    public boolean nonFinite() {
        cuda.zero(flag, Integer.BYTES);
        for (MemorySegment m : List.of(params, adamM, adamV)) {
            cuda.launch("flag_nonfinite", totalFloats, m, totalFloats, flag);
        }
        cuda.download(flag, MemorySegment.ofAddress(scratch.address() + 8), Integer.BYTES);
        cuda.synchronize();
        return scratch.get(ValueLayout.JAVA_INT, 8) != 0;
    }

    /**
     * A layer's activations from the last forward pass, for the layer-by-layer checks: a block's pooled map
     * ({@code n × channels × length}, after bias and activation) or a dense layer's output (after activation and dropout).
     *
     * @param layer a convolution's or a dense layer's name
     * @param n     windows of the last batch
     * @return the values
     */
    public float[] activations(String layer, int n) {
        MemorySegment device = null;
        long count = 0;
        for (GpuConvBlock b : blocks) {
            if (b.conv.name().equals(layer)) {
                device = b.pooled;
                count = (long) n * b.conv.outChannels() * b.poolLength;
            }
        }
        for (int l = 0; l < shape.dense().size(); l++) {
            if (shape.dense().get(l).layer().name().equals(layer)) {
                device = act[l];
                count = (long) n * shape.dense().get(l).out();
            }
        }
        if (device == null) {
            throw new IllegalArgumentException("no convolution or dense layer named " + layer);
        }
        float[] out = new float[Math.toIntExact(count)];
        try (Arena a = Arena.ofConfined()) {
            MemorySegment h = a.allocate(ValueLayout.JAVA_FLOAT, count);
            cuda.download(device, h, count * Float.BYTES);
            cuda.synchronize();
            MemorySegment.copy(h, ValueLayout.JAVA_FLOAT, 0, out, 0, out.length);
        }
        return out;
    }

    private static MemorySegment offset(MemorySegment base, long bytes) {
        return MemorySegment.ofAddress(base.address() + bytes);
    }

    private void forward(Batch batch, boolean training) {
        int n = batch.windows;
        Slot s = slots[batch.slot];
        Status.cuda(cuda_runtime_api_h.cudaStreamWaitEvent(cuda.stream, s.copied(), 0), "cudaStreamWaitEvent");
        try (Arena a = Arena.ofConfined()) {
            input.expand(a, batch.staged, s.device());   // ambiguous runs, if any, are patched synchronously
        }
        MemorySegment in = input.onehot;
        for (GpuConvBlock b : blocks) {
            in = b.forwardTraining(cuda, n, in, at(params, b.conv.name() + ".weight"), at(params, b.conv.name() + ".bias"),
                    workspace, workspaceBytes, one, zero);
        }
        cuda.launch("concat_halflife", (long) n * shape.denseInputs(), in, offset(s.device(), s.halfLifeOffset()), n,
                shape.finalChannels(), shape.finalLength(), shape.halfLifeCount(),
                shape.flattenOrder() == FlattenOrder.POSITION_MAJOR ? 1 : 0, denseIn);
        MemorySegment x = denseIn;
        for (int l = 0; l < shape.dense().size(); l++) {
            NetworkShape.DenseStep d = shape.dense().get(l);
            String name = d.layer().name();
            // row-major Y[n][out] = X[n][in] W^T, W [out][in]: column-major Y' = op_T(W') X' (as GpuForward)
            Status.cublas(cublas_api_h.cublasSgemm_v2(cuda.cublas, cublas_api_h.CUBLAS_OP_T(), cublas_api_h.CUBLAS_OP_N(),
                    d.out(), n, d.in(), one, at(params, name + ".weight"), d.in(), x, d.in(), zero, act[l], d.out()),
                    "cublasSgemm(" + name + ")");
            cuda.launch("add_bias", (long) n * d.out(), act[l], at(params, name + ".bias"), n, d.out(), 1, d.relu() ? 1 : 0);
            if (training && d.dropout() > 0f) {
                cuda.launch("multiply", (long) n * d.out(), act[l], offset(s.device(), s.keepOffsets()[l]), (long) n * d.out());
            }
            x = act[l];
        }
    }

    private void backward(int n, Slot s) {
        List<NetworkShape.DenseStep> dense = shape.dense();
        MemorySegment dOut = predictionGrad;
        for (int l = dense.size() - 1; l >= 0; l--) {
            NetworkShape.DenseStep d = dense.get(l);
            String name = d.layer().name();
            MemorySegment in = l == 0 ? denseIn : act[l - 1];
            MemorySegment dIn = l == 0 ? dDenseIn : dAct[l - 1];
            // g = dOut * keep, zero where the ReLU was off (keep is 1 where the layer has no dropout)
            cuda.launch("dense_act_backward", (long) n * d.out(), dOut, act[l], offset(s.device(), s.keepOffsets()[l]),
                    (long) n * d.out(), d.relu() ? 1 : 0, g[l]);
            // dW [out][in] = G^T X: column-major dW' (in x out) = X' (in x n) G'^T
            Status.cublas(cublas_api_h.cublasSgemm_v2(cuda.cublas, cublas_api_h.CUBLAS_OP_N(), cublas_api_h.CUBLAS_OP_T(),
                    d.in(), d.out(), n, one, in, d.in(), g[l], d.out(), zero, at(grads, name + ".weight"), d.in()),
                    "cublasSgemm(" + name + " weight gradient)");
            cuda.launchBlocks("bias_grad", d.out(), GpuConvBlock.REDUCE_THREADS, GpuConvBlock.REDUCE_THREADS * Float.BYTES,
                    g[l], at(grads, name + ".bias"), n, d.out(), 1);
            // dX [n][in] = G W: column-major dX' (in x n) = W' (in x out) G' (out x n)
            Status.cublas(cublas_api_h.cublasSgemm_v2(cuda.cublas, cublas_api_h.CUBLAS_OP_N(), cublas_api_h.CUBLAS_OP_N(),
                    d.in(), n, d.out(), one, at(params, name + ".weight"), d.in(), g[l], d.out(), zero, dIn, d.in()),
                    "cublasSgemm(" + name + " input gradient)");
            dOut = dIn;
        }
        GpuConvBlock last = blocks.getLast();
        cuda.launch("unflatten_grad", (long) n * shape.flatSize(), dDenseIn, n, shape.finalChannels(), shape.finalLength(),
                shape.halfLifeCount(), shape.flattenOrder() == FlattenOrder.POSITION_MAJOR ? 1 : 0, last.dPooled);
        for (int b = blocks.size() - 1; b >= 0; b--) {
            GpuConvBlock k = blocks.get(b);
            MemorySegment in = b == 0 ? input.onehot : blocks.get(b - 1).pooled;
            MemorySegment dIn = b == 0 ? MemorySegment.NULL : blocks.get(b - 1).dPooled;
            k.backward(cuda, n, in, at(params, k.conv.name() + ".weight"), at(grads, k.conv.name() + ".weight"),
                    at(grads, k.conv.name() + ".bias"), dIn, workspace, workspaceBytes, one, zero);
        }
    }

    /** Frees everything on the device and the pinned host memory (idempotent). */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            closeAll(cuda);
        }
    }

    private void closeAll(CudaContext context) {
        RuntimeException failure;
        try {
            failure = CudnnDescriptor.closeAll(descriptors);
            for (Slot s : slots) {
                if (s != null) {
                    cuda_runtime_api_h.cudaEventDestroy(s.copied());
                    cuda_runtime_api_h.cudaEventDestroy(s.released());
                }
            }
            if (copyStream != null) {
                cuda_runtime_api_h.cudaStreamSynchronize(copyStream);
                cuda_runtime_api_h.cudaStreamDestroy(copyStream);
            }
            context.close();
        } finally {
            host.close();   // the pinned slots (cudaFreeHost) and the scalars
        }
        if (failure != null) {
            throw failure;
        }
    }
}
