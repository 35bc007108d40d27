/*
** dist_cka.c — the feature-space similarities whose only contact with the
** rows is through centred second moments (linear CKA, orthogonal
** Procrustes; methods.md §3, §8): the moments are gathered over the ranks in
** block order (dist_cross.c), then finished as in one process.
*/
#include <string.h>

#include "core/error_internal.h"
#include "dist_internal.h"
#include "similarity/cka_internal.h"

/* m over all ranks' rows; grams only for cka-linear. */
static int dist_moments(const char *name, const gk_mat *X, const gk_mat *Y, int64_t n,
                        int grams, cka_moments *m)
{
    int rc = gk_dist_agree(cka_moments_alloc(m, n, X->cols, Y->cols, grams), NULL);
    if (rc != GK_OK) return rc;
    rc = dist_cross_moments(X, Y, n, m->mux, m->muy, &m->ssx, &m->ssy, m->gxy);
    if (rc == GK_OK) rc = cka_check_variance(name, "X", n, X->cols, m->ssx, m->mux);
    if (rc == GK_OK) rc = cka_check_variance(name, "Y", n, Y->cols, m->ssy, m->muy);
    if (rc == GK_OK && grams) rc = dist_cross_gram(X, m->mux, m->gx);
    if (rc == GK_OK && grams) rc = dist_cross_gram(Y, m->muy, m->gy);
    if (rc != GK_OK) cka_moments_free(m);
    return rc;
}

int gk_dist_cka(const char *name, const gk_mat *X, const gk_mat *Y, gk_cka_result *out)
{
    GK_FAIL_IF(!name || !X || !Y || !out, GK_EARG, "similarity: NULL argument");
    const int linear = !strcmp(name, "cka-linear");
    GK_FAIL_IF(!linear && strcmp(name, "procrustes"), GK_EARG,
               "%s: not distributed (cka-linear and procrustes are)", name);
    const int64_t n = dist_total(X->rows);
    int rc = cka_begin(linear ? GK_CKA_LINEAR : GK_CKA_PROCRUSTES, X, Y, 0, out);
    if (rc == GK_OK && n < 2)
        rc = gk_set_error(GK_EARG, "%s: needs at least 2 items, got %lld", name, (long long)n);
    GK_TRY(gk_dist_agree(rc, NULL));
    out->n = n;
    cka_moments m;
    GK_TRY(dist_moments(name, X, Y, n, linear, &m));
    rc = GK_OK;
    if (linear) cka_linear_finish(&m, out);
    else rc = cka_procrustes_finish(&m, out);
    cka_moments_free(&m);
    return rc;
}
