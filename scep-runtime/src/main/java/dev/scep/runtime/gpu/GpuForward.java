package dev.scep.runtime.gpu;

import dev.scep.formats.model.Activation;
import dev.scep.formats.model.Architecture;
import dev.scep.formats.model.FlattenOrder;
import dev.scep.formats.model.Layer;
import dev.scep.formats.model.ScepModel;
import dev.scep.nativebindings.Status;
import dev.scep.nativebindings.cuda.cublas_api_h;
import dev.scep.nativebindings.cuda.cudnnConvolutionFwdAlgoPerf_t;
import dev.scep.nativebindings.cuda.cudnn_cnn_h;
import dev.scep.nativebindings.cuda.cudnn_graph_h;
import dev.scep.nativebindings.cuda.cudnn_ops_h;
import dev.scep.runtime.BaseCodes;
import dev.scep.runtime.HalfLifeInput;
import dev.scep.runtime.InvalidSequenceException;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The scEP-family forward pass on the GPU, for batches of up to {@code maxBatch} windows: cuDNN for the
 * convolutions and max pooling, scep's NVRTC kernels for one-hot expansion (from 2-bit packed windows), bias with
 * ReLU and the concatenation with the half-life features, cuBLAS for the dense layers. It reads the same
 * {@link ScepModel} as the CPU engine and averages its ensemble members the same way; outputs are raw (z-scored).
 *
 * <p>Arithmetic is plain float32 (TF32 off in cuDNN and cuBLAS). Written without GPU access: {@code GpuForwardTest}
 * holds it to the CPU engine within 1e-4 on machines with a GPU and skips elsewhere.
 */
public final class GpuForward implements AutoCloseable {
    private final ScepModel model;
    private final int maxBatch;
    private final CudaContext cuda;
    private final int length;                 // window length
    private final int row;                    // one-hot row: window plus conv1's padding
    private final int bytesPerWindow;
    private final int[] channelOfCode;        // 2-bit code (A, C, G, T) -> model channel
    private final int[] channelBases;         // model channel -> base mask
    private final List<Block> blocks = new ArrayList<>();
    private final List<Layer.Dense> dense;
    private final List<Member> members = new ArrayList<>();
    private final FlattenOrder flatten;
    private final int halfLife;
    private final int flatChannels;
    private final int flatPositions;
    private final MemorySegment packed;       // device: batch x bytesPerWindow
    private final MemorySegment onehot;       // device: batch x 4 x row
    private final MemorySegment[] maps;       // device: per block, conv output and pooled output
    private final MemorySegment denseIn;      // device: batch x (flat + halfLife)
    private final MemorySegment[] denseOut;   // device: per dense layer
    private final MemorySegment halfLifeDev;  // device: batch x halfLife
    private final MemorySegment workspace;
    private final long workspaceBytes;
    private final MemorySegment one;
    private final MemorySegment zero;
    private final Arena host = Arena.ofShared();
    private final List<Runnable> destroyers = new ArrayList<>();   // the cuDNN descriptors, destroyed at close
    private MemorySegment runTable;           // device: the ambiguous runs of a batch (patchAmbiguous)
    private long runTableBytes;

