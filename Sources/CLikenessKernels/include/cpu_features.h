#ifndef LIKENESS_CPU_FEATURES_H
#define LIKENESS_CPU_FEATURES_H

/// What the CPU running the process can execute (cpuid through the compiler's __builtin_cpu_supports),
/// for choosing matrix-product kernels. Each returns 1 or 0.
int likeness_cpu_has_avx2_fma(void);
/// AVX-512 F, BW, DQ and VL: what OpenBLAS's SkylakeX kernels use.
int likeness_cpu_has_avx512_skylakex(void);

#endif
