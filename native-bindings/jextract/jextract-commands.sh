#!/usr/bin/env bash
# Regenerates dev.scep.nativebindings.cuda with jextract itself (jextract 22+ on the PATH; CUDA and cuDNN
# headers under CUDA_INCLUDE and CUDNN_INCLUDE). Written by generate.py, which makes the same layout without it.
set -euo pipefail
CUDA_INCLUDE="${CUDA_INCLUDE:-/usr/local/cuda/include}"
CUDNN_INCLUDE="${CUDNN_INCLUDE:-$CUDA_INCLUDE}"
out="$(cd "$(dirname "${BASH_SOURCE[0]}")/../src/main/java" && pwd)"
jextract \
    --output "$out" \
    --target-package dev.scep.nativebindings.cuda \
    --header-class-name cuda_runtime_api_h \
    -I "$CUDA_INCLUDE" \
    -I "$CUDNN_INCLUDE" \
    --include-function cudaGetErrorString \
    --include-function cudaGetErrorName \
    --include-function cudaGetLastError \
    --include-function cudaRuntimeGetVersion \
    --include-function cudaDriverGetVersion \
    --include-function cudaGetDeviceCount \
    --include-function cudaSetDevice \
    --include-function cudaDeviceGetAttribute \
    --include-function cudaMemGetInfo \
    --include-function cudaMalloc \
    --include-function cudaFree \
    --include-function cudaMallocHost \
    --include-function cudaFreeHost \
    --include-function cudaMemcpy \
    --include-function cudaMemcpyAsync \
    --include-function cudaMemsetAsync \
    --include-function cudaStreamCreate \
    --include-function cudaStreamDestroy \
    --include-function cudaStreamSynchronize \
    --include-function cudaStreamWaitEvent \
    --include-function cudaDeviceSynchronize \
    --include-function cudaEventCreate \
    --include-function cudaEventRecord \
    --include-function cudaEventSynchronize \
    --include-function cudaEventElapsedTime \
    --include-function cudaEventDestroy \
    --include-constant cudaSuccess \
    --include-constant cudaErrorInsufficientDriver \
    --include-constant cudaErrorNoDevice \
    --include-constant cudaMemcpyHostToHost \
    --include-constant cudaMemcpyHostToDevice \
    --include-constant cudaMemcpyDeviceToHost \
    --include-constant cudaMemcpyDeviceToDevice \
    --include-constant cudaDevAttrMultiProcessorCount \
    --include-constant cudaDevAttrComputeCapabilityMajor \
    --include-constant cudaDevAttrComputeCapabilityMinor \
    "$CUDA_INCLUDE/cuda_runtime_api.h"
jextract \
    --output "$out" \
    --target-package dev.scep.nativebindings.cuda \
    --header-class-name cuda_h \
    -I "$CUDA_INCLUDE" \
    -I "$CUDNN_INCLUDE" \
    --include-function cuGetErrorString \
    --include-function cuGetErrorName \
    --include-function cuInit \
    --include-function cuDriverGetVersion \
    --include-function cuModuleLoadData \
    --include-function cuModuleUnload \
    --include-function cuModuleGetFunction \
    --include-function cuLaunchKernel \
    --include-constant CUDA_SUCCESS \
    "$CUDA_INCLUDE/cuda.h"
jextract \
    --output "$out" \
    --target-package dev.scep.nativebindings.cuda \
    --header-class-name cublas_api_h \
    -I "$CUDA_INCLUDE" \
    -I "$CUDNN_INCLUDE" \
    --include-function cublasGetStatusString \
    --include-function cublasGetStatusName \
    --include-function cublasGetVersion_v2 \
    --include-function cublasCreate_v2 \
    --include-function cublasDestroy_v2 \
    --include-function cublasSetStream_v2 \
    --include-function cublasSetMathMode \
    --include-function cublasSgemm_v2 \
    --include-constant CUBLAS_STATUS_SUCCESS \
    --include-constant CUBLAS_OP_N \
    --include-constant CUBLAS_OP_T \
    --include-constant CUBLAS_DEFAULT_MATH \
    --include-constant CUBLAS_PEDANTIC_MATH \
    --include-constant CUBLAS_TF32_TENSOR_OP_MATH \
    "$CUDA_INCLUDE/cublas_api.h"
