// 8-bit LSTM step products: the encoder's `--precision int8` mode.
//
// Why: in float32 the LSTM products bound embedding at ~1.5x Resemblyzer's speed (measured on this project's
// machine: 16 float multiply-adds per cycle). AVX-512 VNNI `vpdpbusd` does 64 8-bit multiply-adds per cycle
// into 32-bit sums, so the same products take about a quarter of the time, at the cost of quantising weights
// and states.
//
// Scheme (symmetric, no zero points in the arithmetic that matters):
//   - weights: per output column n, w_q = round(w / s_n) in [-127, 127], s_n = max_k |w[k][n]| / 127; stored
//     as unsigned w_q + 128 because vpdpbusd multiplies unsigned by signed bytes;
//   - states: each row of hidden states h (|h| < 1) as h_q = round(h / u), u = max|h| / 127 of that row;
//   - sum: acc = sum_k (w_q + 128) h_q, exact in int32 (|acc| < 2^24), so sum_k w_q h_q = acc - 128 sum_k h_q;
//     the product is s_n * u * (acc - 128 rowsum).
// A layer's input part and recurrent part are separate products with their own weight scales (their weights
// differ in range; one scale for both cost twice the error in the embeddings).
// The integer part is exact, so the result is the same on every CPU: AMX (`i8_gemm_amx`, Intel Sapphire Rapids
// and later), AVX-512 VNNI, AVX2 (`i8_gemm_avx2`, about float32 BLAS speed) and a portable loop compute identical
// sums.
#include "lstm_kernels.h"

#include <stdint.h>
#include <string.h>
#if defined(__x86_64__) && defined(__linux__)
#include <cpuid.h>
#include <pthread.h>
#include <sys/syscall.h>
#include <unistd.h>
#define LIKENESS_HAVE_AMX_PATH 1
#endif

#if defined(__x86_64__)
#include <immintrin.h>
#define LIKENESS_HAVE_VNNI_PATH 1
#endif

enum { GROUP = 64, ROWS = 6 };

void likeness_i8_pack_weights(const float *wt, long k, long n, uint8_t *packed, float *dequant) {
    long quads = (k + 3) / 4;
    for (long col = 0; col < n; col++) {
        float peak = 0;
        for (long r = 0; r < k; r++) {
            float v = wt[r * n + col];
            float a = v < 0 ? -v : v;
            if (a > peak) peak = a;
        }
        float scale = peak > 0 ? peak / 127.0f : 1.0f;
        dequant[col] = scale;
        long group = col / GROUP, lane = col % GROUP;
        for (long r = 0; r < quads * 4; r++) {
            long q = 0;
            if (r < k) {
                float scaled = wt[r * n + col] / scale;
                q = (long)(scaled < 0 ? scaled - 0.5f : scaled + 0.5f);
                if (q > 127) q = 127;
                if (q < -127) q = -127;
            }
            packed[((group * quads + r / 4) * GROUP + lane) * 4 + r % 4] = (uint8_t)(q + 128);
        }
    }
}

// Portable path: the same sums as the VNNI path (exact integer arithmetic). Written so the compiler can
// vectorise across the 64 columns of a group (AVX2 where the CPU has it); still several times slower than
// float32 BLAS, which is why the CLI warns when int8 runs here.
__attribute__((target_clones("avx2", "default")))
static void i8_gemm_portable(const int8_t *x, long m, long k, long ldx, const uint8_t *packed, long n,
                             int32_t *out) {
    long quads = (k + 3) / 4;
    for (long b = 0; b < m; b++) {
        const int8_t *row = x + b * ldx;
        for (long group = 0; group < n / GROUP; group++) {
            int32_t acc[GROUP] = {0};
            const uint8_t *w = packed + group * quads * GROUP * 4;
            for (long q = 0; q < quads; q++, w += GROUP * 4) {
                int32_t x0 = 0, x1 = 0, x2 = 0, x3 = 0;
                if (4 * q + 0 < k) x0 = row[4 * q + 0];
                if (4 * q + 1 < k) x1 = row[4 * q + 1];
                if (4 * q + 2 < k) x2 = row[4 * q + 2];
                if (4 * q + 3 < k) x3 = row[4 * q + 3];
                for (long lane = 0; lane < GROUP; lane++) {
                    acc[lane] += (int32_t)w[4 * lane] * x0 + (int32_t)w[4 * lane + 1] * x1
                               + (int32_t)w[4 * lane + 2] * x2 + (int32_t)w[4 * lane + 3] * x3;
                }
            }
            memcpy(out + b * n + group * GROUP, acc, sizeof acc);
        }
    }
}

