package dev.scep.runtime.gpu;

import dev.scep.nativebindings.Status;
import dev.scep.nativebindings.cuda.cudnnConvolutionBwdDataAlgoPerf_t;
import dev.scep.nativebindings.cuda.cudnnConvolutionBwdFilterAlgoPerf_t;
import dev.scep.nativebindings.cuda.cudnnConvolutionFwdAlgoPerf_t;
import dev.scep.nativebindings.cuda.cudnn_cnn_h;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The convolution algorithm for one direction of one convolution shape, chosen once (at the largest batch) from
 * cuDNN's heuristic ranking ({@code cudnnGet...Algorithm_v7}, fastest first), the way PyTorch's cuDNN code walks its
 * candidates: the first whose status is success, whose workspace fits the memory budget (FFT and FFT_TILING can ask
 * for gigabytes at W = 10,504), whose math is plain float32 ({@code CUDNN_FMA_MATH} preferred, {@code
 * CUDNN_DEFAULT_MATH} as a fall-back: no TF32 tensor-op algorithm, cudnn_graph.h {@code cudnnMathType_t}), and, for
 * training, deterministic
 * ({@code CUDNN_DETERMINISTIC}: the backward-filter algorithms 0 and 3 accumulate with atomics, so their sums vary
 * from run to run).
 */
final class ConvolutionAlgorithms {
    /** The three directions of a convolution. */
    enum Direction { FORWARD, BACKWARD_DATA, BACKWARD_FILTER }

    /**
     * An algorithm and the workspace it needs at the batch it was chosen for.
     *
     * @param algo           cuDNN's algorithm number for the direction
     * @param workspaceBytes bytes of workspace
     */
    record Choice(int algo, long workspaceBytes) {
    }

    private static final int CANDIDATES = 8;
    private static final int DETERMINISTIC = 1;   // cudnnDeterminism_t CUDNN_DETERMINISTIC

    private ConvolutionAlgorithms() {
    }

