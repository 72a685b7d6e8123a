/**
 * FFM (Panama) bindings to the CUDA runtime and driver API, cuBLAS, cuDNN 9 and NVRTC, with no JNI and no C glue
 * (DESIGN §6). {@code dev.scep.nativebindings.cuda} holds the bindings in jextract's generated layout (one class per
 * header, written by {@code native-bindings/jextract/generate.py}); this package finds and loads the libraries
 * ({@link dev.scep.nativebindings.CudaLibrary}), turns status codes into exceptions with the libraries' own messages
 * ({@link dev.scep.nativebindings.Status}), scopes device memory to arenas
 * ({@link dev.scep.nativebindings.DeviceMemory}), compiles CUDA
 * C with NVRTC ({@link dev.scep.nativebindings.Nvrtc}) and says whether a GPU is usable
 * ({@link dev.scep.nativebindings.GpuProbe}). {@code dev.scep.nativebindings.cudnn} owns cuDNN descriptors as
 * closeable objects (a tensor, filter, convolution and pooling kind). Only this package is exported to applications;
 * the bindings and the descriptors are for the engines in our own modules.
 */
package dev.scep.nativebindings;