    /** One convolution + pooling block's shapes and cuDNN descriptors. */
    private record Block(Layer.Conv1d conv, Layer.MaxPool1d pool, int inLength, int convLength, int poolLength,
                         MemorySegment xDesc, MemorySegment wDesc, MemorySegment convDesc, MemorySegment yDesc,
                         MemorySegment poolDesc, MemorySegment pDesc, int algo) {
    }

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
        this.maxBatch = maxBatch;
        this.length = model.windowLength();
        Layer.Conv1d c1 = a.convolutions().getFirst();
        this.row = length + c1.padLeft() + c1.padRight();
        this.bytesPerWindow = (length + 3) / 4;
        this.channelBases = BaseCodes.channelBases(model.encoding());
        this.channelOfCode = new int[4];
        int[] codeBases = {BaseCodes.A, BaseCodes.C, BaseCodes.G, BaseCodes.T};
        for (int code = 0; code < 4; code++) {
            for (int ch = 0; ch < 4; ch++) {
                if (channelBases[ch] == codeBases[code]) {
                    channelOfCode[code] = ch;
                }
            }
        }
        this.dense = a.denseLayers();
        this.flatten = a.flatten().order();
        this.halfLife = model.halfLifeFeatures().size();
        this.cuda = new CudaContext();
        try {
            one = host.allocateFrom(ValueLayout.JAVA_FLOAT, 1f);
            zero = host.allocateFrom(ValueLayout.JAVA_FLOAT, 0f);
            int inLength = row;
            int channels = 4;
            long workspaceNeeded = 0;
            maps = new MemorySegment[2 * a.convolutions().size()];
            for (int b = 0; b < a.convolutions().size(); b++) {
                Layer.Conv1d conv = a.convolutions().get(b);
                Layer.MaxPool1d pool = a.pools().get(b);
                // conv1's padding is in the one-hot rows; later convolutions and all pools need even padding for cuDNN
                int pad = b == 0 ? 0 : conv.padLeft();
                if (b > 0 && conv.padLeft() != conv.padRight() || pool.padLeft() != pool.padRight()) {
                    throw new IllegalArgumentException("the GPU engine needs even padding after the first convolution ("
                            + conv.name() + ", " + pool.name() + ")");
                }
                int convLength = inLength + 2 * pad - conv.kernel() + 1;
                int poolLength = pool.outputLength(convLength);
                MemorySegment xDesc = tensor(channels, inLength);
                MemorySegment wDesc = filter(conv.outChannels(), channels, conv.kernel());
                MemorySegment convDesc = convolution(pad);
                MemorySegment yDesc = tensor(conv.outChannels(), convLength);
                MemorySegment poolDesc = pooling(pool);
                MemorySegment pDesc = tensor(conv.outChannels(), poolLength);
                int[] algo = new int[1];
                long ws = forwardAlgorithm(xDesc, wDesc, convDesc, yDesc, algo);
                workspaceNeeded = Math.max(workspaceNeeded, ws);
                blocks.add(new Block(conv, pool, inLength, convLength, poolLength, xDesc, wDesc, convDesc, yDesc, poolDesc,
                        pDesc, algo[0]));
                maps[2 * b] = cuda.allocateFloats((long) maxBatch * conv.outChannels() * convLength);
                maps[2 * b + 1] = cuda.allocateFloats((long) maxBatch * conv.outChannels() * poolLength);
                channels = conv.outChannels();
                inLength = poolLength;
            }
            flatChannels = channels;
            flatPositions = inLength;
            workspaceBytes = workspaceNeeded;
            workspace = cuda.allocateBytes(workspaceNeeded);
            packed = cuda.allocateBytes((long) maxBatch * bytesPerWindow);
            onehot = cuda.allocateFloats((long) maxBatch * 4 * row);
            cuda.zero(onehot, (long) maxBatch * 4 * row * Float.BYTES);   // the padding columns stay zero
            denseIn = cuda.allocateFloats((long) maxBatch * (flatChannels * flatPositions + halfLife));
            halfLifeDev = cuda.allocateFloats((long) maxBatch * Math.max(1, halfLife));
            denseOut = new MemorySegment[dense.size()];
            for (int l = 0; l < dense.size(); l++) {
                denseOut[l] = cuda.allocateFloats((long) maxBatch * dense.get(l).outFeatures());
            }
            for (Map<String, dev.scep.formats.model.Tensor> w : model.members()) {
                members.add(upload(w));
            }
            cuda.synchronize();
        } catch (RuntimeException e) {
            close();
            throw e;
        }
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
        int outputs = dense.getLast().outFeatures();
        double[][] out = new double[n][outputs];
        try (Arena a = Arena.ofConfined()) {
            MemorySegment packedHost = a.allocate((long) n * bytesPerWindow);
            List<int[]> runs = new ArrayList<>();        // window, start, length, mask
            byte[] codes = new byte[length];
            for (int w = 0; w < n; w++) {
                try {
                    BaseCodes.encode(windows.get(w), length, codes, 0);
                } catch (InvalidSequenceException e) {
                    throw e.inBatch(firstIndex + w);
                }
                pack(codes, packedHost, (long) w * bytesPerWindow, w, runs);
            }
            MemorySegment hlHost = a.allocate(ValueLayout.JAVA_FLOAT, (long) n * Math.max(1, halfLife));
            for (int w = 0; w < n; w++) {
                MemorySegment.copy(halfLifeInputs.get(w), 0, hlHost, ValueLayout.JAVA_FLOAT, (long) w * halfLife * Float.BYTES, halfLife);
            }
            cuda.upload(packedHost, packed, packedHost.byteSize());
            if (halfLife > 0) {
                cuda.upload(hlHost, halfLifeDev, (long) n * halfLife * Float.BYTES);
            }
            cuda.launch("expand_onehot", (long) n * length, packed, n, length, bytesPerWindow, channelOfCode, row,
                    blocks.getFirst().conv().padLeft(), onehot);
            if (!runs.isEmpty()) {
                patchAmbiguous(a, runs);
            }
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
        return out;
    }

