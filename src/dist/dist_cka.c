/*
** dist_cka.c — the feature-space similarities whose only contact with the
** rows is through centred second moments (linear CKA, its unbiased form,
** SVCCA, orthogonal Procrustes; methods.md §3, §8): the moments are gathered
** over the ranks in block order (dist_cross.c), then finished as in one
** process.  cka-unbiased adds three per-row sums (Σ‖x̃_i‖²‖ỹ_i‖², Σ‖x̃_i‖⁴,
** Σ‖ỹ_i‖⁴), also per block and in block order: a rank's rows are whole blocks
** of the global order (gk_dist_row_range), so every block sum is one
** process's and so is every result bit.
*/
#include <string.h>

#include "core/error_internal.h"
#include "dist_internal.h"
#include "similarity/cka_internal.h"

/* m over all ranks' rows; grams unless procrustes. */
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

/* cka-unbiased's three row sums over all ranks, block by block in order. */
static int dist_unbiased_sums(const gk_mat *X, const gk_mat *Y, const cka_moments *m,
                              double p[3])
{
    const int64_t nb = dist_local_blocks(X->rows);
    double *part = gk_malloc((size_t)(nb ? nb : 1) * 3 * sizeof *part);
    int rc = part ? GK_OK : gk_set_error(GK_ENOMEM, "cka-unbiased: out of memory");
    if (rc == GK_OK && nb) rc = cka_unbiased_parts(X, Y, m->mux, m->muy, part);
    if ((rc = gk_dist_agree(rc, NULL)) == GK_OK) rc = gk_dist_sum_blocks(part, nb, 3, p);
    gk_free(part);
    return rc;
}

static gk_cka_kind dist_kind(const char *name)
{
    if (!strcmp(name, "cka-linear")) return GK_CKA_LINEAR;
    if (!strcmp(name, "cka-unbiased")) return GK_CKA_UNBIASED;
    if (!strcmp(name, "svcca")) return GK_CKA_SVCCA;
    if (!strcmp(name, "procrustes")) return GK_CKA_PROCRUSTES;
    return GK_CKA_RBF; /* not distributed */
}

/* The finish of one process on moments (and row sums) of all ranks. */
static int finish(gk_cka_kind kind, const gk_mat *X, const gk_mat *Y, const cka_moments *m,
                  const gk_cka_opts *o, gk_cka_result *out)
{
    double p[3];
    switch (kind) {
    case GK_CKA_LINEAR: cka_linear_finish(m, out); return GK_OK;
    case GK_CKA_UNBIASED:
        GK_TRY(dist_unbiased_sums(X, Y, m, p));
        return cka_unbiased_finish(m, p, out);
    case GK_CKA_SVCCA: return cka_svcca_finish(m, o, out);
    default: return cka_procrustes_finish(m, out);
    }
}

int gk_dist_cka(const char *name, const gk_mat *X, const gk_mat *Y, const gk_cka_opts *opts,
                gk_cka_result *out)
{
    GK_FAIL_IF(!name || !X || !Y || !out, GK_EARG, "similarity: NULL argument");
    const gk_cka_opts o = opts ? *opts : gk_cka_opts_default();
    const gk_cka_kind kind = dist_kind(name);
    GK_FAIL_IF(kind == GK_CKA_RBF, GK_EARG, "%s: not distributed (cka-linear, cka-unbiased, "
               "svcca and procrustes are)", name);
    /* the one-process minimum of each measure (cka_linear.c, svcca.c, procrustes) */
    const int64_t n = dist_total(X->rows),
                  min_n = kind == GK_CKA_UNBIASED ? 4 : kind == GK_CKA_SVCCA ? 3 : 2;
    int rc = cka_begin(kind, X, Y, 0, out);
    if (rc == GK_OK && n < min_n)
        rc = gk_set_error(GK_EARG, "%s: needs at least %lld items, got %lld", name,
                          (long long)min_n, (long long)n);
    if (rc == GK_OK && kind == GK_CKA_SVCCA) rc = cka_svcca_check(&o);
    GK_TRY(gk_dist_agree(rc, NULL));
    out->n = n;
    cka_moments m;
    GK_TRY(dist_moments(name, X, Y, n, kind != GK_CKA_PROCRUSTES, &m));
    rc = finish(kind, X, Y, &m, &o, out);
    cka_moments_free(&m);
    return rc;
}
