// The LSTM cell's element-wise part, the one hot loop that is not a matrix product.
//
// Why C: Swift compiles for the x86-64 baseline (SSE, 4 floats per instruction) and has no per-function
// target selection; here `target_clones` builds AVX-512, AVX2 and baseline versions of the loop and the
// loader picks the widest the CPU has. The arithmetic is the same on every path: exp is the Cephes
// single-precision algorithm without calls or branches (rounding by the 1.5*2^23 trick, a degree-5
// polynomial on [-ln2/2, ln2/2], the exponent put in by integer arithmetic), relative error <= 2 ulp for
// |x| <= 87; inputs are clamped there, which changes sigmoid and tanh by less than 1e-37.
#include "lstm_kernels.h"

#include <stdint.h>
#include <string.h>

static inline float fast_exp(float value) {
    float x = value < -87.0f ? -87.0f : (value > 87.0f ? 87.0f : value);
    float shifted = x * 1.44269504088896341f + 12582912.0f;
    float n = shifted - 12582912.0f;
    float r = x - n * 0.693359375f + n * 2.12194440e-4f;  // ln2 split in two for an exact product
    float p = 1.9875691500e-4f;
    p = p * r + 1.3981999507e-3f;
    p = p * r + 8.3334519073e-3f;
    p = p * r + 4.1665795894e-2f;
    p = p * r + 1.6666665459e-1f;
    p = p * r + 5.0000001201e-1f;
    float er = p * r * r + r + 1.0f;
    int32_t bits;
    memcpy(&bits, &shifted, sizeof bits);
    int32_t exponent = (bits - 0x4B400000 + 127) << 23;
    float scale;
    memcpy(&scale, &exponent, sizeof scale);
    return er * scale;
}

static inline float sigmoid(float x) { return 1.0f / (1.0f + fast_exp(-x)); }

// tanh(x) = 1 - 2 / (e^(2x) + 1): absolute error <= 1.2e-7 (relative accuracy is lost near 0, not absolute).
static inline float tanh_fast(float x) { return 1.0f - 2.0f / (fast_exp(2.0f * x) + 1.0f); }

__attribute__((target_clones("avx512f", "avx2", "default")))
void likeness_lstm_step(const float *gates, const float *bias, float *cell, long batch, long n,
                        float *out, long out_stride, float *copy, long copy_stride) {
    for (long b = 0; b < batch; b++) {
        const float *restrict g = gates + b * 4 * n;
        float *restrict c = cell + b * n;
        float *restrict h = out + b * out_stride;
        for (long j = 0; j < n; j++) {
            float input_gate = sigmoid(g[j] + bias[j]);
            float forget_gate = sigmoid(g[n + j] + bias[n + j]);
            float candidate = tanh_fast(g[2 * n + j] + bias[2 * n + j]);
            float output_gate = sigmoid(g[3 * n + j] + bias[3 * n + j]);
            float state = forget_gate * c[j] + input_gate * candidate;
            c[j] = state;
            h[j] = output_gate * tanh_fast(state);
        }
        if (copy) memcpy(copy + b * copy_stride, h, (size_t)n * sizeof(float));
    }
}
