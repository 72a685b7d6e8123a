package dev.scep.nativebindings;

import dev.scep.nativebindings.cuda.cuda_runtime_api_h;
import dev.scep.nativebindings.cuda.cudnnConvolutionBwdDataAlgoPerf_t;
import dev.scep.nativebindings.cuda.cudnnConvolutionBwdFilterAlgoPerf_t;
import dev.scep.nativebindings.cuda.cudnnConvolutionFwdAlgoPerf_t;
import dev.scep.nativebindings.cuda.cudnn_cnn_h;
import dev.scep.nativebindings.cuda.cudnn_graph_h;
import dev.scep.nativebindings.cuda.cudnn_ops_h;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The bindings against the real libraries, where they are installed (point SCEP_CUDA_LIBS at them; each test says
 * which library it skipped for). None of these needs a GPU: symbol resolution, downcall linking, error strings and
 * NVRTC compilation all run on the host.
 */
class BindingsTest {
    private static void assumeLoads(CudaLibrary lib) {
        String why;
        try {
            lib.load();
            return;
        } catch (GpuUnavailableException e) {
            why = e.getMessage();
        }
        assumeTrue(false, "skipped: " + lib.description() + " is not installed here (" + why + ")");
    }

    @ParameterizedTest
    @EnumSource(value = CudaLibrary.class, names = {"CUDART", "CUBLAS", "CUDNN", "NVRTC"})
    void everyBoundFunctionExistsAndLinks(CudaLibrary lib) throws Throwable {
        assumeLoads(lib);
        List<String> functions = BoundFunctions.of(lib);
        assertThat(functions).isNotEmpty();
        for (String f : functions) {
            assertThat(lib.exports(f)).as("%s exports %s", lib.load().location(), f).isTrue();
        }
        // link every downcall handle: the generated holder classes resolve and link on first use
        for (String header : List.of("cuda_runtime_api_h", "cublas_api_h", "cudnn_graph_h", "cudnn_ops_h", "cudnn_cnn_h", "nvrtc_h")) {
            Class<?> c = Class.forName("dev.scep.nativebindings.cuda." + header);
            for (String f : functions) {
                try {
                    MethodHandle h = (MethodHandle) c.getMethod(f + "$handle").invoke(null);
                    assertThat(h.type().parameterCount()).isEqualTo(((java.lang.foreign.FunctionDescriptor)
                            c.getMethod(f + "$descriptor").invoke(null)).argumentLayouts().size());
                } catch (NoSuchMethodException notInThisHeader) {
                    // bound in another header of the same library
                }
            }
        }
    }

    @Test
    void cudaRuntimeErrorsCarryCudasOwnMessage() {
        assumeLoads(CudaLibrary.CUDART);
        String expected = cuda_runtime_api_h.cudaGetErrorString(cuda_runtime_api_h.cudaErrorNoDevice()).reinterpret(1000).getString(0);
        assertThat(expected).containsIgnoringCase("no CUDA-capable device");
        assertThatThrownBy(() -> Status.cuda(cuda_runtime_api_h.cudaErrorNoDevice(), "cudaSetDevice(0)"))
                .isInstanceOf(CudaException.class)
                .hasMessage("cudaSetDevice(0) failed: cudaErrorNoDevice: " + expected + " (status 100)");
        Status.cuda(cuda_runtime_api_h.cudaSuccess(), "nothing");
    }

    @Test
    void withoutAGpuDeviceMemoryAndTheProbeFailWithCudasReason() {
        assumeLoads(CudaLibrary.CUDART);
        GpuProbe.Report report = GpuProbe.probe();
        assumeTrue(report.device() == null, "skipped: this machine has a CUDA device (" + report.device() + ")");
        assertThat(report.usable()).isFalse();
        assertThat(report.explanation()).contains("no usable CUDA device: cudaError");
        assertThatThrownBy(GpuProbe::require).isInstanceOf(GpuUnavailableException.class).hasMessageStartingWith("no usable GPU:\n  - ");
        try (Arena arena = Arena.ofConfined()) {
            assertThatThrownBy(() -> DeviceMemory.allocate(arena, 1024)).isInstanceOf(CudaException.class)
                    .hasMessageStartingWith("cudaMalloc(1024 bytes) failed: cudaError");
        }
    }

    @Test
    void cudnnReportsItsVersionAndErrorStrings() {
        assumeLoads(CudaLibrary.CUDNN);
        assertThat(cudnn_graph_h.cudnnGetVersion()).isBetween(90000L, 99999L);
        assertThatThrownBy(() -> Status.cudnn(2000, "cudnnCreate")).isInstanceOf(CudaException.class)
                .hasMessage("cudnnCreate failed: CUDNN_STATUS_BAD_PARAM (status 2000)");
        // cuDNN's algorithm-performance structs are 48 bytes: int, int, float, (pad), size_t, int, int, int[3], (pad)
        for (long size : new long[]{cudnnConvolutionFwdAlgoPerf_t.sizeof(), cudnnConvolutionBwdDataAlgoPerf_t.sizeof(),
                cudnnConvolutionBwdFilterAlgoPerf_t.sizeof()}) {
            assertThat(size).isEqualTo(48);
        }
    }

