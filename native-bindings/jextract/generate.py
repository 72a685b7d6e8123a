#!/usr/bin/env python3
"""Writes scep's CUDA bindings in jextract's generated layout (one class per header, a holder class per function
with its FunctionDescriptor, symbol address and downcall MethodHandle, a static wrapper, constants as static
methods, struct layouts as classes), for exactly the functions listed below. jextract itself is not installable on
the build machines (it is not in Maven Central or Debian); with it, native-bindings/README.md's command makes the
same classes. Run from the repository root: python3 native-bindings/jextract/generate.py
"""
import os

OUT = os.path.join(os.path.dirname(__file__), "..", "src", "main", "java", "dev", "scep", "nativebindings", "cuda")
PACKAGE = "dev.scep.nativebindings.cuda"

# C type -> (layout constant, Java type)
TYPES = {
    "int": ("C_INT", "int"), "unsigned": ("C_INT", "int"), "enum": ("C_INT", "int"),
    "size_t": ("C_LONG", "long"), "long long": ("C_LONG_LONG", "long"),
    "float": ("C_FLOAT", "float"), "double": ("C_DOUBLE", "double"), "ptr": ("C_POINTER", "MemorySegment"),
}

# header class -> (library enum constant, [(return type, name, [(C type, parameter name, C spelling)], C prototype)])
def f(ret, name, *params, c=None):
    return (ret, name, [p.split(":") for p in params], c)

