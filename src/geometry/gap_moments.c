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

/* Column sums s (D,) and Σ_i ‖a_i‖² of a. */
static void col_sums(const gk_mat *a, double *s, double *sq)
{
    memset(s, 0, (size_t)a->cols * sizeof *s);
    *sq = 0;
    for (int64_t i = 0; i < a->rows; i++)
        for (int64_t j = 0; j < a->cols; j++) {
            double v = gk_mat_at(a, i, j);
            s[j] += v;
            *sq += v * v;
        }
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

/* Cross-modal moments: needs Dx == Dy.  sx, sy are the column sums. */
static void cross_moments(const gk_mat *X, const gk_mat *Y, const double *sx, const double *sy,
                          gk_gap_result *r)
{
    const int64_t n = r->n, d = r->dx;
    const double nn = (double)n * (double)(n - 1);
    double diag = 0;
    /* Σ_i x_i·y_i ; non-pair mean = ((Σx)·(Σy) − Σ_i x_i·y_i) / (N(N−1)) */
    for (int64_t i = 0; i < n; i++)
        for (int64_t j = 0; j < d; j++) diag += (double)gk_mat_at(X, i, j) * gk_mat_at(Y, i, j);
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

int gap_moments(const gk_mat *X, const gk_mat *Y, gk_gap_result *r, double *mux, double *muy)
{
    double sqx, sqy;
    col_sums(X, mux, &sqx);
    col_sums(Y, muy, &sqy);
    r->cone_x = cone(mux, sqx, r->dx, r->n);
    r->cone_y = cone(muy, sqy, r->dy, r->n);
    if (r->same_dim) {
        cross_moments(X, Y, mux, muy, r);
        GK_TRY(top_m_shares(r));
    }
    for (int64_t j = 0; j < r->dx; j++) mux[j] /= (double)r->n;
    for (int64_t j = 0; j < r->dy; j++) muy[j] /= (double)r->n;
    r->norm_mean_x = sqrt(dotd(mux, mux, r->dx));
    r->norm_mean_y = sqrt(dotd(muy, muy, r->dy));
    return GK_OK;
}
