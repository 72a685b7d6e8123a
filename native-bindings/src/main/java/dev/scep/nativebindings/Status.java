package dev.scep.nativebindings;

import dev.scep.nativebindings.cuda.cublas_api_h;
import dev.scep.nativebindings.cuda.cuda_h;
import dev.scep.nativebindings.cuda.cuda_runtime_api_h;
import dev.scep.nativebindings.cuda.cudnn_graph_h;
import dev.scep.nativebindings.cuda.nvrtc_h;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Turns the status codes of the bound libraries into {@link CudaException}s carrying the library's own error string.
 * Every binding call in scep goes through one of these: {@code Status.cuda(cudaMalloc(p, n), "cudaMalloc")}.
 */
public final class Status {
    private Status() {
    }

    /** CUDA runtime ({@code cudaError_t}).
     *
     * @param status the status a call returned
     * @param call   the call, for the message
     * @throws CudaException unless the status is success
     */
    public static void cuda(int status, String call) {
        if (status != 0) {
            throw new CudaException(CudaLibrary.CUDART, call, status, cudaMessage(status));
        }
    }

    /** CUDA driver API ({@code CUresult}).
     *
     * @param status the status a call returned
     * @param call   the call, for the message
     * @throws CudaException unless the status is success
     */
    public static void cu(int status, String call) {
        if (status != 0) {
            String text;
            try (Arena a = Arena.ofConfined()) {
                MemorySegment name = a.allocate(ValueLayout.ADDRESS);
                MemorySegment str = a.allocate(ValueLayout.ADDRESS);
                boolean named = cuda_h.cuGetErrorName(status, name) == 0;
                boolean described = cuda_h.cuGetErrorString(status, str) == 0;
                text = (named ? cString(name.get(ValueLayout.ADDRESS, 0)) + ": " : "")
                        + (described ? cString(str.get(ValueLayout.ADDRESS, 0)) : "unknown CUresult");
            }
            throw new CudaException(CudaLibrary.DRIVER, call, status, text);
        }
    }

    /** cuBLAS ({@code cublasStatus_t}).
     *
     * @param status the status a call returned
     * @param call   the call, for the message
     * @throws CudaException unless the status is success
     */
    public static void cublas(int status, String call) {
        if (status != 0) {
            throw new CudaException(CudaLibrary.CUBLAS, call, status, cString(cublas_api_h.cublasGetStatusName(status)) + ": "
                    + cString(cublas_api_h.cublasGetStatusString(status)));
        }
    }

    /** cuDNN ({@code cudnnStatus_t}).
     *
     * @param status the status a call returned
     * @param call   the call, for the message
     * @throws CudaException unless the status is success
     */
    public static void cudnn(int status, String call) {
        if (status != 0) {
            throw new CudaException(CudaLibrary.CUDNN, call, status, cString(cudnn_graph_h.cudnnGetErrorString(status)));
        }
    }

    /** NVRTC ({@code nvrtcResult}).
     *
     * @param status the status a call returned
     * @param call   the call, for the message
     * @throws CudaException unless the status is success
     */
    public static void nvrtc(int status, String call) {
        if (status != 0) {
            throw new CudaException(CudaLibrary.NVRTC, call, status, cString(nvrtc_h.nvrtcGetErrorString(status)));
        }
    }

    /**
     * The CUDA runtime's name and description of a {@code cudaError_t}.
     *
     * @param status a {@code cudaError_t}
     * @return e.g. "cudaErrorNoDevice: no CUDA-capable device is detected"
     */
    public static String cudaMessage(int status) {
        return cString(cuda_runtime_api_h.cudaGetErrorName(status)) + ": " + cString(cuda_runtime_api_h.cudaGetErrorString(status));
    }

    static String cString(MemorySegment p) {
        return p.equals(MemorySegment.NULL) ? "(no message)" : p.reinterpret(Long.MAX_VALUE).getString(0);
    }
}
