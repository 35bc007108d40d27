/*
** cka_kernel.c — CKA with the Gaussian (RBF) kernel, streamed over all pairs.
**
** K_ij = exp(−‖x_i − x_j‖² / (2σx²)), L likewise with σy; σ = factor × the
** median pairwise distance of the space (cka_median.c).  One pass over the
** pairs collects, for every row i, in double and column order:
**   rk_i = Σ_j K_ij, rl_i = Σ_j L_ij, kl_i = Σ_j K_ij L_ij, kk_i, ll_i.
** Then, with R = Σ_i rk_i etc. (rows added in order, so thread-independent):
**   biased:   tr(KHLH) = Σ kl_i − (2/N) Σ rk_i rl_i + R_K R_L / N², over (N−1)²;
**   unbiased: K̃ = K without its diagonal (K_ii = 1): r̃k_i = rk_i − 1,
**             Σ_{i≠j} K_ij L_ij = Σ kl_i − N, and Song et al.'s formula.
*/
#include <math.h>
#include <stdio.h>

#include "cka_internal.h"
#include "core/error_internal.h"
#include "gapkit/linalg.h"

enum { RK, RL, KL, KK, LL, NACC };

typedef struct hsic_ctx {
    int64_t n;
    float gx, gy;  /* 1/(2σ²) of each space */
    double *acc;   /* (N, NACC) per-row sums */
} hsic_ctx;

static void row_sums(void *ctx, int64_t i, int64_t j0, const float *const *d2, int t)
{
    (void)t, (void)j0; /* full rows: j0 == 0 */
    const hsic_ctx *c = ctx;
    double a[NACC] = {0};
    for (int64_t j = 0; j < c->n; j++) {
        const double k = expf(-d2[0][j] * c->gx), l = expf(-d2[1][j] * c->gy);
        a[RK] += k, a[RL] += l, a[KL] += k * l, a[KK] += k * k, a[LL] += l * l;
    }
    for (int q = 0; q < NACC; q++) c->acc[i * NACC + q] = a[q];
}

/* HSIC of kernels (u, v) from the row sums: u, v index RK or RL; uv, the
** column holding Σ_j u_ij v_ij. */
static double hsic_from_rows(const double *acc, int64_t n, int u, int v, int uv, int unbiased)
{
    double su = 0, sv = 0, suv = 0, dot = 0;
    const double off = unbiased ? 1.0 : 0.0, nn = (double)n;
    for (int64_t i = 0; i < n; i++) {
        const double ru = acc[i * NACC + u] - off, rv = acc[i * NACC + v] - off;
        su += ru, sv += rv, suv += acc[i * NACC + uv] - off, dot += ru * rv;
    }
    if (!unbiased) return (suv - 2.0 / nn * dot + su * sv / (nn * nn)) / ((nn - 1) * (nn - 1));
    return (suv + su * sv / ((nn - 1) * (nn - 2)) - 2.0 * dot / (nn - 2)) / (nn * (nn - 3));
}

static int check_rbf_args(const gk_mat *X, const gk_mat *Y, const gk_cka_opts *o)
{
    GK_FAIL_IF(!(o->sigma_factor > 0) || !isfinite(o->sigma_factor), GK_EARG,
               "cka-rbf: sigma factor %g (expected a finite number > 0)", o->sigma_factor);
    GK_FAIL_IF(X->rows > o->max_n, GK_EARG,
               "cka-rbf: N = %lld items is above the limit of %lld: the Gaussian kernel needs "
               "all N^2 pairs (O(N^2 D) time); use cka-linear or cka-unbiased (O(N D^2)), a "
               "random subset of the rows, or raise the limit (max_n)",
               (long long)X->rows, (long long)o->max_n);
    int rc = gk_mat_check_finite(X);
    if (rc != GK_OK) return gk_error_prepend(gk_error_prepend(rc, "X"), "cka-rbf");
    rc = gk_mat_check_finite(Y);
    if (rc != GK_OK) return gk_error_prepend(gk_error_prepend(rc, "Y"), "cka-rbf");
    return GK_OK;
}

