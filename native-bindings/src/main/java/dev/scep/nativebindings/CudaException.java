package dev.scep.nativebindings;

/**
 * A CUDA, cuBLAS, cuDNN or NVRTC call returned an error status. The message carries the library's own error string
 * (from {@code cudaGetErrorString}, {@code cuGetErrorString}, {@code cublasGetStatusString},
 * {@code cudnnGetErrorString} or {@code nvrtcGetErrorString}) and, where there is one, its symbolic name.
 */
public class CudaException extends RuntimeException {
    private final CudaLibrary library;
    private final String call;
    private final int status;

    public CudaException(CudaLibrary library, String call, int status, String libraryMessage) {
        super(call + " failed: " + libraryMessage + " (status " + status + ")");
        this.library = library;
        this.call = call;
        this.status = status;
    }

    public CudaLibrary library() {
        return library;
    }

    public String call() {
        return call;
    }

    public int status() {
        return status;
    }
}
