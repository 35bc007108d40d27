/*
** retrieval.c — blocked cross-modal retrieval: similarities of a block of
** queries against the whole gallery by one sgemm, then the rank of every true
** match of each query by counting, in parallel over the block's rows.
**
** Rank of gallery item j for a query with similarities s (N,):
**   rank(j) = 1 + #{l : s_l > s_j} + #{l : s_l == s_j and l < j}
** (descending similarity, ties by ascending index; eval.h).  For m true
** matches sorted in that order, t_1 … t_m, a gallery item l precedes a
** suffix t_p … t_m of them; counting those p (binary search) and taking
** prefix sums gives every rank in O(N log m), without sorting the gallery.
**
** Near-ties are settled exactly: sgemm may round the scores of two identical
** gallery rows differently (its edge kernels sum in another order), which
** would break the tie rule for duplicates.  A score within sgemm's error
** bound of a true match's score is recomputed in double (exact products, one
** summation order) before the comparison, and so are the true matches'.
*/
#include <stdlib.h>
#include <string.h>
#ifdef _OPENMP
#include <omp.h>
#endif

#include <math.h>

#include "core/error_internal.h"
#include "eval_internal.h"
#include "gapkit/linalg.h"

typedef struct sim_idx {
    double s;
    int64_t j;
} sim_idx;

/* What the exact recomputation of a score needs. */
typedef struct exact_ctx {
    const gk_mat *Q, *G;
    double gmax; /* largest gallery row norm */
} exact_ctx;

/* Scratch of one thread: sorted true matches (m,) and counts (m+1,). */
typedef struct rank_scratch {
    sim_idx *t;
    int64_t *cnt;
} rank_scratch;

/* Descending similarity, then ascending index: the order of eval.h. */
static int cmp_order(const void *a, const void *b)
{
    const sim_idx *x = a, *y = b;
    if (x->s != y->s) return x->s > y->s ? -1 : 1;
    return (x->j > y->j) - (x->j < y->j);
}

/* Item (s, j) comes before true match t in the order. */
static inline int precedes(double s, int64_t j, const sim_idx *t)
{
    return s > t->s || (s == t->s && j < t->j);
}

/* First p in [0, m] with (s, j) preceding t[p] (m if none). */
static int64_t first_preceded(double s, int64_t j, const sim_idx *t, int64_t m)
{
    int64_t lo = 0, hi = m;
    while (lo < hi) {
        int64_t mid = lo + (hi - lo) / 2;
        if (precedes(s, j, &t[mid])) hi = mid;
        else lo = mid + 1;
    }
    return lo;
}

/* q·g_j in double: products of floats are exact, the sum has one order. */
static double exact_score(const float *q, const gk_mat *G, int64_t j)
{
    const float *g = gk_mat_row(G, j);
    double s = 0.0;
    for (int64_t k = 0; k < G->cols; k++) s += (double)q[k] * g[k];
    return s;
}

/* Whether some true match (sorted, descending) has a score within win of v. */
static int near_true(double v, double win, const sim_idx *t, int64_t m)
{
    int64_t lo = 0, hi = m; /* first i with t[i].s <= v + win */
    while (lo < hi) {
        int64_t mid = lo + (hi - lo) / 2;
        if (t[mid].s > v + win) lo = mid + 1;
        else hi = mid;
    }
    return lo < m && t[lo].s >= v - win;
}

/* Ranks the true rows tr (m,) of query qi with similarities s (N,). */
static void rank_query(const float *s, int64_t N, const int64_t *tr, int64_t m,
                       const exact_ctx *x, int64_t qi, rank_scratch *w, rt_query *out)
{
    memset(out, 0, sizeof *out);
    if (m == 0) return;
    const float *q = gk_mat_row(x->Q, qi);
    double qn = 0.0;
    for (int64_t k = 0; k < x->Q->cols; k++) qn += (double)q[k] * q[k];
    /* |sgemm − exact| <= γ_D·‖q‖·‖g‖, γ_D ≈ D·2^-24; twice that for margin */
    double win = (double)(x->Q->cols + 8) * 0x1p-23 * sqrt(qn) * x->gmax;
    for (int64_t i = 0; i < m; i++) w->t[i] = (sim_idx){exact_score(q, x->G, tr[i]), tr[i]};
    if (m > 1) qsort(w->t, (size_t)m, sizeof *w->t, cmp_order);
    memset(w->cnt, 0, (size_t)(m + 1) * sizeof *w->cnt);
    for (int64_t l = 0; l < N; l++) {
        double v = s[l];
        if (near_true(v, win, w->t, m)) v = exact_score(q, x->G, l);
        w->cnt[first_preceded(v, l, w->t, m)]++;
    }
    /* rank of the i-th true match (0-based) = 1 + Σ_{p<=i} cnt[p] */
    int64_t ahead = 0;
    for (int64_t i = 0; i < m; i++) {
        ahead += w->cnt[i];
        double rank = (double)(ahead + 1), prec = (double)(i + 1) / rank;
        if (i == 0) out->best = ahead + 1;
        if (rank <= 10) out->ap10 += prec;
        out->ap += prec;
    }
    out->ap10 /= (double)(m < 10 ? m : 10);
    out->ap /= (double)m;
}

