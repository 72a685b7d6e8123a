package dev.scep.nativebindings;

/** No usable GPU: a library is missing or fails to load, or there is no CUDA device. The message says which. */
public class GpuUnavailableException extends RuntimeException {
    public GpuUnavailableException(String message) {
        super(message);
    }

    public GpuUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
