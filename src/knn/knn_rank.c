/*
** knn_rank.c — the rank of given gallery rows ("targets") for every query
** row (gk_knn_ranks), by counting while the key tiles stream past: no row
** of keys is kept and none is sorted.
**
** For a query with targets t_1 … t_m sorted in ORDER, any gallery row l
** comes before a suffix t_p … t_m of them.  Counting, for each p, the rows
** whose first preceded target is t_p and taking prefix sums gives every
** target's rank at once:
**   rank(t_i) = 1 + Σ_{p<=i} cnt[p].
** A row farther than the farthest target (most rows, for a useful target)
** precedes none and costs one comparison; the others a binary search.
**
** Exactness.  The ORDER is that of the distances in double
** (knn_exact_dist, the _naive twins' values).  A row's float key v decides
** a comparison with target t only when |v − key(t)| exceeds the bound
** `win` on the key's rounding error, key(t) being the target's exact
** distance mapped to key units; inside that window the row's distance is
** recomputed in double and compared as (distance, index).  The bound,
** with u = 2^-24, γ = (D + 24)·2u (twice the textbook D·u of a dot product
** of length D, plus slack for the float preparation of the rows):
**   euclidean  key = ‖g'‖² − 2 q'·g'      win = γ (‖q'‖ + max‖g'‖)²
**   cosine     key = −q'·g' (unit rows)   win = γ
**   ip         key = −q·g                 win = γ ‖q‖ max‖g‖
**   l1         key = Σ|q − g| (8 sums)    win = γ (‖q‖₁ + max‖g‖₁)
** (q', g' the prepared rows: centred for euclidean, unit for cosine).
*/
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/error_internal.h"
#include "knn_internal.h"

/* One target of one query: exact distance and key, gallery row, and its
** place in the caller's list. */
typedef struct rk_target {
    double dist, key;
    int64_t j, pos;
} rk_target;

typedef struct rank_ctx {
    const int64_t *tstart, *targets;
    int64_t *ranks;
    int self;       /* queries are the gallery's rows: skip l == i */
    double gscale;  /* max ‖g'‖ (euclidean, ip) or max ‖g‖₁ (l1) */
    rk_target *t;   /* (T,) each query's targets in ORDER, at tstart[i] */
    int64_t *cnt;   /* (T,) query i's counts at tstart[i] .. (cnt[m] is not kept) */
    double *win;    /* (nq,) the key window of each query */
    double *thr;    /* (nq,) farthest target's key + win: rows beyond precede nothing */
    const double *tdist; /* (T,) the targets' exact distances, given (a part), or NULL */
    int64_t goff;   /* global row of the index's row 0 (targets are global) */
    int part;       /* ranks += the rows of this part ahead, instead of = rank */
} rank_ctx;

static int cmp_target(const void *a, const void *b)
{
    const rk_target *x = a, *y = b;
    if (x->dist != y->dist) return x->dist < y->dist ? -1 : 1;
    return (x->j > y->j) - (x->j < y->j);
}

/* The key (units of the float keys) of a pair at exact distance d; qq =
** ‖q'‖² of the prepared query row. */
static double key_of(gk_distance dist, double d, double qq)
{
    switch (dist) {
    case GK_DIST_EUCLIDEAN: return d * d - qq;
    case GK_DIST_COSINE: return d - 1;
    default: return d;
    }
}

/* The rounding bound of the keys of prepared query row q (D,). */
static double key_window(const rank_ctx *c, const gk_knn *idx, const float *q)
{
    const int64_t D = idx->g.cols;
    double qq = 0, q1 = 0;
    for (int64_t d = 0; d < D; d++) qq += (double)q[d] * q[d], q1 += fabs(q[d]);
    const double gamma = (double)(D + 24) * 0x1p-23, qn = sqrt(qq);
    switch (idx->dist) {
    case GK_DIST_EUCLIDEAN: return gamma * (qn + c->gscale) * (qn + c->gscale);
    case GK_DIST_COSINE: return gamma;
    case GK_DIST_IP: return gamma * qn * c->gscale;
    case GK_DIST_L1: return gamma * (q1 + c->gscale);
    }
    return INFINITY;
}