    @Test
    void cudnnDescriptorsAreSetAsTheGpuEngineSetsThemAndBadShapesAreRejected() {
        assumeLoads(CudaLibrary.CUDNN);
        // descriptors are host-side objects: no GPU needed to create, set and destroy them
        try (Arena a = Arena.ofConfined()) {
            MemorySegment cell = a.allocate(ValueLayout.ADDRESS);
            Status.cudnn(cudnn_ops_h.cudnnCreateTensorDescriptor(cell), "cudnnCreateTensorDescriptor");
            MemorySegment x = cell.get(ValueLayout.ADDRESS, 0);
            Status.cudnn(cudnn_ops_h.cudnnSetTensor4dDescriptor(x, cudnn_graph_h.CUDNN_TENSOR_NCHW(), cudnn_graph_h.CUDNN_DATA_FLOAT(),
                    512, 4, 1, 10_505), "cudnnSetTensor4dDescriptor");
            assertThatThrownBy(() -> Status.cudnn(cudnn_ops_h.cudnnSetTensor4dDescriptor(x, cudnn_graph_h.CUDNN_TENSOR_NCHW(),
                    cudnn_graph_h.CUDNN_DATA_FLOAT(), 0, 4, 1, 10_505), "cudnnSetTensor4dDescriptor")).isInstanceOf(CudaException.class)
                    .hasMessageContaining("CUDNN_STATUS_BAD_PARAM");
            Status.cudnn(cudnn_ops_h.cudnnCreateFilterDescriptor(cell), "cudnnCreateFilterDescriptor");
            MemorySegment w = cell.get(ValueLayout.ADDRESS, 0);
            Status.cudnn(cudnn_ops_h.cudnnSetFilter4dDescriptor(w, cudnn_graph_h.CUDNN_DATA_FLOAT(), cudnn_graph_h.CUDNN_TENSOR_NCHW(),
                    128, 4, 1, 6), "cudnnSetFilter4dDescriptor");
            Status.cudnn(cudnn_cnn_h.cudnnCreateConvolutionDescriptor(cell), "cudnnCreateConvolutionDescriptor");
            MemorySegment conv = cell.get(ValueLayout.ADDRESS, 0);
            Status.cudnn(cudnn_cnn_h.cudnnSetConvolution2dDescriptor(conv, 0, 4, 1, 1, 1, 1, cudnn_cnn_h.CUDNN_CROSS_CORRELATION(),
                    cudnn_graph_h.CUDNN_DATA_FLOAT()), "cudnnSetConvolution2dDescriptor");
            Status.cudnn(cudnn_cnn_h.cudnnSetConvolutionMathType(conv, cudnn_graph_h.CUDNN_FMA_MATH()), "cudnnSetConvolutionMathType");
            assertThatThrownBy(() -> Status.cudnn(cudnn_cnn_h.cudnnSetConvolution2dDescriptor(conv, 0, -1, 1, 1, 1, 1,
                    cudnn_cnn_h.CUDNN_CROSS_CORRELATION(), cudnn_graph_h.CUDNN_DATA_FLOAT()), "cudnnSetConvolution2dDescriptor"))
                    .hasMessageContaining("CUDNN_STATUS_BAD_PARAM");
            Status.cudnn(cudnn_ops_h.cudnnCreatePoolingDescriptor(cell), "cudnnCreatePoolingDescriptor");
            MemorySegment pool = cell.get(ValueLayout.ADDRESS, 0);
            Status.cudnn(cudnn_ops_h.cudnnSetPooling2dDescriptor(pool, cudnn_ops_h.CUDNN_POOLING_MAX_DETERMINISTIC(),
                    cudnn_graph_h.CUDNN_PROPAGATE_NAN(), 1, 30, 0, 1, 1, 30), "cudnnSetPooling2dDescriptor");
            Status.cudnn(cudnn_ops_h.cudnnDestroyPoolingDescriptor(pool), "cudnnDestroyPoolingDescriptor");
            Status.cudnn(cudnn_cnn_h.cudnnDestroyConvolutionDescriptor(conv), "cudnnDestroyConvolutionDescriptor");
            Status.cudnn(cudnn_ops_h.cudnnDestroyFilterDescriptor(w), "cudnnDestroyFilterDescriptor");
            Status.cudnn(cudnn_ops_h.cudnnDestroyTensorDescriptor(x), "cudnnDestroyTensorDescriptor");
        }
    }

    @Test
    void cublasErrorsCarryItsStatusNameAndText() {
        assumeLoads(CudaLibrary.CUBLAS);
        assertThatThrownBy(() -> Status.cublas(1, "cublasSgemm_v2")).isInstanceOf(CudaException.class)
                .hasMessageStartingWith("cublasSgemm_v2 failed: CUBLAS_STATUS_NOT_INITIALIZED: ");
    }

    @Test
    void nvrtcCompilesCudaToPtxAndReportsCompileErrorsWithItsLog() {
        assumeLoads(CudaLibrary.NVRTC);
        assertThat(Nvrtc.version()[0]).isGreaterThanOrEqualTo(12);
        String ptx = Nvrtc.compile("extern \"C\" __global__ void twice(float* x, int n) {"
                + " int i = blockIdx.x * blockDim.x + threadIdx.x; if (i < n) x[i] *= 2.0f; }", "twice.cu",
                List.of("--gpu-architecture=compute_80"));
        assertThat(ptx).contains(".entry twice").contains(".target sm_80");
        assertThatThrownBy(() -> Nvrtc.compile("__global__ void broken( { }", "broken.cu", List.of()))
                .isInstanceOf(CudaException.class)
                .hasMessageContaining("nvrtcCompileProgram(broken.cu) failed: NVRTC_ERROR_COMPILATION")
                .hasMessageContaining("broken.cu(1)");
    }

    @Test
    void hostMemoryForCopiesMustBeNativeAndLargeEnough() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment small = arena.allocate(ValueLayout.JAVA_FLOAT, 2);
            assertThatThrownBy(() -> DeviceMemory.toDevice(small, MemorySegment.NULL, 64))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 64 bytes");
            assertThatThrownBy(() -> DeviceMemory.toHost(MemorySegment.NULL, MemorySegment.ofArray(new float[64]), 64))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("native memory");
        }
    }
}
