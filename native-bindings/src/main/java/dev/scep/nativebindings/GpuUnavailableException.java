package dev.scep.nativebindings;

/** No usable GPU: a library is missing or fails to load, or there is no CUDA device. The message says which. */
public class GpuUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * No usable GPU.
     *
     * @param message what is missing and where it was looked for
     */
    public GpuUnavailableException(String message) {
        super(message);
    }

    /**
     * No usable GPU, for a reason.
     *
     * @param message what is missing
     * @param cause   why
     */
    public GpuUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
