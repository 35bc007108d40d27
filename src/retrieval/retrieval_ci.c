/*
** retrieval_ci.c — retrieval metrics with percentile bootstrap intervals
** over the scored queries (stats.h, methods.md §11).  Each metric is a mean
** of a per-query value (a hit at K, AP@10, AP, the best rank) or, for MedR,
** their median; every metric is resampled with the same seed and therefore
** the same draws of queries.
*/
#include <string.h>

#include "core/error_internal.h"
#include "retrieval/retrieval_internal.h"

/* The per-query value behind each metric of gk_retrieval_ci, in its order. */
enum { V_R1, V_R5, V_R10, V_MAP10, V_MAP, V_MEDR, V_MEANR, V_COUNT };

static double query_value(const rt_query *q, int v)
{
    switch (v) {
    case V_R1: return q->best <= 1;
    case V_R5: return q->best <= 5;
    case V_R10: return q->best <= 10;
    case V_MAP10: return q->ap10;
    case V_MAP: return q->ap;
    default: return (double)q->best;
    }
}

static int intervals(const rt_query *res, int64_t nq, int64_t n_scored,
                     const gk_boot_opts *boot, gk_retrieval_ci *ci)
{
    gk_ci *slot[V_COUNT] = {&ci->r1, &ci->r5, &ci->r10, &ci->map10, &ci->map, &ci->medr,
                            &ci->meanr};
    double *v = gk_malloc((size_t)n_scored * sizeof *v);
    if (!v) return GK_ENOMEM;
    int rc = GK_OK;
    for (int m = 0; rc == GK_OK && m < V_COUNT; m++) {
        int64_t c = 0;
        for (int64_t i = 0; i < nq; i++)
            if (res[i].best > 0) v[c++] = query_value(&res[i], m);
        rc = gk_bootstrap_ci(v, c, m == V_MEDR ? GK_STAT_MEDIAN : GK_STAT_MEAN, boot, slot[m]);
    }
    gk_free(v);
    return rc;
}

int rt_intervals(const rt_query *res, int64_t nq, int64_t n_scored, const gk_boot_opts *boot,
                 gk_retrieval_ci *ci)
{
    return intervals(res, nq, n_scored, boot, ci);
}

int gk_retrieval_eval_ci(const gk_mat *Q, const gk_mat *G, const int32_t *qgroup,
                         const int32_t *ggroup, const gk_retrieval_opts *opts,
                         const gk_boot_opts *boot, gk_retrieval_metrics *out,
                         gk_retrieval_ci *ci)
{
    GK_FAIL_IF(!ci, GK_EARG, "retrieval: the interval output must not be NULL");
    GK_TRY(rt_check_inputs(Q, G, qgroup, ggroup, out));
    rt_query *res = gk_calloc((size_t)Q->rows, sizeof *res);
    if (!res) return GK_ENOMEM;
    int rc = rt_rank_queries(Q, G, qgroup, ggroup, opts, res);
    if (rc == GK_OK) rc = rt_reduce(res, Q->rows, G->rows, out, NULL);
    if (rc == GK_OK) rc = intervals(res, Q->rows, out->n_scored, boot, ci);
    gk_free(res);
    return rc;
}

int gk_retrieval_both_ci(const gk_mat *X, const gk_mat *Y, const int32_t *gx, const int32_t *gy,
                         const gk_retrieval_opts *opts, const gk_boot_opts *boot,
                         gk_retrieval_result *out)
{
    GK_TRY(rt_both_init(X, Y, gx, out));
    out->boot = boot ? *boot : gk_boot_opts_default();
    GK_TRY(gk_retrieval_eval_ci(X, Y, gx, gy, opts, &out->boot, &out->x2y, &out->x2y_ci));
    GK_TRY(gk_retrieval_eval_ci(Y, X, gy, gx, opts, &out->boot, &out->y2x, &out->y2x_ci));
    out->has_ci = 1;
    return GK_OK;
}
