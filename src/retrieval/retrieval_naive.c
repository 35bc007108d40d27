/*
** retrieval_naive.c — the reference twin of gk_retrieval_eval(): the full
** (Q,N) similarity matrix in double, every row sorted (qsort, descending
** similarity, ties by ascending index), and the true matches found by
** walking the sorted order.  Slow and memory-hungry on purpose: it is the
** test oracle for the blocked, counting implementation.
*/
#include <stdlib.h>

#include "core/error_internal.h"
#include "core/sort_internal.h"
#include "retrieval/retrieval_internal.h"

/* Gallery row j is a true match of query i. */
static int is_true(const int32_t *qgroup, const int32_t *ggroup, int64_t i, int64_t j)
{
    return qgroup ? qgroup[i] == ggroup[j] : i == j;
}

/* Walks query i's sorted row and accumulates best rank, AP@10 and AP. */
static void walk_row(const gk_val_idx *row, int64_t N, const int32_t *qgroup,
                     const int32_t *ggroup, int64_t i, rt_query *out)
{
    int64_t hits = 0;
    out->best = 0;
    out->ap10 = out->ap = 0;
    for (int64_t p = 0; p < N; p++) {
        if (!is_true(qgroup, ggroup, i, row[p].i)) continue;
        hits++;
        double prec = (double)hits / (double)(p + 1);
        if (hits == 1) out->best = p + 1;
        if (p + 1 <= 10) out->ap10 += prec;
        out->ap += prec;
    }
    if (hits == 0) return;
    out->ap10 /= (double)(hits < 10 ? hits : 10);
    out->ap /= (double)hits;
}

/* Row i of the full similarity matrix, as (similarity, row) pairs, in double. */
static void fill_row(const gk_mat *Q, const gk_mat *G, int64_t i, gk_val_idx *row)
{
    for (int64_t j = 0; j < G->rows; j++) {
        double s = 0;
        for (int64_t d = 0; d < Q->cols; d++)
            s += (double)gk_mat_at(Q, i, d) * (double)gk_mat_at(G, j, d);
        row[j] = (gk_val_idx){s, j};
    }
}

int gk_retrieval_eval_naive(const gk_mat *Q, const gk_mat *G, const int32_t *qgroup,
                            const int32_t *ggroup, gk_retrieval_metrics *out, int64_t *ranks)
{
    GK_TRY(rt_check_inputs(Q, G, qgroup, ggroup, out));
    int64_t nq = Q->rows, N = G->rows;
    gk_val_idx *S = gk_malloc((size_t)nq * (size_t)N * sizeof *S);
    rt_query *res = gk_calloc((size_t)nq, sizeof *res);
    int rc = GK_ENOMEM;
    if (!S || !res) goto cleanup;
    for (int64_t i = 0; i < nq; i++) fill_row(Q, G, i, S + i * N);
    for (int64_t i = 0; i < nq; i++) {
        qsort(S + i * N, (size_t)N, sizeof *S, gk_cmp_val_idx_desc);
        walk_row(S + i * N, N, qgroup, ggroup, i, &res[i]);
    }
    rc = rt_reduce(res, nq, N, out, ranks);
cleanup:
    gk_free(S);
    gk_free(res);
    return rc;
}
