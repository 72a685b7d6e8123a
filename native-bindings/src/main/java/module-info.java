/**
 * Panama (FFM) bindings to the CUDA runtime, cuBLAS, cuDNN and NVRTC in jextract's layout, library discovery and
 * status-code mapping. No JNI, no C glue. Exported: the probe that says whether a GPU works and the exceptions;
 * the raw bindings ({@code cuda}) are for the engines in our own modules.
 */
module dev.scep.nativebindings {
    exports dev.scep.nativebindings;
    exports dev.scep.nativebindings.cuda to dev.scep.runtime, dev.scep.train;
    exports dev.scep.nativebindings.cudnn to dev.scep.runtime, dev.scep.train;
}