/* Query row i (prepared: q) meets the gallery: its targets' exact
** distances, sorted into ORDER, zero counts, window and threshold. */
static void start_query(rank_ctx *c, const gk_knn *idx, const float *q, int64_t i)
{
    const int64_t a = c->tstart[i], m = c->tstart[i + 1] - a, D = idx->g.cols;
    double qq = 0;
    for (int64_t d = 0; d < D; d++) qq += (double)q[d] * q[d];
    rk_target *t = c->t + a;
    for (int64_t p = 0; p < m; p++) {
        t[p].j = c->targets[a + p];
        t[p].pos = p;
        t[p].dist = c->tdist ? c->tdist[a + p] : knn_exact_dist(idx, q, t[p].j);
        t[p].key = key_of(idx->dist, t[p].dist, qq);
    }
    if (m > 1) qsort(t, (size_t)m, sizeof *t, cmp_target);
    memset(c->cnt + a, 0, (size_t)m * sizeof *c->cnt);
    c->win[i] = key_window(c, idx, q);
    c->thr[i] = m ? t[m - 1].key + c->win[i] : -INFINITY;
}

/* First p in [0, m] whose target gallery row l, at key v, comes before.
** The exact distance (of gallery row `row`: l itself, or the distinct row
** whose copy l is) is computed, once, into *d, only if some target is
** within win of v. */
static int64_t first_preceded(const rk_target *t, int64_t m, double win, float v, int64_t l,
                              int64_t row, const gk_knn *idx, const float *q, double *d)
{
    int64_t lo = 0, hi = m; /* first target with key >= v − win */
    while (lo < hi) {
        const int64_t mid = lo + (hi - lo) / 2;
        if (t[mid].key < v - win) lo = mid + 1;
        else hi = mid;
    }
    if (lo == m || t[lo].key > v + win) return lo; /* no target near: the key decides */
    if (isnan(*d)) *d = knn_exact_dist(idx, q, row);
    lo = 0, hi = m;
    while (lo < hi) {
        const int64_t mid = lo + (hi - lo) / 2;
        if (*d < t[mid].dist || (*d == t[mid].dist && l < t[mid].j)) hi = mid;
        else lo = mid + 1;
    }
    return lo;
}

static void rank_visit(void *ud, const knn_work *w, const knn_lane *L, int64_t q0, int64_t nq,
                       int64_t g0, int64_t ng)
{
    rank_ctx *c = ud;
    const gk_knn *idx = w->idx;
    const float *gn = idx->dist == GK_DIST_EUCLIDEAN ? L->gn : NULL;
    for (int64_t r = 0; r < nq; r++) {
        const int64_t i = q0 + r, a = c->tstart[i], m = c->tstart[i + 1] - a;
        const float *q = knn_lane_query(w, L, i), *keys = L->keys + r * ng;
        if (g0 == 0) start_query(c, idx, q, i);
        const double thr = c->thr[i];
        for (int64_t col = 0; col < ng; col++) {
            const float v = gn ? keys[col] + gn[col] : keys[col];
            if (v > thr) continue;
            double d = NAN; /* copies share it: they are the same row */
            const int64_t e0 = knn_copy_begin(idx, g0 + col), e1 = knn_copy_end(idx, g0 + col);
            for (int64_t e = e0; e < e1; e++) {
                const int64_t l = knn_copy(idx, e);
                if (c->self && l == i) continue;
                const int64_t p = first_preceded(c->t + a, m, c->win[i], v, l + c->goff,
                                                 knn_copy(idx, e0), idx, q, &d);
                if (p < m) c->cnt[a + p]++;
            }
        }
    }
}

/* A chunk has seen the whole gallery: prefix sums into ranks. */
static void rank_done(void *ud, const knn_work *w, const knn_lane *L, int64_t c0, int64_t cn)
{
    (void)w, (void)L;
    const rank_ctx *c = ud;
    for (int64_t i = c0; i < c0 + cn; i++) {
        const int64_t a = c->tstart[i], m = c->tstart[i + 1] - a;
        int64_t ahead = 0;
        for (int64_t p = 0; p < m; p++) {
            ahead += c->cnt[a + p];
            if (c->part) c->ranks[a + c->t[a + p].pos] += ahead;
            else c->ranks[a + c->t[a + p].pos] = ahead + 1;
        }
    }
}

