// GpuTrainingNetwork's training step (forward with dropout, MSE, backward) transcribed call for call, with scep's
// kernels run on the CPU (cuda_emulation.h) and cuDNN's and cuBLAS's calls replaced by plain loops that follow their
// documented semantics (cudnnConvolutionForward/BackwardData/BackwardFilter: cross-correlation, NCHW with H = 1,
// zero padding on both sides; cublasSgemm: column-major, C = op(A) op(B)). GpuKernelsEmulationTest holds the result
// to the CPU trainer's. Usage: gpu_step_emulation IN OUT (little-endian binary, written and read by the test).
#include "cuda_emulation.h"
#include "scep_kernels.cu"

static FILE* in_file;
static int next_int() { int v; if (fread(&v, 4, 1, in_file) != 1) { fprintf(stderr, "short input\n"); exit(2); } return v; }
static std::vector<float> floats(size_t n) {
    std::vector<float> v(n);
    if (n && fread(v.data(), 4, n, in_file) != n) { fprintf(stderr, "short input\n"); exit(2); }
    return v;
}

// cudnnConvolutionForward: y[s][k][q] = sum over c, t of w[k][c][t] x[s][c][q + t - pad]
static void conv_forward(const float* x, const float* w, int n, int cin, int lin, int cout, int k, int pad, int lout, float* y) {
    for (int s = 0; s < n; s++) for (int o = 0; o < cout; o++) for (int q = 0; q < lout; q++) {
        float sum = 0;
        for (int c = 0; c < cin; c++) for (int t = 0; t < k; t++) {
            int p = q + t - pad;
            if (p >= 0 && p < lin) sum += w[((long) o * cin + c) * k + t] * x[((long) s * cin + c) * lin + p];
        }
        y[((long) s * cout + o) * lout + q] = sum;
    }
}

// cudnnConvolutionBackwardData: dx[s][c][p] = sum over k, t of w[k][c][t] dy[s][k][p - t + pad]
static void conv_backward_data(const float* w, const float* dy, int n, int cin, int lin, int cout, int k, int pad, int lout, float* dx) {
    for (int s = 0; s < n; s++) for (int c = 0; c < cin; c++) for (int p = 0; p < lin; p++) {
        float sum = 0;
        for (int o = 0; o < cout; o++) for (int t = 0; t < k; t++) {
            int q = p - t + pad;
            if (q >= 0 && q < lout) sum += w[((long) o * cin + c) * k + t] * dy[((long) s * cout + o) * lout + q];
        }
        dx[((long) s * cin + c) * lin + p] = sum;
    }
}

// cudnnConvolutionBackwardFilter: dw[k][c][t] = sum over s, q of dy[s][k][q] x[s][c][q + t - pad]
static void conv_backward_filter(const float* x, const float* dy, int n, int cin, int lin, int cout, int k, int pad, int lout, float* dw) {
    for (int o = 0; o < cout; o++) for (int c = 0; c < cin; c++) for (int t = 0; t < k; t++) {
        float sum = 0;
        for (int s = 0; s < n; s++) for (int q = 0; q < lout; q++) {
            int p = q + t - pad;
            if (p >= 0 && p < lin) sum += dy[((long) s * cout + o) * lout + q] * x[((long) s * cin + c) * lin + p];
        }
        dw[((long) o * cin + c) * k + t] = sum;
    }
}

// cublasSgemm with alpha 1, beta 0: C (m x n, ldc) = op(A) (m x k) op(B) (k x n), all column-major
static void sgemm(bool transA, bool transB, int m, int n, int k, const float* A, int lda, const float* B, int ldb, float* C, int ldc) {
    for (int i = 0; i < m; i++) for (int j = 0; j < n; j++) {
        float sum = 0;
        for (int l = 0; l < k; l++) {
            float a = transA ? A[l + (long) i * lda] : A[i + (long) l * lda];
            float b = transB ? B[j + (long) l * ldb] : B[l + (long) j * ldb];
            sum += a * b;
        }
        C[i + (long) j * ldc] = sum;
    }
}

