package dev.scep.nativebindings;

import dev.scep.nativebindings.cuda.nvrtc_h;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;

/** Compiles CUDA C to PTX at run time with NVRTC; a compilation error carries NVRTC's log. */
public final class Nvrtc {
    private Nvrtc() {
    }

    /**
     * NVRTC's version.
     *
     * @return {major, minor}
     * @throws GpuUnavailableException when NVRTC does not load
     */
    public static int[] version() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment major = a.allocate(ValueLayout.JAVA_INT);
            MemorySegment minor = a.allocate(ValueLayout.JAVA_INT);
            Status.nvrtc(nvrtc_h.nvrtcVersion(major, minor), "nvrtcVersion");
            return new int[]{major.get(ValueLayout.JAVA_INT, 0), minor.get(ValueLayout.JAVA_INT, 0)};
        }
    }

    /**
     * Compiles CUDA C to PTX.
     *
     * @param source  the CUDA C source
     * @param name    the program's name, for messages
     * @param options NVRTC options, e.g. "--gpu-architecture=compute_90"
     * @return the PTX
     * @throws CudaException when compilation fails (the message carries NVRTC's log)
     */
    public static String compile(String source, String name, List<String> options) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment prog = a.allocate(ValueLayout.ADDRESS);
            Status.nvrtc(nvrtc_h.nvrtcCreateProgram(prog, a.allocateFrom(source), a.allocateFrom(name), 0, MemorySegment.NULL,
                    MemorySegment.NULL), "nvrtcCreateProgram(" + name + ")");
            MemorySegment program = prog.get(ValueLayout.ADDRESS, 0);
            try {
                MemorySegment opts = a.allocate(ValueLayout.ADDRESS, Math.max(1, options.size()));
                for (int i = 0; i < options.size(); i++) {
                    opts.setAtIndex(ValueLayout.ADDRESS, i, a.allocateFrom(options.get(i)));
                }
                int status = nvrtc_h.nvrtcCompileProgram(program, options.size(), opts);
                if (status != 0) {
                    throw new CudaException(CudaLibrary.NVRTC, "nvrtcCompileProgram(" + name + ")", status,
                            Status.cString(nvrtc_h.nvrtcGetErrorString(status)) + "\n" + log(a, program));
                }
                MemorySegment size = a.allocate(ValueLayout.JAVA_LONG);
                Status.nvrtc(nvrtc_h.nvrtcGetPTXSize(program, size), "nvrtcGetPTXSize");
                MemorySegment ptx = a.allocate(size.get(ValueLayout.JAVA_LONG, 0));
                Status.nvrtc(nvrtc_h.nvrtcGetPTX(program, ptx), "nvrtcGetPTX");
                return ptx.getString(0);
            } finally {
                nvrtc_h.nvrtcDestroyProgram(prog);
            }
        }
    }

    private static String log(Arena a, MemorySegment program) {
        MemorySegment size = a.allocate(ValueLayout.JAVA_LONG);
        if (nvrtc_h.nvrtcGetProgramLogSize(program, size) != 0) {
            return "(no log)";
        }
        MemorySegment text = a.allocate(Math.max(1, size.get(ValueLayout.JAVA_LONG, 0)));
        return nvrtc_h.nvrtcGetProgramLog(program, text) == 0 ? text.getString(0).strip() : "(no log)";
    }
}
