/*
** gemm.c — single-precision GEMM on gk_mat views (CBLAS), with its naive
** reference twin.
**
** Stride mapping: a view with cs == 1 is row-major, passed as CblasRowMajor
** with lda = rs.  A view with rs == 1 (and cs != 1) is column-major, i.e. the
** row-major transpose with lda = cs: it is passed with its trans flag flipped.
*/
#include <cblas.h>

#include "core/error_internal.h"
#include "gapkit/linalg.h"
#include "linalg/linalg_internal.h"

/* Maps one operand to (trans, lda) for CblasRowMajor; 0 if unsupported. */
static int blas_layout(const gk_mat *a, int trans, CBLAS_TRANSPOSE *t, int64_t *lda)
{
    if (a->cs == 1 && (a->rs >= a->cols || a->rows <= 1)) {
        *t = trans ? CblasTrans : CblasNoTrans;
        *lda = a->rs >= a->cols ? a->rs : a->cols;
        if (*lda < 1) *lda = 1;
        return 1;
    }
    if (a->rs == 1 && (a->cs >= a->rows || a->cols <= 1)) {
        *t = trans ? CblasNoTrans : CblasTrans;
        *lda = a->cs >= a->rows ? a->cs : a->rows;
        if (*lda < 1) *lda = 1;
        return 1;
    }
    return 0;
}

/* Checks op(A) (M,K) · op(B) (K,N) -> C (M,N); sets *m,*n,*k. */
static int check_shapes(int transa, int transb, const gk_mat *A, const gk_mat *B,
                        const gk_mat *C, int64_t *m, int64_t *n, int64_t *k)
{
    GK_FAIL_IF(!A || !B || !C, GK_EARG, "gemm: NULL matrix");
    *m = transa ? A->cols : A->rows;
    *k = transa ? A->rows : A->cols;
    int64_t kb = transb ? B->cols : B->rows;
    *n = transb ? B->rows : B->cols;
    GK_FAIL_IF(kb != *k || C->rows != *m || C->cols != *n, GK_ESHAPE,
               "gemm: op(A) is (%lld,%lld), op(B) is (%lld,%lld), C is (%lld,%lld)",
               (long long)*m, (long long)*k, (long long)kb, (long long)*n,
               (long long)C->rows, (long long)C->cols);
    return GK_OK;
}

int gk_gemm(int transa, int transb, float alpha, const gk_mat *A, const gk_mat *B, float beta,
            gk_mat *C)
{
    int64_t m, n, k, lda, ldb;
    CBLAS_TRANSPOSE ta, tb;
    GK_TRY(check_shapes(transa, transb, A, B, C, &m, &n, &k));
    GK_FAIL_IF(!blas_layout(A, transa, &ta, &lda) || !blas_layout(B, transb, &tb, &ldb),
               GK_ESHAPE, "gemm: operands need cs == 1 or rs == 1 (got strides (%lld,%lld) "
               "and (%lld,%lld))", (long long)A->rs, (long long)A->cs, (long long)B->rs,
               (long long)B->cs);
    GK_FAIL_IF(C->cs != 1 || (C->rs < n && m > 1), GK_ESHAPE,
               "gemm: C must be row-major with cs == 1 (got strides (%lld,%lld))",
               (long long)C->rs, (long long)C->cs);
    if (m == 0 || n == 0) return GK_OK;
    int64_t ldc = C->rs >= n ? C->rs : n;
    GK_TRY(gk_blas_check("gemm", 6, m, n, k, lda, ldb, ldc));
    cblas_sgemm(CblasRowMajor, ta, tb, (blasint)m, (blasint)n, (blasint)k, alpha, A->data,
                (blasint)lda, B->data, (blasint)ldb, beta, C->data, (blasint)ldc);
    return GK_OK;
}

/* op(A)(i,l): element of A or of its transpose. */
static float op_at(const gk_mat *a, int trans, int64_t i, int64_t l)
{
    return trans ? gk_mat_at(a, l, i) : gk_mat_at(a, i, l);
}

int gk_gemm_naive(int transa, int transb, float alpha, const gk_mat *A, const gk_mat *B,
                  float beta, gk_mat *C)
{
    int64_t m, n, k;
    GK_TRY(check_shapes(transa, transb, A, B, C, &m, &n, &k));
    /* C(i,j) = alpha · Σ_l op(A)(i,l) op(B)(l,j) + beta · C(i,j), sum in double */
    for (int64_t i = 0; i < m; i++)
        for (int64_t j = 0; j < n; j++) {
            double s = 0;
            for (int64_t l = 0; l < k; l++)
                s += (double)op_at(A, transa, i, l) * op_at(B, transb, l, j);
            float *c = &C->data[i * C->rs + j * C->cs];
            *c = (float)(alpha * s + (beta != 0 ? beta * (double)*c : 0.0));
        }
    return GK_OK;
}
