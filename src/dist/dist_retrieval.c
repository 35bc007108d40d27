/*
** dist_retrieval.c — cross-modal retrieval over rows spread across ranks
** (methods.md §5, §8), on the ring of the kNN engine.
**
** A query's rank of a true match is 1 + the gallery rows that come before
** it in the ORDER of gk_knn_ranks (inner product in double, then the lower
** global row), so it is a sum over the gallery shards: each shard passes
** around the ring and each rank counts, per true match of its queries, the
** shard's rows ahead of it (knn_ranks_part).  The counts need the true
** matches' exact distances first:
**   - without groups row i of X pairs with row i of Y, split between ranks
**     the same way, so the true match lies in the query's own shard and its
**     distance is computed there (knn_exact_dist, as one process does);
**   - with groups a query's true matches are every gallery row of its group,
**     on any rank: every rank holds all the group ids (n ints), lists its
**     queries' true matches, and a first ring pass computes each distance
**     when the shard holding the match passes by; the second counts.
** The per-query outcomes are gathered on rank 0 in row order and reduced
** (and bootstrapped) there by the one-process code.
*/
#include <string.h>

#include "core/error_internal.h"
#include "dist_internal.h"
#include "eval/eval_protocol_internal.h"
#include "knn/knn_internal.h"
#include "retrieval/retrieval_internal.h"

/* One side of the evaluation: this rank's rows of n, every row's group. */
typedef struct side {
    const gk_mat *m;  /* this rank's rows [r0, r0 + m->rows) */
    const int32_t *g; /* (n,) the group of every row, or NULL */
    int64_t n, r0;
} side;

typedef struct ring_rank {
    gk_mat q;               /* the queries of this pass on this rank */
    int64_t *tstart, *targets, *ahead; /* (nq+1,), (T,) global rows, (T,) counts */
    double *tdist;          /* (T,) exact distance of each true match */
} ring_rank;

/* Ring visit: the shard's rows ahead of each true match, added to ahead. */
static int visit_shard(void *ud, const gk_mat *rows, int64_t r0, int owner)
{
    ring_rank *c = ud;
    gk_knn *part = NULL;
    (void)owner;
    if (!c->q.rows || !rows->rows) return GK_OK;
    GK_TRY(gk_knn_create(rows, GK_DIST_IP, &part));
    int rc = knn_ranks_part(part, &c->q, c->tstart, c->targets, c->tdist, r0, c->ahead);
    gk_knn_free(part);
    return rc;
}

/* First e in [a, b) with t[e] >= v (t ascending). */
static int64_t first_at_least(const int64_t *t, int64_t a, int64_t b, int64_t v)
{
    while (a < b) {
        const int64_t mid = a + (b - a) / 2;
        if (t[mid] < v) a = mid + 1;
        else b = mid;
    }
    return a;
}

/* Ring visit: the exact distances of the true matches that live in this
** shard (global rows [r0, r0 + rows)); a query's matches ascend, so they
** are one run of its list. */
static int visit_targets(void *ud, const gk_mat *rows, int64_t r0, int owner)
{
    ring_rank *c = ud;
    const int64_t r1 = r0 + rows->rows;
    gk_knn part = {0}; /* inner product: the rows as they are, no copies table */
    part.g = *rows, part.dist = GK_DIST_IP, part.nd = rows->rows;
    float *qp = gk_malloc((size_t)rows->cols * sizeof *qp);
    (void)owner;
    GK_FAIL_IF(!qp, GK_ENOMEM, "retrieval: out of memory (rank %d)", gk_dist_rank());
    for (int64_t i = 0; i < c->q.rows; i++) {
        const int64_t b = c->tstart[i + 1];
        int64_t e = first_at_least(c->targets, c->tstart[i], b, r0);
        if (e == b || c->targets[e] >= r1) continue;
        knn_prep_row(&part, &c->q, i, qp);
        for (; e < b && c->targets[e] < r1; e++)
            c->tdist[e] = knn_exact_dist(&part, qp, c->targets[e] - r0);
    }
    gk_free(qp);
    return GK_OK;
}

