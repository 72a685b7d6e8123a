// scep's elementwise GPU kernels: the parts of the scEP forward and backward passes and of training that cuDNN and
// cuBLAS do not cover. Compiled at run time by NVRTC (dev.scep.runtime.gpu.GpuKernels), or to PTX by nvcc in the
// tests. Plain C linkage so the names in the PTX are the names below. One thread per element unless said otherwise;
// every kernel guards its index, so any grid that covers the elements works.

// 2-bit packed windows (FORMAT.md: base i is bits 2*(i%4) of byte i/4, A=0 C=1 G=2 T=3) to one-hot [w][4][row]
// (cuDNN's NCHW with H = 1), base p at row position offset + p: the first convolution's zero padding lives in the
// row (written once, never here), which also allows Keras' uneven 'same' padding. channel_of_code maps a 2-bit
// code to the model's channel (scEP: A C T G, Xpresso: A C G T).
extern "C" __global__ void expand_onehot(const unsigned char* packed, int windows, int length, int bytes_per_window,
                                         int4 channel_of_code, int row, int offset, float* out) {
    long i = (long) blockIdx.x * blockDim.x + threadIdx.x;
    if (i >= (long) windows * length) return;
    int w = (int) (i / length);
    int p = (int) (i % length);
    int code = (packed[(long) w * bytes_per_window + p / 4] >> (2 * (p % 4))) & 3;
    int channel = code == 0 ? channel_of_code.x : code == 1 ? channel_of_code.y : code == 2 ? channel_of_code.z : channel_of_code.w;
    float* o = out + (long) w * 4 * row + offset + p;
    o[0] = 0.0f;
    o[row] = 0.0f;
    o[2 * row] = 0.0f;
    o[3 * row] = 0.0f;
    o[(long) channel * row] = 1.0f;
}

// Ambiguous bases (AMBG runs): one thread per position of a run; weights holds the run's 4 channel values
// (scEP: N = 1/4 each, two-base codes 1/2, three-base codes 1/3; Xpresso: N = all zero).
extern "C" __global__ void patch_ambiguous(const int* run_window, const int* run_start, const int* run_length,
                                           const float4* run_weights, int runs, int max_run, int row, int offset,
                                           float* out) {
    long i = (long) blockIdx.x * blockDim.x + threadIdx.x;
    if (i >= (long) runs * max_run) return;
    int r = (int) (i / max_run);
    int k = (int) (i % max_run);
    if (k >= run_length[r]) return;
    int p = run_start[r] + k;
    float4 v = run_weights[r];
    float* o = out + (long) run_window[r] * 4 * row + offset + p;
    o[0] = v.x;
    o[row] = v.y;
    o[2 * row] = v.z;
    o[3 * row] = v.w;
}

// x[n][c][i] += bias[c], then ReLU if relu != 0 (the convolutions' and dense layers' bias; inner = 1 for dense).
extern "C" __global__ void add_bias(float* x, const float* bias, int n, int channels, int inner, int relu) {
    long i = (long) blockIdx.x * blockDim.x + threadIdx.x;
    if (i >= (long) n * channels * inner) return;
    int c = (int) ((i / inner) % channels);
    float v = x[i] + bias[c];
    x[i] = relu && v < 0.0f ? 0.0f : v;
}

// db[c] = sum over n and i of dy[n][c][i]: one block per channel, a shared-memory tree (blockDim a power of two).
extern "C" __global__ void bias_grad(const float* dy, float* db, int n, int channels, int inner) {
    extern __shared__ float partial[];
    int c = blockIdx.x;
    float sum = 0.0f;
    for (long k = threadIdx.x; k < (long) n * inner; k += blockDim.x) {
        long sample = k / inner;
        long i = k % inner;
        sum += dy[(sample * channels + c) * inner + i];
    }
    partial[threadIdx.x] = sum;
    __syncthreads();
    for (int s = blockDim.x / 2; s > 0; s >>= 1) {
        if (threadIdx.x < s) partial[threadIdx.x] += partial[threadIdx.x + s];
        __syncthreads();
    }
    if (threadIdx.x == 0) db[c] = partial[0];
}

// The dense input: the pooled map [n][channels][positions] flattened, then the half-life features. Channel-major
// (PyTorch's flatten of NCW, scEP): x[n][c*positions + p]; position-major (Keras, Xpresso): x[n][p*channels + c].
extern "C" __global__ void concat_halflife(const float* pooled, const float* halflife, int n, int channels,
                                           int positions, int features, int position_major, float* x) {
    long i = (long) blockIdx.x * blockDim.x + threadIdx.x;
    int flat = channels * positions;
    int width = flat + features;
    if (i >= (long) n * width) return;
    int s = (int) (i / width);
    int j = (int) (i % width);
    if (j >= flat) {
        x[i] = halflife[(long) s * features + (j - flat)];
    } else {
        int source = position_major ? (j % channels) * positions + j / channels : j;
        x[i] = pooled[(long) s * flat + source];
    }
}

// The backward of concat_halflife for the pooled part: dpooled[n][j] = dx[n][j] for j < flat.
extern "C" __global__ void split_halflife_grad(const float* dx, int n, int flat, int features, float* dpooled) {
    long i = (long) blockIdx.x * blockDim.x + threadIdx.x;
    if (i >= (long) n * flat) return;
    int s = (int) (i / flat);
    int j = (int) (i % flat);
    dpooled[i] = dx[(long) s * (flat + features) + j];
}

// Mean squared error over count = n*outputs values: grad = 2 (pred - target) / count, and the sum of squared
// errors added to *loss_sum (divide by count on the host). NaN targets are the caller's to reject beforehand.
extern "C" __global__ void mse_loss(const float* pred, const float* target, long count, float* grad, float* loss_sum) {
    long i = (long) blockIdx.x * blockDim.x + threadIdx.x;
    float sq = 0.0f;
    if (i < count) {
        float d = pred[i] - target[i];
        grad[i] = 2.0f * d / (float) count;
        sq = d * d;
    }
    for (int offset = 16; offset > 0; offset >>= 1) sq += __shfl_down_sync(0xffffffffu, sq, offset);
    if ((threadIdx.x & 31) == 0 && sq != 0.0f) atomicAdd(loss_sum, sq);
}

// One Adam step as PyTorch computes it (and scep-train's cpu.Adam): m = b1 m + (1-b1) g; v = b2 v + (1-b2) g^2;
// w -= step_size * m / (sqrt(v) / bc2_sqrt + eps), with step_size = lr / (1 - b1^t), bc2_sqrt = sqrt(1 - b2^t).
extern "C" __global__ void adam_step(float* w, const float* g, float* m, float* v, long count, float beta1, float beta2,
                                     float eps, float step_size, float bc2_sqrt) {
    long i = (long) blockIdx.x * blockDim.x + threadIdx.x;
    if (i >= count) return;
    float gi = g[i];
    float mi = beta1 * m[i] + (1.0f - beta1) * gi;
    float vi = beta2 * v[i] + (1.0f - beta2) * gi * gi;
    m[i] = mi;
    v[i] = vi;
    w[i] -= step_size * mi / (sqrtf(vi) / bc2_sqrt + eps);
}