#ifdef LIKENESS_HAVE_VNNI_PATH
// One 64-column group of the weights (k x 64 bytes, at most 32 KiB) stays in L1 while every block of 6 rows
// streams past it: 24 accumulators (6 rows x 4 vectors of 16 columns), 4 weight loads and 6 broadcasts per
// 4 values of k.
__attribute__((target("avx512f,avx512bw,avx512vnni")))
static void i8_gemm_vnni(const int8_t *x, long m, long k, long ldx, const uint8_t *packed, long n,
                         int32_t *out) {
    long quads = (k + 3) / 4;
    int8_t zeros[quads * 4];
    memset(zeros, 0, sizeof zeros);
    int32_t sink[GROUP];
    for (long group = 0; group < n / GROUP; group++) {
        const uint8_t *wg = packed + group * quads * GROUP * 4;
        for (long b = 0; b < m; b += ROWS) {
            const int8_t *xr[ROWS];
            int32_t *orow[ROWS];
            for (int r = 0; r < ROWS; r++) {
                int real = b + r < m;
                xr[r] = real ? x + (b + r) * ldx : zeros;
                orow[r] = real ? out + (b + r) * n + group * GROUP : sink;
            }
            __m512i acc[ROWS][4];
#pragma clang loop unroll(full)
            for (int r = 0; r < ROWS; r++)
#pragma clang loop unroll(full)
                for (int v = 0; v < 4; v++) acc[r][v] = _mm512_setzero_si512();
            const uint8_t *w = wg;
            for (long q = 0; q < quads; q++, w += GROUP * 4) {
                __m512i w0 = _mm512_loadu_si512(w), w1 = _mm512_loadu_si512(w + 64);
                __m512i w2 = _mm512_loadu_si512(w + 128), w3 = _mm512_loadu_si512(w + 192);
#pragma clang loop unroll(full)
                for (int r = 0; r < ROWS; r++) {
                    int32_t four;
                    memcpy(&four, xr[r] + q * 4, 4);
                    __m512i a = _mm512_set1_epi32(four);
                    acc[r][0] = _mm512_dpbusd_epi32(acc[r][0], w0, a);
                    acc[r][1] = _mm512_dpbusd_epi32(acc[r][1], w1, a);
                    acc[r][2] = _mm512_dpbusd_epi32(acc[r][2], w2, a);
                    acc[r][3] = _mm512_dpbusd_epi32(acc[r][3], w3, a);
                }
            }
#pragma clang loop unroll(full)
            for (int r = 0; r < ROWS; r++)
#pragma clang loop unroll(full)
                for (int v = 0; v < 4; v++) _mm512_storeu_si512(orow[r] + 16 * v, acc[r][v]);
        }
    }
}
#endif

