/*
** transform_fit.c — the one place where a transform is fitted from data:
** COMET's k rule (fixed, auto by cross-validation, shared by the
** permutation test) is resolved here, then gk_align fits the model.  eval,
** compare and analyze all call gk_transform_fit, so the same data and
** options give the same k everywhere.
*/
#include <stdio.h>

#include "compare/compare_internal.h"
#include "core/error_internal.h"
#include "gapkit/eval.h"

#define SHARED_PERMUTATIONS 19 /* the smallest B whose p can reach 0.05 */
#define SHARED_ALPHA 0.05

/* k by 5-fold CV; groups NULL: items whose rows repeat (one prompt per class)
** form one group, so the held-out match of a row is every row of its group. */
static int k_auto(const gk_align_opts *o, const gk_mat *T, const gk_mat *A,
                  const int32_t *groups, uint64_t seed, int64_t *k, char *why, size_t cap)
{
    int32_t *comp = NULL;
    if (!groups) {
        comp = gk_malloc((size_t)(T->rows ? T->rows : 1) * sizeof *comp);
        GK_FAIL_IF(!comp, GK_ENOMEM, "transform fit: out of memory");
        int rc = cmp_components(T, A, comp);
        if (rc != GK_OK) {
            gk_free(comp);
            return rc;
        }
        groups = comp;
    }
    double sc[6], best = 0;
    const int64_t cand[] = {8, 16, 32, 64, 128, 256};
    int rc = gk_comet_select_k(T, A, groups, cand, 6, 5, seed, o->weight, k, sc);
    gk_free(comp);
    GK_TRY(rc);
    for (int c = 0; c < 6; c++)
        if (sc[c] > best) best = sc[c]; /* the chosen k has the best score */
    snprintf(why, cap, "k=auto -> k=%lld (5-fold CV mAP@10 %.4f)", (long long)*k, best);
    return GK_OK;
}

/* k = the axes whose σ beats chance in the step-down permutation test (>= 1). */
static int k_shared(const gk_mat *T, const gk_mat *A, uint64_t seed, int64_t *k, char *why,
                    size_t cap)
{
    gk_comet *m = NULL;
    GK_TRY(gk_comet_fit(T, A, 0, &m));
    double *p = gk_malloc((size_t)gk_comet_rank(m) * sizeof *p);
    int64_t n_shared = 0;
    int rc = p ? gk_comet_permutation_test(m, T, A, SHARED_PERMUTATIONS, SHARED_ALPHA, seed, p,
                                           &n_shared)
               : gk_set_error(GK_ENOMEM, "transform fit: out of memory");
    gk_free(p);
    gk_comet_free(m);
    GK_TRY(rc);
    *k = n_shared > 0 ? n_shared : 1;
    snprintf(why, cap, "k=shared -> k=%lld (permutation test, B = %d%s)", (long long)*k,
             SHARED_PERMUTATIONS, n_shared ? "" : ", none passed: 1 kept");
    return GK_OK;
}

int gk_transform_fit(const gk_align_opts *o, const gk_mat *const *views, int n_views,
                     const int32_t *groups, uint64_t seed, gk_align **out, char *why,
                     size_t cap)
{
    GK_FAIL_IF(!o || !views || !out, GK_EARG, "transform fit: NULL argument");
    char note[160] = "";
    gk_align_opts f = *o;
    if (f.method == GK_ALIGN_COMET && f.k == 0) {
        if (f.k_rule == GK_K_FIXED) f.k_rule = GK_K_AUTO; /* k = 0 has always meant auto */
        GK_FAIL_IF(n_views < 2, GK_EARG, "transform fit: needs at least 2 views");
        if (n_views > 2 && f.k_rule == GK_K_AUTO) { /* the CV scores two views */
            f.k = gk_align_opts_default(GK_ALIGN_COMET).k;
            snprintf(note, sizeof note, "k=auto -> k=%lld (default for %d views)",
                     (long long)f.k, n_views);
        } else if (n_views > 2) {
            return gk_set_error(GK_EARG, "transform fit: comet k=shared needs two views "
                                "(got %d)", n_views);
        } else if (f.k_rule == GK_K_AUTO) {
            GK_TRY(k_auto(&f, views[0], views[1], groups, seed, &f.k, note, sizeof note));
        } else {
            GK_TRY(k_shared(views[0], views[1], seed, &f.k, note, sizeof note));
        }
    }
    if (why && cap) snprintf(why, cap, "%s", note);
    return gk_align_fit(&f, views, n_views, out);
}
