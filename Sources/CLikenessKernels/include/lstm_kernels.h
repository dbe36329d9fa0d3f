#ifndef LIKENESS_LSTM_KERNELS_H
#define LIKENESS_LSTM_KERNELS_H

#include <stdint.h>

/// One LSTM cell step for `batch` rows (PyTorch gate order i, f, g, o), the bias added here:
///   c = sigmoid(f) * c + sigmoid(i) * tanh(g),  h = sigmoid(o) * tanh(c).
/// gates: batch x 4*hidden pre-activations; cell: batch x hidden, updated in place;
/// h is written to out + b*out_stride and, when copy is not NULL, to copy + b*copy_stride.
void likeness_lstm_step(const float *gates, const float *bias, float *cell, long batch, long hidden,
                        float *out, long out_stride, float *copy, long copy_stride);

/// out[m x n] = x[m x k] (row stride ldx) * wt[k x n] (row-major, k rows of n), for small m, where BLAS
/// spends most of its time packing wt. n must be a multiple of 64.
void likeness_sgemm_small(const float *x, long m, long k, long ldx, const float *wt, long n, float *out);

// 8-bit mode (int8_kernels.c). Weights per output column n: w_q = round(w / s_n), s_n = max|w[.][n]| / 127,
// stored as w_q + 128; states h_q = round(127 h).

/// Packs wt (k x n floats, row-major) for likeness_i8_gemm: n a multiple of 64; k is padded to a multiple of 4
/// with zeros, so packed holds n * ceil(k/4) * 4 bytes. dequant[n] = s_n / 127 turns a corrected sum into the
/// product's value.
void likeness_i8_pack_weights(const float *wt, long k, long n, uint8_t *packed, float *dequant);

/// out[m x n] = sum_k packed(k, n) * x[m x k] in exact int32, packed holding w_q + 128 (subtract 128 * row sum of
/// x to get sum_k w_q x). Uses AVX-512 VNNI when the CPU has it, else a portable loop with identical results.
void likeness_i8_gemm(const int8_t *x, long m, long k, long ldx, const uint8_t *packed, long n, int32_t *out);

/// 1 when likeness_i8_gemm runs on AVX-512 VNNI on this CPU.
int likeness_i8_fast_path(void);

/// The LSTM cell for 8-bit products: pre-activation = dequant[j] * (acc - 128 * rowsum(rows[b])) + bias[j]
/// (+ extra[b][j] when extra is not NULL: a float product added, e.g. the layer's input part), then the same
/// cell as likeness_lstm_step. h is written as round(127 h) to out and copy (when not NULL), and as float to
/// hfloat (when not NULL, batch x hidden).
void likeness_i8_lstm_step(const int32_t *acc, const int8_t *rows, long row_stride, long k, const float *dequant,
                           const float *bias, const float *extra, float *cell, long batch, long hidden,
                           int8_t *out, long out_stride, int8_t *copy, long copy_stride, float *hfloat);

#endif