HEADERS = {
    "cuda_runtime_api_h": ("CUDART", [
        f("ptr", "cudaGetErrorString", "enum:error"),
        f("ptr", "cudaGetErrorName", "enum:error"),
        f("enum", "cudaGetLastError"),
        f("enum", "cudaRuntimeGetVersion", "ptr:runtimeVersion"),
        f("enum", "cudaDriverGetVersion", "ptr:driverVersion"),
        f("enum", "cudaGetDeviceCount", "ptr:count"),
        f("enum", "cudaSetDevice", "int:device"),
        f("enum", "cudaDeviceGetAttribute", "ptr:value", "enum:attr", "int:device"),
        f("enum", "cudaMemGetInfo", "ptr:free", "ptr:total"),
        f("enum", "cudaMalloc", "ptr:devPtr", "size_t:size"),
        f("enum", "cudaFree", "ptr:devPtr"),
        f("enum", "cudaMallocHost", "ptr:ptr", "size_t:size"),
        f("enum", "cudaFreeHost", "ptr:ptr"),
        f("enum", "cudaMemcpy", "ptr:dst", "ptr:src", "size_t:count", "enum:kind"),
        f("enum", "cudaMemcpyAsync", "ptr:dst", "ptr:src", "size_t:count", "enum:kind", "ptr:stream"),
        f("enum", "cudaMemsetAsync", "ptr:devPtr", "int:value", "size_t:count", "ptr:stream"),
        f("enum", "cudaStreamCreate", "ptr:pStream"),
        f("enum", "cudaStreamDestroy", "ptr:stream"),
        f("enum", "cudaStreamSynchronize", "ptr:stream"),
        f("enum", "cudaStreamWaitEvent", "ptr:stream", "ptr:event", "unsigned:flags"),
        f("enum", "cudaDeviceSynchronize"),
        f("enum", "cudaEventCreate", "ptr:event"),
        f("enum", "cudaEventRecord", "ptr:event", "ptr:stream"),
        f("enum", "cudaEventSynchronize", "ptr:event"),
        f("enum", "cudaEventElapsedTime", "ptr:ms", "ptr:start", "ptr:end"),
        f("enum", "cudaEventDestroy", "ptr:event"),
    ]),
    "cuda_h": ("DRIVER", [
        f("enum", "cuGetErrorString", "enum:error", "ptr:pStr"),
        f("enum", "cuGetErrorName", "enum:error", "ptr:pStr"),
        f("enum", "cuInit", "unsigned:Flags"),
        f("enum", "cuDriverGetVersion", "ptr:driverVersion"),
        f("enum", "cuModuleLoadData", "ptr:module", "ptr:image"),
        f("enum", "cuModuleUnload", "ptr:hmod"),
        f("enum", "cuModuleGetFunction", "ptr:hfunc", "ptr:hmod", "ptr:name"),
        f("enum", "cuLaunchKernel", "ptr:f", "unsigned:gridDimX", "unsigned:gridDimY", "unsigned:gridDimZ",
          "unsigned:blockDimX", "unsigned:blockDimY", "unsigned:blockDimZ", "unsigned:sharedMemBytes", "ptr:hStream",
          "ptr:kernelParams", "ptr:extra"),
    ]),
    "cublas_api_h": ("CUBLAS", [
        f("ptr", "cublasGetStatusString", "enum:status"),
        f("ptr", "cublasGetStatusName", "enum:status"),
        f("enum", "cublasGetVersion_v2", "ptr:handle", "ptr:version"),
        f("enum", "cublasCreate_v2", "ptr:handle"),
        f("enum", "cublasDestroy_v2", "ptr:handle"),
        f("enum", "cublasSetStream_v2", "ptr:handle", "ptr:streamId"),
        f("enum", "cublasSetMathMode", "ptr:handle", "enum:mode"),
        f("enum", "cublasSgemm_v2", "ptr:handle", "enum:transa", "enum:transb", "int:m", "int:n", "int:k", "ptr:alpha",
          "ptr:A", "int:lda", "ptr:B", "int:ldb", "ptr:beta", "ptr:C", "int:ldc"),
    ]),
    "cudnn_graph_h": ("CUDNN", [
        f("size_t", "cudnnGetVersion"),
        f("ptr", "cudnnGetErrorString", "enum:status"),
        f("enum", "cudnnCreate", "ptr:handle"),
        f("enum", "cudnnDestroy", "ptr:handle"),
        f("enum", "cudnnSetStream", "ptr:handle", "ptr:streamId"),
    ]),
    "cudnn_ops_h": ("CUDNN", [
        f("enum", "cudnnCreateTensorDescriptor", "ptr:tensorDesc"),
        f("enum", "cudnnSetTensor4dDescriptor", "ptr:tensorDesc", "enum:format", "enum:dataType", "int:n", "int:c", "int:h", "int:w"),
        f("enum", "cudnnSetTensorNdDescriptor", "ptr:tensorDesc", "enum:dataType", "int:nbDims", "ptr:dimA", "ptr:strideA"),
        f("enum", "cudnnDestroyTensorDescriptor", "ptr:tensorDesc"),
        f("enum", "cudnnCreateFilterDescriptor", "ptr:filterDesc"),
        f("enum", "cudnnSetFilter4dDescriptor", "ptr:filterDesc", "enum:dataType", "enum:format", "int:k", "int:c", "int:h", "int:w"),
        f("enum", "cudnnDestroyFilterDescriptor", "ptr:filterDesc"),
        f("enum", "cudnnCreatePoolingDescriptor", "ptr:poolingDesc"),
        f("enum", "cudnnSetPooling2dDescriptor", "ptr:poolingDesc", "enum:mode", "enum:maxpoolingNanOpt", "int:windowHeight",
          "int:windowWidth", "int:verticalPadding", "int:horizontalPadding", "int:verticalStride", "int:horizontalStride"),
        f("enum", "cudnnDestroyPoolingDescriptor", "ptr:poolingDesc"),
        f("enum", "cudnnPoolingForward", "ptr:handle", "ptr:poolingDesc", "ptr:alpha", "ptr:xDesc", "ptr:x", "ptr:beta",
          "ptr:yDesc", "ptr:y"),
        f("enum", "cudnnPoolingBackward", "ptr:handle", "ptr:poolingDesc", "ptr:alpha", "ptr:yDesc", "ptr:y", "ptr:dyDesc",
          "ptr:dy", "ptr:xDesc", "ptr:x", "ptr:beta", "ptr:dxDesc", "ptr:dx"),
        f("enum", "cudnnCreateActivationDescriptor", "ptr:activationDesc"),
        f("enum", "cudnnSetActivationDescriptor", "ptr:activationDesc", "enum:mode", "enum:reluNanOpt", "double:coef"),
        f("enum", "cudnnDestroyActivationDescriptor", "ptr:activationDesc"),
        f("enum", "cudnnActivationForward", "ptr:handle", "ptr:activationDesc", "ptr:alpha", "ptr:xDesc", "ptr:x", "ptr:beta",
          "ptr:yDesc", "ptr:y"),
        f("enum", "cudnnActivationBackward", "ptr:handle", "ptr:activationDesc", "ptr:alpha", "ptr:yDesc", "ptr:y",
          "ptr:dyDesc", "ptr:dy", "ptr:xDesc", "ptr:x", "ptr:beta", "ptr:dxDesc", "ptr:dx"),
        f("enum", "cudnnAddTensor", "ptr:handle", "ptr:alpha", "ptr:aDesc", "ptr:A", "ptr:beta", "ptr:cDesc", "ptr:C"),
        f("enum", "cudnnSetTensor", "ptr:handle", "ptr:yDesc", "ptr:y", "ptr:valuePtr"),
    ]),
    "cudnn_cnn_h": ("CUDNN", [
        f("enum", "cudnnCreateConvolutionDescriptor", "ptr:convDesc"),
        f("enum", "cudnnSetConvolution2dDescriptor", "ptr:convDesc", "int:pad_h", "int:pad_w", "int:u", "int:v",
          "int:dilation_h", "int:dilation_w", "enum:mode", "enum:computeType"),
        f("enum", "cudnnSetConvolutionMathType", "ptr:convDesc", "enum:mathType"),
        f("enum", "cudnnDestroyConvolutionDescriptor", "ptr:convDesc"),
        f("enum", "cudnnGetConvolutionForwardAlgorithm_v7", "ptr:handle", "ptr:srcDesc", "ptr:filterDesc", "ptr:convDesc",
          "ptr:destDesc", "int:requestedAlgoCount", "ptr:returnedAlgoCount", "ptr:perfResults"),
        f("enum", "cudnnGetConvolutionForwardWorkspaceSize", "ptr:handle", "ptr:xDesc", "ptr:wDesc", "ptr:convDesc",
          "ptr:yDesc", "enum:algo", "ptr:sizeInBytes"),
        f("enum", "cudnnConvolutionForward", "ptr:handle", "ptr:alpha", "ptr:xDesc", "ptr:x", "ptr:wDesc", "ptr:w",
          "ptr:convDesc", "enum:algo", "ptr:workSpace", "size_t:workSpaceSizeInBytes", "ptr:beta", "ptr:yDesc", "ptr:y"),
        f("enum", "cudnnGetConvolutionBackwardDataAlgorithm_v7", "ptr:handle", "ptr:filterDesc", "ptr:diffDesc",
          "ptr:convDesc", "ptr:gradDesc", "int:requestedAlgoCount", "ptr:returnedAlgoCount", "ptr:perfResults"),
        f("enum", "cudnnGetConvolutionBackwardDataWorkspaceSize", "ptr:handle", "ptr:wDesc", "ptr:dyDesc", "ptr:convDesc",
          "ptr:dxDesc", "enum:algo", "ptr:sizeInBytes"),
        f("enum", "cudnnConvolutionBackwardData", "ptr:handle", "ptr:alpha", "ptr:wDesc", "ptr:w", "ptr:dyDesc", "ptr:dy",
          "ptr:convDesc", "enum:algo", "ptr:workSpace", "size_t:workSpaceSizeInBytes", "ptr:beta", "ptr:dxDesc", "ptr:dx"),
        f("enum", "cudnnGetConvolutionBackwardFilterAlgorithm_v7", "ptr:handle", "ptr:srcDesc", "ptr:diffDesc",
          "ptr:convDesc", "ptr:gradDesc", "int:requestedAlgoCount", "ptr:returnedAlgoCount", "ptr:perfResults"),
        f("enum", "cudnnGetConvolutionBackwardFilterWorkspaceSize", "ptr:handle", "ptr:xDesc", "ptr:dyDesc",
          "ptr:convDesc", "ptr:gradDesc", "enum:algo", "ptr:sizeInBytes"),
        f("enum", "cudnnConvolutionBackwardFilter", "ptr:handle", "ptr:alpha", "ptr:xDesc", "ptr:x", "ptr:dyDesc", "ptr:dy",
          "ptr:convDesc", "enum:algo", "ptr:workSpace", "size_t:workSpaceSizeInBytes", "ptr:beta", "ptr:dwDesc", "ptr:dw"),
        f("enum", "cudnnConvolutionBackwardBias", "ptr:handle", "ptr:alpha", "ptr:dyDesc", "ptr:dy", "ptr:beta",
          "ptr:dbDesc", "ptr:db"),
    ]),
    "nvrtc_h": ("NVRTC", [
        f("ptr", "nvrtcGetErrorString", "enum:result"),
        f("enum", "nvrtcVersion", "ptr:major", "ptr:minor"),
        f("enum", "nvrtcCreateProgram", "ptr:prog", "ptr:src", "ptr:name", "int:numHeaders", "ptr:headers", "ptr:includeNames"),
        f("enum", "nvrtcCompileProgram", "ptr:prog", "int:numOptions", "ptr:options"),
        f("enum", "nvrtcGetPTXSize", "ptr:prog", "ptr:ptxSizeRet"),
        f("enum", "nvrtcGetPTX", "ptr:prog", "ptr:ptx"),
        f("enum", "nvrtcGetProgramLogSize", "ptr:prog", "ptr:logSizeRet"),
        f("enum", "nvrtcGetProgramLog", "ptr:prog", "ptr:log"),
        f("enum", "nvrtcDestroyProgram", "ptr:prog"),
    ]),
}

