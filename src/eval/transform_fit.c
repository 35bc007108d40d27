/*
** transform_fit.c — the one place where a transform is fitted from data:
** COMET's k rule (fixed, auto by cross-validation, shared by the
** permutation test) is resolved here, then gk_align fits the model.  eval,
** compare, analyze, demo and the CLI's comet/align fits all call
** gk_transform_fit, so the same data and options give the same k everywhere.
*/
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/error_internal.h"
#include "gapkit/eval.h"
#include "retrieval/retrieval_internal.h"

#define SHARED_PERMUTATIONS 19 /* the smallest B whose p can reach 0.05 */
#define SHARED_ALPHA 0.05

void gk_k_choice_free(gk_k_choice *c)
{
    if (!c) return;
    gk_free(c->p);
    c->p = NULL;
    c->n_p = 0;
}

/* k by 5-fold CV; groups NULL: items whose rows repeat (one prompt per class)
** form one group, so the held-out match of a row is every row of its group. */
static int k_auto(const gk_align_opts *o, const gk_mat *T, const gk_mat *A,
                  const int32_t *groups, uint64_t seed, int64_t *k, gk_k_choice *how)
{
    int32_t *comp = NULL;
    if (!groups) {
        comp = gk_malloc((size_t)(T->rows ? T->rows : 1) * sizeof *comp);
        GK_FAIL_IF(!comp, GK_ENOMEM, "transform fit: out of memory");
        int rc = rt_linked_sets(T, A, comp);
        if (rc != GK_OK) {
            gk_free(comp);
            return rc;
        }
        groups = comp;
    }
    double best = 0;
    const int64_t cand[] = {8, 16, 32, 64, 128, 256};
    int rc = gk_comet_select_k(T, A, groups, cand, 6, 5, seed, o->weight, k, how->cv_map10);
    gk_free(comp);
    GK_TRY(rc);
    for (int c = 0; c < 6; c++)
        if (how->cv_map10[c] > best) best = how->cv_map10[c]; /* the chosen k's score */
    snprintf(how->why, sizeof how->why, "k=auto -> k=%lld (5-fold CV mAP@10 %.4f)",
             (long long)*k, best);
    return GK_OK;
}

/* k = the axes whose σ beats chance in the step-down permutation test (>= 1). */
static int k_shared(const gk_align_opts *o, const gk_mat *T, const gk_mat *A, uint64_t seed,
                    int64_t *k, gk_k_choice *how)
{
    gk_comet *m = NULL;
    how->permutations = o->permutations > 0 ? o->permutations : SHARED_PERMUTATIONS;
    how->alpha = o->alpha > 0 ? o->alpha : SHARED_ALPHA;
    GK_TRY(gk_comet_fit(T, A, 0, &m));
    const int64_t r = gk_comet_rank(m);
    double *p = gk_malloc((size_t)(r ? r : 1) * sizeof *p);
    int rc = p ? gk_comet_permutation_test(m, T, A, how->permutations, how->alpha, seed, p,
                                           &how->n_shared)
               : gk_set_error(GK_ENOMEM, "transform fit: out of memory");
    gk_comet_free(m);
    if (rc != GK_OK) {
        gk_free(p);
        return rc;
    }
    how->p = p; /* the axes past the one that stopped the test are not reported */
    how->n_p = how->n_shared + 1 < r ? how->n_shared + 1 : r;
    *k = how->n_shared > 0 ? how->n_shared : 1;
    snprintf(how->why, sizeof how->why, "k=shared -> k=%lld (permutation test, B = %d%s)",
             (long long)*k, how->permutations, how->n_shared ? "" : ", none passed: 1 kept");
    return GK_OK;
}

/* Resolves f's k rule in place (COMET with k = 0 only). */
static int resolve_k(gk_align_opts *f, const gk_mat *const *views, int n_views,
                     const int32_t *groups, uint64_t seed, gk_k_choice *how)
{
    if (f->k_rule == GK_K_FIXED) f->k_rule = GK_K_AUTO; /* k = 0 has always meant auto */
    how->rule = f->k_rule;
    GK_FAIL_IF(n_views < 2, GK_EARG, "transform fit: needs at least 2 views");
    if (n_views > 2 && f->k_rule == GK_K_AUTO) { /* the CV scores two views */
        f->k = gk_align_opts_default(GK_ALIGN_COMET).k;
        snprintf(how->why, sizeof how->why, "k=auto -> k=%lld (default for %d views)",
                 (long long)f->k, n_views);
        return GK_OK;
    }
    GK_FAIL_IF(n_views > 2, GK_EARG, "transform fit: comet k=shared needs two views (got %d)",
               n_views);
    if (f->k_rule == GK_K_AUTO) return k_auto(f, views[0], views[1], groups, seed, &f->k, how);
    return k_shared(f, views[0], views[1], seed, &f->k, how);
}

int gk_transform_fit(const gk_align_opts *o, const gk_mat *const *views, int n_views,
                     const int32_t *groups, uint64_t seed, gk_align **out, gk_k_choice *how)
{
    gk_k_choice local;
    gk_k_choice *h = how ? how : &local;
    memset(h, 0, sizeof *h);
    for (int c = 0; c < 6; c++) h->cv_map10[c] = NAN;
    GK_FAIL_IF(!o || !views || !out, GK_EARG, "transform fit: NULL argument");
    *out = NULL;
    gk_align_opts f = *o;
    h->rule = o->method == GK_ALIGN_COMET ? o->k_rule : GK_K_FIXED;
    int rc = GK_OK;
    if (f.method == GK_ALIGN_COMET && f.k == 0)
        rc = resolve_k(&f, views, n_views, groups, seed, h);
    if (rc == GK_OK) rc = gk_align_fit(&f, views, n_views, out);
    if (f.method == GK_ALIGN_COMET) h->k = f.k;
    if (!how) gk_k_choice_free(h);
    return rc;
}
