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

// The cell on one unit's four gate pre-activations (PyTorch order i, f, g, o): updates the cell state, returns h.
static inline float cell_update(float i, float f, float g, float o, float *c) {
    float state = sigmoid(f) * *c + sigmoid(i) * tanh_fast(g);
    *c = state;
    return sigmoid(o) * tanh_fast(state);
}

__attribute__((target_clones("avx512f", "avx2", "default")))
void likeness_lstm_step(const float *gates, const float *bias, float *cell, long batch, long n,
                        float *out, long out_stride, float *copy, long copy_stride) {
    for (long b = 0; b < batch; b++) {
        const float *restrict g = gates + b * 4 * n;
        float *restrict c = cell + b * n;
        float *restrict h = out + b * out_stride;
        for (long j = 0; j < n; j++) {
            h[j] = cell_update(g[j] + bias[j], g[n + j] + bias[n + j], g[2 * n + j] + bias[2 * n + j],
                               g[3 * n + j] + bias[3 * n + j], &c[j]);
        }
        if (copy) memcpy(copy + b * copy_stride, h, (size_t)n * sizeof(float));
    }
}

// Small-batch matrix product for the LSTM steps of short clips (a 10 s clip has about 12 windows).
// OpenBLAS copies ("packs") the whole 2 MB weight matrix on every call, which for a dozen rows costs as
// much as the arithmetic; the weights here are already stored k x n, so each step streams them once per
// block of 4 rows straight into 16 accumulators (4 rows x 64 columns) and packs nothing.
typedef float v16 __attribute__((vector_size(64), aligned(4)));

// Four rows against all n columns: 16 accumulators (4 rows x 64 columns) per column block.
static inline __attribute__((always_inline))
void rows4(const float *x0, const float *x1, const float *x2, const float *x3, long k, const float *wt, long n,
           float *o0, float *o1, float *o2, float *o3) {
    for (long c = 0; c < n; c += 64) {
        v16 a00 = {0}, a01 = {0}, a02 = {0}, a03 = {0}, a10 = {0}, a11 = {0}, a12 = {0}, a13 = {0};
        v16 a20 = {0}, a21 = {0}, a22 = {0}, a23 = {0}, a30 = {0}, a31 = {0}, a32 = {0}, a33 = {0};
        const float *w = wt + c;
        for (long i = 0; i < k; i++, w += n) {
            v16 w0, w1, w2, w3;
            memcpy(&w0, w, 64); memcpy(&w1, w + 16, 64); memcpy(&w2, w + 32, 64); memcpy(&w3, w + 48, 64);
            v16 s0 = (v16){0} + x0[i], s1 = (v16){0} + x1[i], s2 = (v16){0} + x2[i], s3 = (v16){0} + x3[i];
            a00 += s0 * w0; a01 += s0 * w1; a02 += s0 * w2; a03 += s0 * w3;
            a10 += s1 * w0; a11 += s1 * w1; a12 += s1 * w2; a13 += s1 * w3;
            a20 += s2 * w0; a21 += s2 * w1; a22 += s2 * w2; a23 += s2 * w3;
            a30 += s3 * w0; a31 += s3 * w1; a32 += s3 * w2; a33 += s3 * w3;
        }
        memcpy(o0 + c, &a00, 64); memcpy(o0 + c + 16, &a01, 64); memcpy(o0 + c + 32, &a02, 64); memcpy(o0 + c + 48, &a03, 64);
        memcpy(o1 + c, &a10, 64); memcpy(o1 + c + 16, &a11, 64); memcpy(o1 + c + 32, &a12, 64); memcpy(o1 + c + 48, &a13, 64);
        memcpy(o2 + c, &a20, 64); memcpy(o2 + c + 16, &a21, 64); memcpy(o2 + c + 32, &a22, 64); memcpy(o2 + c + 48, &a23, 64);
        memcpy(o3 + c, &a30, 64); memcpy(o3 + c + 16, &a31, 64); memcpy(o3 + c + 32, &a32, 64); memcpy(o3 + c + 48, &a33, 64);
    }
}

