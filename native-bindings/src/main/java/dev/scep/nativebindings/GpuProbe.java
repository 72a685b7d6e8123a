package dev.scep.nativebindings;

import dev.scep.nativebindings.cuda.cuda_runtime_api_h;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;

/**
 * Whether this machine can run scep's GPU path: every library it binds loads and exports every bound function, and
 * the CUDA runtime sees a device. {@link #require} throws at once with a message naming everything that is missing,
 * so {@code --device gpu} fails before any work starts.
 */
public final class GpuProbe {
    private GpuProbe() {
    }

    /**
     * What was found.
     *
     * @param device   the device's name, or null if none
     * @param problems why the GPU cannot be used, one per missing piece (empty when it can)
     */
    public record Report(String device, List<String> problems) {
        /** Copies the problems. */
        public Report {
            problems = List.copyOf(problems);
        }

        /**
         * Whether the GPU works.
         *
         * @return true when nothing is missing
         */
        public boolean usable() {
            return problems.isEmpty();
        }

        /**
         * The problems in words.
         *
         * @return every problem, one per line
         */
        public String explanation() {
            return String.join("\n", problems.stream().map(p -> "  - " + p).toList());
        }
    }

    /**
     * Checks the libraries, their functions and the device. Thread-safe; never throws.
     *
     * @return what was found
     */
    public static Report probe() {
        List<String> problems = new ArrayList<>();
        for (CudaLibrary lib : CudaLibrary.values()) {
            try {
                lib.load();
                List<String> missing = BoundFunctions.of(lib).stream().filter(f -> !lib.exports(f)).toList();
                if (!missing.isEmpty()) {
                    problems.add(lib.description() + " at " + lib.load().location() + " lacks " + String.join(", ", missing));
                }
            } catch (GpuUnavailableException e) {
                problems.add(e.getMessage());
            }
        }
        if (!CudaLibrary.CUDART.available()) {
            return new Report(null, problems);
        }
        String device = null;
        try (Arena a = Arena.ofConfined()) {
            MemorySegment count = a.allocate(ValueLayout.JAVA_INT);
            int status = cuda_runtime_api_h.cudaGetDeviceCount(count);
            if (status != 0) {
                problems.add("no usable CUDA device: " + Status.cudaMessage(status));
            } else if (count.get(ValueLayout.JAVA_INT, 0) == 0) {
                problems.add("no CUDA device");
            } else {
                MemorySegment v = a.allocate(ValueLayout.JAVA_INT);
                int major = cuda_runtime_api_h.cudaDeviceGetAttribute(v, cuda_runtime_api_h.cudaDevAttrComputeCapabilityMajor(), 0) == 0
                        ? v.get(ValueLayout.JAVA_INT, 0) : -1;
                int minor = cuda_runtime_api_h.cudaDeviceGetAttribute(v, cuda_runtime_api_h.cudaDevAttrComputeCapabilityMinor(), 0) == 0
                        ? v.get(ValueLayout.JAVA_INT, 0) : -1;
                device = "CUDA device 0 of " + count.get(ValueLayout.JAVA_INT, 0) + ", compute capability " + major + "." + minor;
            }
        }
        return new Report(device, problems);
    }

    /**
     * The report of a usable GPU.
     *
     * @return the report
     * @throws GpuUnavailableException naming every missing library or device
     */
    public static Report require() {
        Report r = probe();
        if (!r.usable()) {
            throw new GpuUnavailableException("no usable GPU:\n" + r.explanation());
        }
        return r;
    }
}
