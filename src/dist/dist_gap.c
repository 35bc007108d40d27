/*
** dist_gap.c — the modality-gap diagnostics over rows spread across ranks
** (methods.md §2, §8).
**
** Every diagnostic but the separability classifier is a function of sums
** over rows: column sums and sums of squares, Σ x_i·y_i, and the two centred
** Grams.  One process adds them as per-block parts in block order
** (gap_moments.c, gap_spectrum.c); here the parts of every rank's blocks go
** through gk_dist_sum_blocks and dist_cross_gram, so the result is that of
** one process, bit for bit.  Two parts are not distributed and are refused:
** the classifier (it subsamples rows and cross-validates) and the N < D
** route of the spectra (the N×N Gram of every row).
*/
#include <string.h>

#include "core/error_internal.h"
#include "core/matrix_internal.h"
#include "dist_internal.h"
#include "geometry/gap_internal.h"

static int gram(const gk_mat *A, const double *mu, double *G) { return dist_cross_gram(A, mu, G); }

/* Local checks (paired rows, finite magnitudes, options, refused parts);
** *n = rows over all ranks. */
static int check(const gk_mat *X, const gk_mat *Y, const gk_gap_opts *o, int64_t *n)
{
    int rc = X->rows == Y->rows ? GK_OK
             : gk_set_error(GK_ESHAPE, "gap: rank %d has %lld rows of X but %lld of Y",
                            gk_dist_rank(), (long long)X->rows, (long long)Y->rows);
    if (rc == GK_OK) rc = gap_check_opts(o);
    if (rc == GK_OK && o->separability)
        rc = gk_set_error(GK_EARG, "gap: the linear separability classifier is not distributed "
                          "(it subsamples and cross-validates): add --no-separability under "
                          "MPI (docs/distributed.md)");
    if (rc == GK_OK && X->rows) rc = gk_mat_check_magnitude(X, "gap: X");
    if (rc == GK_OK && Y->rows) rc = gk_mat_check_magnitude(Y, "gap: Y");
    *n = dist_total(X->rows);
    const int64_t d = X->cols > Y->cols ? X->cols : Y->cols;
    if (rc == GK_OK && *n < 2)
        rc = gk_set_error(GK_EARG, "gap: needs at least 2 pairs (got %lld)", (long long)*n);
    if (rc == GK_OK && *n < d)
        rc = gk_set_error(GK_EARG, "gap: %lld pairs of dimension %lld: with fewer rows than "
                          "dimensions the spectra come from the Gram matrix of every row, "
                          "which is not distributed; run it in one process", (long long)*n,
                          (long long)d);
    return rc;
}

int gk_dist_gap(const gk_mat *X, const gk_mat *Y, const gk_gap_opts *opts, gk_gap_result **out)
{
    GK_FAIL_IF(!X || !Y || !out, GK_EARG, "gap: NULL argument");
    *out = NULL;
    gk_gap_opts o = opts ? *opts : gk_gap_opts_default();
    gap_sums s = {0, gk_dist_sum_blocks, gram};
    int rc = check(X, Y, &o, &s.n);
    int who, all = gk_dist_agree(rc, &who);
    if (all != GK_OK)
        return rc != GK_OK ? rc
                           : gk_set_error(all, "gap: stopped: rank %d failed (see its message)",
                                          who);
    rc = gap_run(X, Y, &o, &s, out);
    if ((all = gk_dist_agree(rc, &who)) == GK_OK) return GK_OK;
    gk_gap_result_free(*out);
    *out = NULL;
    return rc != GK_OK ? rc : gk_set_error(all, "gap: stopped: rank %d failed (see its message)",
                                           who);
}
