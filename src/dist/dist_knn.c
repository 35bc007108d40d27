/*
** dist_knn.c — the exact kNN engine over ranks (knn.h): each rank keeps its
** query rows and their top-K heaps; the gallery shards pass around the ring
** (dist_ring.c), and each shard feeds every heap with global row ids.
**
** Same answer as one process: shards start at multiples of GK_CROSS_BLOCK
** rows (a multiple of the engine's 2048-row gallery tile and 256-row query
** tile), the euclidean centre μ is the gallery mean summed in block order
** (bitwise gk_col_mean_blocked's), so every key comes from the very sgemm
** tile of one process.  The heaps keep the K smallest (key, global index)
** pairs whatever order the shards arrive in, which is the ORDER of one
** process.  Distances are recomputed in double on a second ring pass, at the
** rank holding the neighbour's shard.
**
** Exact duplicate gallery rows: one process takes its products with the
** DISTINCT rows only, tiled by distinct index, and gives every copy its
** distinct row's key.  The global duplicate table (dist_copies.c) numbers
** the distinct rows the same way on every rank and re-shards them at
** multiples of GK_CROSS_BLOCK distinct rows; the ring then passes the
** distinct shards, each an index part whose copies are the global rows of
** the table, so every key and every tie is that of one process.
*/
#include <stdio.h>
#include <string.h>

#include "core/error_internal.h"
#include "core/matrix_internal.h"
#include "dist_internal.h"
#include "knn/knn_internal.h"
#include "linalg/cross_internal.h"

typedef struct ring_knn {
    gk_knn own;       /* this rank's gallery rows as an index part (μ global) */
    int64_t g0;       /* global row of own.g's row 0 */
    const gk_mat *q;  /* this rank's query rows */
    int64_t q0, k;    /* global row of q's row 0; neighbours per row */
    int self;         /* graph: q is the gallery shard, a row excludes itself */
    const dist_copies *tab; /* the gallery's duplicate table */
    float *hk, *dist; /* (nq,K) heap keys; distances or NULL */
    int64_t *ids;     /* (nq,K) global gallery rows */
} ring_knn;

int dist_col_mean(const gk_mat *G, int64_t n, double *mu)
{
    const int64_t d = G->cols, nb = dist_local_blocks(G->rows);
    double *parts = gk_malloc((size_t)(nb ? nb : 1) * 2 * (size_t)d * sizeof *parts);
    double *tot = gk_malloc(2 * (size_t)d * sizeof *tot);
    int rc = parts && tot ? GK_OK : gk_set_error(GK_ENOMEM, "column mean: out of memory");
    if (rc == GK_OK && nb) cross_col_sum_parts(G, parts);
    if ((rc = gk_dist_agree(rc, NULL)) == GK_OK) rc = gk_dist_sum_blocks(parts, nb, 2 * d, tot);
    for (int64_t j = 0; rc == GK_OK && j < d; j++) mu[j] = tot[j] / (double)n;
    gk_free(parts), gk_free(tot);
    return rc;
}

/* A shard of the ring as an index part: its rows, the global μ; with
** copies, shard row c is distinct row r0 + c and stands for the global rows
** of the table (*goff 0), else it is global row r0 + c (*goff r0). */
static gk_knn part_of(const ring_knn *c, const gk_mat *rows, int64_t r0, int64_t *goff)
{
    gk_knn p = c->own;
    p.g = *rows;
    p.nd = rows->rows;
    *goff = r0;
    if (c->tab->cstart) p.cstart = c->tab->cstart + r0, p.copies = c->tab->copies, *goff = 0;
    return p;
}

/* Ring pass 1: the shard's keys into every query row's heap. */
static int visit_keys(void *ud, const gk_mat *rows, int64_t r0, int owner)
{
    ring_knn *c = ud;
    (void)owner;
    if (c->q->rows == 0) return GK_OK;
    int64_t goff;
    const gk_knn p = part_of(c, rows, r0, &goff);
    return knn_topk_feed(&p, c->q, c->k, goff, c->q0, c->self, c->hk, c->ids);
}