# header class -> [(name, value)]: the enum values scep passes (jextract emits each as a static method)
CONSTANTS = {
    "cuda_runtime_api_h": [("cudaSuccess", 0), ("cudaErrorInsufficientDriver", 35), ("cudaErrorNoDevice", 100),
                           ("cudaMemcpyHostToHost", 0), ("cudaMemcpyHostToDevice", 1), ("cudaMemcpyDeviceToHost", 2),
                           ("cudaMemcpyDeviceToDevice", 3), ("cudaDevAttrMultiProcessorCount", 16),
                           ("cudaDevAttrComputeCapabilityMajor", 75), ("cudaDevAttrComputeCapabilityMinor", 76)],
    "cuda_h": [("CUDA_SUCCESS", 0)],
    "cublas_api_h": [("CUBLAS_STATUS_SUCCESS", 0), ("CUBLAS_OP_N", 0), ("CUBLAS_OP_T", 1), ("CUBLAS_DEFAULT_MATH", 0),
                     ("CUBLAS_PEDANTIC_MATH", 2), ("CUBLAS_TF32_TENSOR_OP_MATH", 3)],
    "cudnn_graph_h": [("CUDNN_STATUS_SUCCESS", 0), ("CUDNN_DATA_FLOAT", 0), ("CUDNN_TENSOR_NCHW", 0),
                      ("CUDNN_NOT_PROPAGATE_NAN", 0), ("CUDNN_PROPAGATE_NAN", 1), ("CUDNN_DEFAULT_MATH", 0),
                      ("CUDNN_TENSOR_OP_MATH", 1), ("CUDNN_FMA_MATH", 3)],
    "cudnn_ops_h": [("CUDNN_POOLING_MAX", 0), ("CUDNN_POOLING_MAX_DETERMINISTIC", 3), ("CUDNN_ACTIVATION_RELU", 1)],
    "cudnn_cnn_h": [("CUDNN_CONVOLUTION", 0), ("CUDNN_CROSS_CORRELATION", 1)],
    "nvrtc_h": [("NVRTC_SUCCESS", 0), ("NVRTC_ERROR_COMPILATION", 6)],
}

