/*
** knn_topk.c — the K nearest neighbours of every query row (gk_knn_graph,
** gk_knn_query): a bounded max-heap of (key, index) pairs per row, fed by
** the tile driver, then sorted into ORDER.
**
** The heap's root is the worst kept pair.  Gallery rows reach a row's heap
** in ascending index (tiles in order, columns in order), so a new pair with a
** key EQUAL to the root's comes after it in ORDER and is rejected: the test
** is just key < root key.  Heaps start full of sentinels (+inf, INT64_MAX)
** that any real pair beats; K <= the candidates, so none survives.
** Cost: the products, plus a scan of every key (16 at a time against the
** current threshold, so the scan vectorises), plus O(log K) per insertion
** (about K·ln(N/K) insertions per row on unordered data).
*/
#include <math.h>
#include <stdint.h>

#include "core/error_internal.h"
#include "knn_internal.h"

typedef struct topk_ctx {
    int64_t k;
    int self;    /* skip gallery row == query row */
    float *hk;   /* (Q,K) heap keys */
    int64_t *hi; /* (Q,K) heap indices: the caller's ids buffer */
    float *dist; /* (Q,K) the caller's distances, or NULL */
    int64_t goff, qoff; /* a part (knn_topk_feed): global row of gallery / query row 0 */
    int anyorder;       /* parts arrive in any order: full (key, index) comparison */
} topk_ctx;

/* (a, ia) comes after (b, ib) in ORDER */
static inline int after(float a, int64_t ia, float b, int64_t ib)
{
    return a > b || (a == b && ia > ib);
}

/* Puts (v, j) at the root of the max-heap hk/hi of `size` and sifts it down. */
static void heap_sift(float *hk, int64_t *hi, int64_t size, float v, int64_t j)
{
    int64_t p = 0;
    for (;;) {
        int64_t c = 2 * p + 1;
        if (c >= size) break;
        if (c + 1 < size && after(hk[c + 1], hi[c + 1], hk[c], hi[c])) c++;
        if (!after(hk[c], hi[c], v, j)) break;
        hk[p] = hk[c];
        hi[p] = hi[c];
        p = c;
    }
    hk[p] = v;
    hi[p] = j;
}

/* Heap sort in place: the K pairs end in ascending ORDER. */
static void heap_sort(float *hk, int64_t *hi, int64_t k)
{
    for (int64_t m = k - 1; m > 0; m--) {
        const float v = hk[m];
        const int64_t j = hi[m];
        hk[m] = hk[0];
        hi[m] = hi[0];
        heap_sift(hk, hi, m, v, j);
    }
}

/* Offers (v, j) to the heap; returns the (new) threshold. */
static inline float offer(float v, int64_t j, int64_t skip, float thr, float *hk, int64_t *hi,
                          int64_t k)
{
    if (v < thr && j != skip) {
        heap_sift(hk, hi, k, v, j);
        return hk[0];
    }
    return thr;
}

/* Scans the keys c (ng,) (+ gn (ng,) for euclidean) of gallery rows g0.. */
static void scan_row(const float *c, const float *gn, int64_t ng, int64_t g0, int64_t skip,
                     float *hk, int64_t *hi, int64_t k)
{
    float thr = hk[0];
    int64_t j = 0;
    for (; j + 16 <= ng; j += 16) {
        int hit = 0;
        if (gn)
            for (int u = 0; u < 16; u++) hit |= c[j + u] + gn[j + u] < thr;
        else
            for (int u = 0; u < 16; u++) hit |= c[j + u] < thr;
        if (!hit) continue;
        for (int u = 0; u < 16; u++)
            thr = offer(gn ? c[j + u] + gn[j + u] : c[j + u], g0 + j + u, skip, thr, hk, hi, k);
    }
    for (; j < ng; j++) thr = offer(gn ? c[j] + gn[j] : c[j], g0 + j, skip, thr, hk, hi, k);
}

/* scan_row for rows arriving out of index order: a gallery with duplicates
** (column j is distinct row g0+j, whose key every copy receives), or a part
** of a gallery fed after a later part (rows numbered from goff); ties are
** decided by the full (key, index) comparison. */
static void scan_row_full(const gk_knn *idx, const float *c, const float *gn, int64_t ng,
                          int64_t g0, int64_t goff, int64_t skip, float *hk, int64_t *hi,
                          int64_t k)
{
    for (int64_t j = 0; j < ng; j++) {
        const float v = gn ? c[j] + gn[j] : c[j];
        if (v > hk[0]) continue;
        const int64_t e0 = idx->copies ? idx->cstart[g0 + j] : g0 + j;
        const int64_t e1 = idx->copies ? idx->cstart[g0 + j + 1] : g0 + j + 1;
        for (int64_t e = e0; e < e1; e++) {
            const int64_t id = goff + (idx->copies ? idx->copies[e] : e);
            if (id != skip && after(hk[0], hi[0], v, id)) heap_sift(hk, hi, k, v, id);
        }
    }
}

