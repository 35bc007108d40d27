/*
** projection.c — a 2-D picture of two modalities: both sets of rows on the
** two leading principal axes of their JOINT covariance.  Pooling matters:
** the modality gap is a difference of means, so the joint covariance holds
** it (as between-group variance) and the first axis usually shows the two
** clouds apart; per-modality PCA would centre each cloud and hide the gap.
*/
#include <string.h>

#include "core/error_internal.h"
#include "gapkit/gap.h"
#include "gapkit/linalg.h"
#include "linalg/linalg_internal.h"

void gk_projection2_free(gk_projection2 *p)
{
    if (!p) return;
    gk_free(p->x);
    gk_free(p->y);
    gk_free(p->idx_x);
    gk_free(p->idx_y);
    gk_free(p);
}

/* Evenly spaced row indices: n_out of n (all when n <= n_out), ascending. */
static int64_t *spread_indices(int64_t n, int64_t n_out)
{
    if (n_out > n) n_out = n;
    int64_t *idx = gk_malloc((size_t)(n_out > 0 ? n_out : 1) * sizeof *idx);
    for (int64_t i = 0; idx && i < n_out; i++) idx[i] = (int64_t)((double)i * n / n_out);
    return idx;
}

/* out (m,2) = (rows idx of A − μ) · [w1 w2], w (D,2) row-major. */
static void project_rows(const gk_mat *A, const int64_t *idx, int64_t m, const double *mu,
                         const double *w, float *out)
{
    const int64_t d = A->cols;
    for (int64_t r = 0; r < m; r++) {
        double p0 = 0, p1 = 0;
        for (int64_t j = 0; j < d; j++) {
            const double v = (double)gk_mat_at(A, idx[r], j) - mu[j];
            p0 += v * w[j * 2], p1 += v * w[j * 2 + 1];
        }
        out[r * 2] = (float)p0, out[r * 2 + 1] = (float)p1;
    }
}

/* Joint mean mu (D,) and joint scatter C (D,D) = Σ over both sets of (r − μ)(r − μ)ᵀ. */
static int joint_scatter(const gk_mat *X, const gk_mat *Y, double *mu, double *C, double *tmp)
{
    const int64_t d = X->cols;
    double *mx = tmp, *my = tmp + d;
    GK_TRY(gk_col_mean_blocked(X, mx, NULL));
    GK_TRY(gk_col_mean_blocked(Y, my, NULL));
    const double nx = (double)X->rows, ny = (double)Y->rows;
    for (int64_t j = 0; j < d; j++) mu[j] = (nx * mx[j] + ny * my[j]) / (nx + ny);
    GK_TRY(gk_cross_centered(X, mu, X, mu, C));
    double *Cy = tmp + 2 * d;
    GK_TRY(gk_cross_centered(Y, mu, Y, mu, Cy));
    for (int64_t i = 0; i < d * d; i++) C[i] += Cy[i];
    return GK_OK;
}

int gk_projection2_joint(const gk_mat *X, const gk_mat *Y, int64_t max_points,
                         gk_projection2 **out)
{
    GK_FAIL_IF(!out, GK_EARG, "projection: NULL output");
    *out = NULL;
    GK_FAIL_IF(!X || !Y || X->rows < 1 || Y->rows < 1, GK_EARG, "projection: empty input");
    GK_FAIL_IF(X->cols != Y->cols || X->cols < 2, GK_ESHAPE,
               "projection: the two sets must share one space of D >= 2 (got %lld and %lld)",
               (long long)X->cols, (long long)Y->cols);
    GK_FAIL_IF(max_points < 1, GK_EARG, "projection: max_points %lld < 1", (long long)max_points);
    const int64_t d = X->cols;
    double *buf = gk_malloc((size_t)(d + 2 * d * d + d * d + 2 * d + d + 2 * d) * sizeof *buf);
    gk_projection2 *p = gk_calloc(1, sizeof *p);
    int rc = GK_OK;
    if (!buf || !p) GK_FAIL_GOTO(rc, GK_ENOMEM, fail, "projection: out of memory (D = %lld)",
                                 (long long)d);
    double *mu = buf, *C = mu + d, *tmp = C + d * d, *vecs = tmp + d * d + 2 * d,
           *w = vecs + d * d, *ev = w + 2 * d;
    GK_TRY_GOTO(rc, joint_scatter(X, Y, mu, C, tmp), fail);
    GK_TRY_GOTO(rc, gk_eigh(C, d, ev, vecs), fail);
    double total = 0;
    for (int64_t j = 0; j < d; j++) total += ev[j] > 0 ? ev[j] : 0;
    for (int64_t j = 0; j < d; j++) w[j * 2] = vecs[j * d], w[j * 2 + 1] = vecs[j * d + 1];
    p->var_share[0] = total > 0 ? ev[0] / total : 0;
    p->var_share[1] = total > 0 ? ev[1] / total : 0;
    p->n_x = X->rows < max_points ? X->rows : max_points;
    p->n_y = Y->rows < max_points ? Y->rows : max_points;
    p->idx_x = spread_indices(X->rows, p->n_x);
    p->idx_y = spread_indices(Y->rows, p->n_y);
    p->x = gk_malloc((size_t)p->n_x * 2 * sizeof(float));
    p->y = gk_malloc((size_t)p->n_y * 2 * sizeof(float));
    if (!p->idx_x || !p->idx_y || !p->x || !p->y)
        GK_FAIL_GOTO(rc, GK_ENOMEM, fail, "projection: out of memory");
    project_rows(X, p->idx_x, p->n_x, mu, w, p->x);
    project_rows(Y, p->idx_y, p->n_y, mu, w, p->y);
    gk_free(buf);
    *out = p;
    return GK_OK;
fail:
    gk_free(buf);
    gk_projection2_free(p);
    return rc;
}
