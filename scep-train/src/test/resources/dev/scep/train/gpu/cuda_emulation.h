// Just enough of CUDA's device-side C++ to run scep_kernels.cu on the CPU, for GpuKernelsEmulationTest: every thread
// of a block is an OS thread when the kernel synchronises (__syncthreads, warp shuffles), else the threads run one
// after the other; blocks run one after the other. Semantics follow the CUDA C++ Programming Guide: a warp is 32
// lanes, __shfl_down_sync returns the caller's own value when the source lane is outside its warp.
#include <algorithm>
#include <atomic>
#include <barrier>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <thread>
#include <vector>

struct dim3 { unsigned x = 1, y = 1, z = 1; };
struct int4 { int x, y, z, w; };
struct float4 { float x, y, z, w; };

static thread_local dim3 threadIdx;
static dim3 blockIdx;
static dim3 blockDim;
#define __global__
#define __shared__
alignas(16) float partial[1 << 16];   // the kernels' `extern __shared__ float partial[]`
static std::barrier<>* block_barrier = nullptr;
static float shuffle_cells[1024];

inline void __syncthreads() { block_barrier->arrive_and_wait(); }

inline float __shfl_down_sync(unsigned, float v, int offset) {
    unsigned t = threadIdx.x;
    shuffle_cells[t] = v;
    __syncthreads();
    unsigned lane = t % 32;
    float r = lane + offset < 32 && t + offset < blockDim.x ? shuffle_cells[t + offset] : v;
    __syncthreads();
    return r;
}

inline float atomicAdd(float* p, float v) { return std::atomic_ref<float>(*p).fetch_add(v); }
using std::isfinite;
using std::max;
using std::min;

// A kernel launch: blocks one after the other; `together` runs a block's threads as OS threads (for kernels that
// synchronise), otherwise one after the other.
template <typename... P, typename... A>
void launch(void (*kernel)(P...), unsigned blocks, unsigned threads, bool together, A... args) {
    blockDim.x = threads;
    for (unsigned b = 0; b < blocks; b++) {
        blockIdx.x = b;
        if (!together) {
            for (unsigned t = 0; t < threads; t++) {
                threadIdx.x = t;
                kernel(args...);
            }
            continue;
        }
        std::barrier<> barrier(threads);
        block_barrier = &barrier;
        std::vector<std::thread> pool;
        for (unsigned t = 0; t < threads; t++) {
            pool.emplace_back([&, t] {
                threadIdx.x = t;
                kernel(args...);
            });
        }
        for (auto& th : pool) th.join();
    }
}
