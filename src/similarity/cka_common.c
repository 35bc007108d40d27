/*
** cka_common.c — the parts every CKA-family measure uses: options, input
** checks, result set-up and release, dispatch by name, and the centred
** second moments of two spaces from the blocked cross-product of linalg.
*/
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "cka_internal.h"
#include "core/error_internal.h"
#include "gapkit/linalg.h"

static const char *const kind_names[] = {"", "cka-linear", "cka-rbf", "cka-unbiased", "svcca",
                                         "procrustes"};

gk_cka_opts gk_cka_opts_default(void)
{
    return (gk_cka_opts){1.0, 0, GK_CKA_RBF_MAX_N, 0.99, 0};
}

const char *cka_kind_name(gk_cka_kind kind)
{
    return kind >= GK_CKA_LINEAR && kind <= GK_CKA_PROCRUSTES ? kind_names[kind] : "?";
}

void gk_cka_result_free(gk_cka_result *r)
{
    if (!r) return;
    gk_free(r->rho);
    r->rho = NULL;
    r->n_rho = 0;
}

int cka_begin(gk_cka_kind kind, const gk_mat *X, const gk_mat *Y, int64_t min_n,
              gk_cka_result *out)
{
    const char *name = cka_kind_name(kind);
    GK_FAIL_IF(!X || !Y || !out, GK_EARG, "%s: NULL argument", name);
    GK_FAIL_IF(X->rows != Y->rows, GK_ESHAPE,
               "%s: X has %lld rows but Y has %lld; row i of X and row i of Y must be the "
               "same item", name, (long long)X->rows, (long long)Y->rows);
    GK_FAIL_IF(X->rows < min_n, GK_EARG, "%s: needs at least %lld items, got %lld", name,
               (long long)min_n, (long long)X->rows);
    GK_FAIL_IF(X->cols < 1 || Y->cols < 1, GK_ESHAPE, "%s: zero columns", name);
    const double nan = NAN;
    memset(out, 0, sizeof *out);
    out->kind = kind;
    snprintf(out->measure, sizeof out->measure, "%s", name);
    out->n = X->rows, out->dx = X->cols, out->dy = Y->cols;
    out->value = out->hsic_xy = out->hsic_xx = out->hsic_yy = nan;
    out->sigma_factor = out->sigma_x = out->sigma_y = out->median_x = out->median_y = nan;
    out->variance = out->kept_x = out->kept_y = nan;
    out->distance = out->angle = nan;
    return GK_OK;
}

int gk_cka_measure(const char *name, const gk_mat *X, const gk_mat *Y, const gk_cka_opts *opts,
                   gk_cka_result *out)
{
    GK_FAIL_IF(!name, GK_EARG, "similarity: NULL measure name");
    if (!strcmp(name, "cka-linear")) return gk_cka_linear(X, Y, out);
    if (!strcmp(name, "cka-rbf")) return gk_cka_rbf(X, Y, opts, out);
    if (!strcmp(name, "cka-unbiased")) return gk_cka_unbiased(X, Y, out);
    if (!strcmp(name, "svcca")) return gk_svcca(X, Y, opts, out);
    if (!strcmp(name, "procrustes")) return gk_procrustes_sim(X, Y, out);
    return gk_set_error(GK_EARG, "unknown measure '%s' (expected cka-linear, cka-rbf, "
                        "cka-unbiased, svcca or procrustes)", name);
}

double cka_frob2(const double *a, int64_t r, int64_t c)
{
    double s = 0;
    for (int64_t i = 0; i < r * c; i++) s += a[i] * a[i];
    return s;
}

/*====  centred second moments  ====*/

void cka_moments_free(cka_moments *m)
{
    gk_free(m->mux), gk_free(m->muy), gk_free(m->gxy), gk_free(m->gx), gk_free(m->gy);
    memset(m, 0, sizeof *m);
}

/* A non-finite trace means a NaN/Inf in the data: let the scan name it. */
static int check_space(const char *what, const char *side, const gk_mat *A, double ss,
                       const double *mu)
{
    if (!isfinite(ss)) {
        int rc = gk_mat_check_finite(A);
        if (rc == GK_OK) rc = gk_set_error(GK_ENUMERIC, "sums overflow float range");
        gk_error_prepend(rc, side);
        return gk_error_prepend(rc, what);
    }
    return cka_check_variance(what, side, A->rows, A->cols, ss, mu);
}

int cka_check_variance(const char *what, const char *side, int64_t n, int64_t d, double ss,
                       const double *mu)
{
    /* all rows equal: ss is 0 up to the float rounding of the centring */
    double mu2 = 0;
    for (int64_t j = 0; j < d; j++) mu2 += mu[j] * mu[j];
    GK_FAIL_IF(!isfinite(ss), GK_ENUMERIC, "%s: %s: sums overflow float range", what, side);
    GK_FAIL_IF(ss <= 1e-12 * (double)n * mu2 || ss <= 0, GK_ENUMERIC,
               "%s: every row of %s is the same vector (zero variance): the similarity is "
               "undefined", what, side);
    return GK_OK;
}

int cka_moments_alloc(cka_moments *m, int64_t n, int64_t dx, int64_t dy, int with_grams)
{
    memset(m, 0, sizeof *m);
    m->n = n, m->dx = dx, m->dy = dy;
    m->mux = gk_malloc((size_t)dx * sizeof(double));
    m->muy = gk_malloc((size_t)dy * sizeof(double));
    m->gxy = gk_malloc((size_t)dx * (size_t)dy * sizeof(double));
    if (with_grams) {
        m->gx = gk_malloc((size_t)dx * (size_t)dx * sizeof(double));
        m->gy = gk_malloc((size_t)dy * (size_t)dy * sizeof(double));
    }
    if (m->mux && m->muy && m->gxy && (!with_grams || (m->gx && m->gy))) return GK_OK;
    cka_moments_free(m);
    return gk_set_error(GK_ENOMEM, "out of memory for (%lld,%lld) cross-products",
                        (long long)dx, (long long)dy);
}

int cka_moments_compute(const char *what, const gk_mat *X, const gk_mat *Y, int with_grams,
                        cka_moments *m)
{
    int rc;
    GK_TRY(cka_moments_alloc(m, X->rows, X->cols, Y->cols, with_grams));
    GK_TRY_GOTO(rc, gk_cross_moments(X, Y, m->mux, m->muy, &m->ssx, &m->ssy, m->gxy), fail);
    GK_TRY_GOTO(rc, check_space(what, "X", X, m->ssx, m->mux), fail);
    GK_TRY_GOTO(rc, check_space(what, "Y", Y, m->ssy, m->muy), fail);
    if (with_grams) {
        GK_TRY_GOTO(rc, gk_cross_centered(X, m->mux, X, m->mux, m->gx), fail);
        GK_TRY_GOTO(rc, gk_cross_centered(Y, m->muy, Y, m->muy, m->gy), fail);
    }
    return GK_OK;
fail:
    cka_moments_free(m);
    return rc;
}
