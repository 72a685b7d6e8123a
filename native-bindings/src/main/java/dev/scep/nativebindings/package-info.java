/**
 * FFM (Panama) bindings to the CUDA runtime and driver API, cuBLAS, cuDNN 9 and NVRTC, with no JNI and no C glue
 * (DESIGN §6). {@code dev.scep.nativebindings.cuda} holds the bindings in jextract's generated layout (one class per
 * header, written by {@code native-bindings/jextract/generate.py}); this package finds and loads the libraries
 * ({@link dev.scep.nativebindings.CudaLibrary}), turns status codes into exceptions with the libraries' own messages
 * ({@link dev.scep.nativebindings.Status}), scopes device memory to arenas
 * ({@link dev.scep.nativebindings.DeviceMemory}), owns cuDNN descriptors as closeable objects
 * ({@link dev.scep.nativebindings.CudnnDescriptor} and its tensor, filter, convolution and pooling kinds), compiles CUDA
 * C with NVRTC ({@link dev.scep.nativebindings.Nvrtc}) and says whether a GPU is usable
 * ({@link dev.scep.nativebindings.GpuProbe}).
 */
package dev.scep.nativebindings;
