/*
** precision_probe.c — can a reduced-precision candidate pass beat the fp32
** GEMM floor on THIS CPU?  Compiled and run by bench/precision_probe.py.
**
** Prints, one core, multiply-accumulates per CPU second (GMAC/s):
**   peak_fp32   vfmadd231ps ymm, 10 independent chains (the fp32 FMA peak)
**   peak_int16  vpmaddwd + vpaddd ymm, 6 chains (AVX2 int16: no VNNI fusion)
**   peak_int8   vpmaddubsw + vpmaddwd(1) + vpaddd ymm, 6 chains (AVX2 int8)
**   sgemm       OpenBLAS cblas_sgemm (M, N, K) = (2048, 2048, 512), best of 5
**   dnnl_u8s8   oneDNN dnnl_gemm_u8s8s32, same shape, best of 5 (when built
**               with -DHAVE_DNNL)
** The register loops keep every chain live (all results are printed) and
** hide the operands from the optimiser, so nothing is folded away.
*/
#include <cblas.h>
#include <immintrin.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#ifdef HAVE_DNNL
#include <oneapi/dnnl/dnnl.h>
#endif

#define REPS 100000000L
#define HIDE(v) __asm__ volatile("" : "+x"(v))

static double cpu(void)
{
    struct timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static void peak_fp32(void)
{
    __m256 a0 = _mm256_set1_ps(0), a1 = _mm256_set1_ps(1), a2 = _mm256_set1_ps(2);
    __m256 a3 = _mm256_set1_ps(3), a4 = _mm256_set1_ps(4), a5 = _mm256_set1_ps(5);
    __m256 a6 = _mm256_set1_ps(6), a7 = _mm256_set1_ps(7), a8 = _mm256_set1_ps(8);
    __m256 a9 = _mm256_set1_ps(9), b = _mm256_set1_ps(1.0000001f), c = _mm256_set1_ps(1e-6f);
    double t = cpu();
    for (long r = 0; r < REPS; r++) {
#define F(a) a = _mm256_fmadd_ps(a, b, c);
        F(a0) F(a1) F(a2) F(a3) F(a4) F(a5) F(a6) F(a7) F(a8) F(a9)
    }
    t = cpu() - t;
    __m256 s = _mm256_add_ps(_mm256_add_ps(_mm256_add_ps(a0, a1), _mm256_add_ps(a2, a3)),
                             _mm256_add_ps(_mm256_add_ps(a4, a5), _mm256_add_ps(a6, a7)));
    s = _mm256_add_ps(s, _mm256_add_ps(a8, a9));
    printf("peak_fp32 %.2f %g\n", REPS * 10.0 * 8 / t / 1e9, (double)s[0]);
}

static void peak_int(void)
{
    __m256i x0 = _mm256_setzero_si256(), x1 = x0, x2 = x0, x3 = x0, x4 = x0, x5 = x0;
    __m256i y0 = _mm256_set1_epi16(3), y1 = _mm256_set1_epi16(4), y2 = _mm256_set1_epi16(5);
    __m256i y3 = _mm256_set1_epi16(6), y4 = _mm256_set1_epi16(7), y5 = _mm256_set1_epi16(8);
    __m256i z = _mm256_set1_epi16(5), one = _mm256_set1_epi16(1);
    double t = cpu();
    for (long r = 0; r < REPS; r++) {
        HIDE(y0); HIDE(y1); HIDE(y2); HIDE(y3); HIDE(y4); HIDE(y5);
#define G(x, y) x = _mm256_add_epi32(x, _mm256_madd_epi16(y, z));
        G(x0, y0) G(x1, y1) G(x2, y2) G(x3, y3) G(x4, y4) G(x5, y5)
    }
    t = cpu() - t;
#define SUM6 _mm256_extract_epi32(_mm256_add_epi32(_mm256_add_epi32(_mm256_add_epi32(x0, x1), \
          _mm256_add_epi32(x2, x3)), _mm256_add_epi32(x4, x5)), 0)
    printf("peak_int16 %.2f %d\n", REPS * 6.0 * 16 / t / 1e9, SUM6);
    t = cpu();
    for (long r = 0; r < REPS; r++) {
        HIDE(y0); HIDE(y1); HIDE(y2); HIDE(y3); HIDE(y4); HIDE(y5);
#define H(x, y) x = _mm256_add_epi32(x, _mm256_madd_epi16(_mm256_maddubs_epi16(y, z), one));
        H(x0, y0) H(x1, y1) H(x2, y2) H(x3, y3) H(x4, y4) H(x5, y5)
    }
    t = cpu() - t;
    printf("peak_int8 %.2f %d\n", REPS * 6.0 * 32 / t / 1e9, SUM6);
}

static void gemms(void)
{
    enum { M = 2048, N = 2048, K = 512 };
    uint8_t *A = malloc((size_t)M * K);
    int8_t *B = malloc((size_t)K * N);
    int32_t *C = malloc(sizeof(int32_t) * M * N);
    float *fa = malloc(sizeof(float) * M * K), *fb = malloc(sizeof(float) * K * N);
    float *fc = malloc(sizeof(float) * M * N);
    if (!A || !B || !C || !fa || !fb || !fc) exit(1);
    for (long i = 0; i < (long)M * K; i++) fa[i] = A[i] = (uint8_t)(rand() % 128);
    for (long i = 0; i < (long)K * N; i++) fb[i] = B[i] = (int8_t)(rand() % 255 - 127);
    double best_s = 1e30, best_i = 1e30;
    for (int rep = 0; rep < 5; rep++) {
        double t = cpu();
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, M, N, K, 1.0f, fa, K, fb, K, 0.0f,
                    fc, N);
        t = cpu() - t;
        best_s = t < best_s ? t : best_s;
#ifdef HAVE_DNNL
        int32_t co = 0;
        t = cpu();
        dnnl_gemm_u8s8s32('N', 'T', 'F', M, N, K, 1.0f, A, K, 0, B, K, 0, 0.0f, C, N, &co);
        t = cpu() - t;
        best_i = t < best_i ? t : best_i;
        if ((float)C[12345] != fc[12345]) exit(2); /* same integers, same products */
#endif
    }
    printf("sgemm %.2f\n", (double)M * N * K / best_s / 1e9);
    if (best_i < 1e30) printf("dnnl_u8s8 %.2f\n", (double)M * N * K / best_i / 1e9);
    free(A), free(B), free(C), free(fa), free(fb), free(fc);
}

int main(void)
{
    peak_fp32();
    peak_int();
    gemms();
    return 0;
}
