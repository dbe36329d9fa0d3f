#ifndef LIKENESS_ROWS_KERNELS_H
#define LIKENESS_ROWS_KERNELS_H

/// y[r][t] = max(a[r] * x[r][t] + b[r], floor) for r < rows, t < n (floor -INFINITY: no clamp), rows of x
/// x_stride floats apart and of y y_stride apart; x and y may be the same storage (rows_kernels.c).
/// Prefetches the rows ahead: short pieces of many far-apart rows (a chunk of a long activation matrix) defeat
/// the hardware prefetcher.
void likeness_affine_rows(const float *x, long x_stride, float *y, long y_stride, long rows, long n,
                          const float *a, const float *b, float floor);

#endif