# struct name -> fields (C type, name); the three cuDNN algorithm-performance structs share one layout
PERF_FIELDS = [("enum", "algo"), ("enum", "status"), ("float", "time"), ("size_t", "memory"), ("enum", "determinism"),
               ("enum", "mathType"), ("int[3]", "reserved")]
STRUCTS = {"cudnnConvolutionFwdAlgoPerf_t": PERF_FIELDS, "cudnnConvolutionBwdDataAlgoPerf_t": PERF_FIELDS,
           "cudnnConvolutionBwdFilterAlgoPerf_t": PERF_FIELDS}

HEAD = """// Generated by native-bindings/jextract/generate.py in jextract's layout (see native-bindings/README.md). Do not edit.
package %s;

""" % PACKAGE


def c_proto(ret, name, params):
    cret = {"ptr": "const char *" if ret == "ptr" else "void *", "enum": "status", "size_t": "size_t"}.get(ret, ret)
    return "%s %s(%s)" % (cret, name, ", ".join("%s %s" % (t if t != "ptr" else "void *", n) for t, n in params))


def header(cls, lib, funcs, consts):
    out = [HEAD, "import java.lang.foreign.*;\nimport java.lang.invoke.MethodHandle;\n\n"]
    out.append("import static %s.CTypes.*;\n\n" % PACKAGE)
    out.append("/** Bindings to {@code %s} (library {@link dev.scep.nativebindings.CudaLibrary#%s}). */\n" % (cls[:-2] + ".h", lib))
    out.append("@SuppressWarnings({\"unused\", \"checkstyle:all\"})\npublic final class %s {\n" % cls)
    out.append("    private %s() {\n    }\n\n" % cls)
    out.append("    static MemorySegment findOrThrow(String symbol) {\n")
    out.append("        return dev.scep.nativebindings.CudaLibrary.%s.symbol(symbol);\n    }\n" % lib)
    for name, value in consts:
        out.append("\n    private static final int %s = (int) %dL;\n\n" % (name, value))
        out.append("    public static int %s() {\n        return %s;\n    }\n" % (name, name))
    for ret, name, params, _ in funcs:
        rl, rj = TYPES[ret]
        layouts = ", ".join(TYPES[t][0] for t, _ in params)
        desc = "FunctionDescriptor.of(%s%s)" % (rl, ", " + layouts if layouts else "")
        out.append("""
    private static class %(n)s {
        public static final FunctionDescriptor DESC = %(desc)s;
        public static final MemorySegment ADDR = findOrThrow("%(n)s");
        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    public static FunctionDescriptor %(n)s$descriptor() {
        return %(n)s.DESC;
    }

    public static MethodHandle %(n)s$handle() {
        return %(n)s.HANDLE;
    }

    public static MemorySegment %(n)s$address() {
        return %(n)s.ADDR;
    }

    /**
     * {@snippet lang=c :
     * %(proto)s
     * }
     */
    public static %(rj)s %(n)s(%(jparams)s) {
        var mh$ = %(n)s.HANDLE;
        try {
            return (%(rj)s) mh$.invokeExact(%(args)s);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }
""" % {"n": name, "desc": desc, "rj": rj, "proto": c_proto(ret, name, params),
       "jparams": ", ".join("%s %s" % (TYPES[t][1], n) for t, n in params), "args": ", ".join(n for _, n in params)})
    out.append("}\n")
    return "".join(out)