    private MemorySegment forwardMember(Member m, int n) {
        MemorySegment in = onehot;
        for (int b = 0; b < blocks.size(); b++) {
            Block k = blocks.get(b);
            setBatch(k, n);
            Status.cudnn(cudnn_cnn_h.cudnnConvolutionForward(cuda.cudnn, one, k.xDesc(), in, k.wDesc(), m.convW()[b], k.convDesc(),
                    k.algo(), workspace, workspaceBytes, zero, k.yDesc(), maps[2 * b]), "cudnnConvolutionForward(" + k.conv().name() + ")");
            // max pooling before bias and ReLU: both are monotonic per channel, so the order does not change the values
            Status.cudnn(cudnn_ops_h.cudnnPoolingForward(cuda.cudnn, k.poolDesc(), one, k.yDesc(), maps[2 * b], zero, k.pDesc(),
                    maps[2 * b + 1]), "cudnnPoolingForward(" + k.pool().name() + ")");
            cuda.launch("add_bias", (long) n * k.conv().outChannels() * k.poolLength(), maps[2 * b + 1], m.convB()[b], n,
                    k.conv().outChannels(), k.poolLength(), k.conv().activation() == Activation.RELU ? 1 : 0);
            in = maps[2 * b + 1];
        }
        cuda.launch("concat_halflife", (long) n * (flatChannels * flatPositions + halfLife), in, halfLifeDev, n, flatChannels,
                flatPositions, halfLife, flatten == FlattenOrder.POSITION_MAJOR ? 1 : 0, denseIn);
        MemorySegment x = denseIn;
        for (int l = 0; l < dense.size(); l++) {
            Layer.Dense d = dense.get(l);
            // row-major Y[n][out] = X[n][in] W^T: in cuBLAS's column-major terms Y^T = W^T^T X^T with W stored [out][in]
            Status.cublas(cublas_api_h.cublasSgemm_v2(cuda.cublas, cublas_api_h.CUBLAS_OP_T(), cublas_api_h.CUBLAS_OP_N(),
                    d.outFeatures(), n, d.inFeatures(), one, m.denseW()[l], d.inFeatures(), x, d.inFeatures(), zero, denseOut[l],
                    d.outFeatures()), "cublasSgemm(" + d.name() + ")");
            cuda.launch("add_bias", (long) n * d.outFeatures(), denseOut[l], m.denseB()[l], n, d.outFeatures(), 1,
                    d.activation() == Activation.RELU ? 1 : 0);
            x = denseOut[l];
        }
        return x;
    }

    /** 2 bits per base (A=0, C=1, G=2, T=3); ambiguity codes are written as 0 and listed as runs. */
    private void pack(byte[] codes, MemorySegment dst, long offset, int window, List<int[]> runs) {
        for (int p = 0; p < length; p += 4) {
            int b = 0;
            for (int k = 0; k < 4 && p + k < length; k++) {
                int mask = codes[p + k];
                int code = switch (mask) {
                    case BaseCodes.A -> 0;
                    case BaseCodes.C -> 1;
                    case BaseCodes.G -> 2;
                    case BaseCodes.T -> 3;
                    default -> {
                        int[] last = runs.isEmpty() ? null : runs.getLast();
                        if (last != null && last[0] == window && last[3] == mask && last[1] + last[2] == p + k) {
                            last[2]++;
                        } else {
                            runs.add(new int[]{window, p + k, 1, mask});
                        }
                        yield 0;
                    }
                };
                b |= code << (2 * k);
            }
            dst.set(ValueLayout.JAVA_BYTE, offset + p / 4, (byte) b);
        }
    }

