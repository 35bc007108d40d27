/*
** dist_cross.c — the centred cross-products of rows spread over ranks
** (gk_cross_moments, gk_cross_centered on a Gram): each rank computes the
** per-block parts of its own blocks, gk_dist_sum_blocks adds them in global
** block order, and every rank finishes on the same bits.  The centre of the
** float GEMM (the mean of block 0) comes from rank 0, as in one process.
*/
#include <string.h>

#include "core/error_internal.h"
#include "dist_internal.h"
#include "gapkit/linalg.h"
#include "linalg/cross_internal.h"

int64_t dist_local_blocks(int64_t rows)
{
    return rows ? (rows + GK_CROSS_BLOCK - 1) / GK_CROSS_BLOCK : 0;
}

/* The d-vector c (first block's mean of X) from rank 0 to all. */
static void share_centre(const gk_mat *X, double *c)
{
    if (gk_dist_rank() == 0) cross_first_block_mean(X, c);
#ifdef GK_HAVE_MPI
    if (gk_dist_active()) MPI_Bcast(c, (int)X->cols, MPI_DOUBLE, 0, MPI_COMM_WORLD);
#endif
}

int dist_cross_moments(const gk_mat *X, const gk_mat *Y, int64_t n, double *mux, double *muy,
                       double *ssx, double *ssy, double *M)
{
    const int64_t dx = X->cols, dy = Y->cols, len = cross_part_len(dx, dy);
    const int64_t nb = dist_local_blocks(X->rows);
    double *c = gk_malloc(2 * (size_t)dx * sizeof *c);
    double *parts = gk_malloc((size_t)(nb ? nb : 1) * (size_t)len * sizeof *parts);
    double *tot = gk_malloc((size_t)len * sizeof *tot);
    int rc = c && parts && tot ? GK_OK : gk_set_error(GK_ENOMEM, "cross-product: out of memory "
                                                      "for %lld blocks' parts", (long long)nb);
    if ((rc = gk_dist_agree(rc, NULL)) != GK_OK) goto cleanup;
    share_centre(X, c);
    if (nb) rc = cross_moment_parts(X, Y, c, parts);
    if ((rc = gk_dist_agree(rc, NULL)) != GK_OK) goto cleanup;
    GK_TRY_GOTO(rc, gk_dist_sum_blocks(parts, nb, len, tot), cleanup);
    cross_moment_finish(tot, tot + dx * dy, tot + dx * dy + 2 * dx, c, n, dx, dy, mux, muy, ssx,
                        ssy);
    memcpy(M, tot, (size_t)dx * (size_t)dy * sizeof *tot);
cleanup:
    gk_free(c), gk_free(parts), gk_free(tot);
    return rc;
}

int dist_cross_gram(const gk_mat *X, const double *mu, double *G)
{
    const int64_t d = X->cols, nb = dist_local_blocks(X->rows);
    double *parts = gk_malloc((size_t)(nb ? nb : 1) * (size_t)d * (size_t)d * sizeof *parts);
    int rc = parts ? GK_OK : gk_set_error(GK_ENOMEM, "Gram: out of memory for %lld blocks' "
                                          "parts", (long long)nb);
    if (rc == GK_OK && nb) rc = cross_gram_parts(X, mu, parts);
    if ((rc = gk_dist_agree(rc, NULL)) == GK_OK) rc = gk_dist_sum_blocks(parts, nb, d * d, G);
    gk_free(parts);
    return rc;
}

int dist_cross_centered(const gk_mat *X, const double *mux, const gk_mat *Y, const double *muy,
                        double *M)
{
    /* one view against itself with one mean: gk_cross_centered's ssyrk Gram */
    if (X->data == Y->data && X->rs == Y->rs && X->cs == Y->cs && X->cols == Y->cols &&
        mux == muy)
        return dist_cross_gram(X, mux, M);
    const int64_t dx = X->cols, dy = Y->cols, len = cross_part_len(dx, dy);
    const int64_t nb = dist_local_blocks(X->rows);
    double *parts = gk_malloc((size_t)(nb ? nb : 1) * (size_t)len * sizeof *parts);
    double *tot = gk_malloc((size_t)len * sizeof *tot);
    int rc = parts && tot ? GK_OK : gk_set_error(GK_ENOMEM, "cross-product: out of memory for "
                                                 "%lld blocks' parts", (long long)nb);
    /* X centred by μx, Y raw: gk_cross_centered's blocks; then M −= s̃ μyᵀ
    ** with s̃ the centred X's column sums, as it finishes */
    if (rc == GK_OK && nb) rc = cross_moment_parts(X, Y, mux, parts);
    if ((rc = gk_dist_agree(rc, NULL)) == GK_OK) rc = gk_dist_sum_blocks(parts, nb, len, tot);
    const double *s = tot + dx * dy;
    for (int64_t i = 0; rc == GK_OK && i < dx; i++)
        for (int64_t j = 0; j < dy; j++) M[i * dy + j] = tot[i * dy + j] - s[i] * muy[j];
    gk_free(parts), gk_free(tot);
    return rc;
}
