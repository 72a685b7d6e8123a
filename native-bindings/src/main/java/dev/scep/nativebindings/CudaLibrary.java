package dev.scep.nativebindings;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The NVIDIA libraries scep binds, found as DESIGN §6 says: in {@code SCEP_CUDA_LIBS} (folders or files, separated
 * by ':'), on {@code java.library.path} and {@code LD_LIBRARY_PATH}, under {@code /usr/local/cuda}, in Python wheels
 * ({@code …/site-packages/nvidia/{cudnn,cublas,cuda_runtime,cuda_nvrtc}/lib}, and the CUDA 13 wheels'
 * {@code nvidia/cu13/lib}), and last by name through the system's loader (ldconfig, where the driver lives). Each is
 * loaded once, for the life of the JVM; a library that cannot be found or loaded throws
 * {@link GpuUnavailableException} naming it and every place looked in.
 */
public enum CudaLibrary {
    /** The CUDA runtime. */
    CUDART("the CUDA runtime", "cuda_runtime", List.of(), "libcudart.so.13", "libcudart.so.12", "libcudart.so"),
    /** The NVIDIA driver's CUDA library (comes with the driver, not with CUDA). */
    DRIVER("the NVIDIA driver's CUDA library", null, List.of(), "libcuda.so.1", "libcuda.so"),
    /** cuBLAS (the dense layers). */
    CUBLAS("cuBLAS", "cublas", List.of("libcublasLt.so.13", "libcublasLt.so.12"), "libcublas.so.13", "libcublas.so.12",
            "libcublas.so"),
    // libcudnn.so.9 is a shim that opens its sub-libraries by name when first needed
    /** cuDNN 9 (convolutions and pooling). */
    CUDNN("cuDNN 9", "cudnn", List.of("libcudnn_graph.so.9", "libcudnn_engines_precompiled.so.9",
            "libcudnn_engines_runtime_compiled.so.9", "libcudnn_heuristic.so.9", "libcudnn_ops.so.9", "libcudnn_cnn.so.9",
            "libcudnn_adv.so.9"), "libcudnn.so.9"),
    // NVRTC opens its versioned builtins library by name when it compiles
    /** NVRTC, which compiles scep's elementwise kernels at run time. */
    NVRTC("NVRTC (the CUDA run-time compiler)", "cuda_nvrtc", List.of("libnvrtc-builtins.so.*"), "libnvrtc.so.13",
            "libnvrtc.so.12", "libnvrtc.so");

    private final String description;
    private final String wheel;            // the folder under site-packages/nvidia/ of its Python wheel
    // libraries it opens by name (DT_NEEDED or dlopen), loaded first from the same folder so that the loader finds
    // them already loaded whatever LD_LIBRARY_PATH says; a name may end in '*' (versioned file names)
    private final List<String> preload;
    private final List<String> names;
    private volatile Loaded loaded;
    private volatile GpuUnavailableException failure;

    /**
     * A loaded library: where it came from and its symbols.
     *
     * @param library  the library
     * @param location the file loaded, or how it was found
     * @param symbols  its exported functions
     */
    public record Loaded(CudaLibrary library, String location, SymbolLookup symbols) {
    }

    CudaLibrary(String description, String wheel, List<String> preload, String... names) {
        this.description = description;
        this.wheel = wheel;
        this.preload = preload;
        this.names = List.of(names);
    }

    /**
     * The library in words, for messages.
     *
     * @return e.g. "cuDNN 9"
     */
    public String description() {
        return description;
    }

    /**
     * The file names tried.
     *
     * @return most preferred first
     */
    public List<String> fileNames() {
        return names;
    }

    /**
     * Loads the library, once for the life of the JVM. Thread-safe.
     *
     * @return the loaded library
     * @throws GpuUnavailableException saying where it looked
     */
    public Loaded load() {
        Loaded l = loaded;
        if (l != null) {
            return l;
        }
        synchronized (this) {
            if (loaded == null && failure == null) {
                try {
                    loaded = find(System.getenv(), System.getProperty("java.library.path", ""));
                } catch (GpuUnavailableException e) {
                    failure = e;
                }
            }
            if (failure != null) {
                throw failure;
            }
            return loaded;
        }
    }

    /**
     * Whether {@link #load} succeeds.
     *
     * @return true when the library loads
     */
    public boolean available() {
        try {
            load();
            return true;
        } catch (GpuUnavailableException e) {
            return false;
        }
    }

