/*
** gap_separability.c — linear separability of the modalities: k-fold
** cross-validated accuracy of an L2 logistic regression predicting which
** modality a row comes from (1.0 = fully separated, 0.5 = chance).
** Above opts->sep_cap pairs, a seeded random subset of the pairs is used
** (the same items on both sides), and the result says so.
*/
#include <math.h>
#include <string.h>

#include "core/error_internal.h"
#include "gap_internal.h"
#include "gapkit/learn.h"

/* idx (m,): the first m of a seeded permutation of 0..n−1, sorted. */
static void choose_rows(int64_t n, int64_t m, uint64_t seed, int64_t *perm)
{
    gk_rng rng;
    if (n < 1) return;
    gk_rng_seed(&rng, seed ^ 0x5e9a7ab1c0ffeeULL);
    for (int64_t i = 0; i < n; i++) perm[i] = i;
    gk_rng_shuffle(&rng, perm, n);
    /* keep the chosen rows in their original order */
    char *mark = (char *)(perm + n);
    memset(mark, 0, (size_t)n);
    for (int64_t i = 0; i < m; i++) mark[perm[i]] = 1;
    for (int64_t i = 0, q = 0; i < n; i++)
        if (mark[i]) perm[q++] = i;
}

/* S (2m,D) = [X[idx]; Y[idx]], labels 0 for X, 1 for Y. */
static int stack_rows(const gk_mat *X, const gk_mat *Y, const int64_t *idx, int64_t m,
                      gk_mat **S, int32_t *lab)
{
    GK_TRY(gk_mat_create(2 * m, X->cols, S));
    for (int64_t i = 0; i < m; i++)
        for (int64_t j = 0; j < X->cols; j++) {
            (*S)->data[i * X->cols + j] = gk_mat_at(X, idx[i], j);
            (*S)->data[(m + i) * X->cols + j] = gk_mat_at(Y, idx[i], j);
        }
    for (int64_t i = 0; i < 2 * m; i++) lab[i] = i >= m;
    return GK_OK;
}

int gap_separability(const gk_mat *X, const gk_mat *Y, const gk_gap_opts *o, gk_gap_result *r)
{
    const int64_t n = r->n, m = (o->sep_cap > 0 && n > o->sep_cap) ? o->sep_cap : n;
    gk_mat *S = NULL;
    int rc;
    GK_FAIL_IF(o->cv_folds < 2 || 2 * m < o->cv_folds, GK_EARG,
               "gap: %d-fold separability needs at least %d rows (have %lld)", o->cv_folds,
               o->cv_folds, (long long)(2 * m));
    int64_t *idx = gk_malloc((size_t)n * sizeof(int64_t) + (size_t)n);
    int32_t *lab = gk_malloc(2 * (size_t)m * sizeof(int32_t));
    double *acc = gk_malloc((size_t)o->cv_folds * sizeof(double));
    if (!idx || !lab || !acc) GK_FAIL_GOTO(rc, GK_ENOMEM, cleanup, "gap: out of memory");
    choose_rows(n, m, o->seed, idx);
    GK_TRY_GOTO(rc, stack_rows(X, Y, idx, m, &S, lab), cleanup);
    gk_logreg_opts lo = gk_logreg_opts_default();
    lo.lambda = o->sep_lambda;
    GK_TRY_GOTO(rc, gk_logreg_cv_accuracy(S, lab, 2, o->cv_folds, o->seed, &lo, acc), cleanup);
    double s = 0, s2 = 0;
    for (int f = 0; f < o->cv_folds; f++) s += acc[f];
    s /= o->cv_folds;
    for (int f = 0; f < o->cv_folds; f++) s2 += (acc[f] - s) * (acc[f] - s);
    r->sep_done = 1;
    r->sep_accuracy = s;
    r->sep_accuracy_sd = sqrt(s2 / (o->cv_folds - 1));
    r->sep_folds = o->cv_folds;
    r->sep_rows = m;
    r->sep_subsampled = m < n;
cleanup:
    gk_free(idx);
    gk_free(lab);
    gk_free(acc);
    gk_mat_free(S);
    return rc;
}
