/*
** magnitude.c — refusing inputs whose scale float32 arithmetic cannot carry.
**
** The analyses compute dot products, Gram and covariance matrices in float32
** (sgemm) and sum them over many rows.  Rows of norm 1e30 overflow those
** products to Inf (LAPACK then fails on NaN); rows of norm 1e-30 or
** denormals underflow them to 0, and every scale-free result (ranks,
** effective rank, separability) silently collapses.  Unit rows (the default
** normalisation) are always fine; unnormalised rows must have norms within
** [GK_NORM_MIN, GK_NORM_MAX] (zero rows allowed), which keeps ‖x‖² sums over
** up to 10^8 rows below float32's 3.4e38 and products well above its 1.2e-38.
*/
#include "error_internal.h"
#include "matrix_internal.h"

int gk_mat_check_magnitude(const gk_mat *a, const char *who)
{
    double *norm = gk_malloc((size_t)(a->rows > 0 ? a->rows : 1) * sizeof *norm);
    GK_FAIL_IF(!norm, GK_ENOMEM, "%s: out of memory for %lld row norms", who,
               (long long)a->rows);
    gk_mat_row_norms(a, norm);
    int rc = GK_OK;
    for (int64_t i = 0; i < a->rows && rc == GK_OK; i++)
        if (norm[i] != 0.0 && !(norm[i] >= GK_NORM_MIN && norm[i] <= GK_NORM_MAX))
            rc = gk_set_error(GK_ENUMERIC, "%s: row %lld has norm %.3g, outside [%.0e, %.0e] "
                              "where float32 products neither overflow nor underflow; "
                              "normalise or rescale the rows", who, (long long)i, norm[i],
                              GK_NORM_MIN, GK_NORM_MAX);
    gk_free(norm);
    return rc;
}
