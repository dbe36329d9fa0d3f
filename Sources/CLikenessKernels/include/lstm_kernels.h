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
// stored as w_q + 128; states per row: h_q = round(h / s), s = max|h| / 127.

/// Packs wt (k x n floats, row-major) for likeness_i8_gemm: n a multiple of 64; k is padded to a multiple of 4
/// with zeros, so packed holds n * ceil(k/4) * 4 bytes. dequant[n] = s_n: times the states' scale it turns a
/// corrected sum into the product's value.
void likeness_i8_pack_weights(const float *wt, long k, long n, uint8_t *packed, float *dequant);

/// out[m x n] = sum_k packed(k, n) * x[m x k] in exact int32, packed holding w_q + 128 (subtract 128 * row sum of
/// x to get sum_k w_q x). Uses AMX or AVX-512 VNNI when the CPU has it, else AVX2 or a portable loop, all with
/// identical results.
void likeness_i8_gemm(const int8_t *x, long m, long k, long ldx, const uint8_t *packed, long n, int32_t *out);

/// 1 when likeness_i8_gemm runs on AMX or AVX-512 VNNI on this CPU.
int likeness_i8_fast_path(void);

/// The path likeness_i8_gemm takes on this CPU: 3 AMX, 2 AVX-512 VNNI, 1 AVX2, 0 portable.
int likeness_i8_path(void);

/// likeness_i8_gemm on a chosen path (tests force each one); a path this CPU lacks falls back to the best it has,
/// and k not a multiple of 4 always takes the portable loop. Every path gives the same sums.
void likeness_i8_gemm_on(int path, const int8_t *x, long m, long k, long ldx, const uint8_t *packed, long n, int32_t *out);

/// One part of a layer's 8-bit input row (the input x_t or the recurrent h_{t-1}) and its product.
typedef struct {
    /// batch x 4*hidden sums from likeness_i8_gemm of this part's bytes with this part's weights.
    const int32_t *sums;
    /// This part's first byte in row 0, rows row_stride apart, k bytes each.
    const int8_t *rows;
    long row_stride;
    long k;
    /// Per gate column, from likeness_i8_pack_weights of this part's weights.
    const float *dequant;
    /// Per row: the value of one unit of this part's bytes (the state's own scale).
    const float *scale;
} likeness_i8_part;

/// The LSTM cell for 8-bit products. Pre-activation, per part p present:
///   sum_p dequant_p[j] * scale_p[b] * (sums_p - 128 * rowsum_p(b))  + bias[j]  (+ extra[b][j] if not NULL),
/// then the same cell as likeness_lstm_step. input.sums may be NULL (layer 0, whose input is the float extra).
/// The new h is quantised per row with its own scale max|h| / 127: the bytes go to out and copy (when not
/// NULL), the scale to new_scale[b] (which may be recurrent.scale: each row's old scale is read first), and
/// the float h to hfloat (when not NULL, batch x hidden).
void likeness_i8_lstm_step(likeness_i8_part input, likeness_i8_part recurrent, float *new_scale,
                           const float *bias, const float *extra, float *cell, long batch, long hidden,
                           int8_t *out, long out_stride, int8_t *copy, long copy_stride, float *hfloat);

#endif