static unsigned blocks_for(long count) { return (unsigned) ((count + 255) / 256); }

int main(int argc, char** argv) {
    if (argc != 3) { fprintf(stderr, "usage: gpu_step_emulation IN OUT\n"); return 2; }
    in_file = fopen(argv[1], "rb");
    if (!in_file) { perror(argv[1]); return 2; }
    int n = next_int(), row = next_int();
    int c1 = next_int(), k1 = next_int(), l1 = next_int(), p1size = next_int(), p1stride = next_int(), p1pad = next_int(), p1len = next_int(), relu1 = next_int();
    int c2 = next_int(), k2 = next_int(), pad2 = next_int(), l2 = next_int(), p2size = next_int(), p2stride = next_int(), p2pad = next_int(), p2len = next_int(), relu2 = next_int();
    int hl = next_int(), h = next_int(), reluH = next_int(), o = next_int(), position_major = next_int(), reduce_threads = next_int();
    int f = c2 * p2len + hl;
    std::vector<float> w1 = floats((size_t) c1 * 4 * k1), b1 = floats(c1), w2 = floats((size_t) c2 * c1 * k2), b2 = floats(c2);
    std::vector<float> wd1 = floats((size_t) h * f), bd1 = floats(h), wd2 = floats((size_t) o * h), bd2 = floats(o);
    std::vector<float> onehot = floats((size_t) n * 4 * row), halflife = floats((size_t) n * hl), target = floats((size_t) n * o);
    std::vector<float> keep1 = floats((size_t) n * h), keep2 = floats((size_t) n * o);
    fclose(in_file);

    // forward (GpuTrainingNetwork.forward, GpuConvBlock.forwardTraining)
    std::vector<float> conv1((size_t) n * c1 * l1), pooled1((size_t) n * c1 * p1len), conv2((size_t) n * c2 * l2), pooled2((size_t) n * c2 * p2len);
    std::vector<int> argmax1(pooled1.size()), argmax2(pooled2.size());
    conv_forward(onehot.data(), w1.data(), n, 4, row, c1, k1, 0, l1, conv1.data());   // conv1's padding is in the rows
    launch(pool_argmax_bias, blocks_for(pooled1.size()), 256, false, (const float*) conv1.data(), (const float*) b1.data(), n, c1, l1,
           p1size, p1stride, p1pad, p1len, relu1, pooled1.data(), argmax1.data());
    conv_forward(pooled1.data(), w2.data(), n, c1, p1len, c2, k2, pad2, l2, conv2.data());
    launch(pool_argmax_bias, blocks_for(pooled2.size()), 256, false, (const float*) conv2.data(), (const float*) b2.data(), n, c2, l2,
           p2size, p2stride, p2pad, p2len, relu2, pooled2.data(), argmax2.data());
    std::vector<float> dense_in((size_t) n * f), act1((size_t) n * h), act2((size_t) n * o);
    launch(concat_halflife, blocks_for(dense_in.size()), 256, false, (const float*) pooled2.data(), (const float*) halflife.data(), n, c2,
           p2len, hl, position_major, dense_in.data());
    sgemm(true, false, h, n, f, wd1.data(), f, dense_in.data(), f, act1.data(), h);
    launch(add_bias, blocks_for(act1.size()), 256, false, act1.data(), (const float*) bd1.data(), n, h, 1, reluH);
    launch(multiply, blocks_for(act1.size()), 256, false, act1.data(), (const float*) keep1.data(), (long) act1.size());
    sgemm(true, false, o, n, h, wd2.data(), h, act1.data(), h, act2.data(), o);
    launch(add_bias, blocks_for(act2.size()), 256, false, act2.data(), (const float*) bd2.data(), n, o, 1, 0);
    // the loss (whole warps, as on the device)
    std::vector<float> pred_grad((size_t) n * o);
    float loss = 0;
    launch(mse_loss, (unsigned) ((act2.size() + 31) / 32), 32, true, (const float*) act2.data(), (const float*) target.data(),
           (long) act2.size(), pred_grad.data(), &loss);

    // backward (GpuTrainingNetwork.backward, GpuConvBlock.backward)
    std::vector<float> g2(act2.size()), g1(act1.size()), dact1(act1.size()), ddense_in(dense_in.size());
    std::vector<float> dwd2(wd2.size()), dbd2(o), dwd1(wd1.size()), dbd1(h);
    launch(dense_act_backward, blocks_for(g2.size()), 256, false, (const float*) pred_grad.data(), (const float*) act2.data(),
           (const float*) keep2.data(), (long) g2.size(), 0, g2.data());
    sgemm(false, true, h, o, n, act1.data(), h, g2.data(), o, dwd2.data(), h);
    launch(bias_grad, o, reduce_threads, true, (const float*) g2.data(), dbd2.data(), n, o, 1);
    sgemm(false, false, h, n, o, wd2.data(), h, g2.data(), o, dact1.data(), h);
    launch(dense_act_backward, blocks_for(g1.size()), 256, false, (const float*) dact1.data(), (const float*) act1.data(),
           (const float*) keep1.data(), (long) g1.size(), reluH, g1.data());
    sgemm(false, true, f, h, n, dense_in.data(), f, g1.data(), h, dwd1.data(), f);
    launch(bias_grad, h, reduce_threads, true, (const float*) g1.data(), dbd1.data(), n, h, 1);
    sgemm(false, false, f, n, h, wd1.data(), f, g1.data(), h, ddense_in.data(), f);
    std::vector<float> dpooled2(pooled2.size()), dmasked2(pooled2.size()), dconv2(conv2.size(), 0.0f), dw2(w2.size()), db2(c2);
    launch(unflatten_grad, blocks_for(dpooled2.size()), 256, false, (const float*) ddense_in.data(), n, c2, p2len, hl, position_major,
           dpooled2.data());
    launch(pool_argmax_backward, blocks_for(pooled2.size()), 256, false, (const float*) dpooled2.data(), (const float*) pooled2.data(),
           (const int*) argmax2.data(), n, c2, l2, p2len, relu2, dmasked2.data(), dconv2.data());
    launch(bias_grad, c2, reduce_threads, true, (const float*) dmasked2.data(), db2.data(), n, c2, p2len);
    conv_backward_filter(pooled1.data(), dconv2.data(), n, c1, p1len, c2, k2, pad2, l2, dw2.data());
    std::vector<float> dpooled1(pooled1.size()), dmasked1(pooled1.size()), dw1(w1.size()), db1(c1);
    conv_backward_data(w2.data(), dconv2.data(), n, c1, p1len, c2, k2, pad2, l2, dpooled1.data());
    launch(pool_argmax_backward, blocks_for(pooled1.size()), 256, false, (const float*) dpooled1.data(), (const float*) pooled1.data(),
           (const int*) argmax1.data(), n, c1, l1, p1len, relu1, dmasked1.data(), (float*) nullptr);
    launch(bias_grad, c1, reduce_threads, true, (const float*) dmasked1.data(), db1.data(), n, c1, p1len);
    launch(conv1_weight_grad, (unsigned) (c1 * 4 * k1), reduce_threads, true, (const float*) dmasked1.data(), (const int*) argmax1.data(),
           (const float*) onehot.data(), n, c1, p1len, row, k1, dw1.data());

    FILE* out = fopen(argv[2], "wb");
    if (!out) { perror(argv[2]); return 2; }
    for (auto* v : {&pooled1, &pooled2, &act1, &act2}) fwrite(v->data(), 4, v->size(), out);
    fwrite(&loss, 4, 1, out);
    for (auto* v : {&dw1, &db1, &dw2, &db2, &dwd1, &dbd1, &dwd2, &dbd2}) fwrite(v->data(), 4, v->size(), out);
    fclose(out);
    return 0;
}