def struct(name, fields):
    members, accessors = [], []
    for t, n in fields:
        if t.endswith("]"):
            members.append("        MemoryLayout.sequenceLayout(3, CTypes.C_INT).withName(\"%s\")" % n)
            continue
        layout = TYPES[t][0]
        members.append("        CTypes.%s.withName(\"%s\")" % (layout, n))
        jt = TYPES[t][1]
        vl = {"int": "ValueLayout.OfInt", "long": "ValueLayout.OfLong", "float": "ValueLayout.OfFloat"}[jt]
        accessors.append("""
    private static final %(vl)s %(n)s$LAYOUT = (%(vl)s) $LAYOUT.select(MemoryLayout.PathElement.groupElement("%(n)s"));
    private static final long %(n)s$OFFSET = $LAYOUT.byteOffset(MemoryLayout.PathElement.groupElement("%(n)s"));

    public static %(jt)s %(n)s(MemorySegment struct) {
        return struct.get(%(n)s$LAYOUT, %(n)s$OFFSET);
    }

    public static void %(n)s(MemorySegment struct, %(jt)s fieldValue) {
        struct.set(%(n)s$LAYOUT, %(n)s$OFFSET, fieldValue);
    }
""" % {"vl": vl, "n": n, "jt": jt})
    # size_t after a float needs 4 bytes of padding (natural alignment), as the C compiler lays it out
    padded = []
    for (t, n), m in zip(fields, members):
        if n == "memory":
            padded.append("        MemoryLayout.paddingLayout(4)")
        padded.append(m)
    padded.append("        MemoryLayout.paddingLayout(4)")   # the struct's size rounds up to its 8-byte alignment: 48
    return (HEAD + "import java.lang.foreign.*;\n\n"
            "/**\n * {@snippet lang=c :\n * typedef struct { cudnnConvolution...Algo_t algo; cudnnStatus_t status; float time; size_t memory;"
            " cudnnDeterminism_t determinism; cudnnMathType_t mathType; int reserved[3]; } %s\n * }\n */\n" % name
            + "@SuppressWarnings({\"unused\", \"checkstyle:all\"})\npublic final class %s {\n" % name
            + "    private %s() {\n    }\n\n" % name
            + "    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(\n" + ",\n".join(padded)
            + "\n    ).withName(\"%s\");\n\n" % name
            + "    public static GroupLayout layout() {\n        return $LAYOUT;\n    }\n\n"
            + "    public static long sizeof() {\n        return $LAYOUT.byteSize();\n    }\n\n"
            + "    public static MemorySegment allocateArray(long elementCount, SegmentAllocator allocator) {\n"
            + "        return allocator.allocate(MemoryLayout.sequenceLayout(elementCount, $LAYOUT));\n    }\n\n"
            + "    public static MemorySegment asSlice(MemorySegment array, long index) {\n"
            + "        return array.asSlice($LAYOUT.byteSize() * index, $LAYOUT);\n    }\n"
            + "".join(accessors) + "}\n")


