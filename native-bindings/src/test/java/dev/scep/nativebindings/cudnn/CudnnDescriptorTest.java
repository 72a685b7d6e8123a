package dev.scep.nativebindings.cudnn;

import dev.scep.nativebindings.CudaLibrary;
import dev.scep.nativebindings.CudaException;
import dev.scep.nativebindings.GpuUnavailableException;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The descriptor wrappers against cuDNN, where it is installed (descriptors are host-side objects: no GPU needed).
 * Skipped elsewhere, saying why.
 */
class CudnnDescriptorTest {
    private static void assumeCudnn() {
        try {
            CudaLibrary.CUDNN.load();
        } catch (GpuUnavailableException e) {
            assumeTrue(false, "skipped: " + CudaLibrary.CUDNN.description() + " is not installed here (" + e.getMessage() + ")");
        }
    }

    @Test
    void descriptorsAreCreatedSetAndDestroyedOnce() {
        assumeCudnn();
        CudnnTensorDescriptor x = new CudnnTensorDescriptor(512, 4, 10_505);
        try (x; CudnnFilterDescriptor w = new CudnnFilterDescriptor(128, 4, 6);
             CudnnConvolutionDescriptor conv = new CudnnConvolutionDescriptor(4);
             CudnnPoolingDescriptor pool = new CudnnPoolingDescriptor(30, 1, 30)) {
            x.set(16, 4, 10_505);
            assertThat(w.handle()).isNotNull();
            assertThat(conv.handle()).isNotNull();
            assertThat(pool.handle()).isNotNull();
        }
        x.close();   // a second close does nothing
        assertThatThrownBy(x::handle).isInstanceOf(IllegalStateException.class).hasMessageContaining("TensorDescriptor");
    }

    @Test
    void aShapeCuDnnRejectsFailsWithItsStatus() {
        assumeCudnn();
        assertThatThrownBy(() -> new CudnnTensorDescriptor(0, 4, 10_505)).isInstanceOf(CudaException.class)
                .hasMessageContaining("cudnnSetTensor4dDescriptor").hasMessageContaining("CUDNN_STATUS_BAD_PARAM");
        assertThatThrownBy(() -> new CudnnConvolutionDescriptor(-1)).isInstanceOf(CudaException.class)
                .hasMessageContaining("CUDNN_STATUS_BAD_PARAM");
    }
}
