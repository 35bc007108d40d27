/*
** perm_null.c — permutation-null calibration of a similarity measure
** (Gröger et al., ICML 2026): the measure on shuffled pairings says what
** value unrelated spaces of the same n, d and k get, so a raw value can be
** read against chance.
*/
#include <math.h>
#include <string.h>

#include "core/error_internal.h"
#include "gapkit/stats.h"

int gk_null_summary(double observed, const double *null, int n_perm, gk_null_result *out)
{
    GK_FAIL_IF(!null || !out || n_perm < 2, GK_EARG,
               "gk_null_summary: need at least 2 null values and an output");
    double s = 0, ss = 0;
    int ge = 0;
    for (int t = 0; t < n_perm; t++) s += null[t];
    const double mean = s / n_perm;
    for (int t = 0; t < n_perm; t++) {
        ss += (null[t] - mean) * (null[t] - mean);
        ge += null[t] >= observed;
    }
    out->observed = observed;
    out->null_mean = mean;
    out->null_sd = sqrt(ss / (n_perm - 1));
    out->calibrated = mean == 1 ? NAN : (observed - mean) / (1 - mean);
    out->z = out->null_sd > 0 ? (observed - mean) / out->null_sd : NAN;
    out->p_value = (double)(1 + ge) / (double)(n_perm + 1);
    out->n_perm = n_perm;
    return GK_OK;
}

/* Yp row i = Y row perm[i]. */
static void permute_rows(const gk_mat *Y, const int64_t *perm, gk_mat *Yp)
{
    for (int64_t i = 0; i < Y->rows; i++) {
        const float *src = gk_mat_row(Y, perm[i]);
        float *dst = gk_mat_row(Yp, i);
        for (int64_t j = 0; j < Y->cols; j++) dst[j] = src[j * Y->cs];
    }
}

int gk_perm_null(gk_measure_fn fn, void *ctx, const gk_mat *X, const gk_mat *Y, int n_perm,
                 uint64_t seed, gk_null_result *out, double *null)
{
    GK_FAIL_IF(!fn || !X || !Y || !out, GK_EARG, "gk_perm_null: NULL argument");
    GK_FAIL_IF(n_perm < 2, GK_EARG, "gk_perm_null: %d permutations; need at least 2", n_perm);
    GK_FAIL_IF(X->rows != Y->rows, GK_ESHAPE,
               "gk_perm_null: X has %lld rows but Y has %lld; the rows must be the same items",
               (long long)X->rows, (long long)Y->rows);
    const int64_t n = Y->rows;
    double observed;
    GK_TRY(fn(X, Y, ctx, &observed));
    gk_mat *Yp = NULL;
    int64_t *perm = gk_malloc((size_t)n * sizeof *perm);
    double *vals = null ? null : gk_malloc((size_t)n_perm * sizeof *vals);
    int rc = perm && vals ? gk_mat_create(n, Y->cols, &Yp) : GK_ENOMEM;
    gk_rng r;
    gk_rng_seed(&r, seed);
    for (int t = 0; rc == GK_OK && t < n_perm; t++) {
        for (int64_t i = 0; i < n; i++) perm[i] = i;
        gk_rng_shuffle(&r, perm, n);
        permute_rows(Y, perm, Yp);
        rc = fn(X, Yp, ctx, &vals[t]);
    }
    if (rc == GK_OK) rc = gk_null_summary(observed, vals, n_perm, out);
    gk_mat_free(Yp);
    gk_free(perm);
    if (vals != null) gk_free(vals);
    return rc;
}
