package dev.scep.nativebindings;

import dev.scep.nativebindings.cuda.cuda_runtime_api_h;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Device memory owned by an {@link Arena}: {@link #allocate} returns a zero-length segment holding the device
 * address (the host must not dereference it) whose {@code cudaFree} runs when the arena closes, so a
 * try-with-resources block frees everything it allocated, on every path out of it.
 */
public final class DeviceMemory {
    private DeviceMemory() {
    }

    /**
     * Device memory, freed when {@code arena} closes.
     *
     * @param arena owns the memory
     * @param bytes how many bytes, at least 1
     * @return a segment holding the device address (not readable from the host)
     * @throws CudaException when {@code cudaMalloc} fails (e.g. out of device memory)
     */
    public static MemorySegment allocate(Arena arena, long bytes) {
        if (bytes <= 0) {
            throw new IllegalArgumentException("device allocation of " + bytes + " bytes");
        }
        MemorySegment address;
        try (Arena local = Arena.ofConfined()) {
            MemorySegment out = local.allocate(ValueLayout.ADDRESS);
            Status.cuda(cuda_runtime_api_h.cudaMalloc(out, bytes), "cudaMalloc(" + bytes + " bytes)");
            address = out.get(ValueLayout.ADDRESS, 0);
        }
        return address.reinterpret(arena, DeviceMemory::free);
    }

    private static void free(MemorySegment address) {
        int status = cuda_runtime_api_h.cudaFree(address);
        if (status != 0) {   // a cleanup action must not throw; a failed free means the context is gone anyway
            System.getLogger(DeviceMemory.class.getName()).log(System.Logger.Level.WARNING,
                    "cudaFree failed: " + Status.cudaMessage(status));
        }
    }

    /**
     * Copies host memory to the device, synchronously.
     *
     * @param host   the source, at least {@code bytes} long
     * @param device the destination from {@link #allocate}
     * @param bytes  how many bytes
     * @throws CudaException when the copy fails
     */
    public static void toDevice(MemorySegment host, MemorySegment device, long bytes) {
        checkHost(host, bytes);
        Status.cuda(cuda_runtime_api_h.cudaMemcpy(device, host, bytes, cuda_runtime_api_h.cudaMemcpyHostToDevice()),
                "cudaMemcpy host to device (" + bytes + " bytes)");
    }

    /**
     * Copies device memory to the host, synchronously.
     *
     * @param device the source from {@link #allocate}
     * @param host   the destination, at least {@code bytes} long
     * @param bytes  how many bytes
     * @throws CudaException when the copy fails
     */
    public static void toHost(MemorySegment device, MemorySegment host, long bytes) {
        checkHost(host, bytes);
        Status.cuda(cuda_runtime_api_h.cudaMemcpy(host, device, bytes, cuda_runtime_api_h.cudaMemcpyDeviceToHost()),
                "cudaMemcpy device to host (" + bytes + " bytes)");
    }

    private static void checkHost(MemorySegment host, long bytes) {
        if (!host.isNative() || host.byteSize() < bytes) {
            throw new IllegalArgumentException("host buffer must be native memory of at least " + bytes + " bytes");
        }
    }
}
