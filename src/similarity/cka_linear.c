/*
** cka_linear.c — linear-kernel CKA in feature space, with the biased HSIC
** (Kornblith et al. 2019) and the unbiased one (Song et al. 2012, eq. 5).
**
** Both come from the centred (D,D) cross-products, never from the N×N Gram
** matrices: tr(KHLH) = ‖XcᵀYc‖²_F for K = XXᵀ, L = YYᵀ, and the unbiased
** estimator, which does not change when X or Y is translated, needs on top
** only the centred squared row norms (cka.h gives the identities).
*/
#include <math.h>
#include <stdio.h>

#include "cka_internal.h"
#include "core/error_internal.h"
#include "gapkit/linalg.h"

void cka_linear_finish(const cka_moments *m, gk_cka_result *out)
{
    /* HSIC_b = tr(KHLH)/(N−1)² = ‖XcᵀYc‖²_F/(N−1)² */
    const double s = 1.0 / ((double)(m->n - 1) * (double)(m->n - 1));
    out->hsic_xy = cka_frob2(m->gxy, m->dx, m->dy) * s;
    out->hsic_xx = cka_frob2(m->gx, m->dx, m->dx) * s;
    out->hsic_yy = cka_frob2(m->gy, m->dy, m->dy) * s;
    out->value = out->hsic_xy / sqrt(out->hsic_xx * out->hsic_yy);
    snprintf(out->estimator, sizeof out->estimator,
             "linear kernel, biased HSIC (Kornblith et al. 2019), feature space: "
             "||Yc^T Xc||_F^2 / (||Xc^T Xc||_F ||Yc^T Yc||_F)");
}

int gk_cka_linear(const gk_mat *X, const gk_mat *Y, gk_cka_result *out)
{
    cka_moments m;
    GK_TRY(cka_begin(GK_CKA_LINEAR, X, Y, 2, out));
    GK_TRY(cka_moments_compute("cka-linear", X, Y, 1, &m));
    cka_linear_finish(&m, out);
    cka_moments_free(&m);
    return GK_OK;
}

/* ‖a_i − μ‖² of row i, in double. */
static double centred_norm2(const gk_mat *a, const double *mu, int64_t i)
{
    double s = 0;
    for (int64_t j = 0; j < a->cols; j++) {
        const double v = (double)gk_mat_at(a, i, j) - mu[j];
        s += v * v;
    }
    return s;
}

int cka_unbiased_parts(const gk_mat *X, const gk_mat *Y, const double *mux, const double *muy,
                       double *part)
{
    const int64_t n = X->rows, nb = (n + GK_CROSS_BLOCK - 1) / GK_CROSS_BLOCK;
#pragma omp parallel for schedule(static)
    for (int64_t b = 0; b < nb; b++) {
        const int64_t end = (b + 1) * GK_CROSS_BLOCK < n ? (b + 1) * GK_CROSS_BLOCK : n;
        double s[3] = {0, 0, 0};
        for (int64_t i = b * GK_CROSS_BLOCK; i < end; i++) {
            const double u = centred_norm2(X, mux, i), v = centred_norm2(Y, muy, i);
            s[0] += u * v, s[1] += u * u, s[2] += v * v;
        }
        part[3 * b] = s[0], part[3 * b + 1] = s[1], part[3 * b + 2] = s[2];
    }
    return GK_OK;
}

/* Song et al.'s HSIC_u from centred data: f2 = ‖XcᵀYc‖²_F, s = Σ‖x̃_i‖²‖ỹ_i‖²,
** tx·ty the product of the traces:
**   [f2 − s + tx·ty/((N−1)(N−2)) − 2s/(N−2)] / (N(N−3)).
** This is eq. 5 with K̃ = XcXcᵀ, L̃ = YcYcᵀ with their diagonals zeroed
** (docs/cka.md; HSIC_u does not change when X or Y is translated, so the
** centred rows may stand in for the raw ones).  Xcᵀ1 = 0 gives K̃1 = −(‖x̃_i‖²)_i:
**   tr(K̃L̃) = ‖XcᵀYc‖²_F − s,  1ᵀK̃1 = −tx,  1ᵀL̃1 = −ty,
**   1ᵀK̃L̃1 = Σ_i (K̃1)_i (L̃1)_i = s.
** Every term is a sum over rows: blocks of rows, then ranks, can add them
** (dist_cka.c).  test_cka.c checks it against the N×N formula
** (gk_cka_linear_naive). */
static double hsic_unbiased(double f2, double s, double txty, double n)
{
    return (f2 - s + txty / ((n - 1) * (n - 2)) - 2 * s / (n - 2)) / (n * (n - 3));
}

int cka_unbiased_finish(const cka_moments *m, const double p[3], gk_cka_result *out)
{
    const double n = (double)m->n;
    out->hsic_xy = hsic_unbiased(cka_frob2(m->gxy, m->dx, m->dy), p[0], m->ssx * m->ssy, n);
    out->hsic_xx = hsic_unbiased(cka_frob2(m->gx, m->dx, m->dx), p[1], m->ssx * m->ssx, n);
    out->hsic_yy = hsic_unbiased(cka_frob2(m->gy, m->dy, m->dy), p[2], m->ssy * m->ssy, n);
    GK_FAIL_IF(!(out->hsic_xx > 0 && out->hsic_yy > 0), GK_ENUMERIC,
               "cka-unbiased: HSIC_u(X,X) = %g, HSIC_u(Y,Y) = %g: both must be > 0 "
               "(too few items?)", out->hsic_xx, out->hsic_yy);
    out->value = out->hsic_xy / sqrt(out->hsic_xx * out->hsic_yy);
    snprintf(out->estimator, sizeof out->estimator,
             "linear kernel, unbiased HSIC (Song et al. 2012, eq. 5; platonic-rep "
             "unbiased_cka without its +1e-6), feature space");
    return GK_OK;
}

int gk_cka_unbiased(const gk_mat *X, const gk_mat *Y, gk_cka_result *out)
{
    cka_moments m;
    GK_TRY(cka_begin(GK_CKA_UNBIASED, X, Y, 4, out));
    GK_TRY(cka_moments_compute("cka-unbiased", X, Y, 1, &m));
    const int64_t nb = (X->rows + GK_CROSS_BLOCK - 1) / GK_CROSS_BLOCK;
    double *part = gk_malloc((size_t)nb * 3 * sizeof *part), p[3] = {0, 0, 0};
    int rc = part ? GK_OK : gk_set_error(GK_ENOMEM, "cka-unbiased: out of memory");
    if (rc == GK_OK) rc = cka_unbiased_parts(X, Y, m.mux, m.muy, part);
    /* the blocks' sums added in block order from 0, as gk_dist_sum_blocks does */
    for (int64_t b = 0; rc == GK_OK && b < nb; b++)
        p[0] += part[3 * b], p[1] += part[3 * b + 1], p[2] += part[3 * b + 2];
    if (rc == GK_OK) rc = cka_unbiased_finish(&m, p, out);
    gk_free(part);
    cka_moments_free(&m);
    return rc;
}