#ifdef LIKENESS_HAVE_VNNI_PATH
// AVX2 without VNNI (AMD Zen 2/3, older Intel): the same exact sums. vpmaddubsw multiplies unsigned by signed bytes
// into 16-bit pair sums, which saturate for (w + 128) up to 255; so each product is formed as |x| * (w_q signed
// like x), whose pair sums stay within 2 * 127 * 127 < 2^15, then vpmaddwd adds pairs into 32-bit lanes. That
// yields sum_k w_q x; adding 128 * sum_k x gives the VNNI path's sum exactly. One row at a time, the 64 columns of
// a group in 8 vectors of 8.
__attribute__((target("avx2")))
static void i8_gemm_avx2(const int8_t *x, long m, long k, long ldx, const uint8_t *packed, long n, int32_t *out) {
    long quads = k / 4;
    const __m256i flip = _mm256_set1_epi8((char)0x80), ones = _mm256_set1_epi16(1);
    for (long b = 0; b < m; b++) {
        const int8_t *row = x + b * ldx;
        int32_t rowsum = 0;
        for (long i = 0; i < k; i++) rowsum += row[i];
        const __m256i offset = _mm256_set1_epi32(128 * rowsum);
        for (long group = 0; group < n / GROUP; group++) {
            const uint8_t *w = packed + group * quads * GROUP * 4;
            __m256i acc[8];
#pragma clang loop unroll(full)
            for (int v = 0; v < 8; v++) acc[v] = offset;
            for (long q = 0; q < quads; q++, w += GROUP * 4) {
                int32_t four;
                memcpy(&four, row + q * 4, 4);
                __m256i xs = _mm256_set1_epi32(four);
                __m256i magnitude = _mm256_abs_epi8(xs);
#pragma clang loop unroll(full)
                for (int v = 0; v < 8; v++) {
                    __m256i wq = _mm256_xor_si256(_mm256_loadu_si256((const __m256i *)(w + 32 * v)), flip);
                    __m256i pairs = _mm256_maddubs_epi16(magnitude, _mm256_sign_epi8(wq, xs));
                    acc[v] = _mm256_add_epi32(acc[v], _mm256_madd_epi16(pairs, ones));
                }
            }
            int32_t *o = out + b * n + group * GROUP;
#pragma clang loop unroll(full)
            for (int v = 0; v < 8; v++) _mm256_storeu_si256((__m256i *)(o + 8 * v), acc[v]);
        }
    }
}
#endif

#ifdef LIKENESS_HAVE_AMX_PATH
// AMX (Intel Sapphire Rapids and later): `tdpbsud` multiplies a 16 x 64 tile of signed bytes (16 rows of x, 64
// values of k) by a 16 x 64-byte tile of unsigned bytes in the VNNI layout (16 quads of k, 16 columns x 4 bytes)
// into 16 x 16 int32 sums: 16,384 multiply-adds per instruction, about 8x vpdpbusd per cycle. The packed weights
// are already that layout: for one quad, the 64 columns of a group are 256 contiguous bytes, so a B tile is 16
// columns of 16 consecutive quads at a stride of 256 bytes. The sums are the same exact int32 sums as every
// other path (no saturation). Tiles: C 0-3 (32 rows x 32 columns), A 4-5 (rows), B 6-7 (columns).
typedef struct {
    uint8_t palette, start_row, reserved[14];
    uint16_t colsb[16];
    uint8_t rows[16];
} amx_config;

static void amx_configure(amx_config *c, int rows0, int rows1) {
    memset(c, 0, sizeof *c);
    c->palette = 1;
    int rows[8] = {rows0, rows0, rows1, rows1, rows0, rows1, 16, 16};
    for (int t = 0; t < 8; t++) { c->rows[t] = (uint8_t)rows[t]; c->colsb[t] = 64; }
}

// Linux hands out the 8 KiB of tile state only on request (arch_prctl ARCH_REQ_XCOMP_PERM, once per process).
enum { ARCH_REQ_XCOMP_PERM_ = 0x1023, XFEATURE_XTILEDATA_ = 18 };
static int amx_usable = 0;
static pthread_once_t amx_once = PTHREAD_ONCE_INIT;
static void amx_probe(void) {
    unsigned a, b, c, d;
    if (!__get_cpuid_count(7, 0, &a, &b, &c, &d)) return;
    int tile = (d >> 24) & 1, int8 = (d >> 25) & 1;
    if (!tile || !int8) return;
    amx_usable = syscall(SYS_arch_prctl, ARCH_REQ_XCOMP_PERM_, XFEATURE_XTILEDATA_) == 0;
}
static int amx_available(void) {
    pthread_once(&amx_once, amx_probe);
    return amx_usable;
}