    /**
     * A function's address.
     *
     * @param name the function
     * @return its address
     * @throws GpuUnavailableException when the library does not load or does not export it
     */
    public MemorySegment symbol(String name) {
        return load().symbols().find(name).orElseThrow(() -> new GpuUnavailableException(
                description + " at " + load().location() + " has no function " + name + ": scep needs " + requirement()));
    }

    /**
     * Whether the loaded library exports a function.
     *
     * @param name the function
     * @return whether it is exported
     * @throws GpuUnavailableException when the library does not load
     */
    public boolean exports(String name) {
        return load().symbols().find(name).isPresent();
    }

    private String requirement() {
        return switch (this) {
            case CUDNN -> "cuDNN 9";
            case CUBLAS, CUDART, NVRTC -> "CUDA 12 or 13";
            case DRIVER -> "an NVIDIA driver for CUDA 12 or 13";
        };
    }

    Loaded find(Map<String, String> env, String javaLibraryPath) {
        List<Path> folders = searchFolders(env, javaLibraryPath);
        List<String> problems = new ArrayList<>();
        for (Path folder : folders) {
            for (String name : names) {
                Path candidate = folder.resolve(name);
                if (Files.isRegularFile(candidate)) {
                    try {
                        for (Path dep : dependencies(folder)) {
                            SymbolLookup.libraryLookup(dep, Arena.global());
                        }
                        return new Loaded(this, candidate.toString(), SymbolLookup.libraryLookup(candidate, Arena.global()));
                    } catch (IllegalArgumentException e) {
                        problems.add(candidate + ": " + e.getMessage());
                    }
                }
            }
        }
        for (String name : names) {     // the system loader's own search: ld.so.cache, where drivers are registered
            try {
                return new Loaded(this, name + " (system library path)", SymbolLookup.libraryLookup(name, Arena.global()));
            } catch (IllegalArgumentException e) {
                // not there either; reported below
            }
        }
        StringBuilder msg = new StringBuilder(description).append(" not found: looked for ").append(String.join(", ", names))
                .append(" in ");
        msg.append(folders.isEmpty() ? "(no folders)" : folders.stream().map(Path::toString).reduce((a, b) -> a + ", " + b).orElseThrow());
        msg.append(" and on the system library path");
        if (!problems.isEmpty()) {
            msg.append("; found but could not load ").append(String.join("; ", problems));
        }
        msg.append(". ").append(this == DRIVER ? "Is there an NVIDIA GPU and driver on this machine?"
                : "Install " + requirement() + " or set SCEP_CUDA_LIBS to the folder that holds it.");
        throw new GpuUnavailableException(msg.toString());
    }

    private List<Path> dependencies(Path folder) {
        List<Path> out = new ArrayList<>();
        for (String name : preload) {
            if (name.endsWith("*")) {
                try (var files = Files.list(folder)) {
                    files.filter(f -> f.getFileName().toString().startsWith(name.substring(0, name.length() - 1)))
                            .filter(Files::isRegularFile).sorted().forEach(out::add);
                } catch (java.io.IOException e) {
                    // an unreadable folder: the library itself will say what it misses
                }
            } else if (Files.isRegularFile(folder.resolve(name))) {
                out.add(folder.resolve(name));
            }
        }
        return out;
    }

    /** Where to look, in order (DESIGN §6); folders that do not exist are left out. */
    List<Path> searchFolders(Map<String, String> env, String javaLibraryPath) {
        List<Path> out = new ArrayList<>();
        split(env.get("SCEP_CUDA_LIBS"), out);
        split(javaLibraryPath, out);
        split(env.get("LD_LIBRARY_PATH"), out);
        for (String cuda : List.of(Optional.ofNullable(env.get("CUDA_HOME")).orElse("/usr/local/cuda"), "/usr/local/cuda")) {
            for (String sub : List.of("lib64", "lib", "targets/x86_64-linux/lib")) {
                out.add(Path.of(cuda, sub));
            }
        }
        if (wheel != null) {
            for (Path site : PythonSites.find(env)) {
                out.add(site.resolve("nvidia").resolve(wheel).resolve("lib"));
                out.add(site.resolve("nvidia").resolve("cu13").resolve("lib"));
                out.add(site.resolve("nvidia").resolve("cu12").resolve("lib"));
            }
        }
        return out.stream().distinct().filter(Files::isDirectory).toList();
    }

    private static void split(String pathList, List<Path> out) {
        if (pathList == null || pathList.isBlank()) {
            return;
        }
        for (String p : pathList.split(":")) {
            if (!p.isBlank()) {
                Path path = Path.of(p.trim());
                out.add(Files.isRegularFile(path) ? path.getParent() : path);
            }
        }
    }
}
