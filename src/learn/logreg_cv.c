/*
** logreg_cv.c — k-fold cross-validated accuracy of the logistic regression,
** with seeded folds stratified by class.
*/
#include <string.h>

#include "core/error_internal.h"
#include "gapkit/learn.h"

/* fold (N,): a seeded shuffle, then row i of class c goes to fold
** (its rank among class c) mod folds. */
static int assign_folds(const int32_t *y, int64_t n, int32_t c, int folds, uint64_t seed,
                        int32_t *fold)
{
    int64_t *perm = gk_malloc((size_t)n * sizeof *perm);
    int64_t *rank = gk_calloc((size_t)c, sizeof *rank);
    if (!perm || !rank) {
        gk_free(perm);
        gk_free(rank);
        return gk_set_error(GK_ENOMEM, "cv: out of memory");
    }
    gk_rng rng;
    gk_rng_seed(&rng, seed);
    for (int64_t i = 0; i < n; i++) perm[i] = i;
    gk_rng_shuffle(&rng, perm, n);
    for (int64_t q = 0; q < n; q++) {
        int64_t i = perm[q];
        fold[i] = (int32_t)(rank[y[i]]++ % folds);
    }
    gk_free(perm);
    gk_free(rank);
    return GK_OK;
}

/* Fits on rows with fold != f, returns accuracy on fold f. */
static int one_fold(const gk_mat *X, const int32_t *y, int32_t c, const int32_t *fold, int f,
                    const gk_logreg_opts *o, double *acc)
{
    int64_t ntr = 0, nte = 0, n = X->rows;
    gk_mat *tr = NULL, *te = NULL;
    gk_logreg *m = NULL;
    int rc = GK_OK;
    int64_t *idx = gk_malloc((size_t)n * sizeof *idx);
    int32_t *lab = gk_malloc((size_t)n * sizeof *lab);
    int32_t *pred = gk_malloc((size_t)n * sizeof *pred);
    if (!idx || !lab || !pred) GK_FAIL_GOTO(rc, GK_ENOMEM, cleanup, "cv: out of memory");
    for (int64_t i = 0; i < n; i++)
        if (fold[i] != f) idx[ntr] = i, lab[ntr++] = y[i];
    GK_TRY_GOTO(rc, gk_mat_select_rows(X, idx, ntr, &tr), cleanup);
    GK_TRY_GOTO(rc, gk_logreg_fit(tr, lab, c, o, &m), cleanup);
    for (int64_t i = 0; i < n; i++)
        if (fold[i] == f) idx[nte] = i, lab[nte++] = y[i];
    GK_TRY_GOTO(rc, gk_mat_select_rows(X, idx, nte, &te), cleanup);
    GK_TRY_GOTO(rc, gk_logreg_predict(m, te, pred, NULL), cleanup);
    int64_t ok = 0;
    for (int64_t i = 0; i < nte; i++) ok += pred[i] == lab[i];
    *acc = nte ? (double)ok / (double)nte : 0.0;
cleanup:
    gk_free(idx);
    gk_free(lab);
    gk_free(pred);
    gk_mat_free(tr);
    gk_mat_free(te);
    gk_logreg_free(m);
    return rc;
}

int gk_logreg_cv_accuracy(const gk_mat *X, const int32_t *y, int32_t n_classes, int folds,
                          uint64_t seed, const gk_logreg_opts *opts, double *acc)
{
    GK_FAIL_IF(!X || !y || !acc, GK_EARG, "cv: NULL argument");
    GK_FAIL_IF(folds < 2 || folds > X->rows, GK_EARG, "cv: folds = %d outside 2..N (N = %lld)",
               folds, (long long)X->rows);
    GK_FAIL_IF(n_classes < 2, GK_EARG, "cv: n_classes = %d, expected >= 2", (int)n_classes);
    for (int64_t i = 0; i < X->rows; i++)
        GK_FAIL_IF(y[i] < 0 || y[i] >= n_classes, GK_EARG, "cv: label %d of row %lld outside "
                   "[0, %d)", (int)y[i], (long long)i, (int)n_classes);
    int32_t *fold = gk_malloc((size_t)X->rows * sizeof *fold);
    GK_FAIL_IF(!fold, GK_ENOMEM, "cv: out of memory");
    int rc = assign_folds(y, X->rows, n_classes, folds, seed, fold);
    for (int f = 0; rc == GK_OK && f < folds; f++)
        rc = one_fold(X, y, n_classes, fold, f, opts, &acc[f]);
    gk_free(fold);
    return rc;
}
