/*
** knn_tile.c — the tile driver of the kNN engine: rows are prepared into
** float scratch (centred, unit or copied, any input strides), and every
** (query tile, gallery tile) pair becomes one single-threaded sgemm (or an
** L1 loop) whose keys a visitor consumes — the top-k heaps or a stream block.
**
** Work split: each thread takes a chunk of query tiles (dynamic schedule),
** prepares them, then walks the whole gallery tile by tile, preparing each
** gallery tile into its own scratch.  Threads never wait for each other
** (a preempted thread on a shared machine delays only its own chunk), at the
** price of each thread preparing the gallery once per chunk: O(N·D) per
** chunk of up to KNN_CHUNK·KNN_QT query rows, against O(chunk·N·D) products.
*/
#include <assert.h>
#include <math.h>
#include <string.h>
#ifdef _OPENMP
#include <omp.h>
#endif

#include "core/error_internal.h"
#include "core/progress_internal.h"
#include "gapkit/linalg.h"
#include "knn_internal.h"

int knn_work_init(knn_work *w, const gk_knn *idx, const gk_mat *q)
{
    memset(w, 0, sizeof *w);
    const int64_t D = idx->g.cols, qc = (int64_t)KNN_CHUNK * KNN_QT;
    w->idx = idx;
    w->q = q ? q : &idx->g;
    w->nt = gk_get_threads() > 1 ? gk_get_threads() : 1;
    w->gt = idx->nd < KNN_GT ? idx->nd : KNN_GT;
    const size_t per = (size_t)(qc * D + qc + w->gt * D + w->gt + (int64_t)KNN_QT * w->gt);
    w->lane = gk_calloc((size_t)w->nt, sizeof *w->lane);
    w->pool = gk_malloc((size_t)w->nt * per * sizeof(float));
    if (!w->lane || !w->pool) {
        knn_work_free(w);
        return gk_set_error(GK_ENOMEM, "knn: out of memory for %d threads' tiles (%zu MB)",
                            w->nt, (size_t)w->nt * per * sizeof(float) >> 20);
    }
    for (int t = 0; t < w->nt; t++) {
        knn_lane *L = &w->lane[t];
        L->qbuf = w->pool + (size_t)t * per;
        L->qn = L->qbuf + qc * D;
        L->gbuf = L->qn + qc;
        L->gn = L->gbuf + w->gt * D;
        L->keys = L->gn + w->gt;
        L->tid = t;
    }
    return GK_OK;
}

void knn_work_free(knn_work *w)
{
    gk_free(w->lane);
    gk_free(w->pool);
    memset(w, 0, sizeof *w);
}

/* ‖row i of m‖, the divisor of the cosine preparation (1 otherwise). */
static double prep_norm(const gk_knn *idx, const gk_mat *m, int64_t i)
{
    if (idx->dist != GK_DIST_COSINE) return 1;
    double s = 0;
    for (int64_t d = 0; d < m->cols; d++) s += (double)gk_mat_at(m, i, d) * gk_mat_at(m, i, d);
    return sqrt(s);
}

/* Element d of a row prepared for the distance: x − μ (euclidean), x/‖x‖
** (cosine) or x. */
static inline float prep_elem(const gk_knn *idx, double x, int64_t d, double nrm)
{
    if (idx->dist == GK_DIST_EUCLIDEAN) return (float)(x - idx->mu[d]);
    if (idx->dist == GK_DIST_COSINE) return (float)(x / nrm);
    return (float)x;
}

/* dst (D,) = row i of m prepared; returns ‖dst‖² summed in double from the
** float dst, so that ‖q'‖² + ‖g'‖² − 2q'·g' = ‖q' − g'‖² holds for the very
** vectors of the GEMM. */
float knn_prep_row(const gk_knn *idx, const gk_mat *m, int64_t i, float *dst)
{
    const int64_t D = m->cols, cs = m->cs;
    const float *x = m->data + i * m->rs;
    double s = 0;
    if (idx->dist == GK_DIST_EUCLIDEAN) {
        for (int64_t d = 0; d < D; d++) dst[d] = (float)((double)x[d * cs] - idx->mu[d]);
    } else if (idx->dist == GK_DIST_COSINE) {
        const double nrm = prep_norm(idx, m, i);
        for (int64_t d = 0; d < D; d++) dst[d] = (float)(x[d * cs] / nrm);
    } else {
        for (int64_t d = 0; d < D; d++) dst[d] = x[d * cs];
    }
    for (int64_t d = 0; d < D; d++) s += (double)dst[d] * dst[d];
    return (float)s;
}

double knn_exact_dist(const gk_knn *idx, const float *q, int64_t j)
{
    const gk_mat *g = &idx->g;
    const double nrm = prep_norm(idx, g, j);
    double s = 0, qq = 0, gg = 0;
    for (int64_t d = 0; d < g->cols; d++) {
        const double b = prep_elem(idx, gk_mat_at(g, j, d), d, nrm), a = q[d];
        if (idx->dist == GK_DIST_EUCLIDEAN) s += (a - b) * (a - b);
        else if (idx->dist == GK_DIST_L1) s += fabs(a - b);
        else s += a * b;
        qq += a * a;
        gg += b * b;
    }
    switch (idx->dist) {
    case GK_DIST_EUCLIDEAN: return sqrt(s);
    case GK_DIST_COSINE: return 1 - s / (sqrt(qq) * sqrt(gg));
    case GK_DIST_IP: return -s;
    case GK_DIST_L1: return s;
    }
    return s;
}