/* *out = A − 1μᵀ (row-major copy) and sq (N,) its squared row norms.  The
** distances, hence the measure, do not change, but ‖a‖² + ‖b‖² − 2a·b loses
** precision when the rows lie far from the origin; centred, it does not. */
static int centred_copy(const gk_mat *A, gk_mat **out, double *sq)
{
    const int64_t n = A->rows, d = A->cols;
    double *mu = gk_malloc((size_t)d * sizeof *mu);
    GK_FAIL_IF(!mu, GK_ENOMEM, "cka-rbf: out of memory");
    int rc = gk_col_mean_blocked(A, mu, NULL);
    if (rc == GK_OK) rc = gk_mat_create(n, d, out);
    for (int64_t i = 0; rc == GK_OK && i < n; i++) {
        float *o = (*out)->data + i * d;
        for (int64_t j = 0; j < d; j++) o[j] = (float)((double)gk_mat_at(A, i, j) - mu[j]);
    }
    if (rc == GK_OK) rc = gk_mat_row_norms(*out, sq);
    for (int64_t i = 0; rc == GK_OK && i < n; i++) sq[i] *= sq[i];
    gk_free(mu);
    return rc;
}

/* σ of both spaces; an all-duplicate space has median 0 and no kernel width. */
static int sigmas(const cka_space *sp, const gk_cka_opts *o, gk_cka_result *out)
{
    double med[2];
    GK_TRY(cka_median_distances(sp, med));
    out->median_x = med[0], out->median_y = med[1];
    GK_FAIL_IF(!(med[0] > 0) || !(med[1] > 0), GK_ENUMERIC,
               "cka-rbf: the median pairwise distance of %s is 0 (at least half of the pairs "
               "are duplicate rows): no kernel width", med[0] > 0 ? "Y" : "X");
    out->sigma_factor = o->sigma_factor;
    out->sigma_x = o->sigma_factor * med[0], out->sigma_y = o->sigma_factor * med[1];
    return GK_OK;
}

int gk_cka_rbf(const gk_mat *X, const gk_mat *Y, const gk_cka_opts *opts, gk_cka_result *out)
{
    const gk_cka_opts o = opts ? *opts : gk_cka_opts_default();
    GK_TRY(cka_begin(GK_CKA_RBF, X, Y, o.rbf_unbiased ? 4 : 2, out));
    GK_TRY(check_rbf_args(X, Y, &o));
    const int64_t n = X->rows;
    double *sq = gk_malloc(2 * (size_t)n * sizeof *sq);
    hsic_ctx c = {n, 0, 0, gk_malloc((size_t)n * NACC * sizeof(double))};
    gk_mat *xc = NULL, *yc = NULL;
    int rc = GK_OK;
    if (!sq || !c.acc) GK_FAIL_GOTO(rc, GK_ENOMEM, cleanup, "cka-rbf: out of memory");
    GK_TRY_GOTO(rc, centred_copy(X, &xc, sq), cleanup);
    GK_TRY_GOTO(rc, centred_copy(Y, &yc, sq + n), cleanup);
    const cka_space sp[2] = {{xc, sq}, {yc, sq + n}};
    GK_TRY_GOTO(rc, sigmas(sp, &o, out), cleanup);
    c.gx = (float)(1.0 / (2.0 * out->sigma_x * out->sigma_x));
    c.gy = (float)(1.0 / (2.0 * out->sigma_y * out->sigma_y));
    GK_TRY_GOTO(rc, cka_pairs_run(sp, 0, row_sums, &c), cleanup);
    out->hsic_xy = hsic_from_rows(c.acc, n, RK, RL, KL, o.rbf_unbiased);
    out->hsic_xx = hsic_from_rows(c.acc, n, RK, RK, KK, o.rbf_unbiased);
    out->hsic_yy = hsic_from_rows(c.acc, n, RL, RL, LL, o.rbf_unbiased);
    if (!(out->hsic_xx > 0 && out->hsic_yy > 0))
        GK_FAIL_GOTO(rc, GK_ENUMERIC, cleanup, "cka-rbf: HSIC(X,X) = %g, HSIC(Y,Y) = %g: both "
                     "must be > 0", out->hsic_xx, out->hsic_yy);
    out->value = out->hsic_xy / sqrt(out->hsic_xx * out->hsic_yy);
    snprintf(out->estimator, sizeof out->estimator,
             "Gaussian kernel exp(-d^2/(2 sigma^2)), sigma = %g x median pairwise distance "
             "(sigma_x = %.6g, sigma_y = %.6g), %s HSIC", o.sigma_factor, out->sigma_x,
             out->sigma_y, o.rbf_unbiased ? "unbiased (Song et al. 2012)" : "biased");
cleanup:
    gk_free(sq), gk_free(c.acc);
    gk_mat_free(xc), gk_mat_free(yc);
    return rc;
}