/* Ring pass 2: the distances of the neighbours that lie in this shard,
** from the prepared query row as one process computes them. */
static int visit_dist(void *ud, const gk_mat *rows, int64_t r0, int owner)
{
    ring_knn *c = ud;
    int64_t goff;
    const gk_knn p = part_of(c, rows, r0, &goff);
    const int64_t *dc = c->tab->dc; /* a copy's distance is its distinct row's */
    const int64_t D = rows->cols, nq = c->q->rows, k = c->k;
    float *qp = gk_malloc((size_t)(nq ? nq : 1) * (size_t)D * sizeof *qp);
    GK_FAIL_IF(!qp, GK_ENOMEM, "knn: out of memory for %lld prepared rows", (long long)nq);
    (void)owner;
#pragma omp parallel for schedule(static)
    for (int64_t i = 0; i < nq; i++) {
        int prepared = 0;
        for (int64_t a = 0; a < k; a++) {
            const int64_t id = dc ? dc[c->ids[i * k + a]] : c->ids[i * k + a];
            if (id < r0 || id >= r0 + rows->rows) continue;
            if (!prepared++) knn_prep_row(&c->own, c->q, i, qp + i * D);
            c->dist[i * k + a] = (float)knn_exact_dist(&p, qp + i * D, id - r0);
        }
    }
    gk_free(qp);
    return GK_OK;
}

/* Shapes, ranges and rows: the same verdict on every rank. */
static int check_args(const gk_mat *G, const gk_mat *Q, int64_t k, int64_t n, int64_t nq_all,
                      ring_knn *c)
{
    int64_t r0, nr, q0 = 0, qn = 0, dmax = G->cols, dmin = G->cols;
#ifdef GK_HAVE_MPI
    if (gk_dist_active()) {
        MPI_Allreduce(&G->cols, &dmax, 1, MPI_INT64_T, MPI_MAX, MPI_COMM_WORLD);
        MPI_Allreduce(&G->cols, &dmin, 1, MPI_INT64_T, MPI_MIN, MPI_COMM_WORLD);
    }
#endif
    gk_dist_row_range(n, gk_dist_rank(), gk_dist_size(), &r0, &nr);
    if (Q) gk_dist_row_range(nq_all, gk_dist_rank(), gk_dist_size(), &q0, &qn);
    int rc = GK_OK;
    if (dmin != dmax)
        rc = gk_set_error(GK_ESHAPE, "knn: the gallery shards have %lld to %lld columns",
                          (long long)dmin, (long long)dmax);
    else if (nr != G->rows || (Q && qn != Q->rows))
        rc = gk_set_error(GK_EARG, "knn: rank %d holds %lld gallery / %lld query rows, not "
                          "its gk_dist_row_range() share", gk_dist_rank(), (long long)G->rows,
                          (long long)(Q ? Q->rows : 0));
    else if (Q ? k < 1 || k > n : k < 1 || k > n - 1)
        rc = gk_set_error(GK_EARG, "knn: k = %lld is out of range 1..%lld", (long long)k,
                          (long long)(Q ? n : n - 1));
    if (rc == GK_OK && G->rows) rc = knn_check_rows(&c->own, G, "gallery");
    if (rc == GK_OK && Q && Q->rows) rc = knn_check_rows(&c->own, Q, "queries");
    if (rc == GK_ENUMERIC) {
        char where[64];
        snprintf(where, sizeof where, "rank %d, rows from %lld", gk_dist_rank(),
                 (long long)(Q && strstr(gk_last_error(), "queries") ? q0 : r0));
        gk_error_prepend(rc, where);
    }
    c->g0 = r0, c->q0 = Q ? q0 : r0;
    return gk_dist_agree(rc, NULL) ? (rc ? rc : GK_EARG) : GK_OK;
}

/* One rank: the engine of one process itself (duplicate rows included). */
static int one_process(const gk_mat *G, gk_distance d, const gk_mat *Q, int64_t k,
                       int64_t *ids, float *dist, int64_t *nd)
{
    gk_knn *idx;
    GK_TRY(gk_knn_create(G, d, &idx));
    if (nd) *nd = idx->nd;
    int rc = Q ? gk_knn_query(idx, Q, k, ids, dist) : gk_knn_graph(idx, k, ids, dist);
    gk_knn_free(idx);
    return rc;
}