/* Σ_d |q_d − g_d| with 8 fixed partial sums: one summation order always. */
static float l1_pair(const float *q, const float *g, int64_t D)
{
    float acc[8] = {0}, s = 0;
    int64_t d = 0;
    for (; d + 8 <= D; d += 8)
        for (int u = 0; u < 8; u++) acc[u] += fabsf(q[d + u] - g[d + u]);
    for (; d < D; d++) s += fabsf(q[d] - g[d]);
    return s + (((acc[0] + acc[1]) + (acc[2] + acc[3])) + ((acc[4] + acc[5]) + (acc[6] + acc[7])));
}

/* L->keys (nq,ng) = keys of the prepared query rows qp (nq,D) against the
** lane's prepared gallery tile (ng,D); euclidean without the ‖g‖² term. */
static void tile_keys(const knn_work *w, const knn_lane *L, const float *qp, int64_t nq,
                      int64_t ng)
{
    const int64_t D = w->idx->g.cols;
    if (w->idx->dist == GK_DIST_L1) {
        for (int64_t r = 0; r < nq; r++)
            for (int64_t c = 0; c < ng; c++)
                L->keys[r * ng + c] = l1_pair(qp + r * D, L->gbuf + c * D, D);
        return;
    }
    /* keys (nq,ng) = alpha · qp (nq,D) · gbufᵀ (D,ng); alpha = −2 (euclidean:
    ** the ‖g‖² term is added by the visitor) or −1 (cosine, ip): scaling by a
    ** power of two is exact, so the keys are the negated products exactly */
    const float alpha = w->idx->dist == GK_DIST_EUCLIDEAN ? -2.0f : -1.0f;
    gk_mat A = {(float *)qp, nq, D, D, 1, NULL}, B = {L->gbuf, ng, D, D, 1, NULL};
    gk_mat C = {L->keys, nq, ng, ng, 1, NULL};
    int rc = gk_gemm(0, 1, alpha, &A, &B, 0.0f, &C);
    assert(rc == GK_OK);
    (void)rc;
}

/* Prepares rows map[r0 .. r0+nr) of m (rows r0.. when map is NULL) into dst
** (nr,D) and their ‖·‖² into n2. */
static void prep_rows(const gk_knn *idx, const gk_mat *m, const int64_t *map, int64_t r0,
                      int64_t nr, float *dst, float *n2)
{
    const int64_t D = idx->g.cols;
    for (int64_t r = 0; r < nr; r++)
        n2[r] = knn_prep_row(idx, m, map ? map[r0 + r] : r0 + r, dst + r * D);
}

/* One chunk of query rows [c0, c0+cn) against the whole gallery. */
static void run_chunk(const knn_work *w, const knn_lane *L, int64_t c0, int64_t cn,
                      knn_visit visit, void *ud)
{
    const gk_knn *idx = w->idx;
    const int64_t D = idx->g.cols;
    prep_rows(idx, w->q, NULL, c0, cn, L->qbuf, L->qn);
    for (int64_t g0 = 0; g0 < idx->nd; g0 += w->gt) {
        const int64_t ng = idx->nd - g0 < w->gt ? idx->nd - g0 : w->gt;
        prep_rows(idx, &idx->g, idx->drow, g0, ng, L->gbuf, L->gn);
        for (int64_t t0 = 0; t0 < cn; t0 += KNN_QT) {
            const int64_t nq = cn - t0 < KNN_QT ? cn - t0 : KNN_QT;
            tile_keys(w, L, L->qbuf + t0 * D, nq, ng);
            visit(ud, w, L, c0 + t0, nq, g0, ng);
        }
    }
}

void knn_run(knn_work *w, int64_t r0, int64_t nr, knn_visit visit, knn_done done, void *ud)
{
    assert(r0 % KNN_QT == 0);
    /* chunks of whole tiles, small enough for every thread to get several
    ** (the grouping changes no key: tiles stay at multiples of KNN_QT) */
    const int64_t tiles = (nr + KNN_QT - 1) / KNN_QT;
    int64_t per = (tiles + 4 * (int64_t)w->nt - 1) / (4 * (int64_t)w->nt);
    per = per < 1 ? 1 : per > KNN_CHUNK ? KNN_CHUNK : per;
    const int64_t ch = per * KNN_QT, nchunks = (nr + ch - 1) / ch;
#pragma omp parallel for num_threads(w->nt) schedule(dynamic, 1)
    for (int64_t c = 0; c < nchunks; c++) {
        int tid = 0;
#ifdef _OPENMP
        tid = omp_get_thread_num();
#endif
        knn_lane *L = &w->lane[tid];
        const int64_t c0 = r0 + c * ch, cn = r0 + nr - c0 < ch ? r0 + nr - c0 : ch;
        L->c0 = c0;
        run_chunk(w, L, c0, cn, visit, ud);
        if (done) done(ud, w, L, c0, cn);
    }
}

void knn_run_slices(knn_work *w, int64_t n, knn_visit visit, knn_done done, void *ud,
                    const char *task)
{
    int64_t slice = (n / 16 + KNN_QT - 1) / KNN_QT * KNN_QT;
    const int64_t least = (int64_t)KNN_QT * KNN_CHUNK * 4 * w->nt;
    if (slice < least) slice = least;
    const int saved = gk_blas_serial();
    for (int64_t r0 = 0; r0 < n; r0 += slice) {
        knn_run(w, r0, n - r0 < slice ? n - r0 : slice, visit, done, ud);
        gk_progress(task, r0 + slice < n ? r0 + slice : n, n);
    }
    gk_blas_restore(saved);
}
