// Direct 3x3 convolution for the CAM++ head (see conv_kernels.h for the contract).
//
// Why not im2col + sgemm: the head's GEMMs are 32 x 288 weights by an im2col block, so the im2col copy (9
// shifted copies of the input) and OpenBLAS's packing of it (a second copy) cost about as much as the
// arithmetic. Here each output tile of 8 channels x 3 vectors along the width lives in registers while every
// input channel's three rows stream through it; the input is read in place (masked loads at the plane's edges
// give the zero padding) and bias and ReLU are applied on the way out.

#include "conv_kernels.h"

#include <immintrin.h>

void likeness_conv3x3_pack(const float *weight, long cout, long cin, float *wp) {
    for (long o = 0; o < cout; o++)
        for (long i = 0; i < cin; i++)
            for (long t = 0; t < 9; t++) wp[(i * 9 + t) * cout + o] = weight[(o * cin + i) * 9 + t];
}

static long out_height(long h, long sh) { return (h - 1) / sh + 1; }

// flags[l] = -1 where first + l lies in [0, w), else 0, for l < count: which lanes of a vector starting at column
// first may be read (a tap's input) or written (the output).
static void lanes_inside(long first, long w, int count, int *flags) {
    for (int l = 0; l < count; l++) flags[l] = first + l >= 0 && first + l < w ? -1 : 0;
}

static void conv3x3_portable(const float *in, long cin, long h, long w, long in_plane, long sh, const float *wp,
                             long cout, const float *bias, float *out, long out_plane, int accumulate, int relu) {
    long oh = out_height(h, sh);
    for (long o = 0; o < cout; o++) {
        for (long y = 0; y < oh; y++) {
            float *dst = out + o * out_plane + y * w;
            for (long x = 0; x < w; x++) {
                float s = (accumulate ? dst[x] : 0.0f) + (bias ? bias[o] : 0.0f);
                for (long i = 0; i < cin; i++)
                    for (long a = 0; a < 3; a++) {
                        long r = y * sh - 1 + a;
                        if (r < 0 || r >= h) continue;
                        const float *row = in + i * in_plane + r * w;
                        for (long c = 0; c < 3; c++) {
                            long xi = x - 1 + c;
                            if (xi >= 0 && xi < w) s += wp[(i * 9 + a * 3 + c) * cout + o] * row[xi];
                        }
                    }
                dst[x] = relu && s < 0 ? 0.0f : s;
            }
        }
    }
}

// AVX-512: a tile is 8 output channels x 48 columns (3 vectors): 24 accumulators.
#define V16 3
#define O16 8
__attribute__((target("avx512f")))
static void conv3x3_avx512(const float *in, long cin, long h, long w, long in_plane, long sh, const float *wp,
                           long cout, const float *bias, float *out, long out_plane, int accumulate, int relu) {
    long oh = out_height(h, sh);
    const __m512 zero = _mm512_setzero_ps();
    for (long y = 0; y < oh; y++) {
        long r0 = y * sh - 1;
        long a_lo = r0 < 0 ? -r0 : 0, a_hi = r0 + 3 > h ? h - r0 : 3;
        for (long x0 = 0; x0 < w; x0 += 16 * V16) {
            // Per vector: the lanes whose input column x - 1 + c lies in [0, w) for each tap c, and the output's.
            __mmask16 load[V16][3], store[V16];
            int flags[16];
            for (int v = 0; v < V16; v++) {
                for (int c = 0; c < 3; c++) {
                    lanes_inside(x0 + 16 * v - 1 + c, w, 16, flags);
                    load[v][c] = _mm512_cmplt_epi32_mask(_mm512_loadu_si512(flags), _mm512_setzero_si512());
                }
                lanes_inside(x0 + 16 * v, w, 16, flags);
                store[v] = _mm512_cmplt_epi32_mask(_mm512_loadu_si512(flags), _mm512_setzero_si512());
            }
            for (long ob = 0; ob < cout; ob += O16) {
                __m512 acc[O16][V16];
                for (int o = 0; o < O16; o++)
                    for (int v = 0; v < V16; v++)
                        acc[o][v] = _mm512_add_ps(
                            accumulate ? _mm512_maskz_loadu_ps(store[v], out + (ob + o) * out_plane + y * w + x0 + 16 * v)
                                       : zero,
                            _mm512_set1_ps(bias ? bias[ob + o] : 0.0f));
                for (long i = 0; i < cin; i++) {
                    for (long a = a_lo; a < a_hi; a++) {
                        const float *row = in + i * in_plane + (r0 + a) * w + x0 - 1;
                        const float *wt = wp + (i * 9 + a * 3) * cout + ob;
                        for (int c = 0; c < 3; c++) {
                            __m512 xv[V16];
                            for (int v = 0; v < V16; v++) xv[v] = _mm512_maskz_loadu_ps(load[v][c], row + c + 16 * v);
                            for (int o = 0; o < O16; o++) {
                                __m512 wv = _mm512_set1_ps(wt[c * cout + o]);
                                for (int v = 0; v < V16; v++) acc[o][v] = _mm512_fmadd_ps(wv, xv[v], acc[o][v]);
                            }
                        }
                    }
                }
                for (int o = 0; o < O16; o++)
                    for (int v = 0; v < V16; v++) {
                        __m512 s = relu ? _mm512_max_ps(acc[o][v], zero) : acc[o][v];
                        _mm512_mask_storeu_ps(out + (ob + o) * out_plane + y * w + x0 + 16 * v, store[v], s);
                    }
            }
        }
    }
}