/* Without groups: row i of the queries against row i of this rank's gallery. */
static int paired_ranks(const side *q, const side *g, rt_query *res)
{
    const int64_t nq = q->m->rows;
    gk_knn *own = NULL;
    ring_rank c = {*q->m, gk_malloc((size_t)(nq + 1) * sizeof *c.tstart),
                   gk_malloc((size_t)(nq ? nq : 1) * sizeof *c.targets),
                   gk_calloc((size_t)(nq ? nq : 1), sizeof *c.ahead),
                   gk_malloc((size_t)(nq ? nq : 1) * sizeof *c.tdist)};
    float *qp = gk_malloc((size_t)q->m->cols * sizeof *qp + 1);
    int rc = c.tstart && c.targets && c.ahead && c.tdist && qp ? GK_OK
             : gk_set_error(GK_ENOMEM, "retrieval: out of memory for %lld queries (rank %d)",
                            (long long)nq, gk_dist_rank());
    if (rc == GK_OK && nq) rc = gk_knn_create(g->m, GK_DIST_IP, &own);
    for (int64_t i = 0; rc == GK_OK && i < nq; i++) {
        c.tstart[i] = i, c.targets[i] = q->r0 + i;
        knn_prep_row(own, q->m, i, qp);
        c.tdist[i] = knn_exact_dist(own, qp, i);
    }
    if (rc == GK_OK) c.tstart[nq] = nq;
    if ((rc = gk_dist_agree(rc, NULL)) == GK_OK) rc = dist_ring(g->m, g->n, visit_shard, &c);
    for (int64_t i = 0; rc == GK_OK && i < nq; i++) {
        int64_t rank = c.ahead[i] + 1;
        rt_score_query(&rank, 1, &res[i]);
    }
    gk_knn_free(own);
    gk_free(qp), gk_free(c.tstart), gk_free(c.targets), gk_free(c.ahead), gk_free(c.tdist);
    return rc;
}

/* True matches listed by queries [a, b) (global rows). */
static int64_t listed(const rt_truth *tt, const int32_t *qg, int64_t a, int64_t b)
{
    int64_t T = 0, m;
    for (int64_t i = a; i < b; i++) rt_truth_of(tt, qg, i, &m), T += m;
    return T;
}

/* The passes of every rank's queries (at most `rows` queries and cap
** listed matches each, rt_pass_end): *most, the largest count over the
** ranks, is known to every rank without a message (each holds every
** group); *mine_T, the most matches one of this rank's passes lists. */
static void count_passes(const rt_truth *tt, const side *q, int64_t rows, int64_t cap,
                         int64_t *most, int64_t *mine_T)
{
    *most = 0, *mine_T = 0;
    for (int s = 0; s < gk_dist_size(); s++) {
        int64_t r0, nr, np = 0;
        gk_dist_row_range(q->n, s, gk_dist_size(), &r0, &nr);
        for (int64_t a = r0, b; a < r0 + nr; a = b, np++) {
            b = rt_pass_end(tt, q->g, a, r0 + nr, rows, cap);
            const int64_t T = s == gk_dist_rank() ? listed(tt, q->g, a, b) : 0;
            if (T > *mine_T) *mine_T = T;
        }
        if (np > *most) *most = np;
    }
}

/* One pass with groups: queries [a, b) (global) of this rank, scored into
** res (indexed from the rank's first query). */
static int grouped_pass(ring_rank *c, const rt_truth *tt, const side *q, const side *g,
                        int64_t a, int64_t b, rt_query *res)
{
    const gk_mat *Q = q->m;
    c->q = (gk_mat){b > a ? Q->data + (a - q->r0) * Q->rs : Q->data, b - a, Q->cols, Q->rs,
                    Q->cs, NULL};
    int64_t m;
    c->tstart[0] = 0;
    for (int64_t i = a; i < b; i++) {
        const int64_t *tr = rt_truth_of(tt, q->g, i, &m);
        if (m) memcpy(c->targets + c->tstart[i - a], tr, (size_t)m * sizeof *tr);
        c->tstart[i - a + 1] = c->tstart[i - a] + m;
    }
    memset(c->ahead, 0, (size_t)c->tstart[b - a] * sizeof *c->ahead);
    int rc = dist_ring(g->m, g->n, visit_targets, c);
    if (rc == GK_OK) rc = dist_ring(g->m, g->n, visit_shard, c);
    for (int64_t i = a; rc == GK_OK && i < b; i++) {
        int64_t *r = c->ahead + c->tstart[i - a];
        m = c->tstart[i - a + 1] - c->tstart[i - a];
        for (int64_t e = 0; e < m; e++) r[e] += 1; /* rows ahead → rank */
        rt_score_query(r, m, &res[i - q->r0]);
    }
    return rc;
}