__attribute__((target_clones("avx512f", "avx2", "default")))
void likeness_sgemm_small(const float *x, long m, long k, long ldx, const float *wt, long n, float *out) {
    for (long b = 0; b < m; b += 4) {
        // A last block of 1-3 rows still runs as four (streaming the weights costs the same): the missing
        // rows read zeros and write to a scratch row.
        float zeros[k], sink[n];
        memset(zeros, 0, sizeof zeros);
        const float *xr[4];
        float *orow[4];
        for (int r = 0; r < 4; r++) {
            int real = b + r < m;
            xr[r] = real ? x + (b + r) * ldx : zeros;
            orow[r] = real ? out + (b + r) * n : sink;
        }
        rows4(xr[0], xr[1], xr[2], xr[3], k, wt, n, orow[0], orow[1], orow[2], orow[3]);
    }
}

// Round to nearest (ties to even) by the 1.5*2^23 trick, so the loop vectorises; |x| <= 127 here.
static inline int8_t round_byte(float x) {
    float shifted = x + 12582912.0f;
    int32_t bits;
    memcpy(&bits, &shifted, sizeof bits);
    int32_t q = bits - 0x4B400000;
    return (int8_t)(q > 127 ? 127 : (q < -127 ? -127 : q));
}

static inline int32_t byte_sum(const int8_t *row, long k) {
    int32_t sum = 0;
    for (long i = 0; i < k; i++) sum += row[i];
    return sum;
}

__attribute__((target_clones("avx512f", "avx2", "default")))
void likeness_i8_lstm_step(likeness_i8_part input, likeness_i8_part recurrent, float *new_scale,
                           const float *bias, const float *extra, float *cell, long batch, long n,
                           int8_t *out, long out_stride, int8_t *copy, long copy_stride, float *hfloat) {
    // Separate simple loops (no branches, no calls inside) so each one vectorises.
    float pre[4 * n], value[n];
    for (long b = 0; b < batch; b++) {
        {
            const int32_t *restrict a = recurrent.sums + b * 4 * n;
            const float *restrict dequant = recurrent.dequant;
            const float unit = recurrent.scale[b];
            const int32_t offset = 128 * byte_sum(recurrent.rows + b * recurrent.row_stride, recurrent.k);
            for (long j = 0; j < 4 * n; j++) pre[j] = dequant[j] * unit * (float)(a[j] - offset) + bias[j];
        }
        if (input.sums) {
            const int32_t *restrict a = input.sums + b * 4 * n;
            const float *restrict dequant = input.dequant;
            const float unit = input.scale[b];
            const int32_t offset = 128 * byte_sum(input.rows + b * input.row_stride, input.k);
            for (long j = 0; j < 4 * n; j++) pre[j] += dequant[j] * unit * (float)(a[j] - offset);
        }
        if (extra) {
            const float *restrict x = extra + b * 4 * n;
            for (long j = 0; j < 4 * n; j++) pre[j] += x[j];
        }
        float *restrict c = cell + b * n;
        for (long j = 0; j < n; j++) value[j] = cell_update(pre[j], pre[n + j], pre[2 * n + j], pre[3 * n + j], &c[j]);
        // max |h| as an integer maximum of the bit patterns without sign (monotonic for finite floats), a
        // reduction the compiler vectorises, unlike a float maximum.
        uint32_t peak_bits = 0;
        for (long j = 0; j < n; j++) {
            uint32_t bits;
            memcpy(&bits, &value[j], sizeof bits);
            bits &= 0x7FFFFFFFu;
            peak_bits = bits > peak_bits ? bits : peak_bits;
        }
        float peak;
        memcpy(&peak, &peak_bits, sizeof peak);
        // The row's own scale: small states keep their precision (a fixed 1/127 step loses it).
        float unit = peak > 1e-30f ? peak / 127.0f : 1.0f / 127.0f;
        float inverse = 1.0f / unit;
        int8_t *restrict h = out + b * out_stride;
        for (long j = 0; j < n; j++) h[j] = round_byte(value[j] * inverse);
        new_scale[b] = unit;
        if (copy) memcpy(copy + b * copy_stride, h, (size_t)n);
        if (hfloat) memcpy(hfloat + b * n, value, (size_t)n * sizeof(float));
    }
}
