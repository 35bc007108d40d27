/*
** dist_retrieval.c — cross-modal retrieval over rows spread across ranks
** (methods.md §5, §8), on the ring of the kNN engine.
**
** Row i of X pairs with row i of Y, and X and Y are split between ranks the
** same way, so a rank's queries have their true matches in its own gallery
** shard: each rank computes their exact distances (knn_exact_dist, as one
** process does), then the gallery shards pass around the ring and each
** counts, per query, its rows that come before the true match in the ORDER
** of gk_knn_ranks (distance in double, then the lower global row).  The
** counts of all shards give the rank of one process exactly; the per-query
** outcomes are gathered on rank 0 in row order and reduced (and
** bootstrapped) there by the one-process code.
*/
#include <string.h>

#include "core/error_internal.h"
#include "dist_internal.h"
#include "eval/eval_protocol_internal.h"
#include "knn/knn_internal.h"
#include "retrieval/retrieval_internal.h"

typedef struct ring_rank {
    const gk_mat *q;        /* this rank's query rows */
    int64_t *tstart, *targets, *ahead; /* (nq+1,), (nq,) global rows, (nq,) counts */
    double *tdist;          /* (nq,) exact distance of each query's true match */
} ring_rank;

static int visit_shard(void *ud, const gk_mat *rows, int64_t r0, int owner)
{
    ring_rank *c = ud;
    gk_knn *part = NULL;
    (void)owner;
    if (!c->q->rows || !rows->rows) return GK_OK;
    GK_TRY(gk_knn_create(rows, GK_DIST_IP, &part));
    int rc = knn_ranks_part(part, c->q, c->tstart, c->targets, c->tdist, r0, c->ahead);
    gk_knn_free(part);
    return rc;
}

/* The true matches' distances: row i of Q against row i of G (this rank's). */
static int true_distances(const gk_mat *Q, const gk_mat *G, ring_rank *c)
{
    gk_knn *own = NULL;
    float *qp = gk_malloc((size_t)Q->cols * sizeof *qp);
    int rc = qp ? gk_knn_create(G, GK_DIST_IP, &own) : gk_set_error(GK_ENOMEM, "out of memory");
    for (int64_t i = 0; rc == GK_OK && i < Q->rows; i++) {
        knn_prep_row(own, Q, i, qp);
        c->tdist[i] = knn_exact_dist(own, qp, i);
    }
    gk_knn_free(own);
    gk_free(qp);
    return rc;
}

/* Q → G: the outcome of every query of every rank, on rank 0 (*all, n rows). */
static int direction(const gk_mat *Q, const gk_mat *G, int64_t q0, int64_t n, rt_query **all)
{
    const int64_t nq = Q->rows;
    ring_rank c = {Q, gk_malloc((size_t)(nq + 1) * sizeof *c.tstart),
                   gk_malloc((size_t)(nq ? nq : 1) * sizeof *c.targets),
                   gk_calloc((size_t)(nq ? nq : 1), sizeof *c.ahead),
                   gk_malloc((size_t)(nq ? nq : 1) * sizeof *c.tdist)};
    rt_query *res = gk_calloc((size_t)(nq ? nq : 1), sizeof *res);
    int rc = c.tstart && c.targets && c.ahead && c.tdist && res ? GK_OK
             : gk_set_error(GK_ENOMEM, "retrieval: out of memory for %lld queries (rank %d)",
                            (long long)nq, gk_dist_rank());
    for (int64_t i = 0; rc == GK_OK && i <= nq; i++) c.tstart[i] = i;
    for (int64_t i = 0; rc == GK_OK && i < nq; i++) c.targets[i] = q0 + i;
    if (rc == GK_OK && nq) rc = true_distances(Q, G, &c);
    if ((rc = gk_dist_agree(rc, NULL)) == GK_OK) rc = dist_ring(G, n, visit_shard, &c);
    for (int64_t i = 0; rc == GK_OK && i < nq; i++) {
        int64_t rank = c.ahead[i] + 1;
        rt_score_query(&rank, 1, &res[i]);
    }
    if (rc == GK_OK) rc = gk_dist_gather_rows(res, nq, 1, sizeof *res, (void **)all);
    gk_free(c.tstart), gk_free(c.targets), gk_free(c.ahead), gk_free(c.tdist), gk_free(res);
    return rc;
}