/* With groups: every true match of every query, in passes of o's size, as
** one process cuts them (the same pass count on every rank).  Each pass
** sends the gallery around the ring twice. */
static int grouped_ranks(const side *q, const side *g, const gk_retrieval_opts *o,
                         rt_query *res)
{
    rt_truth tt;
    int rc = rt_truth_build(g->g, g->n, &tt);
    const int64_t rows = o->block_rows > 0 ? o->block_rows : INT64_MAX;
    int64_t cap = o->max_block_elems > 0 ? o->max_block_elems : INT64_MAX, passes = 0, T = 0;
    ring_rank c = {0};
    if (rc == GK_OK) {
        if (cap < tt.max_m) cap = tt.max_m;
        count_passes(&tt, q, rows, cap, &passes, &T);
        c.tstart = gk_malloc((size_t)(q->m->rows + 1) * sizeof *c.tstart);
        c.targets = gk_malloc((size_t)(T ? T : 1) * sizeof *c.targets);
        c.ahead = gk_malloc((size_t)(T ? T : 1) * sizeof *c.ahead);
        c.tdist = gk_malloc((size_t)(T ? T : 1) * sizeof *c.tdist);
        if (!c.tstart || !c.targets || !c.ahead || !c.tdist) rc = GK_ENOMEM;
    }
    if (rc != GK_OK)
        rc = gk_set_error(rc, "retrieval: out of memory for the groups of %lld gallery rows "
                          "and %lld true matches (rank %d)", (long long)g->n, (long long)T,
                          gk_dist_rank());
    rc = gk_dist_agree(rc, NULL);
    const int64_t end = q->r0 + q->m->rows;
    for (int64_t p = 0, a = q->r0, b; rc == GK_OK && p < passes; p++, a = b) {
        b = a < end ? rt_pass_end(&tt, q->g, a, end, rows, cap) : a;
        rc = grouped_pass(&c, &tt, q, g, a, b, res);
    }
    gk_free(c.tstart), gk_free(c.targets), gk_free(c.ahead), gk_free(c.tdist);
    rt_truth_free(&tt);
    return rc;
}

/* Q → G: the outcome of every query of every rank, on rank 0 (*all, q->n rows). */
static int direction(const side *q, const side *g, const gk_retrieval_opts *o, rt_query **all)
{
    const int64_t nq = q->m->rows;
    rt_query *res = gk_calloc((size_t)(nq ? nq : 1), sizeof *res);
    int rc = res ? GK_OK : gk_set_error(GK_ENOMEM, "retrieval: out of memory for %lld queries "
                                        "(rank %d)", (long long)nq, gk_dist_rank());
    if ((rc = gk_dist_agree(rc, NULL)) == GK_OK)
        rc = q->g ? grouped_ranks(q, g, o, res) : paired_ranks(q, g, res);
    if (rc == GK_OK) rc = gk_dist_gather_rows(res, nq, 1, sizeof *res, (void **)all);
    gk_free(res);
    return rc;
}

/* Rank 0: metrics (and intervals) of one direction from every query's outcome. */
static int reduce(const rt_query *all, int64_t nq, int64_t ng, const gk_boot_opts *boot,
                  gk_retrieval_metrics *m, gk_retrieval_ci *ci)
{
    GK_TRY(rt_reduce(all, nq, ng, m, NULL));
    return boot ? rt_intervals(all, nq, m->n_scored, boot, ci) : GK_OK;
}

/* Both directions of the (transformed) sides x, y. */
static int both(const side *x, const side *y, const gk_retrieval_opts *o,
                const gk_boot_opts *boot, gk_retrieval_result *out)
{
    rt_query *x2y = NULL, *y2x = NULL;
    int rc = direction(x, y, o, &x2y);
    if (rc == GK_OK) rc = direction(y, x, o, &y2x);
    if (rc == GK_OK && gk_dist_rank() == 0) {
        rc = reduce(x2y, x->n, y->n, boot, &out->x2y, &out->x2y_ci);
        if (rc == GK_OK) rc = reduce(y2x, y->n, x->n, boot, &out->y2x, &out->y2x_ci);
    }
    gk_free(x2y), gk_free(y2x);
    int who, all = gk_dist_agree(rc, &who); /* e.g. rank 0: no query has a true match */
    if (all != GK_OK && rc == GK_OK)
        rc = gk_set_error(all, "retrieval: stopped: rank %d failed (see its message)", who);
    return rc;
}

/* This rank's rows of one view through the model (none: the rows themselves). */
static int transform(const gk_align *model, int view, const gk_mat *M, gk_mat *t, gk_mat **o)
{
    *t = *M;
    if (!model) return GK_OK;
    const int64_t d = gk_align_out_dim(model, view);
    *t = (gk_mat){NULL, 0, d, d, 1, NULL};
    if (!M->rows) return GK_OK; /* a rank without rows keeps the width of the others */
    GK_TRY(gk_align_apply(model, view, M, o));
    *t = **o;
    return GK_OK;
}

