package dev.scep.nativebindings;

import dev.scep.nativebindings.cuda.nvrtc_h;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;

/**
 * Compiles CUDA C at run time with NVRTC, to PTX (which the driver compiles again for its GPU) or to a CUBIN for one
 * GPU architecture (which any driver able to run that architecture loads, whatever PTX version it knows); a
 * compilation error carries NVRTC's log.
 */
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
        byte[] ptx = compile(source, name, options, false);
        int end = 0;
        while (end < ptx.length && ptx[end] != 0) {
            end++;   // up to the NUL that ends it (nvrtcGetPTXSize counts it)
        }
        return new String(ptx, 0, end, java.nio.charset.StandardCharsets.US_ASCII);
    }

    /**
     * Compiles CUDA C to a CUBIN: machine code for the architecture the options name ({@code --gpu-architecture=sm_90}).
     *
     * @param source  the CUDA C source
     * @param name    the program's name, for messages
     * @param options NVRTC options, with a real architecture ({@code sm_XY}, not {@code compute_XY})
     * @return the CUBIN image, for {@code cuModuleLoadData}
     * @throws CudaException when compilation fails (the message carries NVRTC's log)
     */
    public static byte[] compileCubin(String source, String name, List<String> options) {
        return compile(source, name, options, true);
    }

    private static byte[] compile(String source, String name, List<String> options, boolean cubin) {
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
                Status.nvrtc(cubin ? nvrtc_h.nvrtcGetCUBINSize(program, size) : nvrtc_h.nvrtcGetPTXSize(program, size),
                        cubin ? "nvrtcGetCUBINSize" : "nvrtcGetPTXSize");
                MemorySegment code = a.allocate(Math.max(1, size.get(ValueLayout.JAVA_LONG, 0)));
                Status.nvrtc(cubin ? nvrtc_h.nvrtcGetCUBIN(program, code) : nvrtc_h.nvrtcGetPTX(program, code),
                        cubin ? "nvrtcGetCUBIN" : "nvrtcGetPTX");
                return code.toArray(ValueLayout.JAVA_BYTE);
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