/* Rank 0: metrics (and intervals) of one direction from every query's outcome. */
static int reduce(const rt_query *all, int64_t n, const gk_boot_opts *boot,
                  gk_retrieval_metrics *m, gk_retrieval_ci *ci)
{
    GK_TRY(rt_reduce(all, n, n, m, NULL));
    return boot ? rt_intervals(all, n, m->n_scored, boot, ci) : GK_OK;
}

/* Both directions of the (transformed) rows X, Y of n pairs. */
static int both(const gk_mat *X, const gk_mat *Y, int64_t r0, int64_t n,
                const gk_boot_opts *boot, gk_retrieval_result *out)
{
    rt_query *x2y = NULL, *y2x = NULL;
    int rc = direction(X, Y, r0, n, &x2y);
    if (rc == GK_OK) rc = direction(Y, X, r0, n, &y2x);
    if (rc == GK_OK && gk_dist_rank() == 0) {
        rc = reduce(x2y, n, boot, &out->x2y, &out->x2y_ci);
        if (rc == GK_OK) rc = reduce(y2x, n, boot, &out->y2x, &out->y2x_ci);
    }
    gk_free(x2y), gk_free(y2x);
    return rc;
}

/* This rank's rows through the model (none: views of the rows themselves). */
static int transform(const gk_align *model, const gk_mat *X, const gk_mat *Y, gk_mat *tx,
                     gk_mat *ty, gk_mat **ox, gk_mat **oy)
{
    *tx = *X, *ty = *Y;
    if (!model) return GK_OK;
    const int64_t dx = gk_align_out_dim(model, 0), dy = gk_align_out_dim(model, 1);
    *tx = (gk_mat){NULL, 0, dx, dx, 1, NULL}, *ty = (gk_mat){NULL, 0, dy, dy, 1, NULL};
    if (!X->rows) return GK_OK; /* a rank without rows keeps the width of the others */
    const ev_model em = {model, NULL, ""};
    GK_TRY(ev_model_apply(&em, X, Y, ox, oy));
    *tx = **ox, *ty = **oy;
    return GK_OK;
}

int gk_dist_retrieval(const gk_mat *X, const gk_mat *Y, const gk_align *model,
                      const gk_boot_opts *boot, gk_retrieval_result *out)
{
    GK_FAIL_IF(!X || !Y || !out, GK_EARG, "retrieval: NULL argument");
    memset(out, 0, sizeof *out);
    const int64_t n = dist_total(X->rows);
    int64_t r0, nr;
    gk_dist_row_range(n, gk_dist_rank(), gk_dist_size(), &r0, &nr);
    int rc = X->rows == nr && Y->rows == nr ? GK_OK
             : gk_set_error(GK_ESHAPE, "retrieval: rank %d holds %lld rows of X and %lld of Y, "
                            "not its gk_dist_row_range() share of %lld pairs", gk_dist_rank(),
                            (long long)X->rows, (long long)Y->rows, (long long)n);
    if (rc == GK_OK && !model && X->cols != Y->cols)
        rc = gk_set_error(GK_ESHAPE, "retrieval: X has D = %lld but Y has %lld: without a "
                          "model both must live in one space", (long long)X->cols,
                          (long long)Y->cols);
    if (rc == GK_OK && n < 1) rc = gk_set_error(GK_EARG, "retrieval: no pairs");
    gk_mat tx, ty, *ox = NULL, *oy = NULL;
    if (rc == GK_OK) rc = transform(model, X, Y, &tx, &ty, &ox, &oy);
    if ((rc = gk_dist_agree(rc, NULL)) == GK_OK) rc = both(&tx, &ty, r0, n, boot, out);
    gk_mat_free(ox), gk_mat_free(oy);
    GK_TRY(gk_dist_agree(rc, NULL));
    ev_copy_text(out->split, sizeof out->split, "none");
    if (model) {
        ev_model em = {0};
        GK_TRY(ev_model_get(NULL, model, NULL, NULL, NULL, 0, &em)); /* its description */
        ev_copy_text(out->transform, sizeof out->transform, em.desc);
    } else {
        ev_copy_text(out->transform, sizeof out->transform, "none");
    }
    if (boot) out->boot = *boot, out->has_ci = 1;
    return GK_OK;
}
