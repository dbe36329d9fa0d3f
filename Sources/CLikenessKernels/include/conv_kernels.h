#ifndef LIKENESS_CONV_KERNELS_H
#define LIKENESS_CONV_KERNELS_H

/// Direct 3x3 convolution with padding 1 on both axes, stride sh (1 or more) along the height and 1 along the
/// width, for cout a multiple of 8 (conv_kernels.c):
///   out[o][y][x] = (accumulate ? out[o][y][x] : 0) + bias[o]
///                  + sum_{i < cin, a < 3, c < 3} wp[((i*3 + a)*3 + c)*cout + o] * in[i][y*sh - 1 + a][x - 1 + c]
/// with in = 0 outside the h x w plane, then max(., 0) when relu. Plane i of in starts at in + i*in_plane and
/// holds h rows of w; plane o of out starts at out + o*out_plane and holds oh = (h - 1)/sh + 1 rows of w.
/// bias may be NULL (0). wp is likeness_conv3x3_pack's layout.
void likeness_conv3x3(const float *in, long cin, long h, long w, long in_plane, long sh, const float *wp, long cout,
                      const float *bias, float *out, long out_plane, int accumulate, int relu);

/// likeness_conv3x3 on a chosen path (tests force each one): 2 AVX-512, 1 AVX2 + FMA, 0 portable; a path this
/// CPU lacks falls back to the best it has. The paths differ only in the order of the sums.
void likeness_conv3x3_on(int path, const float *in, long cin, long h, long w, long in_plane, long sh, const float *wp,
                         long cout, const float *bias, float *out, long out_plane, int accumulate, int relu);

/// The path likeness_conv3x3 takes on this CPU: 2 AVX-512, 1 AVX2 + FMA, 0 portable.
int likeness_conv3x3_path(void);

/// Reorders torch's weight [cout][cin][3][3] into wp[((i*3 + a)*3 + c)*cout + o] (cin*9*cout floats).
void likeness_conv3x3_pack(const float *weight, long cout, long cin, float *wp);

#endif
