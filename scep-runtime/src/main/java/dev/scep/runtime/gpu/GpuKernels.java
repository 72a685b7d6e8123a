package dev.scep.runtime.gpu;

import dev.scep.nativebindings.Nvrtc;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The CUDA C source of scep's elementwise GPU kernels (resource {@code scep_kernels.cu}: one-hot expansion of 2-bit
 * packed windows, ambiguous bases, bias and its gradient, concatenation with the half-life features and its
 * backward, max pooling with arg-max and its backward, the first convolution's weight gradient, dropout, the MSE loss,
 * Adam and the divergence check) and their run-time compilation to PTX with NVRTC for a device's compute capability.
 */
public final class GpuKernels {
    /** The kernels the source defines, in the order it defines them. */
    public static final List<String> NAMES = List.of("expand_onehot", "patch_ambiguous", "add_bias", "bias_grad",
            "concat_halflife", "unflatten_grad", "mse_loss", "adam_step", "pool_argmax_bias", "pool_argmax_backward",
            "conv1_weight_grad", "multiply", "dense_act_backward", "flag_nonfinite");

    private GpuKernels() {
    }

    /** The CUDA C source. */
    public static String source() {
        try (InputStream in = GpuKernels.class.getResourceAsStream("scep_kernels.cu")) {
            if (in == null) {
                throw new IllegalStateException("scep_kernels.cu is missing from the scep-runtime jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * PTX for compute capability {@code major.minor}, compiled by NVRTC with IEEE float semantics (no fast-math
     * flush or approximate division or square root), so results can be compared with the CPU path.
     */
    public static String ptx(int major, int minor) {
        return Nvrtc.compile(source(), "scep_kernels.cu", options("compute_" + major + minor));
    }

    /**
     * A CUBIN for compute capability {@code major.minor} (machine code for {@code sm_XY}), with the same arithmetic
     * options as {@link #ptx}. Loading it needs no PTX compilation by the driver, so it also loads where the NVRTC is
     * newer than the driver (PTX of a newer ISA fails with {@code CUDA_ERROR_UNSUPPORTED_PTX_VERSION}).
     */
    public static byte[] cubin(int major, int minor) {
        return Nvrtc.compileCubin(source(), "scep_kernels.cu", options("sm_" + major + minor));
    }

    private static List<String> options(String architecture) {
        return List.of("--gpu-architecture=" + architecture, "--fmad=false", "--prec-div=true", "--prec-sqrt=true",
                "--ftz=false");
    }
}
