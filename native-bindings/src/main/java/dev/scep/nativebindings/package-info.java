/**
 * FFM (Panama) bindings to the CUDA runtime, cuBLAS, cuDNN and NVRTC in jextract's layout, library discovery
 * and status-code → exception mapping (DESIGN §6). Nothing is bound yet: the GPU path is issue 6.
 */
package dev.scep.nativebindings;
