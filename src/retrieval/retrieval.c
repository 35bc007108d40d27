/*
** retrieval.c — cross-modal retrieval through the kNN engine: the gallery
** is an inner-product index (gk_knn, GK_DIST_IP: nearest = largest q·g,
** ties by index, which is the tie rule of eval.h), and gk_knn_ranks gives
** the exact rank of every true match of every query without a Q×N matrix.
** This file only lists the true matches and turns their ranks into R@K,
** AP@10, AP, MedR and MeanR.
**
** Queries go to the engine in passes of opts->block_rows rows (0: all), cut
** so that a pass lists at most opts->max_block_elems true matches (the
** engine keeps 40 bytes per listed match): a query whose group holds the
** whole gallery costs O(N) memory, not O(Q·N).
*/
#include <stdlib.h>
#include <string.h>

#include "core/error_internal.h"
#include "retrieval/retrieval_internal.h"
#include "gapkit/knn.h"
#include "core/sort_internal.h"

/* One query's outcome from the ranks r (m,) of its true matches (sorted
** here): best rank, AP@10 and AP with the precision at each sorted hit. */
void rt_score_query(int64_t *r, int64_t m, rt_query *out)
{
    memset(out, 0, sizeof *out);
    if (m == 0) return;
    if (m > 1) qsort(r, (size_t)m, sizeof *r, gk_cmp_i64);
    out->best = r[0];
    for (int64_t i = 0; i < m; i++) {
        const double prec = (double)(i + 1) / (double)r[i];
        if (r[i] <= 10) out->ap10 += prec;
        out->ap += prec;
    }
    out->ap10 /= (double)(m < 10 ? m : 10);
    out->ap /= (double)m;
}

int64_t rt_pass_end(const rt_truth *tt, const int32_t *qgroup, int64_t q0, int64_t nq,
                    int64_t rows, int64_t cap)
{
    int64_t q = q0, listed = 0, m;
    while (q < nq && q - q0 < rows) {
        rt_truth_of(tt, qgroup, q, &m);
        if (q > q0 && listed + m > cap) break;
        listed += m;
        q++;
    }
    return q;
}

/* Ranks queries [q0, q1) of Q against the index and scores them into res. */
static int rank_pass(const gk_knn *idx, const gk_mat *Q, const rt_truth *tt,
                     const int32_t *qgroup, int64_t q0, int64_t q1, int64_t *tstart,
                     int64_t *targets, int64_t *ranks, rt_query *res)
{
    int64_t m;
    tstart[0] = 0;
    for (int64_t q = q0; q < q1; q++) {
        const int64_t *tr = rt_truth_of(tt, qgroup, q, &m);
        if (m) memcpy(targets + tstart[q - q0], tr, (size_t)m * sizeof *tr);
        tstart[q - q0 + 1] = tstart[q - q0] + m;
    }
    const gk_mat qv = gk_mat_view_rows(Q, q0, q1 - q0);
    GK_TRY(gk_knn_ranks(idx, &qv, tstart, targets, ranks));
    for (int64_t q = q0; q < q1; q++)
        rt_score_query(ranks + tstart[q - q0], tstart[q - q0 + 1] - tstart[q - q0], &res[q]);
    return GK_OK;
}

int rt_rank_queries(const gk_mat *Q, const gk_mat *G, const int32_t *qgroup,
                    const int32_t *ggroup, const gk_retrieval_opts *opts, rt_query *res)
{
    const gk_retrieval_opts o = opts ? *opts : gk_retrieval_opts_default();
    const int64_t N = G->rows, nq = Q->rows;
    const int64_t rows = o.block_rows > 0 ? o.block_rows : nq;
    int64_t cap = o.max_block_elems > 0 ? o.max_block_elems : INT64_MAX;
    rt_truth tt = {0};
    gk_knn *idx = NULL;
    int64_t *tstart = NULL, *targets = NULL, *rk = NULL;
    int rc = GK_OK;
    GK_TRY_GOTO(rc, rt_truth_build(ggroup, N, &tt), cleanup);
    if (cap < tt.max_m) cap = tt.max_m;
    /* listed matches in a pass: at most max(cap, one query's) and Q·max_m */
    const int64_t most = (double)nq * (double)tt.max_m < (double)cap ? nq * tt.max_m : cap;
    tstart = gk_malloc((size_t)(rows < nq ? rows : nq) * sizeof *tstart + sizeof *tstart);
    targets = gk_malloc((size_t)(most ? most : 1) * sizeof *targets);
    rk = gk_malloc((size_t)(most ? most : 1) * sizeof *rk);
    if (!tstart || !targets || !rk) {
        rc = gk_set_error(GK_ENOMEM, "retrieval: out of memory for %lld true matches per pass",
                          (long long)most);
        goto cleanup;
    }
    GK_TRY_GOTO(rc, gk_knn_create(G, GK_DIST_IP, &idx), cleanup);
    for (int64_t q0 = 0, q1; q0 < nq; q0 = q1) {
        q1 = rt_pass_end(&tt, qgroup, q0, nq, rows, cap);
        GK_TRY_GOTO(rc, rank_pass(idx, Q, &tt, qgroup, q0, q1, tstart, targets, rk, res),
                    cleanup);
    }
cleanup:
    gk_knn_free(idx);
    gk_free(tstart), gk_free(targets), gk_free(rk);
    rt_truth_free(&tt);
    return rc;
}

int gk_retrieval_eval(const gk_mat *Q, const gk_mat *G, const int32_t *qgroup,
                      const int32_t *ggroup, const gk_retrieval_opts *opts,
                      gk_retrieval_metrics *out, int64_t *ranks)
{
    GK_TRY(rt_check_inputs(Q, G, qgroup, ggroup, out));
    rt_query *res = gk_calloc((size_t)Q->rows, sizeof *res);
    if (!res) return GK_ENOMEM;
    int rc = rt_rank_queries(Q, G, qgroup, ggroup, opts, res);
    if (rc == GK_OK) rc = rt_reduce(res, Q->rows, G->rows, out, ranks);
    gk_free(res);
    return rc;
}

int rt_both_init(const gk_mat *X, const gk_mat *Y, const int32_t *gx, gk_retrieval_result *out)
{
    GK_FAIL_IF(!X || !Y || !out, GK_EARG, "retrieval: X, Y and out must not be NULL");
    GK_FAIL_IF(!gx && X->rows != Y->rows, GK_ESHAPE,
               "retrieval: X has %lld rows but Y has %lld; without groups row i pairs with "
               "row i", (long long)X->rows, (long long)Y->rows);
    memset(out, 0, sizeof *out);
    ev_copy_text(out->split, sizeof out->split, "none");
    ev_copy_text(out->transform, sizeof out->transform, "none");
    return GK_OK;
}

int gk_retrieval_both(const gk_mat *X, const gk_mat *Y, const int32_t *gx, const int32_t *gy,
                      const gk_retrieval_opts *opts, gk_retrieval_result *out)
{
    GK_TRY(rt_both_init(X, Y, gx, out));
    GK_TRY(gk_retrieval_eval(X, Y, gx, gy, opts, &out->x2y, NULL));
    return gk_retrieval_eval(Y, X, gy, gx, opts, &out->y2x, NULL);
}
