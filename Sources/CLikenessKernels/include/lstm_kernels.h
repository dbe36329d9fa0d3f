#ifndef LIKENESS_LSTM_KERNELS_H
#define LIKENESS_LSTM_KERNELS_H

/// One LSTM cell step for `batch` rows (PyTorch gate order i, f, g, o), the bias added here:
///   c = sigmoid(f) * c + sigmoid(i) * tanh(g),  h = sigmoid(o) * tanh(c).
/// gates: batch x 4*hidden pre-activations; cell: batch x hidden, updated in place;
/// h is written to out + b*out_stride and, when copy is not NULL, to copy + b*copy_stride.
void likeness_lstm_step(const float *gates, const float *bias, float *cell, long batch, long hidden,
                        float *out, long out_stride, float *copy, long copy_stride);

/// out[m x n] = x[m x k] (row stride ldx) * wt[k x n] (row-major, k rows of n), for small m, where BLAS
/// spends most of its time packing wt. n must be a multiple of 64.
void likeness_sgemm_small(const float *x, long m, long k, long ldx, const float *wt, long n, float *out);

#endif