jextract \
    --output "$out" \
    --target-package dev.scep.nativebindings.cuda \
    --header-class-name cudnn_graph_h \
    -I "$CUDA_INCLUDE" \
    -I "$CUDNN_INCLUDE" \
    --include-function cudnnGetVersion \
    --include-function cudnnGetErrorString \
    --include-function cudnnCreate \
    --include-function cudnnDestroy \
    --include-function cudnnSetStream \
    --include-constant CUDNN_STATUS_SUCCESS \
    --include-constant CUDNN_DATA_FLOAT \
    --include-constant CUDNN_TENSOR_NCHW \
    --include-constant CUDNN_NOT_PROPAGATE_NAN \
    --include-constant CUDNN_PROPAGATE_NAN \
    --include-constant CUDNN_DEFAULT_MATH \
    --include-constant CUDNN_TENSOR_OP_MATH \
    --include-constant CUDNN_FMA_MATH \
    "$CUDNN_INCLUDE/cudnn_graph.h"
jextract \
    --output "$out" \
    --target-package dev.scep.nativebindings.cuda \
    --header-class-name cudnn_ops_h \
    -I "$CUDA_INCLUDE" \
    -I "$CUDNN_INCLUDE" \
    --include-function cudnnCreateTensorDescriptor \
    --include-function cudnnSetTensor4dDescriptor \
    --include-function cudnnSetTensorNdDescriptor \
    --include-function cudnnDestroyTensorDescriptor \
    --include-function cudnnCreateFilterDescriptor \
    --include-function cudnnSetFilter4dDescriptor \
    --include-function cudnnDestroyFilterDescriptor \
    --include-function cudnnCreatePoolingDescriptor \
    --include-function cudnnSetPooling2dDescriptor \
    --include-function cudnnDestroyPoolingDescriptor \
    --include-function cudnnPoolingForward \
    --include-function cudnnPoolingBackward \
    --include-function cudnnCreateActivationDescriptor \
    --include-function cudnnSetActivationDescriptor \
    --include-function cudnnDestroyActivationDescriptor \
    --include-function cudnnActivationForward \
    --include-function cudnnActivationBackward \
    --include-function cudnnAddTensor \
    --include-function cudnnSetTensor \
    --include-constant CUDNN_POOLING_MAX \
    --include-constant CUDNN_POOLING_MAX_DETERMINISTIC \
    --include-constant CUDNN_ACTIVATION_RELU \
    "$CUDNN_INCLUDE/cudnn_ops.h"
jextract \
    --output "$out" \
    --target-package dev.scep.nativebindings.cuda \
    --header-class-name cudnn_cnn_h \
    -I "$CUDA_INCLUDE" \
    -I "$CUDNN_INCLUDE" \
    --include-function cudnnCreateConvolutionDescriptor \
    --include-function cudnnSetConvolution2dDescriptor \
    --include-function cudnnSetConvolutionMathType \
    --include-function cudnnDestroyConvolutionDescriptor \
    --include-function cudnnGetConvolutionForwardAlgorithm_v7 \
    --include-function cudnnGetConvolutionForwardWorkspaceSize \
    --include-function cudnnConvolutionForward \
    --include-function cudnnGetConvolutionBackwardDataAlgorithm_v7 \
    --include-function cudnnGetConvolutionBackwardDataWorkspaceSize \
    --include-function cudnnConvolutionBackwardData \
    --include-function cudnnGetConvolutionBackwardFilterAlgorithm_v7 \
    --include-function cudnnGetConvolutionBackwardFilterWorkspaceSize \
    --include-function cudnnConvolutionBackwardFilter \
    --include-function cudnnConvolutionBackwardBias \
    --include-constant CUDNN_CONVOLUTION \
    --include-constant CUDNN_CROSS_CORRELATION \
    --include-typedef cudnnConvolutionFwdAlgoPerf_t \
    --include-typedef cudnnConvolutionBwdDataAlgoPerf_t \
    --include-typedef cudnnConvolutionBwdFilterAlgoPerf_t \
    "$CUDNN_INCLUDE/cudnn_cnn.h"
jextract \
    --output "$out" \
    --target-package dev.scep.nativebindings.cuda \
    --header-class-name nvrtc_h \
    -I "$CUDA_INCLUDE" \
    -I "$CUDNN_INCLUDE" \
    --include-function nvrtcGetErrorString \
    --include-function nvrtcVersion \
    --include-function nvrtcCreateProgram \
    --include-function nvrtcCompileProgram \
    --include-function nvrtcGetPTXSize \
    --include-function nvrtcGetPTX \
    --include-function nvrtcGetProgramLogSize \
    --include-function nvrtcGetProgramLog \
    --include-function nvrtcDestroyProgram \
    --include-constant NVRTC_SUCCESS \
    --include-constant NVRTC_ERROR_COMPILATION \
    "$CUDA_INCLUDE/nvrtc.h"