/* gk_dist_knn(), and *nd (may be NULL) the distinct gallery rows. */
static int ring_search(const gk_mat *G, gk_distance d, const gk_mat *Q, int64_t k, int64_t *ids,
                       float *dist, int64_t *nd)
{
    GK_FAIL_IF(!G || !ids, GK_EARG, "knn: NULL argument");
    GK_FAIL_IF(d < GK_DIST_EUCLIDEAN || d > GK_DIST_L1, GK_EARG, "knn: unknown distance %d",
               (int)d);
    if (gk_dist_size() == 1) return one_process(G, d, Q, k, ids, dist, nd);
    const int64_t n = dist_total(G->rows), nq_all = Q ? dist_total(Q->rows) : n;
    dist_copies tab;
    ring_knn c = {.q = Q ? Q : G, .k = k, .self = Q == NULL, .tab = &tab, .ids = ids,
                  .dist = dist};
    c.own.g = *G, c.own.g.store = NULL, c.own.dist = d, c.own.nd = G->rows;
    GK_TRY(check_args(G, Q, k, n, nq_all, &c));
    GK_TRY(dist_copies_build(G, n, 1, &tab));
    /* the ring passes the distinct rows when there are copies */
    const gk_mat *ring = tab.cstart ? &tab.rows : G;
    const int64_t nq = c.q->rows, nr = tab.nd;
    if (nd) *nd = tab.nd;
    c.own.mu = d == GK_DIST_EUCLIDEAN ? gk_malloc((size_t)G->cols * sizeof *c.own.mu) : NULL;
    int rc = d != GK_DIST_EUCLIDEAN || c.own.mu ? knn_topk_start(nq, k, &c.hk, ids) : GK_ENOMEM;
    if ((rc = gk_dist_agree(rc, NULL)) == GK_OK && c.own.mu) rc = dist_col_mean(G, n, c.own.mu);
    if (rc == GK_OK) rc = dist_ring(ring, nr, visit_keys, &c);
    if (rc == GK_OK) knn_topk_sort(nq, k, c.hk, ids);
    if (rc == GK_OK && dist) rc = dist_ring(ring, nr, visit_dist, &c);
    gk_free(c.hk);
    gk_free(c.own.mu);
    dist_copies_free(&tab);
    return rc;
}

int gk_dist_knn(const gk_mat *G, gk_distance d, const gk_mat *Q, int64_t k, int64_t *ids,
                float *dist)
{
    return ring_search(G, d, Q, k, ids, dist, NULL);
}

/* The lists of every rank to rank 0. */
static int gather(const int64_t *ids, const float *dist, int64_t nq, int64_t k,
                  gk_dist_knn_result *out)
{
    GK_TRY(gk_dist_gather_rows(ids, nq, k, sizeof *ids, (void **)&out->ids));
    if (!dist) return GK_OK;
    return gk_dist_gather_rows(dist, nq, k, sizeof *dist, (void **)&out->dist);
}

int gk_dist_knn_run(const char *gallery, const char *queries, int normalize, gk_distance d,
                    int64_t k, int want_dist, gk_dist_knn_result *out)
{
    GK_FAIL_IF(!gallery || !out || k < 1, GK_EARG, "knn: NULL argument or k < 1");
    memset(out, 0, sizeof *out);
    gk_shard *g = NULL, *q = NULL;
    GK_TRY(gk_shard_open(gallery, normalize, &g));
    int rc = queries ? gk_shard_open(queries, normalize, &q) : GK_OK;
    if (rc == GK_OK && q && q->rows.cols != g->rows.cols) /* every rank: the same verdict */
        rc = gk_set_error(GK_ESHAPE, "%s has %lld columns but the gallery %s has %lld",
                          queries, (long long)q->rows.cols, gallery, (long long)g->rows.cols);
    const int64_t nq = q ? q->rows.rows : g->rows.rows;
    int64_t nd = 0;
    int64_t *ids = gk_malloc((size_t)(nq ? nq : 1) * (size_t)k * sizeof *ids);
    float *dist = want_dist ? gk_malloc((size_t)(nq ? nq : 1) * (size_t)k * sizeof *dist) : NULL;
    if (rc == GK_OK && (!ids || (want_dist && !dist)))
        rc = gk_set_error(GK_ENOMEM, "knn: out of memory for %lld×%lld neighbours (rank %d)",
                          (long long)nq, (long long)k, gk_dist_rank());
    if ((rc = gk_dist_agree(rc, NULL)) == GK_OK)
        rc = ring_search(&g->rows, d, q ? &q->rows : NULL, k, ids, dist, &nd);
    if (rc == GK_OK) rc = gather(ids, dist, nq, k, out);
    if (rc == GK_OK) out->n_gallery = g->n, out->n_distinct = nd, out->n_queries = q ? q->n : g->n;
    else gk_free(out->ids), gk_free(out->dist), memset(out, 0, sizeof *out);
    gk_free(ids), gk_free(dist);
    gk_shard_free(g), gk_shard_free(q);
    return rc;
}

int gk_dist_knn_summary_to_json(const gk_dist_knn_result *r, gk_distance d, int self, int64_t k,
                                char **json)
{
    GK_FAIL_IF(!r, GK_EARG, "knn json: NULL result");
    return knn_summary_json(r->n_gallery, r->n_distinct, d, r->n_queries, self, k, r->dist,
                            json);
}