static void topk_visit(void *ud, const knn_work *w, const knn_lane *L, int64_t q0, int64_t nq,
                       int64_t g0, int64_t ng)
{
    const topk_ctx *c = ud;
    const float *gn = w->idx->dist == GK_DIST_EUCLIDEAN ? L->gn : NULL;
    for (int64_t r = 0; r < nq; r++) {
        const int64_t row = q0 + r, skip = c->self ? c->qoff + row : -1;
        float *hk = c->hk + row * c->k;
        int64_t *hi = c->hi + row * c->k;
        const float *keys = L->keys + r * ng;
        if (w->idx->copies || c->anyorder)
            scan_row_full(w->idx, keys, gn, ng, g0, c->goff, skip, hk, hi, c->k);
        else scan_row(keys, gn, ng, g0, skip, hk, hi, c->k);
    }
}

/* A chunk has seen the whole gallery: sort its heaps and, if asked, give the
** K neighbours their distances recomputed in double from the prepared rows
** (the order stays that of the keys; an exact duplicate is at distance 0). */
static void topk_done(void *ud, const knn_work *w, const knn_lane *L, int64_t c0, int64_t cn)
{
    const topk_ctx *c = ud;
    const int64_t k = c->k, D = w->idx->g.cols;
    for (int64_t r = 0; r < cn; r++) {
        const int64_t row = c0 + r, *hi = c->hi + row * k;
        heap_sort(c->hk + row * k, c->hi + row * k, k);
        for (int64_t a = 0; c->dist && a < k; a++)
            c->dist[row * k + a] = (float)knn_exact_dist(w->idx, L->qbuf + r * D, hi[a]);
    }
}

int knn_topk_start(int64_t n, int64_t k, float **hk, int64_t *hi)
{
    *hk = gk_malloc((size_t)(n ? n : 1) * (size_t)k * sizeof **hk);
    GK_FAIL_IF(!*hk, GK_ENOMEM, "knn: out of memory for %lld×%lld neighbours", (long long)n,
               (long long)k);
    for (int64_t i = 0; i < n * k; i++) {
        (*hk)[i] = INFINITY;
        hi[i] = INT64_MAX;
    }
    return GK_OK;
}

int knn_topk_feed(const gk_knn *part, const gk_mat *Q, int64_t k, int64_t goff, int64_t qoff,
                  int self, float *hk, int64_t *hi)
{
    knn_work w;
    GK_TRY(knn_work_init(&w, part, Q));
    topk_ctx c = {k, self, hk, hi, NULL, goff, qoff, 1};
    knn_run_slices(&w, Q->rows, topk_visit, NULL, &c, "knn");
    knn_work_free(&w);
    return GK_OK;
}

void knn_topk_sort(int64_t n, int64_t k, float *hk, int64_t *hi)
{
#pragma omp parallel for schedule(static)
    for (int64_t i = 0; i < n; i++) heap_sort(hk + i * k, hi + i * k, k);
}

/* The search behind both entry points; Q == NULL: the gallery's own rows.
** Rows go in slices (progress is reported between them, from this thread). */
static int knn_search(const gk_knn *idx, const gk_mat *Q, int64_t k, int64_t *ids, float *dist)
{
    const int64_t n = Q ? Q->rows : idx->g.rows;
    knn_work w;
    GK_TRY(knn_work_init(&w, idx, Q));
    topk_ctx c = {k, Q == NULL, NULL, ids, dist, 0, 0, 0};
    int rc = knn_topk_start(n, k, &c.hk, ids);
    if (rc != GK_OK) return knn_work_free(&w), rc;
    knn_run_slices(&w, n, topk_visit, topk_done, &c, "knn");
    gk_free(c.hk);
    knn_work_free(&w);
    return GK_OK;
}

int gk_knn_graph(const gk_knn *idx, int64_t k, int64_t *ids, float *dist)
{
    GK_FAIL_IF(!idx || !ids, GK_EARG, "knn graph: index and ids must not be NULL");
    const int64_t n = idx->g.rows;
    GK_FAIL_IF(k < 1 || k > n - 1, GK_EARG, "knn graph: k = %lld is out of range: %lld rows "
               "have 1..%lld other rows", (long long)k, (long long)n, (long long)(n - 1));
    return knn_search(idx, NULL, k, ids, dist);
}

int gk_knn_query(const gk_knn *idx, const gk_mat *Q, int64_t k, int64_t *ids, float *dist)
{
    GK_FAIL_IF(!idx || !Q || !Q->data || !ids, GK_EARG,
               "knn query: index, queries and ids must not be NULL");
    const int64_t n = idx->g.rows;
    GK_FAIL_IF(k < 1 || k > n, GK_EARG, "knn query: k = %lld is out of range 1..%lld (the "
               "gallery rows)", (long long)k, (long long)n);
    GK_TRY(knn_check_rows(idx, Q, "queries"));
    if (Q->rows == 0) return GK_OK;
    return knn_search(idx, Q, k, ids, dist);
}