    /**
     * Uploads the batch's ambiguous runs as one table, [float4 weights × r][window × r][start × r][length × r]
     * (the weights first, so they keep the allocation's 16-byte alignment), and patches the one-hot rows with it.
     */
    private void patchAmbiguous(Arena a, List<int[]> runs) {
        int r = runs.size();
        long bytes = 16L * r + 3L * Integer.BYTES * r;
        MemorySegment host = a.allocate(bytes, 16);
        int maxRun = 0;
        for (int i = 0; i < r; i++) {
            int[] run = runs.get(i);
            for (int ch = 0; ch < 4; ch++) {
                host.setAtIndex(ValueLayout.JAVA_FLOAT, 4L * i + ch,
                        (float) BaseCodes.channelValue(run[3], channelBases[ch], model.encoding().ambiguity()));
            }
            for (int f = 0; f < 3; f++) {   // window, start, length
                host.setAtIndex(ValueLayout.JAVA_INT, 4L * r + (long) f * r + i, run[f]);
            }
            maxRun = Math.max(maxRun, run[2]);
        }
        if (bytes > runTableBytes) {   // grown as needed, kept until close (the context's arena frees it)
            runTableBytes = Math.max(bytes, 2 * runTableBytes);
            runTable = cuda.allocateBytes(runTableBytes);
        }
        cuda.upload(host, runTable, bytes);
        long ints = runTable.address() + 16L * r;
        cuda.launch("patch_ambiguous", (long) r * maxRun, MemorySegment.ofAddress(ints),
                MemorySegment.ofAddress(ints + 4L * r), MemorySegment.ofAddress(ints + 8L * r), runTable, r, maxRun, row,
                blocks.getFirst().conv().padLeft(), onehot);
        cuda.synchronize();   // the host table above lives only until this method returns
    }

    private Member upload(Map<String, dev.scep.formats.model.Tensor> w) {
        int nb = blocks.size();
        MemorySegment[] cw = new MemorySegment[nb];
        MemorySegment[] cb = new MemorySegment[nb];
        for (int b = 0; b < nb; b++) {
            Layer.Conv1d c = blocks.get(b).conv();
            cw[b] = copy(w.get(c.name() + ".weight").toArray());      // [out][in][k]: cuDNN's KCRS with R = 1
            cb[b] = copy(w.get(c.name() + ".bias").toArray());
        }
        MemorySegment[] dw = new MemorySegment[dense.size()];
        MemorySegment[] db = new MemorySegment[dense.size()];
        for (int l = 0; l < dense.size(); l++) {
            dw[l] = copy(w.get(dense.get(l).name() + ".weight").toArray());   // [out][in], row-major
            db[l] = copy(w.get(dense.get(l).name() + ".bias").toArray());
        }
        return new Member(cw, cb, dw, db);
    }

    private MemorySegment copy(float[] values) {
        MemorySegment device = cuda.allocateFloats(values.length);
        MemorySegment staging = host.allocateFrom(ValueLayout.JAVA_FLOAT, values);
        cuda.upload(staging, device, (long) values.length * Float.BYTES);
        return device;
    }

    private void setBatch(Block k, int n) {
        set4d(k.xDesc(), n, k.conv().inChannels(), k.inLength());
        set4d(k.yDesc(), n, k.conv().outChannels(), k.convLength());
        set4d(k.pDesc(), n, k.conv().outChannels(), k.poolLength());
    }

    private MemorySegment tensor(int channels, int len) {
        MemorySegment d = create(cudnn_ops_h::cudnnCreateTensorDescriptor, "cudnnCreateTensorDescriptor");
        set4d(d, maxBatch, channels, len);
        return d;
    }

    private static void set4d(MemorySegment desc, int n, int c, int w) {
        Status.cudnn(cudnn_ops_h.cudnnSetTensor4dDescriptor(desc, cudnn_graph_h.CUDNN_TENSOR_NCHW(), cudnn_graph_h.CUDNN_DATA_FLOAT(),
                n, c, 1, w), "cudnnSetTensor4dDescriptor");
    }

    private MemorySegment filter(int out, int in, int kernel) {
        MemorySegment d = create(cudnn_ops_h::cudnnCreateFilterDescriptor, "cudnnCreateFilterDescriptor");
        Status.cudnn(cudnn_ops_h.cudnnSetFilter4dDescriptor(d, cudnn_graph_h.CUDNN_DATA_FLOAT(), cudnn_graph_h.CUDNN_TENSOR_NCHW(),
                out, in, 1, kernel), "cudnnSetFilter4dDescriptor");
        return d;
    }