/* max ‖g'‖ (euclidean: centred, ip: raw) or max ‖g‖₁ (l1) over the gallery;
** cosine rows are unit (1). */
static double gallery_scale(const gk_knn *idx)
{
    const gk_mat *g = &idx->g;
    double mx = 0;
    if (idx->dist == GK_DIST_COSINE) return 1;
#pragma omp parallel for reduction(max : mx) schedule(static)
    for (int64_t j = 0; j < g->rows; j++) {
        double s = 0;
        for (int64_t d = 0; d < g->cols; d++) {
            const double x = gk_mat_at(g, j, d) - (idx->mu ? idx->mu[d] : 0);
            s += idx->dist == GK_DIST_L1 ? fabs(x) : x * x;
        }
        s = idx->dist == GK_DIST_L1 ? s : sqrt(s);
        mx = s > mx ? s : mx;
    }
    return mx;
}

static int check_targets(const gk_knn *idx, int64_t nq, const int64_t *tstart,
                         const int64_t *targets, int self)
{
    const int64_t N = idx->g.rows;
    GK_FAIL_IF(tstart[0] != 0, GK_EARG, "knn ranks: tstart[0] = %lld (expected 0)",
               (long long)tstart[0]);
    for (int64_t i = 0; i < nq; i++) {
        GK_FAIL_IF(tstart[i + 1] < tstart[i], GK_EARG, "knn ranks: tstart decreases at row %lld",
                   (long long)i);
        for (int64_t e = tstart[i]; e < tstart[i + 1]; e++) {
            GK_FAIL_IF(targets[e] < 0 || targets[e] >= N, GK_EARG, "knn ranks: target %lld of "
                       "row %lld is %lld, outside the gallery's 0..%lld", (long long)(e - tstart[i]),
                       (long long)i, (long long)targets[e], (long long)(N - 1));
            GK_FAIL_IF(self && targets[e] == i, GK_EARG, "knn ranks: row %lld lists itself as a "
                       "target, but a row is excluded from its own ranking", (long long)i);
        }
    }
    return GK_OK;
}

/* Counts of rank_ctx c (tstart, targets, ranks, self and the part fields set). */
static int run_ranks(rank_ctx *c, const gk_knn *idx, const gk_mat *Q, int64_t nq, int64_t T)
{
    c->gscale = gallery_scale(idx);
    c->t = gk_malloc((size_t)T * sizeof *c->t);
    c->cnt = gk_malloc((size_t)T * sizeof *c->cnt);
    c->win = gk_malloc((size_t)nq * 2 * sizeof *c->win);
    knn_work w;
    int rc = c->t && c->cnt && c->win ? knn_work_init(&w, idx, Q)
                                      : gk_set_error(GK_ENOMEM, "knn ranks: out of memory for "
                                                     "%lld targets", (long long)T);
    if (rc == GK_OK) {
        c->thr = c->win + nq;
        knn_run_slices(&w, nq, rank_visit, rank_done, c, "ranks");
        knn_work_free(&w);
    }
    gk_free(c->t), gk_free(c->cnt), gk_free(c->win);
    return rc;
}

int knn_ranks_part(const gk_knn *part, const gk_mat *Q, const int64_t *tstart,
                   const int64_t *targets, const double *tdist, int64_t goff, int64_t *ahead)
{
    const int64_t nq = Q->rows, T = tstart[nq];
    if (nq == 0 || T == 0 || part->g.rows == 0) return GK_OK;
    rank_ctx c = {.tstart = tstart, .targets = targets, .ranks = ahead, .tdist = tdist,
                  .goff = goff, .part = 1};
    return run_ranks(&c, part, Q, nq, T);
}

int gk_knn_ranks(const gk_knn *idx, const gk_mat *Q, const int64_t *tstart,
                 const int64_t *targets, int64_t *ranks)
{
    GK_FAIL_IF(!idx || !tstart || !ranks || (Q && !Q->data), GK_EARG,
               "knn ranks: index, tstart and ranks must not be NULL");
    const int64_t nq = Q ? Q->rows : idx->g.rows, T = tstart[nq];
    GK_FAIL_IF(T > 0 && !targets, GK_EARG, "knn ranks: %lld targets but targets is NULL",
               (long long)T);
    GK_TRY(check_targets(idx, nq, tstart, targets, Q == NULL));
    if (Q) GK_TRY(knn_check_rows(idx, Q, "queries"));
    if (nq == 0 || T == 0) return GK_OK;
    rank_ctx c = {.tstart = tstart, .targets = targets, .ranks = ranks, .self = Q == NULL};
    return run_ranks(&c, idx, Q, nq, T);
}