    /**
     * Chooses the algorithm for {@code direction} of the convolution {@code x * w -> y}.
     *
     * @param budget        most workspace bytes allowed
     * @param deterministic only deterministic algorithms (training)
     * @throws IllegalStateException when no candidate qualifies, naming what each one lacked
     */
    static Choice choose(CudaContext cuda, Direction direction, MemorySegment x, MemorySegment w, MemorySegment conv,
                         MemorySegment y, long budget, boolean deterministic, String name) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment count = a.allocate(ValueLayout.JAVA_INT);
            MemorySegment perf = switch (direction) {
                case FORWARD -> cudnnConvolutionFwdAlgoPerf_t.allocateArray(CANDIDATES, a);
                case BACKWARD_DATA -> cudnnConvolutionBwdDataAlgoPerf_t.allocateArray(CANDIDATES, a);
                case BACKWARD_FILTER -> cudnnConvolutionBwdFilterAlgoPerf_t.allocateArray(CANDIDATES, a);
            };
            // the argument order is each query's own (cudnn_cnn.h): forward (x, w, conv, y), backward data
            // (w, dy, conv, dx), backward filter (x, dy, conv, dw)
            Status.cudnn(switch (direction) {
                case FORWARD -> cudnn_cnn_h.cudnnGetConvolutionForwardAlgorithm_v7(cuda.cudnn, x, w, conv, y, CANDIDATES, count, perf);
                case BACKWARD_DATA -> cudnn_cnn_h.cudnnGetConvolutionBackwardDataAlgorithm_v7(cuda.cudnn, w, y, conv, x, CANDIDATES, count, perf);
                case BACKWARD_FILTER -> cudnn_cnn_h.cudnnGetConvolutionBackwardFilterAlgorithm_v7(cuda.cudnn, x, y, conv, w, CANDIDATES, count, perf);
            }, "cudnnGetConvolution" + direction + "Algorithm_v7(" + name + ")");
            java.util.List<Perf> entries = new java.util.ArrayList<>();
            for (int i = 0; i < count.get(ValueLayout.JAVA_INT, 0); i++) {
                entries.add(perf(direction, perf, i));
            }
            StringBuilder refused = new StringBuilder();
            Perf p = pick(entries, budget, deterministic, refused);
            if (p == null) {
                throw new IllegalStateException("cuDNN offers no usable " + direction.name().toLowerCase(java.util.Locale.ROOT)
                        + " algorithm for " + name + " (" + refused + ")");
            }
            return new Choice(p.algo(), workspace(cuda, direction, x, w, conv, y, p.algo(), name));
        }
    }

    /**
     * The first qualifying entry of cuDNN's ranking, in two passes: an entry labelled {@code CUDNN_FMA_MATH} (the
     * descriptor's math type) first, {@code CUDNN_DEFAULT_MATH} only when none qualifies (on Ampere and later
     * DEFAULT_MATH permits TF32 for float data, cudnn_graph.h {@code cudnnMathType_t}; the descriptor's FMA setting
     * then decides what runs).
     *
     * @param refused receives why each entry was refused, when none qualifies
     * @return the entry, or null
     */
    static Perf pick(java.util.List<Perf> entries, long budget, boolean deterministic, StringBuilder refused) {
        int fma = 3;       // cudnnMathType_t CUDNN_FMA_MATH
        int plain = 0;     // CUDNN_DEFAULT_MATH
        for (int allowed : new int[]{fma, plain}) {
            for (Perf p : entries) {
                if (why(p, budget, deterministic, fma, plain) == null && p.mathType() == allowed) {
                    return p;
                }
            }
        }
        for (Perf p : entries) {
            refused.append(refused.isEmpty() ? "" : "; ").append("algorithm ").append(p.algo()).append(": ")
                    .append(why(p, budget, deterministic, fma, plain));
        }
        return null;
    }

    private static String why(Perf p, long budget, boolean deterministic, int fma, int plain) {
        return p.status() != 0 ? "status " + p.status()
                : p.memory() > budget ? "workspace " + p.memory() + " B over the budget of " + budget + " B"
                : p.mathType() != plain && p.mathType() != fma ? "math type " + p.mathType() + " (tensor ops)"
                : deterministic && p.determinism() != DETERMINISTIC ? "not deterministic" : null;
    }

    /**
     * The workspace {@code algo} needs for the descriptors' current batch size (checked whenever a smaller batch runs
     * with the workspace sized at the largest).
     */
    static long workspace(CudaContext cuda, Direction direction, MemorySegment x, MemorySegment w, MemorySegment conv,
                          MemorySegment y, int algo, String name) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment size = a.allocate(ValueLayout.JAVA_LONG);
            Status.cudnn(switch (direction) {
                case FORWARD -> cudnn_cnn_h.cudnnGetConvolutionForwardWorkspaceSize(cuda.cudnn, x, w, conv, y, algo, size);
                case BACKWARD_DATA -> cudnn_cnn_h.cudnnGetConvolutionBackwardDataWorkspaceSize(cuda.cudnn, w, y, conv, x, algo, size);
                case BACKWARD_FILTER -> cudnn_cnn_h.cudnnGetConvolutionBackwardFilterWorkspaceSize(cuda.cudnn, x, y, conv, w, algo, size);
            }, "cudnnGetConvolution" + direction + "WorkspaceSize(" + name + ")");
            return size.get(ValueLayout.JAVA_LONG, 0);
        }
    }

    /** One entry of cuDNN's ranking ({@code cudnnConvolution...AlgoPerf_t}). */
    record Perf(int algo, int status, long memory, int determinism, int mathType) {
    }

    private static Perf perf(Direction direction, MemorySegment array, int i) {
        return switch (direction) {
            case FORWARD -> {
                MemorySegment e = cudnnConvolutionFwdAlgoPerf_t.asSlice(array, i);
                yield new Perf(cudnnConvolutionFwdAlgoPerf_t.algo(e), cudnnConvolutionFwdAlgoPerf_t.status(e),
                        cudnnConvolutionFwdAlgoPerf_t.memory(e), cudnnConvolutionFwdAlgoPerf_t.determinism(e),
                        cudnnConvolutionFwdAlgoPerf_t.mathType(e));
            }
            case BACKWARD_DATA -> {
                MemorySegment e = cudnnConvolutionBwdDataAlgoPerf_t.asSlice(array, i);
                yield new Perf(cudnnConvolutionBwdDataAlgoPerf_t.algo(e), cudnnConvolutionBwdDataAlgoPerf_t.status(e),
                        cudnnConvolutionBwdDataAlgoPerf_t.memory(e), cudnnConvolutionBwdDataAlgoPerf_t.determinism(e),
                        cudnnConvolutionBwdDataAlgoPerf_t.mathType(e));
            }
            case BACKWARD_FILTER -> {
                MemorySegment e = cudnnConvolutionBwdFilterAlgoPerf_t.asSlice(array, i);
                yield new Perf(cudnnConvolutionBwdFilterAlgoPerf_t.algo(e), cudnnConvolutionBwdFilterAlgoPerf_t.status(e),
                        cudnnConvolutionBwdFilterAlgoPerf_t.memory(e), cudnnConvolutionBwdFilterAlgoPerf_t.determinism(e),
                        cudnnConvolutionBwdFilterAlgoPerf_t.mathType(e));
            }
        };
    }
}
