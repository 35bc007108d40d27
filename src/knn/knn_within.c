/*
** knn_within.c — the range query (gk_knn_within): every (query row, gallery
** row) pair at distance <= r, streamed through the tile driver, so no Q×N
** matrix is ever held (memory: the pairs found plus the engine's tiles).
**
** The float keys only pre-select: a pair is a candidate when its key-derived
** distance is within a small slack of r, and the candidate's distance is then
** recomputed in double from the prepared rows (knn_exact_dist), which alone
** decides.  So membership is that of the _naive twins up to the preparation
** of the rows (float unit rows for cosine), whatever the float rounding of
** the GEMM, and the same for every thread count.
** Each thread appends to its own list; the lists are merged and sorted by
** (query row, gallery row) at the end, which makes the result independent of
** which thread found what.
*/
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/error_internal.h"
#include "knn_internal.h"

#define WITHIN_SLACK 1e-4 /* relative: far above float key rounding (~1e-6) */

typedef struct pair_rec {
    int64_t q, g;
    double d;
} pair_rec;

typedef struct pair_list {
    pair_rec *a;
    int64_t n, cap;
} pair_list;

typedef struct within_ctx {
    double r;
    pair_list *lists; /* (threads,) */
    int oom;          /* set by any thread that could not grow its list */
} within_ctx;

static int list_push(pair_list *l, int64_t q, int64_t g, double d)
{
    if (l->n == l->cap) {
        const int64_t cap = l->cap ? 2 * l->cap : 1024;
        pair_rec *a = gk_malloc((size_t)cap * sizeof *a);
        if (!a) return GK_ENOMEM;
        if (l->n) memcpy(a, l->a, (size_t)l->n * sizeof *a);
        gk_free(l->a);
        l->a = a;
        l->cap = cap;
    }
    l->a[l->n++] = (pair_rec){q, g, d};
    return GK_OK;
}

/* The distance the float key of a pair stands for, and its rounding scale. */
static double key_dist(const gk_knn *idx, float key, float qn, float gn, double *scale)
{
    switch (idx->dist) {
    case GK_DIST_COSINE: *scale = 1; return 1.0 + key;
    case GK_DIST_IP: *scale = sqrt((double)qn * gn) + 1e-30; return key;
    case GK_DIST_EUCLIDEAN: {
        const double d2 = (double)key + gn + qn;
        *scale = sqrt((double)qn + gn) + 1e-30;
        return d2 > 0 ? sqrt(d2) : 0;
    }
    case GK_DIST_L1: *scale = fabs(key) + 1e-30; return key;
    }
    *scale = 1;
    return key;
}

static void within_visit(void *ud, const knn_work *w, const knn_lane *L, int64_t q0, int64_t nq,
                         int64_t g0, int64_t ng)
{
    within_ctx *c = ud;
    const gk_knn *idx = w->idx;
    pair_list *list = &c->lists[L->tid];
    for (int64_t r = 0; r < nq && !c->oom; r++) {
        const int64_t row = q0 + r;
        const float *qp = knn_lane_query(w, L, row), *keys = L->keys + r * ng;
        const float qn = L->qn[row - L->c0];
        for (int64_t j = 0; j < ng; j++) {
            double scale;
            const double approx = key_dist(idx, keys[j], qn, L->gn[j], &scale);
            if (approx > c->r + WITHIN_SLACK * scale) continue;
            const int64_t e0 = knn_copy_begin(idx, g0 + j), e1 = knn_copy_end(idx, g0 + j);
            const double d = knn_exact_dist(idx, qp, knn_copy(idx, e0));
            if (d > c->r) continue;
            for (int64_t e = e0; e < e1; e++)
                if (list_push(list, row, knn_copy(idx, e), d) != GK_OK) {
                    c->oom = 1; /* read after the parallel loop */
                    return;
                }
        }
    }
}

static int cmp_pair(const void *a, const void *b)
{
    const pair_rec *x = a, *y = b;
    if (x->q != y->q) return x->q < y->q ? -1 : 1;
    return (x->g > y->g) - (x->g < y->g);
}

/* Moves the threads' lists into out, sorted by (query, gallery row). */
static int merge_lists(const pair_list *lists, int nt, gk_knn_pairs *out)
{
    int64_t n = 0;
    for (int t = 0; t < nt; t++) n += lists[t].n;
    pair_rec *all = gk_malloc((size_t)(n ? n : 1) * sizeof *all);
    out->q = gk_malloc((size_t)(n ? n : 1) * sizeof *out->q);
    out->g = gk_malloc((size_t)(n ? n : 1) * sizeof *out->g);
    out->dist = gk_malloc((size_t)(n ? n : 1) * sizeof *out->dist);
    if (!all || !out->q || !out->g || !out->dist) {
        gk_free(all);
        return GK_ENOMEM;
    }
    int64_t at = 0;
    for (int t = 0; t < nt; t++) {
        if (lists[t].n) memcpy(all + at, lists[t].a, (size_t)lists[t].n * sizeof *all);
        at += lists[t].n;
    }
    if (n > 1) qsort(all, (size_t)n, sizeof *all, cmp_pair);
    for (int64_t i = 0; i < n; i++) {
        out->q[i] = all[i].q;
        out->g[i] = all[i].g;
        out->dist[i] = all[i].d;
    }
    out->n = n;
    gk_free(all);
    return GK_OK;
}

int gk_knn_within(const gk_knn *idx, const gk_mat *Q, double radius, gk_knn_pairs *out)
{
    GK_FAIL_IF(!out, GK_EARG, "knn within: out is NULL");
    memset(out, 0, sizeof *out);
    GK_FAIL_IF(!idx || !Q || !Q->data, GK_EARG, "knn within: index and queries must not be NULL");
    GK_FAIL_IF(!isfinite(radius), GK_EARG, "knn within: the radius must be finite");
    GK_TRY(knn_check_rows(idx, Q, "queries"));
    knn_work w;
    GK_TRY(knn_work_init(&w, idx, Q));
    within_ctx c = {radius, gk_calloc((size_t)w.nt, sizeof(pair_list)), 0};
    int rc = c.lists ? GK_OK : GK_ENOMEM;
    if (rc == GK_OK && Q->rows > 0) knn_run_slices(&w, Q->rows, within_visit, NULL, &c, "range");
    if (rc == GK_OK && c.oom) rc = GK_ENOMEM;
    if (rc == GK_OK) rc = merge_lists(c.lists, w.nt, out);
    for (int t = 0; c.lists && t < w.nt; t++) gk_free(c.lists[t].a);
    gk_free(c.lists);
    knn_work_free(&w);
    if (rc != GK_OK) {
        gk_knn_pairs_free(out);
        return gk_set_error(rc, "knn within: out of memory for the pairs within %g", radius);
    }
    return GK_OK;
}

void gk_knn_pairs_free(gk_knn_pairs *p)
{
    if (!p) return;
    gk_free(p->q);
    gk_free(p->g);
    gk_free(p->dist);
    memset(p, 0, sizeof *p);
}
