package dev.scep.runtime;

import dev.scep.nativebindings.GpuProbe;
import dev.scep.nativebindings.GpuUnavailableException;

import java.util.Locale;
import java.util.function.Consumer;

/** Where to run: the CPU, the GPU, or the GPU when one works ({@code --device cpu|gpu|auto}). */
public enum Device {
    /** The CPU (Vector API kernels, or scalar ones without the module). */
    CPU,
    /** An NVIDIA GPU through cuDNN and cuBLAS; refused at once, naming what is missing, when none works. */
    GPU,
    /** The GPU when one works, else the CPU (saying why). */
    AUTO;

    /**
     * Parses a device name.
     *
     * @param value cpu, gpu or auto (any case)
     * @return the device
     * @throws IllegalArgumentException for another value
     */
    public static Device parse(String value) {
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown device '" + value + "' (expected cpu, gpu or auto)");
        }
    }

    /**
     * CPU or GPU. GPU is checked at once (libraries, their functions, a CUDA device) and throws
     * {@link GpuUnavailableException} naming everything missing; AUTO falls back to the CPU and tells {@code note} why.
     *
     * @param note told why, when AUTO finds no usable GPU
     * @return CPU or GPU
     * @throws GpuUnavailableException for GPU when no GPU works
     */
    public Device resolve(Consumer<String> note) {
        return switch (this) {
            case CPU -> CPU;
            case GPU -> {
                GpuProbe.require();
                yield GPU;
            }
            case AUTO -> {
                GpuProbe.Report r = GpuProbe.probe();
                if (r.usable()) {
                    yield GPU;
                }
                note.accept("no usable GPU, running on the CPU:\n" + r.explanation());
                yield CPU;
            }
        };
    }
}
