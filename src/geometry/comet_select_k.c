/*
** comet_select_k.c — automatic choice of COMET's k by cross-validation on
** the fit pairs: for each fold, fit once with the largest candidate on the
** other folds and score every candidate k by held-out retrieval mAP@10 from
** side 0 to side 1 (methods.md §1, "Choice of k").
*/
#include <string.h>

#include "core/error_internal.h"
#include "gapkit/comet.h"
#include "gapkit/retrieval.h"

static int check_select_args(const gk_mat *T, const gk_mat *A, int n_candidates, int folds,
                             const int64_t *best_k)
{
    GK_FAIL_IF(!T || !A || !best_k, GK_EARG, "select k: T, A and best_k must not be NULL");
    GK_FAIL_IF(T->rows != A->rows, GK_ESHAPE, "select k: T has %lld rows but A has %lld",
               (long long)T->rows, (long long)A->rows);
    GK_FAIL_IF(folds < 2, GK_EARG, "select k: folds = %d; need at least 2", folds);
    GK_FAIL_IF(T->rows < 2 * (int64_t)folds, GK_EARG, "select k: %lld pairs are too few for "
               "%d folds (need %d)", (long long)T->rows, folds, 2 * folds);
    GK_FAIL_IF(n_candidates < 1 || n_candidates > GK_SELECT_K_MAX, GK_EARG,
               "select k: %d candidates; expected 1..%d", n_candidates, GK_SELECT_K_MAX);
    return GK_OK;
}

/* Candidates capped at min(R, smallest training fold − 1), each >= 1. */
static void cap_candidates(const gk_mat *T, const gk_mat *A, int folds, const int64_t *cand,
                           int nc, int64_t *capped, int64_t *kmax)
{
    int64_t r = T->cols < A->cols ? T->cols : A->cols;
    int64_t largest_fold = (T->rows + folds - 1) / folds;
    int64_t cap = T->rows - largest_fold - 1;
    if (cap > r) cap = r;
    if (cap < 1) cap = 1;
    *kmax = 1;
    for (int c = 0; c < nc; c++) {
        capped[c] = cand[c] < 1 ? 1 : cand[c] > cap ? cap : cand[c];
        if (capped[c] > *kmax) *kmax = capped[c];
    }
}

/* Rows of fold f (test) and the others (train) for the permutation perm. */
static void fold_rows(const int64_t *perm, int64_t n, int folds, int f, int64_t *tr,
                      int64_t *ntr, int64_t *te, int64_t *nte)
{
    *ntr = *nte = 0;
    for (int64_t p = 0; p < n; p++) {
        if (p % folds == f) te[(*nte)++] = perm[p];
        else tr[(*ntr)++] = perm[p];
    }
}

/* mAP@10 side 0 → side 1 of the held-out pairs under the model with k axes. */
static int score_k(const gk_comet *m, int64_t k, gk_comet_weight w, const gk_mat *Th,
                   const gk_mat *Ah, const int32_t *gh, double *score)
{
    gk_mat *X2, *Y2;
    gk_retrieval_metrics met;
    GK_TRY(gk_comet_apply_pair(m, k, w, Th, Ah, &X2, &Y2));
    int rc = gk_retrieval_eval(X2, Y2, gh, gh, NULL, &met, NULL);
    gk_mat_free(X2);
    gk_mat_free(Y2);
    if (rc == GK_OK) *score = met.map10;
    return rc;
}

typedef struct cv_ctx {
    const gk_mat *T, *A;
    const int32_t *groups;
    const int64_t *capped;
    int nc;
    int64_t kmax;
    gk_comet_weight w;
} cv_ctx;

/* Fits on tr (ntr,) and adds each candidate's held-out score on te to sum. */
static int cv_fold(const cv_ctx *c, const int64_t *tr, int64_t ntr, const int64_t *te,
                   int64_t nte, int32_t *gh, double *sum)
{
    gk_mat *Tt = NULL, *At = NULL, *Th = NULL, *Ah = NULL;
    gk_comet *m = NULL;
    int rc;
    GK_TRY_GOTO(rc, gk_mat_select_rows(c->T, tr, ntr, &Tt), cleanup);
    GK_TRY_GOTO(rc, gk_mat_select_rows(c->A, tr, ntr, &At), cleanup);
    GK_TRY_GOTO(rc, gk_mat_select_rows(c->T, te, nte, &Th), cleanup);
    GK_TRY_GOTO(rc, gk_mat_select_rows(c->A, te, nte, &Ah), cleanup);
    GK_TRY_GOTO(rc, gk_comet_fit(Tt, At, c->kmax, &m), cleanup);
    for (int64_t i = 0; c->groups && i < nte; i++) gh[i] = c->groups[te[i]];
    for (int j = 0; j < c->nc; j++) {
        double s;
        GK_TRY_GOTO(rc, score_k(m, c->capped[j], c->w, Th, Ah, c->groups ? gh : NULL, &s),
                    cleanup);
        sum[j] += s;
    }
cleanup:
    gk_comet_free(m);
    gk_mat_free(Tt);
    gk_mat_free(At);
    gk_mat_free(Th);
    gk_mat_free(Ah);
    return rc;
}

/* Best mean score; ties go to the smaller k. */
static int64_t pick_best(const int64_t *capped, const double *sum, int nc)
{
    int best = 0;
    for (int j = 1; j < nc; j++)
        if (sum[j] > sum[best] || (sum[j] == sum[best] && capped[j] < capped[best])) best = j;
    return capped[best];
}

int gk_comet_select_k(const gk_mat *T, const gk_mat *A, const int32_t *groups,
                      const int64_t *candidates, int n_candidates, int folds, uint64_t seed,
                      gk_comet_weight w, int64_t *best_k, double *scores)
{
    static const int64_t defaults[] = {8, 16, 32, 64, 128, 256};
    if (!candidates) {
        candidates = defaults;
        n_candidates = 6;
    }
    GK_TRY(check_select_args(T, A, n_candidates, folds, best_k));
    int64_t n = T->rows, capped[GK_SELECT_K_MAX], ntr, nte;
    double sum[GK_SELECT_K_MAX] = {0};
    cv_ctx c = {T, A, groups, capped, n_candidates, 0, w};
    cap_candidates(T, A, folds, candidates, n_candidates, capped, &c.kmax);
    int64_t *idx = gk_malloc((size_t)n * 3 * sizeof *idx);
    int32_t *gh = gk_malloc((size_t)n * sizeof *gh);
    int rc = idx && gh ? GK_OK : GK_ENOMEM;
    if (rc) goto cleanup;
    gk_rng r;
    gk_rng_seed(&r, seed);
    for (int64_t i = 0; i < n; i++) idx[i] = i;
    gk_rng_shuffle(&r, idx, n);
    for (int f = 0; f < folds; f++) {
        fold_rows(idx, n, folds, f, idx + n, &ntr, idx + 2 * n, &nte);
        GK_TRY_GOTO(rc, cv_fold(&c, idx + n, ntr, idx + 2 * n, nte, gh, sum), cleanup);
    }
    for (int j = 0; j < n_candidates; j++) sum[j] /= folds;
    *best_k = pick_best(capped, sum, n_candidates);
    if (scores) memcpy(scores, sum, (size_t)n_candidates * sizeof *scores);
cleanup:
    gk_free(idx);
    gk_free(gh);
    return rc;
}
