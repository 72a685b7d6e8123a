package dev.scep.runtime.gpu;

import dev.scep.nativebindings.DeviceMemory;
import dev.scep.nativebindings.GpuProbe;
import dev.scep.nativebindings.Status;
import dev.scep.nativebindings.cuda.cublas_api_h;
import dev.scep.nativebindings.cuda.cuda_h;
import dev.scep.nativebindings.cuda.cuda_runtime_api_h;
import dev.scep.nativebindings.cuda.cudnn_graph_h;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.HashMap;
import java.util.Map;

/**
 * One GPU's working state for scep: device 0, a stream, cuDNN and cuBLAS handles bound to it, scep's NVRTC-compiled
 * kernels loaded as a module, and an arena that owns every device buffer made through {@link #allocateFloats} or {@link #allocateBytes}. Closing it
 * frees all of that. Not thread-safe: one per thread.
 */
public final class CudaContext implements AutoCloseable {
    private static final int BLOCK = 256;

    final Arena arena = Arena.ofShared();
    // each handle is NULL until made: close() releases what exists, after a failed constructor too
    MemorySegment stream = MemorySegment.NULL;
    MemorySegment cudnn = MemorySegment.NULL;
    MemorySegment cublas = MemorySegment.NULL;
    private MemorySegment module = MemorySegment.NULL;
    private final Map<String, MemorySegment> functions = new HashMap<>();
    final String device;
    private boolean closed;

