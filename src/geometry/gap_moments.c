/*
** gap_moments.c — the first-moment gap diagnostics (methods.md §2), all
** O(N·D) through sums: centroids and the gap vector, cone effect, true-pair
** and non-pair cosines, RMG, the mean share and the top-m concentration.
*/
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/error_internal.h"
#include "gap_internal.h"
#include "gapkit/linalg.h"
#include "linalg/cross_internal.h"

/* Blocks of GK_CROSS_BLOCK rows in `rows` rows (the last may be short). */
static int64_t gap_blocks(int64_t rows) { return (rows + GK_CROSS_BLOCK - 1) / GK_CROSS_BLOCK; }

/* s (D,) column sums and *sq = Σ_i ‖a_i‖² of a, from per-block parts (block
** sums and sums of squares per column) added in block order by s->sum_blocks,
** so that rows spread over ranks give the same bits. */
static int col_sums(const gk_mat *a, const gap_sums *g, double *s, double *sq)
{
    const int64_t d = a->cols, nb = gap_blocks(a->rows);
    double *parts = gk_malloc((size_t)(nb ? nb : 1) * 2 * (size_t)d * sizeof *parts);
    double *tot = gk_malloc(2 * (size_t)d * sizeof *tot);
    int rc = parts && tot ? GK_OK : gk_set_error(GK_ENOMEM, "gap: out of memory");
    if (rc == GK_OK && nb) cross_col_sum_parts(a, parts);
    if (rc == GK_OK) rc = g->sum_blocks(parts, nb, 2 * d, tot);
    *sq = 0;
    for (int64_t j = 0; rc == GK_OK && j < d; j++) s[j] = tot[j], *sq += tot[d + j];
    gk_free(parts), gk_free(tot);
    return rc;
}

/* Σ_i x_i·y_i over the rows, per block in row order, blocks added in order. */
static int pair_dots(const gk_mat *X, const gk_mat *Y, const gap_sums *g, double *diag)
{
    const int64_t nb = gap_blocks(X->rows), d = X->cols;
    double *parts = gk_malloc((size_t)(nb ? nb : 1) * sizeof *parts);
    GK_FAIL_IF(!parts, GK_ENOMEM, "gap: out of memory");
#pragma omp parallel for schedule(static)
    for (int64_t b = 0; b < nb; b++) {
        const int64_t r0 = b * GK_CROSS_BLOCK;
        const int64_t r1 = X->rows - r0 < GK_CROSS_BLOCK ? X->rows : r0 + GK_CROSS_BLOCK;
        double s = 0;
        for (int64_t i = r0; i < r1; i++)
            for (int64_t j = 0; j < d; j++) s += (double)gk_mat_at(X, i, j) * gk_mat_at(Y, i, j);
        parts[b] = s;
    }
    int rc = g->sum_blocks(parts, nb, 1, diag);
    gk_free(parts);
    return rc;
}

static double dotd(const double *a, const double *b, int64_t n)
{
    double s = 0;
    for (int64_t i = 0; i < n; i++) s += a[i] * b[i];
    return s;
}

/* cone = mean over i≠j of x_i·x_j = (‖Σ_i x_i‖² − Σ_i ‖x_i‖²) / (N(N−1)) */
static double cone(const double *s, double sq, int64_t d, int64_t n)
{
    return (dotd(s, s, d) - sq) / ((double)n * (double)(n - 1));
}

/* Cross-modal moments: needs Dx == Dy.  sx, sy are the column sums, diag
** = Σ_i x_i·y_i; non-pair mean = ((Σx)·(Σy) − Σ_i x_i·y_i) / (N(N−1)). */
static void cross_moments(double diag, const double *sx, const double *sy, gk_gap_result *r)
{
    const int64_t n = r->n, d = r->dx;
    const double nn = (double)n * (double)(n - 1);
    r->cos_true = diag / (double)n;
    r->cos_nonpair = (dotd(sx, sy, d) - diag) / nn;
    double g2 = 0;
    for (int64_t j = 0; j < d; j++) {
        r->gap_vector[j] = (sx[j] - sy[j]) / (double)n;
        g2 += r->gap_vector[j] * r->gap_vector[j];
    }
    r->gap = sqrt(g2);
    /* x·y = μX·μY + μX·(y−μY) + μY·(x−μX) + (x−μX)·(y−μY); linear terms average to 0 */
    r->mean_term = dotd(sx, sy, d) / ((double)n * (double)n);
    r->centred_true = r->cos_true - r->mean_term;
    r->centred_nonpair = -r->centred_true / (double)(n - 1);
    r->mean_share_true = r->mean_term / r->cos_true;
    r->mean_share_nonpair = r->mean_term / r->cos_nonpair;
    /* d(u,v) = (1 − cos)/2; RMG = d_tp / ((d_xx + d_yy)/2 + d_tp) */
    double dtp = (1 - r->cos_true) / 2, dxx = (1 - r->cone_x) / 2, dyy = (1 - r->cone_y) / 2;
    r->rmg = dtp / ((dxx + dyy) / 2 + dtp);
}

static int cmp_desc(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x < y) - (x > y);
}

/* share of ‖Δ‖² in the m coordinates of largest |Δ_j| */
static int top_m_shares(gk_gap_result *r)
{
    const int64_t d = r->dx;
    double *sq = gk_malloc((size_t)d * sizeof *sq), tot = 0;
    GK_FAIL_IF(!sq, GK_ENOMEM, "gap: out of memory");
    for (int64_t j = 0; j < d; j++) tot += (sq[j] = r->gap_vector[j] * r->gap_vector[j]);
    qsort(sq, (size_t)d, sizeof *sq, cmp_desc);
    for (int q = 0; q < r->n_top_m; q++) {
        double s = 0;
        for (int64_t j = 0; j < r->top_m[q] && j < d; j++) s += sq[j];
        r->top_m_share[q] = tot > 0 ? s / tot : 0.0;
    }
    gk_free(sq);
    return GK_OK;
}

int gap_moments(const gk_mat *X, const gk_mat *Y, const gap_sums *s, gk_gap_result *r,
                double *mux, double *muy)
{
    double sqx, sqy, diag;
    GK_TRY(col_sums(X, s, mux, &sqx));
    GK_TRY(col_sums(Y, s, muy, &sqy));
    r->cone_x = cone(mux, sqx, r->dx, r->n);
    r->cone_y = cone(muy, sqy, r->dy, r->n);
    if (r->same_dim) {
        GK_TRY(pair_dots(X, Y, s, &diag));
        cross_moments(diag, mux, muy, r);
        GK_TRY(top_m_shares(r));
    }
    for (int64_t j = 0; j < r->dx; j++) mux[j] /= (double)r->n;
    for (int64_t j = 0; j < r->dy; j++) muy[j] /= (double)r->n;
    r->norm_mean_x = sqrt(dotd(mux, mux, r->dx));
    r->norm_mean_y = sqrt(dotd(muy, muy, r->dy));
    return GK_OK;
}