/* Rows per block: block_rows, fewer if block × N would pass the cap. */
static int64_t block_size(const gk_retrieval_opts *o, int64_t N, int64_t Q)
{
    int64_t b = o->block_rows > 0 ? o->block_rows : 1024;
    if (o->max_block_elems > 0 && b > o->max_block_elems / N) b = o->max_block_elems / N;
    if (b < 1) b = 1;
    return b < Q ? b : Q;
}

/* Ranks rows [q0, q0+nb) of Q from their similarity block S (nb, N). */
static void rank_block(const float *S, int64_t nb, int64_t q0, int64_t N, const rt_truth *tt,
                       const int32_t *qgroup, const exact_ctx *x, rank_scratch *w,
                       rt_query *res)
{
#pragma omp parallel for schedule(dynamic, 8)
    for (int64_t r = 0; r < nb; r++) {
        int tid = 0;
#ifdef _OPENMP
        tid = omp_get_thread_num();
#endif
        int64_t m;
        const int64_t *tr = rt_truth_of(tt, qgroup, q0 + r, &m);
        rank_query(S + r * N, N, tr, m, x, q0 + r, &w[tid], &res[q0 + r]);
    }
}

static int alloc_scratch(int nt, int64_t max_m, rank_scratch **w, void **pool)
{
    size_t per = (size_t)max_m * sizeof(sim_idx) + (size_t)(max_m + 1) * sizeof(int64_t);
    *w = gk_calloc((size_t)nt, sizeof **w);
    *pool = gk_malloc((size_t)nt * per);
    if (!*w || !*pool) return GK_ENOMEM;
    for (int t = 0; t < nt; t++) {
        char *base = (char *)*pool + (size_t)t * per;
        (*w)[t].t = (sim_idx *)base;
        (*w)[t].cnt = (int64_t *)(base + (size_t)max_m * sizeof(sim_idx));
    }
    return GK_OK;
}

int gk_retrieval_eval(const gk_mat *Q, const gk_mat *G, const int32_t *qgroup,
                      const int32_t *ggroup, const gk_retrieval_opts *opts,
                      gk_retrieval_metrics *out, int64_t *ranks)
{
    GK_TRY(rt_check_inputs(Q, G, qgroup, ggroup, out));
    gk_retrieval_opts o = opts ? *opts : gk_retrieval_opts_default();
    int64_t N = G->rows, nq = Q->rows, bs = block_size(&o, N, nq);
    int nt = 1;
#ifdef _OPENMP
    nt = omp_get_max_threads();
#endif
    rt_truth tt = {0};
    rank_scratch *w = NULL;
    void *pool = NULL;
    gk_mat *S = NULL;
    rt_query *res = gk_calloc((size_t)nq, sizeof *res);
    int rc = res ? GK_OK : GK_ENOMEM;
    if (rc) goto cleanup;
    GK_TRY_GOTO(rc, rt_truth_build(ggroup, N, &tt), cleanup);
    GK_TRY_GOTO(rc, alloc_scratch(nt, tt.max_m, &w, &pool), cleanup);
    GK_TRY_GOTO(rc, gk_mat_create(bs, N, &S), cleanup);
    exact_ctx x = {Q, G, 0.0};
    for (int64_t j = 0; j < N; j++) {
        double gn = sqrt(exact_score(gk_mat_row(G, j), G, j));
        if (gn > x.gmax) x.gmax = gn;
    }
    for (int64_t q0 = 0; q0 < nq; q0 += bs) {
        int64_t nb = nq - q0 < bs ? nq - q0 : bs;
        gk_mat qv = gk_mat_view_rows(Q, q0, nb), sv = gk_mat_view_rows(S, 0, nb);
        /* S (nb,N) = Q[q0:q0+nb] (nb,D) · Gᵀ (D,N), threaded BLAS outside OpenMP */
        GK_TRY_GOTO(rc, gk_gemm(0, 1, 1.0f, &qv, G, 0.0f, &sv), cleanup);
        rank_block(S->data, nb, q0, N, &tt, qgroup, &x, w, res);
    }
    rc = rt_reduce(res, nq, N, out, ranks);
cleanup:
    gk_mat_free(S);
    gk_free(pool);
    gk_free(w);
    rt_truth_free(&tt);
    gk_free(res);
    return rc;
}

int gk_retrieval_both(const gk_mat *X, const gk_mat *Y, const int32_t *gx, const int32_t *gy,
                      const gk_retrieval_opts *opts, gk_retrieval_result *out)
{
    GK_FAIL_IF(!X || !Y || !out, GK_EARG, "retrieval: X, Y and out must not be NULL");
    GK_FAIL_IF(!gx && X->rows != Y->rows, GK_ESHAPE,
               "retrieval: X has %lld rows but Y has %lld; without groups row i pairs with "
               "row i", (long long)X->rows, (long long)Y->rows);
    memset(out, 0, sizeof *out);
    ev_copy_text(out->split, sizeof out->split, "none");
    ev_copy_text(out->transform, sizeof out->transform, "none");
    GK_TRY(gk_retrieval_eval(X, Y, gx, gy, opts, &out->x2y, NULL));
    return gk_retrieval_eval(Y, X, gy, gx, opts, &out->y2x, NULL);
}