    /**
     * Device 0 with scep's kernels loaded.
     *
     * @throws dev.scep.nativebindings.GpuUnavailableException when no library or device works
     */
    public CudaContext() {
        GpuProbe.Report report = GpuProbe.require();
        this.device = report.device();
        try {
            open();
        } catch (RuntimeException e) {
            try {
                close();
            } catch (RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    private void open() {
        try (Arena a = Arena.ofConfined()) {
            Status.cuda(cuda_runtime_api_h.cudaSetDevice(0), "cudaSetDevice(0)");
            Status.cuda(cuda_runtime_api_h.cudaFree(MemorySegment.NULL), "cudaFree(NULL) (creating the context)");
            MemorySegment cell = a.allocate(ValueLayout.ADDRESS);
            Status.cuda(cuda_runtime_api_h.cudaStreamCreate(cell), "cudaStreamCreate");
            stream = cell.get(ValueLayout.ADDRESS, 0);
            Status.cudnn(cudnn_graph_h.cudnnCreate(cell), "cudnnCreate");
            cudnn = cell.get(ValueLayout.ADDRESS, 0);
            Status.cudnn(cudnn_graph_h.cudnnSetStream(cudnn, stream), "cudnnSetStream");
            Status.cublas(cublas_api_h.cublasCreate_v2(cell), "cublasCreate");
            cublas = cell.get(ValueLayout.ADDRESS, 0);
            Status.cublas(cublas_api_h.cublasSetStream_v2(cublas, stream), "cublasSetStream");
            // plain float32 arithmetic (no TF32 tensor cores), so results can be held to the CPU's within 1e-4
            Status.cublas(cublas_api_h.cublasSetMathMode(cublas, cublas_api_h.CUBLAS_PEDANTIC_MATH()), "cublasSetMathMode");
            MemorySegment v = a.allocate(ValueLayout.JAVA_INT);
            Status.cuda(cuda_runtime_api_h.cudaDeviceGetAttribute(v, cuda_runtime_api_h.cudaDevAttrComputeCapabilityMajor(), 0),
                    "cudaDeviceGetAttribute(major)");
            int major = v.get(ValueLayout.JAVA_INT, 0);
            Status.cuda(cuda_runtime_api_h.cudaDeviceGetAttribute(v, cuda_runtime_api_h.cudaDevAttrComputeCapabilityMinor(), 0),
                    "cudaDeviceGetAttribute(minor)");
            int minor = v.get(ValueLayout.JAVA_INT, 0);
            module = loadKernels(a, cell, major, minor);
            for (String name : GpuKernels.NAMES) {
                Status.cu(cuda_h.cuModuleGetFunction(cell, module, a.allocateFrom(name)), "cuModuleGetFunction(" + name + ")");
                functions.put(name, cell.get(ValueLayout.ADDRESS, 0));
            }
        }
    }

    /**
     * scep's kernels as a module: a CUBIN for the device's architecture first (no PTX step in the driver, so an NVRTC
     * newer than the driver is no obstacle: GPU-REVIEW risk 3), then PTX when that fails; both failures are named.
     */
    private static MemorySegment loadKernels(Arena a, MemorySegment cell, int major, int minor) {
        RuntimeException cubinFailure;
        try {
            byte[] cubin = GpuKernels.cubin(major, minor);
            Status.cu(cuda_h.cuModuleLoadData(cell, a.allocateFrom(ValueLayout.JAVA_BYTE, cubin)),
                    "cuModuleLoadData(scep_kernels, CUBIN for sm_" + major + minor + ")");
            return cell.get(ValueLayout.ADDRESS, 0);
        } catch (RuntimeException e) {
            cubinFailure = e;
        }
        try {
            Status.cu(cuda_h.cuModuleLoadData(cell, a.allocateFrom(GpuKernels.ptx(major, minor))),
                    "cuModuleLoadData(scep_kernels, PTX for compute_" + major + minor + ")");
            org.slf4j.LoggerFactory.getLogger(CudaContext.class).info("scep's kernels loaded as PTX; the CUBIN failed: {}",
                    cubinFailure.getMessage());
            return cell.get(ValueLayout.ADDRESS, 0);
        } catch (RuntimeException e) {
            e.addSuppressed(cubinFailure);
            throw e;
        }
    }

    /** Device memory for {@code floats} floats, freed with the context. */
    MemorySegment allocateFloats(long floats) {
        return DeviceMemory.allocate(arena, Math.max(1, floats) * Float.BYTES);
    }

    MemorySegment allocateBytes(long bytes) {
        return DeviceMemory.allocate(arena, Math.max(1, bytes));
    }

    /** Host-to-device copy on the stream (the host segment must stay alive until the stream passes it). */
    void upload(MemorySegment host, MemorySegment device, long bytes) {
        Status.cuda(cuda_runtime_api_h.cudaMemcpyAsync(device, host, bytes, cuda_runtime_api_h.cudaMemcpyHostToDevice(), stream),
                "cudaMemcpyAsync host to device (" + bytes + " bytes)");
    }

    void download(MemorySegment device, MemorySegment host, long bytes) {
        Status.cuda(cuda_runtime_api_h.cudaMemcpyAsync(host, device, bytes, cuda_runtime_api_h.cudaMemcpyDeviceToHost(), stream),
                "cudaMemcpyAsync device to host (" + bytes + " bytes)");
    }

    void zero(MemorySegment device, long bytes) {
        Status.cuda(cuda_runtime_api_h.cudaMemsetAsync(device, 0, bytes, stream), "cudaMemsetAsync");
    }

    void synchronize() {
        Status.cuda(cuda_runtime_api_h.cudaStreamSynchronize(stream), "cudaStreamSynchronize");
    }

    /**
     * Launches kernel {@code name} over {@code elements} threads (blocks of 256) on the stream. Arguments: Integer,
     * Long, Float, int[4] (a CUDA int4) or a device pointer (MemorySegment), in the kernel's order.
     */
    void launch(String name, long elements, Object... args) {
        launchBlocks(name, (int) ((elements + BLOCK - 1) / BLOCK), BLOCK, 0, args);
    }

    void launchBlocks(String name, int blocks, int threads, int sharedBytes, Object... args) {
        if (blocks == 0) {
            return;
        }
        try (Arena a = Arena.ofConfined()) {
            MemorySegment params = a.allocate(ValueLayout.ADDRESS, args.length);
            for (int i = 0; i < args.length; i++) {
                MemorySegment cell = switch (args[i]) {
                    case Integer v -> a.allocateFrom(ValueLayout.JAVA_INT, v);
                    case Long v -> a.allocateFrom(ValueLayout.JAVA_LONG, v);
                    case Float v -> a.allocateFrom(ValueLayout.JAVA_FLOAT, v);
                    case int[] v when v.length == 4 -> a.allocate(16, 16).copyFrom(MemorySegment.ofArray(v));
                    case MemorySegment p -> a.allocateFrom(ValueLayout.ADDRESS, p);
                    default -> throw new IllegalArgumentException("kernel argument of type " + args[i].getClass());
                };
                params.setAtIndex(ValueLayout.ADDRESS, i, cell);
            }
            Status.cu(cuda_h.cuLaunchKernel(functions.get(name), blocks, 1, 1, threads, 1, 1, sharedBytes, stream, params,
                    MemorySegment.NULL), "cuLaunchKernel(" + name + ")");
        }
    }

    /** Free and total device memory now, in bytes (cudaMemGetInfo). */
    public long[] memoryInfo() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment free = a.allocate(ValueLayout.JAVA_LONG);
            MemorySegment total = a.allocate(ValueLayout.JAVA_LONG);
            Status.cuda(cuda_runtime_api_h.cudaMemGetInfo(free, total), "cudaMemGetInfo");
            return new long[]{free.get(ValueLayout.JAVA_LONG, 0), total.get(ValueLayout.JAVA_LONG, 0)};
        }
    }

    /** Releases whatever exists (idempotent; also after a constructor that failed half-way). */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (!stream.equals(MemorySegment.NULL)) {
                cuda_runtime_api_h.cudaStreamSynchronize(stream);   // nothing queued may still read what is freed below
            }
            if (!cublas.equals(MemorySegment.NULL)) {
                cublas_api_h.cublasDestroy_v2(cublas);
            }
            if (!cudnn.equals(MemorySegment.NULL)) {
                cudnn_graph_h.cudnnDestroy(cudnn);
            }
            if (!module.equals(MemorySegment.NULL)) {
                cuda_h.cuModuleUnload(module);
            }
        } finally {
            arena.close();   // frees every device buffer
            if (!stream.equals(MemorySegment.NULL)) {
                cuda_runtime_api_h.cudaStreamDestroy(stream);
            }
        }
    }
}