    private MemorySegment convolution(int pad) {
        MemorySegment d = create(cudnn_cnn_h::cudnnCreateConvolutionDescriptor, "cudnnCreateConvolutionDescriptor");
        Status.cudnn(cudnn_cnn_h.cudnnSetConvolution2dDescriptor(d, 0, pad, 1, 1, 1, 1, cudnn_cnn_h.CUDNN_CROSS_CORRELATION(),
                cudnn_graph_h.CUDNN_DATA_FLOAT()), "cudnnSetConvolution2dDescriptor");
        Status.cudnn(cudnn_cnn_h.cudnnSetConvolutionMathType(d, cudnn_graph_h.CUDNN_FMA_MATH()), "cudnnSetConvolutionMathType");
        return d;
    }

    private MemorySegment pooling(Layer.MaxPool1d p) {
        MemorySegment d = create(cudnn_ops_h::cudnnCreatePoolingDescriptor, "cudnnCreatePoolingDescriptor");
        // padding counts as -infinity in cuDNN's max pooling, as in PyTorch
        Status.cudnn(cudnn_ops_h.cudnnSetPooling2dDescriptor(d, cudnn_ops_h.CUDNN_POOLING_MAX_DETERMINISTIC(),
                cudnn_graph_h.CUDNN_PROPAGATE_NAN(), 1, p.size(), 0, p.padLeft(), 1, p.stride()), "cudnnSetPooling2dDescriptor");
        return d;
    }

    private long forwardAlgorithm(MemorySegment x, MemorySegment w, MemorySegment conv, MemorySegment y, int[] algoOut) {
        try (Arena a = Arena.ofConfined()) {
            int requested = 8;
            MemorySegment count = a.allocate(ValueLayout.JAVA_INT);
            MemorySegment perf = cudnnConvolutionFwdAlgoPerf_t.allocateArray(requested, a);
            Status.cudnn(cudnn_cnn_h.cudnnGetConvolutionForwardAlgorithm_v7(cuda.cudnn, x, w, conv, y, requested, count, perf),
                    "cudnnGetConvolutionForwardAlgorithm_v7");
            for (int i = 0; i < count.get(ValueLayout.JAVA_INT, 0); i++) {
                MemorySegment p = cudnnConvolutionFwdAlgoPerf_t.asSlice(perf, i);
                if (cudnnConvolutionFwdAlgoPerf_t.status(p) == 0) {
                    algoOut[0] = cudnnConvolutionFwdAlgoPerf_t.algo(p);
                    MemorySegment size = a.allocate(ValueLayout.JAVA_LONG);
                    Status.cudnn(cudnn_cnn_h.cudnnGetConvolutionForwardWorkspaceSize(cuda.cudnn, x, w, conv, y, algoOut[0], size),
                            "cudnnGetConvolutionForwardWorkspaceSize");
                    return size.get(ValueLayout.JAVA_LONG, 0);
                }
            }
            throw new IllegalStateException("cuDNN offers no forward algorithm for this convolution");
        }
    }

    private interface Creator {
        int create(MemorySegment out);
    }

    private MemorySegment create(Creator c, String call) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment cell = a.allocate(ValueLayout.ADDRESS);
            Status.cudnn(c.create(cell), call);
            MemorySegment d = cell.get(ValueLayout.ADDRESS, 0);
            String kind = call.substring("cudnnCreate".length());
            destroyers.add(() -> {
                switch (kind) {
                    case "TensorDescriptor" -> cudnn_ops_h.cudnnDestroyTensorDescriptor(d);
                    case "FilterDescriptor" -> cudnn_ops_h.cudnnDestroyFilterDescriptor(d);
                    case "PoolingDescriptor" -> cudnn_ops_h.cudnnDestroyPoolingDescriptor(d);
                    case "ConvolutionDescriptor" -> cudnn_cnn_h.cudnnDestroyConvolutionDescriptor(d);
                    default -> throw new IllegalStateException(call);
                }
            });
            return d;
        }
    }

    @Override
    public void close() {
        try {
            destroyers.forEach(Runnable::run);
            cuda.close();
        } finally {
            host.close();
        }
    }
}
