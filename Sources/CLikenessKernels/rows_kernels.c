// Per-row affine map + clamp (BatchNorm before a ReLU) over pieces of long rows; see rows_kernels.h.

#include "rows_kernels.h"

// A multiply and an add, never fused: the same result on every CPU (and as the Swift code before it).
#pragma STDC FP_CONTRACT OFF

// Rows prefetched ahead of the one being mapped: enough to cover memory latency for 1 KB pieces.
#define AHEAD 4

__attribute__((target_clones("avx512f", "avx2", "default")))
void likeness_affine_rows(const float *x, long x_stride, float *y, long y_stride, long rows, long n,
                          const float *a, const float *b, float floor) {
    for (long r = 0; r < rows; r++) {
        if (r + AHEAD < rows) {
            const char *next = (const char *)(x + (r + AHEAD) * x_stride);
            for (long byte = 0; byte < n * (long)sizeof(float); byte += 64) __builtin_prefetch(next + byte, 0, 3);
        }
        const float *src = x + r * x_stride;
        float *dst = y + r * y_stride;
        const float s = a[r], t = b[r];
        for (long i = 0; i < n; i++) {
            float v = s * src[i] + t;
            dst[i] = v > floor ? v : floor;
        }
    }
}