/* Every group id (n,) is >= 0: the same verdict on every rank (each holds them all). */
static int check_groups(const int32_t *g, int64_t n, const char *name)
{
    for (int64_t i = 0; g && i < n; i++)
        GK_FAIL_IF(g[i] < 0, GK_EARG, "retrieval: %s[%lld] = %d; group ids must be >= 0", name,
                   (long long)i, g[i]);
    return GK_OK;
}

/* Shapes and groups: the same verdict on every rank. */
static int check_inputs(const gk_mat *X, const gk_mat *Y, const int32_t *gx, const int32_t *gy,
                        const gk_align *model, side *x, side *y)
{
    int64_t nr;
    x->n = dist_total(X->rows), y->n = dist_total(Y->rows);
    GK_FAIL_IF(!gx && x->n != y->n, GK_ESHAPE, "retrieval: X has %lld rows but Y has %lld; "
               "without groups row i pairs with row i", (long long)x->n, (long long)y->n);
    GK_FAIL_IF(x->n < 1 || y->n < 1, GK_EARG, "retrieval: %lld rows of X and %lld of Y; need "
               "at least one of each", (long long)x->n, (long long)y->n);
    gk_dist_row_range(x->n, gk_dist_rank(), gk_dist_size(), &x->r0, &nr);
    int rc = X->rows == nr ? GK_OK : GK_ESHAPE;
    gk_dist_row_range(y->n, gk_dist_rank(), gk_dist_size(), &y->r0, &nr);
    if (Y->rows != nr) rc = GK_ESHAPE;
    if ((rc = gk_dist_agree(rc, NULL)) != GK_OK)
        return gk_set_error(rc, "retrieval: rank %d holds %lld rows of X and %lld of Y, not "
                            "its gk_dist_row_range() shares of %lld and %lld rows",
                            gk_dist_rank(), (long long)X->rows, (long long)Y->rows,
                            (long long)x->n, (long long)y->n);
    GK_FAIL_IF(!model && X->cols != Y->cols, GK_ESHAPE, "retrieval: X has D = %lld but Y has "
               "%lld: without a model both must live in one space", (long long)X->cols,
               (long long)Y->cols);
    GK_TRY(check_groups(gx, x->n, "X group"));
    return check_groups(gy, y->n, "Y group");
}

/* Split and transform of the result, as one process describes them. */
static int describe(const gk_align *model, const gk_boot_opts *boot, gk_retrieval_result *out)
{
    ev_copy_text(out->split, sizeof out->split, "none");
    ev_copy_text(out->transform, sizeof out->transform, "none");
    if (model) {
        ev_model em = {0};
        GK_TRY(ev_model_get(NULL, model, NULL, NULL, NULL, 0, &em)); /* its description */
        ev_copy_text(out->transform, sizeof out->transform, em.desc);
    }
    if (boot) out->boot = *boot, out->has_ci = 1;
    return GK_OK;
}

int gk_dist_retrieval(const gk_mat *X, const gk_mat *Y, const int32_t *gx, const int32_t *gy,
                      const gk_retrieval_opts *opts, const gk_align *model,
                      const gk_boot_opts *boot, gk_retrieval_result *out)
{
    const gk_retrieval_opts o = opts ? *opts : gk_retrieval_opts_default();
    GK_FAIL_IF(!X || !Y || !out, GK_EARG, "retrieval: NULL argument");
    GK_FAIL_IF(!gx != !gy, GK_EARG, "retrieval: give groups for both X and Y, or for neither");
    memset(out, 0, sizeof *out);
    side x = {NULL, gx, 0, 0}, y = {NULL, gy, 0, 0};
    GK_TRY(check_inputs(X, Y, gx, gy, model, &x, &y));
    gk_mat tx, ty, *ox = NULL, *oy = NULL;
    int rc = transform(model, 0, X, &tx, &ox);
    if (rc == GK_OK) rc = transform(model, 1, Y, &ty, &oy);
    x.m = &tx, y.m = &ty;
    if ((rc = gk_dist_agree(rc, NULL)) == GK_OK) rc = both(&x, &y, &o, boot, out);
    gk_mat_free(ox), gk_mat_free(oy);
    GK_TRY(gk_dist_agree(rc, NULL));
    return describe(model, boot, out);
}