// AVX2 + FMA: a tile is 4 output channels x 24 columns (3 vectors): 12 accumulators.
#define V8 3
#define O8 4
__attribute__((target("avx2,fma")))
static void conv3x3_avx2(const float *in, long cin, long h, long w, long in_plane, long sh, const float *wp,
                         long cout, const float *bias, float *out, long out_plane, int accumulate, int relu) {
    long oh = out_height(h, sh);
    const __m256 zero = _mm256_setzero_ps();
    for (long y = 0; y < oh; y++) {
        long r0 = y * sh - 1;
        long a_lo = r0 < 0 ? -r0 : 0, a_hi = r0 + 3 > h ? h - r0 : 3;
        for (long x0 = 0; x0 < w; x0 += 8 * V8) {
            __m256i load[V8][3], store[V8];
            int flags[8];
            for (int v = 0; v < V8; v++) {
                for (int c = 0; c < 3; c++) {
                    lanes_inside(x0 + 8 * v - 1 + c, w, 8, flags);
                    load[v][c] = _mm256_loadu_si256((const __m256i *)flags);
                }
                lanes_inside(x0 + 8 * v, w, 8, flags);
                store[v] = _mm256_loadu_si256((const __m256i *)flags);
            }
            for (long ob = 0; ob < cout; ob += O8) {
                __m256 acc[O8][V8];
                for (int o = 0; o < O8; o++)
                    for (int v = 0; v < V8; v++)
                        acc[o][v] = _mm256_add_ps(
                            accumulate ? _mm256_maskload_ps(out + (ob + o) * out_plane + y * w + x0 + 8 * v, store[v])
                                       : zero,
                            _mm256_set1_ps(bias ? bias[ob + o] : 0.0f));
                for (long i = 0; i < cin; i++) {
                    for (long a = a_lo; a < a_hi; a++) {
                        const float *row = in + i * in_plane + (r0 + a) * w + x0 - 1;
                        const float *wt = wp + (i * 9 + a * 3) * cout + ob;
                        for (int c = 0; c < 3; c++) {
                            __m256 xv[V8];
                            for (int v = 0; v < V8; v++) xv[v] = _mm256_maskload_ps(row + c + 8 * v, load[v][c]);
                            for (int o = 0; o < O8; o++) {
                                __m256 wv = _mm256_broadcast_ss(wt + c * cout + o);
                                for (int v = 0; v < V8; v++) acc[o][v] = _mm256_fmadd_ps(wv, xv[v], acc[o][v]);
                            }
                        }
                    }
                }
                for (int o = 0; o < O8; o++)
                    for (int v = 0; v < V8; v++) {
                        __m256 s = relu ? _mm256_max_ps(acc[o][v], zero) : acc[o][v];
                        _mm256_maskstore_ps(out + (ob + o) * out_plane + y * w + x0 + 8 * v, store[v], s);
                    }
            }
        }
    }
}

int likeness_conv3x3_path(void) {
    if (__builtin_cpu_supports("avx512f")) return 2;
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return 1;
    return 0;
}

void likeness_conv3x3_on(int path, const float *in, long cin, long h, long w, long in_plane, long sh, const float *wp,
                         long cout, const float *bias, float *out, long out_plane, int accumulate, int relu) {
    int best = likeness_conv3x3_path();
    if (path > best) path = best;
    if (path == 2)
        conv3x3_avx512(in, cin, h, w, in_plane, sh, wp, cout, bias, out, out_plane, accumulate, relu);
    else if (path == 1)
        conv3x3_avx2(in, cin, h, w, in_plane, sh, wp, cout, bias, out, out_plane, accumulate, relu);
    else
        conv3x3_portable(in, cin, h, w, in_plane, sh, wp, cout, bias, out, out_plane, accumulate, relu);
}

void likeness_conv3x3(const float *in, long cin, long h, long w, long in_plane, long sh, const float *wp, long cout,
                      const float *bias, float *out, long out_plane, int accumulate, int relu) {
    likeness_conv3x3_on(2, in, cin, h, w, in_plane, sh, wp, cout, bias, out, out_plane, accumulate, relu);
}
