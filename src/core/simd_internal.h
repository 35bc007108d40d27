/*
** simd_internal.h — GK_SIMD_CLONES, for the few streaming loops whose speed
** is bounded by the vector width (centring, column sums, row norms).
**
** The release build targets x86-64-v2 so that one binary runs on any x86-64
** machine of the last decade; GCC's function multiversioning compiles a
** marked function a second time for AVX2 and picks the variant when the
** program loads.  Not used under the sanitizers or with clang (the fuzz
** build), where ifunc resolution gets in the way; there the baseline runs.
** The AVX2 variant may sum in another lane order than the baseline: results
** agree to rounding, and on one machine they are always the same.
*/
#ifndef GAPKIT_SIMD_INTERNAL_H
#define GAPKIT_SIMD_INTERNAL_H

#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__) &&                  \
    !defined(__SANITIZE_ADDRESS__) && !defined(__SANITIZE_UNDEFINED__) && defined(__OPTIMIZE__)
#define GK_SIMD_CLONES __attribute__((target_clones("avx2", "default")))
#else
#define GK_SIMD_CLONES
#endif

#endif
