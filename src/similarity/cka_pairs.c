/*
** cka_pairs.c — the blocked pass over the squared distances of all pairs of
** items in two spaces at once, for the kernel measures (cka-rbf): never an
** N×N matrix, only a block of rows per thread.
**
** ‖a_i − a_j‖² = ‖a_i‖² + ‖a_j‖² − 2 a_i·a_j: the dot products of a block of
** rows with every row come from one single-precision GEMM, the norms are in
** double, the result is stored as float and clamped at 0 (rounding can make
** it slightly negative for near-duplicates).  Blocks are spread over OpenMP
** threads, each calling a single-threaded BLAS (as cross.c does): a
** multi-threaded sgemm may round the same product differently for another
** thread count, a single-threaded one on a block of fixed shape may not.
*/
#ifdef _OPENMP
#include <omp.h>
#endif

#include "cka_internal.h"
#include "core/error_internal.h"
#include "gapkit/linalg.h"
#include "linalg/blas_threads_internal.h"

/* Floats of one block's products per space and thread (8 MB): bounds memory at any N. */
#define PAIR_BLOCK_ELEMS ((int64_t)1 << 21)
#define PAIR_BLOCK_ROWS 256

int cka_pairs_threads(void)
{
#ifdef _OPENMP
    return omp_get_max_threads();
#else
    return 1;
#endif
}

/* Rows per block: depends on N only, so every pass sees the same values. */
static int64_t block_rows(int64_t n)
{
    int64_t b = PAIR_BLOCK_ELEMS / n;
    return b < 1 ? 1 : (b > PAIR_BLOCK_ROWS ? PAIR_BLOCK_ROWS : b);
}

/* P (nb, w) := rows [i0, i0+nb) of A times rows [j0, j0+w) of A, transposed. */
static int block_dots(const gk_mat *A, int64_t i0, int64_t nb, int64_t j0, float *P)
{
    const int64_t w = A->rows - j0;
    gk_mat a = gk_mat_view_rows(A, i0, nb), b = gk_mat_view_rows(A, j0, w);
    gk_mat c = {P, nb, w, w, 1, NULL};
    return gk_gemm(0, 1, 1.0f, &a, &b, 0.0f, &c);
}

/* Row r of the block, dots → squared distances in place; j == i gives 0. */
static void to_sqdist(float *p, const double *sq, int64_t i, int64_t j0, int64_t n)
{
    for (int64_t j = j0; j < n; j++) {
        const double d2 = sq[i] + sq[j] - 2.0 * (double)p[j - j0];
        p[j - j0] = d2 > 0 ? (float)d2 : 0.0f;
    }
    if (i >= j0) p[i - j0] = 0.0f;
}

/* Block b of rows: both spaces' distances into this thread's scratch p (2
** blocks of bs·N floats), then fn on each row. */
static int run_block(const cka_space *sp, int upper, cka_row_fn fn, void *ctx, int64_t i0,
                     int64_t nb, float *p, int64_t stride, int t)
{
    const int64_t n = sp[0].a->rows, j0 = upper ? i0 : 0, w = n - j0;
    for (int s = 0; s < 2; s++) GK_TRY(block_dots(sp[s].a, i0, nb, j0, p + s * stride));
    for (int64_t r = 0; r < nb; r++) {
        const float *rows[2] = {p + r * w, p + stride + r * w};
        to_sqdist(p + r * w, sp[0].sq, i0 + r, j0, n);
        to_sqdist(p + stride + r * w, sp[1].sq, i0 + r, j0, n);
        fn(ctx, i0 + r, j0, rows, t);
    }
    return GK_OK;
}

int cka_pairs_run(const cka_space *sp, int upper, cka_row_fn fn, void *ctx)
{
    const int64_t n = sp[0].a->rows, bs = block_rows(n), nblocks = (n + bs - 1) / bs;
    const int nt = cka_pairs_threads();
    const int64_t stride = bs * n;
    float *P = gk_malloc((size_t)nt * 2 * (size_t)stride * sizeof(float));
    GK_FAIL_IF(!P, GK_ENOMEM, "pairwise distances: out of memory for %d x 2 x %lld x %lld "
               "floats", nt, (long long)bs, (long long)n);
    int rc = GK_OK;
    const int saved = gk_blas_serial();
#pragma omp parallel for schedule(dynamic, 1) num_threads(nt)
    for (int64_t b = 0; b < nblocks; b++) {
        int t = 0;
#ifdef _OPENMP
        t = omp_get_thread_num();
#endif
        const int64_t i0 = b * bs, nb = n - i0 < bs ? n - i0 : bs;
        int st = run_block(sp, upper, fn, ctx, i0, nb, P + (int64_t)t * 2 * stride, stride, t);
        if (st != GK_OK) {
#pragma omp atomic write
            rc = st;
        }
    }
    gk_blas_restore(saved);
    gk_free(P);
    return rc;
}
