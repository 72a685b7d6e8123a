package dev.scep.nativebindings;

/**
 * A CUDA, cuBLAS, cuDNN or NVRTC call returned an error status. The message carries the library's own error string
 * (from {@code cudaGetErrorString}, {@code cuGetErrorString}, {@code cublasGetStatusString},
 * {@code cudnnGetErrorString} or {@code nvrtcGetErrorString}) and, where there is one, its symbolic name.
 */
public class CudaException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    /** The library whose call failed. */
    private final CudaLibrary library;
    /** The call, e.g. {@code cudnnConvolutionForward}. */
    private final String call;
    /** The status it returned. */
    private final int status;

    /**
     * A failed call.
     *
     * @param library        the library
     * @param call           the function called
     * @param status         the status it returned
     * @param libraryMessage the library's description of the status
     */
    public CudaException(CudaLibrary library, String call, int status, String libraryMessage) {
        super(call + " failed: " + libraryMessage + " (status " + status + ")");
        this.library = library;
        this.call = call;
        this.status = status;
    }

    /**
     * The library.
     *
     * @return the library whose call failed
     */
    public CudaLibrary library() {
        return library;
    }

    /**
     * The call.
     *
     * @return the function that failed
     */
    public String call() {
        return call;
    }

    /**
     * The status.
     *
     * @return the library's status code
     */
    public int status() {
        return status;
    }
}
