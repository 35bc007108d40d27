/*
** blas.c — the one place where gapkit's 64-bit sizes meet the BLAS integer,
** and the row-major GEMM kernels on plain arrays that modules holding raw
** float or double buffers (COMET, alignment, logistic regression) call
** instead of CBLAS.
*/
#include <cblas.h>
#include <limits.h>
#include <stdarg.h>

#include "core/error_internal.h"
#include "linalg/linalg_internal.h"

/* OpenBLAS's blasint is int unless built with a 64-bit interface. */
#define BLAS_INT_MAX ((int64_t)(sizeof(blasint) == 8 ? INT64_MAX : INT_MAX))

int gk_blas_check(const char *routine, int count, ...)
{
    va_list ap;
    va_start(ap, count);
    int64_t bad = 0;
    for (int i = 0; i < count; i++) {
        const int64_t v = va_arg(ap, int64_t);
        if (v < 0 || v > BLAS_INT_MAX) bad = v;
    }
    va_end(ap);
    GK_FAIL_IF(bad != 0, GK_EARG, "%s: size %lld is outside the BLAS integer range [0, %lld]",
               routine, (long long)bad, (long long)BLAS_INT_MAX);
    return GK_OK;
}

void gk_sgemm_rm(int transa, int transb, int64_t m, int64_t n, int64_t k, float alpha,
                 const float *A, int64_t lda, const float *B, int64_t ldb, float beta, float *C,
                 int64_t ldc)
{
    cblas_sgemm(CblasRowMajor, transa ? CblasTrans : CblasNoTrans,
                transb ? CblasTrans : CblasNoTrans, (blasint)m, (blasint)n, (blasint)k, alpha, A,
                (blasint)lda, B, (blasint)ldb, beta, C, (blasint)ldc);
}

void gk_dgemm_rm(int transa, int transb, int64_t m, int64_t n, int64_t k, double alpha,
                 const double *A, int64_t lda, const double *B, int64_t ldb, double beta,
                 double *C, int64_t ldc)
{
    cblas_dgemm(CblasRowMajor, transa ? CblasTrans : CblasNoTrans,
                transb ? CblasTrans : CblasNoTrans, (blasint)m, (blasint)n, (blasint)k, alpha, A,
                (blasint)lda, B, (blasint)ldb, beta, C, (blasint)ldc);
}
