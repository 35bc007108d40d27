/*
** dist_zeroshot.c — zero-shot classification over items spread across ranks
** (methods.md §6, §8).  The class embeddings (C rows) are small and every
** rank holds them, so each item's best classes are a query against them on
** the item's own rank (the kNN engine of one process: a shard starts at a
** multiple of its query tiles, so every key is one process's).  The
** per-item prediction and rank of the true class are gathered on rank 0 in
** row order, which counts and bootstraps them as one process does.
*/
#include <string.h>

#include "core/error_internal.h"
#include "dist_internal.h"
#include "eval/eval_protocol_internal.h"
#include "gapkit/zeroshot.h"
#include "retrieval/retrieval_internal.h"

/* pred, true_rank (nr,) of this rank's items X against the classes P. */
static int score_mine(const gk_mat *X, const gk_mat *P, const int32_t *y, int32_t *pred,
                      int32_t *rank)
{
    gk_zeroshot_result *r = NULL;
    if (!X->rows) return GK_OK;
    GK_TRY(gk_zeroshot_eval(X, P, y, &r));
    memcpy(pred, r->pred, (size_t)X->rows * sizeof *pred);
    memcpy(rank, r->true_rank, (size_t)X->rows * sizeof *rank);
    gk_zeroshot_result_free(r);
    return GK_OK;
}

/* Rank 0: the result of all n items from the gathered outcomes. */
static int finish(const int32_t *pred, const int32_t *rank, const int32_t *y, int64_t n,
                  int32_t C, const ev_model *em, const gk_boot_opts *boot,
                  gk_zeroshot_result **out)
{
    GK_TRY(zs_from_items(pred, rank, y, n, C, out));
    ev_copy_text((*out)->transform, sizeof (*out)->transform, em->desc);
    int rc = boot ? gk_zeroshot_intervals(*out, boot) : GK_OK;
    if (rc != GK_OK) gk_zeroshot_result_free(*out), *out = NULL;
    return rc;
}

int gk_dist_zeroshot(const gk_mat *X, const gk_mat *P, const int32_t *y, const gk_align *model,
                     const gk_boot_opts *boot, gk_zeroshot_result **out)
{
    GK_FAIL_IF(!X || !P || !y || !out, GK_EARG, "zero-shot: NULL argument");
    *out = NULL;
    const int64_t n = dist_total(X->rows), nr = X->rows;
    int64_t r0, want;
    gk_dist_row_range(n, gk_dist_rank(), gk_dist_size(), &r0, &want);
    ev_model em = {0};
    gk_mat *X2 = NULL, *P2 = NULL;
    int32_t *pred = gk_malloc((size_t)(nr ? nr : 1) * sizeof *pred);
    int32_t *rank = gk_malloc((size_t)(nr ? nr : 1) * sizeof *rank);
    int32_t *all_pred = NULL, *all_rank = NULL;
    int rc = pred && rank ? GK_OK : gk_set_error(GK_ENOMEM, "zero-shot: out of memory");
    if (rc == GK_OK && want != nr)
        rc = gk_set_error(GK_ESHAPE, "zero-shot: rank %d holds %lld items, not its "
                          "gk_dist_row_range() share", gk_dist_rank(), (long long)nr);
    if (rc == GK_OK) rc = ev_model_get(NULL, model, NULL, NULL, NULL, 0, &em);
    if (rc == GK_OK && nr) rc = ev_model_apply(&em, X, P, &X2, &P2);
    if (rc == GK_OK) rc = score_mine(X2 ? X2 : X, P2 ? P2 : P, y + r0, pred, rank);
    if ((rc = gk_dist_agree(rc, NULL)) == GK_OK)
        rc = gk_dist_gather_rows(pred, nr, 1, sizeof *pred, (void **)&all_pred);
    if (rc == GK_OK) rc = gk_dist_gather_rows(rank, nr, 1, sizeof *rank, (void **)&all_rank);
    if (rc == GK_OK && gk_dist_rank() == 0)
        rc = finish(all_pred, all_rank, y, n, (int32_t)P->rows, &em, boot, out);
    gk_mat_free(X2), gk_mat_free(P2);
    gk_free(pred), gk_free(rank), gk_free(all_pred), gk_free(all_rank);
    int who, agreed = gk_dist_agree(rc, &who);
    if (agreed == GK_OK) return GK_OK;
    gk_zeroshot_result_free(*out);
    *out = NULL;
    return rc != GK_OK ? rc : gk_set_error(agreed, "zero-shot: stopped: rank %d failed (see its "
                                           "message)", who);
}