CTYPES = HEAD + """import java.lang.foreign.*;

/** The C type layouts of the generated header classes (jextract's {@code C_*} constants, shared by all of them). */
public final class CTypes {
    private CTypes() {
    }

    public static final ValueLayout.OfInt C_INT = ValueLayout.JAVA_INT;
    public static final ValueLayout.OfLong C_LONG = ValueLayout.JAVA_LONG;
    public static final ValueLayout.OfLong C_LONG_LONG = ValueLayout.JAVA_LONG;
    public static final ValueLayout.OfFloat C_FLOAT = ValueLayout.JAVA_FLOAT;
    public static final ValueLayout.OfDouble C_DOUBLE = ValueLayout.JAVA_DOUBLE;
    public static final AddressLayout C_POINTER = ValueLayout.ADDRESS
            .withTargetLayout(MemoryLayout.sequenceLayout(java.lang.Long.MAX_VALUE, ValueLayout.JAVA_BYTE));
}
"""


def main():
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, "CTypes.java"), "w") as fh:
        fh.write(CTYPES)
    for cls, (lib, funcs) in HEADERS.items():
        with open(os.path.join(OUT, cls + ".java"), "w") as fh:
            fh.write(header(cls, lib, funcs, CONSTANTS.get(cls, [])))
    for name, fields in STRUCTS.items():
        with open(os.path.join(OUT, name + ".java"), "w") as fh:
            fh.write(struct(name, fields))
    with open(os.path.join(os.path.dirname(__file__), "jextract-commands.sh"), "w") as fh:
        fh.write(jextract_commands())
    os.chmod(os.path.join(os.path.dirname(__file__), "jextract-commands.sh"), 0o755)
    # the list native-bindings/README.md keeps, and the symbols BindingsTest checks
    with open(os.path.join(os.path.dirname(__file__), "..", "src", "main", "resources", "dev", "scep", "nativebindings", "functions.txt"), "w") as fh:
        for cls, (lib, funcs) in HEADERS.items():
            for _, name, _, _ in funcs:
                fh.write("%s %s %s\n" % (lib, cls, name))


# header class -> the C header jextract reads (under CUDA's and cuDNN's include folders)
C_HEADERS = {"cuda_runtime_api_h": "cuda_runtime_api.h", "cuda_h": "cuda.h", "cublas_api_h": "cublas_api.h",
             "cudnn_graph_h": "cudnn_graph.h", "cudnn_ops_h": "cudnn_ops.h", "cudnn_cnn_h": "cudnn_cnn.h",
             "nvrtc_h": "nvrtc.h"}


def jextract_commands():
    """The jextract invocations that make the same classes, one per header (jextract 22+)."""
    lines = ["#!/usr/bin/env bash",
             "# Regenerates dev.scep.nativebindings.cuda with jextract itself (jextract 22+ on the PATH; CUDA and cuDNN",
             "# headers under CUDA_INCLUDE and CUDNN_INCLUDE). Written by generate.py, which makes the same layout without it.",
             "set -euo pipefail",
             'CUDA_INCLUDE="${CUDA_INCLUDE:-/usr/local/cuda/include}"',
             'CUDNN_INCLUDE="${CUDNN_INCLUDE:-$CUDA_INCLUDE}"',
             'out="$(cd "$(dirname "${BASH_SOURCE[0]}")/../src/main/java" && pwd)"']
    for cls, (lib, funcs) in HEADERS.items():
        inc = "$CUDNN_INCLUDE" if cls.startswith("cudnn") else "$CUDA_INCLUDE"
        args = ["jextract", "--output \"$out\"", "--target-package " + PACKAGE, "--header-class-name " + cls,
                "-I \"$CUDA_INCLUDE\"", "-I \"$CUDNN_INCLUDE\""]
        args += ["--include-function " + name for _, name, _, _ in funcs]
        args += ["--include-constant " + name for name, _ in CONSTANTS.get(cls, [])]
        if cls == "cudnn_cnn_h":
            args += ["--include-typedef " + name for name in STRUCTS]
        args.append("\"%s/%s\"" % (inc, C_HEADERS[cls]))
        lines.append(" \\\n    ".join(args))
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