__attribute__((target("amx-tile,amx-int8")))
static void i8_gemm_amx(const int8_t *x, long m, long k, long ldx, const uint8_t *packed, long n, int32_t *out) {
    static const int8_t zero_row[64] = {0};
    long quads = k / 4, steps = k / 64;
    amx_config full, tail;
    amx_configure(&full, 16, 16);
    _tile_loadconfig(&full);
    int32_t sink[16 * 16];
    for (long b = 0; b < m; b += 32) {
        long left = m - b;
        int rows0 = left >= 16 ? 16 : (int)left, rows1 = left >= 32 ? 16 : (left > 16 ? (int)(left - 16) : 0);
        if (rows0 != 16 || rows1 != 16) {
            // The last block: tile rows shrink to the rows that exist; a missing second half reads one zero row
            // into tiles whose sums are discarded.
            amx_configure(&tail, rows0, rows1 ? rows1 : 1);
            _tile_loadconfig(&tail);
        }
        const int8_t *x0 = x + b * ldx;
        const int8_t *x1 = rows1 ? x + (b + 16) * ldx : zero_row;
        long stride1 = rows1 ? ldx : 0;
        for (long col = 0; col < n; col += 32) {
            _tile_zero(0); _tile_zero(1); _tile_zero(2); _tile_zero(3);
            long group = col / GROUP, lane = col % GROUP;
            for (long s = 0; s < steps; s++) {
                const uint8_t *w = packed + ((group * quads + s * 16) * GROUP + lane) * 4;
                _tile_loadd(4, x0 + s * 64, ldx);
                _tile_loadd(5, x1 + (rows1 ? s * 64 : 0), stride1);
                _tile_loadd(6, w, GROUP * 4);
                _tile_loadd(7, w + 64, GROUP * 4);
                _tile_dpbsud(0, 4, 6);
                _tile_dpbsud(1, 4, 7);
                _tile_dpbsud(2, 5, 6);
                _tile_dpbsud(3, 5, 7);
            }
            int32_t *o = out + b * n + col;
            _tile_stored(0, o, n * 4);
            _tile_stored(1, o + 16, n * 4);
            if (rows1) {
                _tile_stored(2, o + 16 * n, n * 4);
                _tile_stored(3, o + 16 * n + 16, n * 4);
            } else {
                _tile_stored(2, sink, 64);
                _tile_stored(3, sink, 64);
            }
        }
    }
    _tile_release();
}
#endif

int likeness_i8_path(void) {
#ifdef LIKENESS_HAVE_AMX_PATH
    if (amx_available()) return 3;
#endif
#ifdef LIKENESS_HAVE_VNNI_PATH
    if (__builtin_cpu_supports("avx512vnni") && __builtin_cpu_supports("avx512bw")) return 2;
    if (__builtin_cpu_supports("avx2")) return 1;
#endif
    return 0;
}

void likeness_i8_gemm_on(int path, const int8_t *x, long m, long k, long ldx, const uint8_t *packed, long n, int32_t *out) {
#ifdef LIKENESS_HAVE_VNNI_PATH
    // k must be a whole number of quads for the vector paths to read rows in 4-byte steps.
    if (k % 4 == 0 && path > likeness_i8_path()) path = likeness_i8_path();
#ifdef LIKENESS_HAVE_AMX_PATH
    // AMX steps through k 64 values at a time (the encoder's k is 256); other depths take VNNI.
    if (path == 3 && k % 64 == 0) { i8_gemm_amx(x, m, k, ldx, packed, n, out); return; }
    if (path == 3) path = 2;
#endif
    if (k % 4 == 0 && path == 2) { i8_gemm_vnni(x, m, k, ldx, packed, n, out); return; }
    if (k % 4 == 0 && path == 1) { i8_gemm_avx2(x, m, k, ldx, packed, n, out); return; }
#endif
    (void)path;
    i8_gemm_portable(x, m, k, ldx, packed, n, out);
}

int likeness_i8_fast_path(void) {
    return likeness_i8_path() >= 2;
}

void likeness_i8_gemm(const int8_t *x, long m, long k, long ldx, const uint8_t *packed, long n, int32_t *out) {
    // __builtin_cpu_supports reads flags the runtime filled in at load time: cheap enough per call.
    likeness_i8_gemm_on(likeness_i8_path(), x, m, k, ldx, packed, n, out);
}
