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
    for (unsigned s = blockDim.x / 2; s > 0; s >>= 1) {
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

// The backward of concat_halflife for the pooled part: dpooled[n][c][p] = dx[n][j] with j as concat_halflife placed it.
extern "C" __global__ void unflatten_grad(const float* dx, int n, int channels, int positions, int features,
                                          int position_major, float* dpooled) {
    long i = (long) blockIdx.x * blockDim.x + threadIdx.x;
    int flat = channels * positions;
    if (i >= (long) n * flat) return;
    int s = (int) (i / flat);
    int r = (int) (i % flat);
    int j = position_major ? (r % positions) * channels + r / positions : r;
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

// Training's max pooling, with bias and activation after it (as GpuConvBlock's forward): y[n][c][j] = act(max of
// x[n][c][q] over window j + bias[c]); argmax[n][c][j] = the first q holding the maximum (PyTorch's tie rule and the
// CPU trainer's). Window j is [max(0, j*stride - pad), min(length, j*stride - pad + size)): padding never wins,
// as in cuDNN's and PyTorch's max pooling.
extern "C" __global__ void pool_argmax_bias(const float* x, const float* bias, int n, int channels, int length,
                                            int size, int stride, int pad, int out_length, int relu, float* y,
                                            int* argmax) {
    long i = (long) blockIdx.x * blockDim.x + threadIdx.x;
    if (i >= (long) n * channels * out_length) return;
    int j = (int) (i % out_length);
    long nc = i / out_length;
    int c = (int) (nc % channels);
    int qs = max(0, j * stride - pad);
    int qe = min(length, j * stride - pad + size);
    const float* row = x + nc * length;
    float m = row[qs];
    int at = qs;
    for (int q = qs + 1; q < qe; q++) {
        float v = row[q];
        if (v > m) {
            m = v;
            at = q;
        }
    }
    argmax[i] = at;
    float v = m + bias[c];
    y[i] = relu && v < 0.0f ? 0.0f : v;
}

// The backward of pool_argmax_bias: g = dy where the activation let it through (ReLU: y > 0), written to dmasked
// (for the bias gradient) and, when dx is not null, added at the arg-max into dx [n][c][length] (zeroed by the
// caller; atomic because overlapping windows may share an arg-max: then the sum's order, and its last bits, vary
// from run to run; scEP's and Xpresso's pools do not overlap, so each cell gets at most one addition).
extern "C" __global__ void pool_argmax_backward(const float* dy, const float* y, const int* argmax, int n, int channels,
                                                int length, int out_length, int relu, float* dmasked, float* dx) {
    long i = (long) blockIdx.x * blockDim.x + threadIdx.x;
    if (i >= (long) n * channels * out_length) return;
    float g = relu && y[i] <= 0.0f ? 0.0f : dy[i];
    dmasked[i] = g;
    if (dx != 0 && g != 0.0f) atomicAdd(dx + (i / out_length) * length + argmax[i], g);
}

// The first convolution's weight gradient read from its one-hot input (it sees nothing else): dw[c][ch][t] = sum over
// windows s and pooled positions j of g[s][c][j] * onehot[s][ch][argmax[s][c][j] + t], since conv1's output q reads
// positions q .. q + kernel - 1 of the padded row. One block per weight (c, ch, t) in PyTorch's [out][in][k] order,
// a shared-memory tree over (s, j) (blockDim a power of two).
extern "C" __global__ void conv1_weight_grad(const float* g, const int* argmax, const float* onehot, int n,
                                             int channels, int out_length, int row, int kernel, float* dw) {
    extern __shared__ float partial[];
    int w = blockIdx.x;
    int t = w % kernel;
    int ch = (w / kernel) % 4;
    int c = w / (4 * kernel);
    float sum = 0.0f;
    for (long k = threadIdx.x; k < (long) n * out_length; k += blockDim.x) {
        long s = k / out_length;
        long gi = (s * channels + c) * out_length + k % out_length;
        float gv = g[gi];
        if (gv != 0.0f) sum += gv * onehot[(s * 4 + ch) * (long) row + argmax[gi] + t];
    }
    partial[threadIdx.x] = sum;
    __syncthreads();
    for (unsigned s = blockDim.x / 2; s > 0; s >>= 1) {
        if (threadIdx.x < s) partial[threadIdx.x] += partial[threadIdx.x + s];
        __syncthreads();
    }
    if (threadIdx.x == 0) dw[w] = partial[0];
}

// Dropout in training: x[i] *= keep[i] (keep is 0 or 1 / (1 - rate), drawn on the host as the CPU trainer draws it).
extern "C" __global__ void multiply(float* x, const float* keep, long count) {
    long i = (long) blockIdx.x * blockDim.x + threadIdx.x;
    if (i < count) x[i] *= keep[i];
}

// The backward of a dense layer's activation and dropout: g = dy * keep, zero where the ReLU was off (act holds the
// value after activation and dropout, so act <= 0 means no gradient passes, as in the CPU trainer).
extern "C" __global__ void dense_act_backward(const float* dy, const float* act, const float* keep, long count, int relu,
                                              float* g) {
    long i = (long) blockIdx.x * blockDim.x + threadIdx.x;
    if (i >= count) return;
    g[i] = relu && act[i] <= 0.0f ? 0.0f : dy[i] * keep[i];
}

// Sets *flag when any of x[0, count) is NaN or infinite (the divergence check after an update).
extern "C" __global__ void flag_nonfinite(const float* x, long count, int* flag) {
    long i = (long) blockIdx.x * blockDim.x + threadIdx.x;
    if (i < count && !isfinite(x[i])) *flag = 1;
}
