/*
** knn_naive.c — the reference twins of the kNN engine: every distance in
** double straight from its definition (no expansion, no centring), each
** row's candidates sorted by (distance, index) with qsort.  The oracle of
** tests/test_knn.c; O(N) scratch per row, O(Q·N·D) time.
*/
#include <math.h>
#include <stdlib.h>

#include "core/error_internal.h"
#include "core/sort_internal.h"
#include "knn_internal.h"


/* The distance of knn.h between row i of Q and row j of G, in double. */
static double naive_dist(const gk_mat *Q, int64_t i, const gk_mat *G, int64_t j, gk_distance d)
{
    double s = 0, qq = 0, gg = 0;
    for (int64_t c = 0; c < G->cols; c++) {
        const double q = gk_mat_at(Q, i, c), g = gk_mat_at(G, j, c);
        if (d == GK_DIST_EUCLIDEAN) s += (q - g) * (q - g);
        else if (d == GK_DIST_L1) s += fabs(q - g);
        else s += q * g;
        qq += q * q;
        gg += g * g;
    }
    switch (d) {
    case GK_DIST_EUCLIDEAN: return sqrt(s);
    case GK_DIST_COSINE: return 1.0 - s / (sqrt(qq) * sqrt(gg));
    case GK_DIST_IP: return -s;
    case GK_DIST_L1: return s;
    }
    return s;
}

/* Row i's K nearest gallery rows (self: skip row i of G). */
static void naive_row(const gk_mat *Q, int64_t i, const gk_mat *G, gk_distance d, int self,
                      int64_t k, gk_val_idx *buf, int64_t *ids, double *dist)
{
    int64_t m = 0;
    for (int64_t j = 0; j < G->rows; j++)
        if (!self || j != i) buf[m++] = (gk_val_idx){naive_dist(Q, i, G, j, d), j};
    qsort(buf, (size_t)m, sizeof *buf, gk_cmp_val_idx);
    for (int64_t a = 0; a < k; a++) {
        ids[i * k + a] = buf[a].i;
        if (dist) dist[i * k + a] = buf[a].v;
    }
}

static int naive_search(const gk_mat *G, gk_distance d, const gk_mat *Q, int self, int64_t k,
                        int64_t *ids, double *dist)
{
    gk_knn *idx;
    GK_TRY(gk_knn_create(G, d, &idx)); /* the same input checks as the fast path */
    int rc = self ? GK_OK : knn_check_rows(idx, Q, "queries");
    gk_knn_free(idx);
    if (rc != GK_OK) return rc;
    const int64_t lim = self ? G->rows - 1 : G->rows;
    GK_FAIL_IF(k < 1 || k > lim, GK_EARG, "knn naive: k = %lld is out of range 1..%lld",
               (long long)k, (long long)lim);
    gk_val_idx *buf = gk_malloc((size_t)G->rows * sizeof *buf);
    if (!buf) return GK_ENOMEM;
    for (int64_t i = 0; i < Q->rows; i++) naive_row(Q, i, G, d, self, k, buf, ids, dist);
    gk_free(buf);
    return GK_OK;
}

int gk_knn_graph_naive(const gk_mat *X, gk_distance d, int64_t k, int64_t *ids, double *dist)
{
    GK_FAIL_IF(!X || !ids, GK_EARG, "knn naive: X and ids must not be NULL");
    return naive_search(X, d, X, 1, k, ids, dist);
}

int gk_knn_query_naive(const gk_mat *G, gk_distance d, const gk_mat *Q, int64_t k,
                       int64_t *ids, double *dist)
{
    GK_FAIL_IF(!G || !Q || !ids, GK_EARG, "knn naive: G, Q and ids must not be NULL");
    return naive_search(G, d, Q, 0, k, ids, dist);
}
