/*
** gemm_rows.c — GEMM whose result does not depend on the thread count: the
** rows of A and C are cut into fixed tiles of GK_GEMM_TILE rows, OpenMP
** threads take whole tiles, and BLAS runs single-threaded inside each, so
** each output element is produced by one and the same kernel call for any
** number of threads.
*/
#include "core/error_internal.h"
#include "gapkit/linalg.h"
#include "linalg/blas_threads_internal.h"
#include "linalg/linalg_internal.h"


int gk_gemm_rows(int transb, float alpha, const gk_mat *A, const gk_mat *B, float beta,
                 gk_mat *C)
{
    GK_FAIL_IF(!A || !B || !C, GK_EARG, "gemm_rows: NULL matrix");
    const int64_t k = transb ? B->cols : B->rows, n = transb ? B->rows : B->cols;
    GK_FAIL_IF(A->rows != C->rows || A->cols != k || C->cols != n, GK_ESHAPE, "gemm_rows: "
               "(%lld,%lld) x op(B) (%lld,%lld) -> C (%lld,%lld)", (long long)A->rows,
               (long long)A->cols, (long long)k, (long long)n, (long long)C->rows,
               (long long)C->cols);
    const int64_t tiles = (A->rows + GK_GEMM_TILE - 1) / GK_GEMM_TILE;
    if (tiles <= 1) { /* one tile: a single-threaded call, as in the tiled path */
        const int saved = gk_blas_serial();
        int rc = gk_gemm(0, transb, alpha, A, B, beta, C);
        gk_blas_restore(saved);
        return rc;
    }
    int rc = GK_OK;
    const int saved = gk_blas_serial();
#pragma omp parallel for schedule(dynamic, 1) reduction(| : rc)
    for (int64_t t = 0; t < tiles; t++) {
        const int64_t r0 = t * GK_GEMM_TILE;
        const int64_t nr = A->rows - r0 < GK_GEMM_TILE ? A->rows - r0 : GK_GEMM_TILE;
        gk_mat a = gk_mat_view_rows(A, r0, nr), c = gk_mat_view_rows(C, r0, nr);
        rc |= gk_gemm(0, transb, alpha, &a, B, beta, &c);
    }
    gk_blas_restore(saved);
    return rc ? gk_set_error(GK_ESHAPE, "gemm_rows: sizes or strides do not agree") : GK_OK;
}
