/*
** kmeans.c — k-means with restarts (methods.md §4): each restart r seeds
** its own generator from (seed, r), runs k-means++ on a sample of the rows
** (or starts from given centroids) and Lloyd's iterations on all rows; the
** restart with the lowest inertia wins (ties → the earlier restart).
** Tolerance as scikit-learn: Lloyd stops when Σ_j ‖Δc_j‖² <= tol · mean_l
** var(X[:, l]) (population variance of each column).
*/
#include <string.h>

#include "core/error_internal.h"
#include "gapkit/linalg.h"
#include "kmeans_internal.h"
#include "linalg/linalg_internal.h"

gk_kmeans_opts gk_kmeans_opts_default(void)
{
    gk_kmeans_opts o;
    memset(&o, 0, sizeof o);
    o.k = 8;
    o.n_init = 10;
    o.max_iter = 300;
    o.tol = 1e-4;
    return o;
}

static int check_kmeans(const gk_mat *X, const gk_kmeans_opts *o)
{
    GK_FAIL_IF(!X || !o, GK_EARG, "kmeans: NULL argument");
    GK_FAIL_IF(X->cs != 1, GK_ESHAPE, "kmeans: rows must be contiguous (cs == 1)");
    GK_FAIL_IF(o->k < 1 || o->k > X->rows, GK_EARG, "kmeans: k = %lld outside 1..%lld (rows)",
               (long long)o->k, (long long)X->rows);
    GK_FAIL_IF(o->n_init < 1 || o->max_iter < 1 || o->tol < 0, GK_EARG,
               "kmeans: n_init = %d and max_iter = %d must be >= 1, tol = %g >= 0", o->n_init,
               o->max_iter, o->tol);
    GK_FAIL_IF(o->init && (o->init->rows != o->k || o->init->cols != X->cols), GK_ESHAPE,
               "kmeans: initial centroids are (%lld, %lld), expected (%lld, %lld)",
               (long long)o->init->rows, (long long)o->init->cols, (long long)o->k,
               (long long)X->cols);
    return GK_OK;
}

/* tol · mean column variance of X. */
static int absolute_tol(const gk_mat *X, double tol, double *out)
{
    const int64_t d = X->cols;
    double *mu = gk_malloc((size_t)d * sizeof *mu), sumsq = 0, m2 = 0;
    GK_FAIL_IF(!mu, GK_ENOMEM, "kmeans: out of memory");
    int rc = gk_col_mean_blocked(X, mu, &sumsq);
    for (int64_t l = 0; l < d; l++) m2 += mu[l] * mu[l];
    /* Σ_l var_l = (1/N) Σ_i ‖x_i‖² − ‖μ‖² */
    *out = tol * (sumsq / (double)X->rows - m2) / (double)d;
    gk_free(mu);
    return rc;
}

static void run_free(km_run *r)
{
    gk_free(r->C);
    gk_free(r->assign);
    gk_free(r->dist);
}

static int run_alloc(int64_t n, int64_t k, int64_t d, km_run *r)
{
    memset(r, 0, sizeof *r);
    r->k = k;
    r->C = gk_malloc((size_t)k * (size_t)d * sizeof *r->C);
    r->assign = gk_malloc((size_t)n * sizeof *r->assign);
    r->dist = gk_malloc((size_t)n * sizeof *r->dist);
    GK_FAIL_IF(!r->C || !r->assign || !r->dist, GK_ENOMEM, "kmeans: out of memory");
    return GK_OK;
}

/* Rows per chunk: 4 tiles, grown so that all partial sums stay within
** 256 MB (a function of N, K, D only: the thread count must not matter). */
static int64_t chunk_rows(int64_t n, size_t kd)
{
    const double budget = 256.0 * 1024 * 1024 / (8.0 * (double)kd); /* chunks that fit */
    int64_t c = 4 * KM_TILE;
    while ((double)((n + c - 1) / c) > budget && c < n) c *= 2;
    return c;
}

static int data_alloc(const gk_mat *X, const gk_kmeans_opts *o, km_data *d)
{
    memset(d, 0, sizeof *d);
    d->X = X;
    d->spherical = o->spherical;
    const size_t kd = (size_t)o->k * (size_t)X->cols;
    d->nt = gk_get_threads() > 0 ? gk_get_threads() : 1;
    d->chunk = chunk_rows(X->rows, kd);
    d->n_chunks = (X->rows + d->chunk - 1) / d->chunk;
    d->scratch = gk_malloc((size_t)d->nt * KM_TILE * (size_t)o->k * sizeof *d->scratch);
    d->cnorm = gk_malloc((size_t)o->k * sizeof *d->cnorm);
    d->chunk_sum = gk_malloc((size_t)d->n_chunks * sizeof *d->chunk_sum);
    d->chunk_changed = gk_malloc((size_t)d->n_chunks * sizeof *d->chunk_changed);
    d->partial = gk_malloc((size_t)d->n_chunks * kd * sizeof *d->partial);
    d->pcount = gk_malloc((size_t)d->n_chunks * (size_t)o->k * sizeof *d->pcount);
    if (!o->spherical) d->xnorm = gk_malloc((size_t)X->rows * sizeof *d->xnorm);
    GK_FAIL_IF(!d->scratch || !d->cnorm || !d->chunk_sum || !d->chunk_changed || !d->partial ||
               !d->pcount || (!o->spherical && !d->xnorm), GK_ENOMEM, "kmeans: out of memory");
    if (d->xnorm) km_sq_norms(X->data, X->rs, X->rows, X->cols, d->xnorm);
    return GK_OK;
}

static void data_free(km_data *d)
{
    gk_free(d->scratch);
    gk_free(d->cnorm);
    gk_free(d->chunk_sum);
    gk_free(d->chunk_changed);
    gk_free(d->partial);
    gk_free(d->pcount);
    gk_free(d->xnorm);
}

/* The sample rows of k-means++: all rows, or a seeded subset (ascending). */
static int init_sample(const gk_kmeans_opts *o, int64_t n, gk_rng *rng, int64_t **idx,
                       int64_t *m)
{
    int64_t cap = o->init_sample > 0 ? o->init_sample : 256 * o->k;
    *idx = NULL;
    *m = n;
    if (cap >= n) return GK_OK;
    int64_t *all = gk_malloc((size_t)n * sizeof *all);
    GK_FAIL_IF(!all, GK_ENOMEM, "kmeans: out of memory");
    for (int64_t i = 0; i < n; i++) all[i] = i;
    gk_rng_shuffle(rng, all, n);
    *m = cap > o->k ? cap : o->k;
    *idx = all;
    return GK_OK;
}

/* One restart: seeding (or given centroids), then Lloyd. */
static int one_run(const km_data *d, const gk_kmeans_opts *o, int r, double tol_abs,
                   km_run *run)
{
    const int64_t dim = d->X->cols;
    if (o->init) {
        for (int64_t j = 0; j < o->k; j++)
            for (int64_t l = 0; l < dim; l++) run->C[j * dim + l] = gk_mat_at(o->init, j, l);
    } else {
        gk_rng rng;
        int64_t *idx = NULL, m;
        gk_rng_seed(&rng, o->seed * 0x9E3779B97F4A7C15ULL + (uint64_t)r);
        GK_TRY(init_sample(o, d->X->rows, &rng, &idx, &m));
        int rc = km_plusplus(d, idx, m, o->k, &rng, run->C);
        gk_free(idx);
        GK_TRY(rc);
    }
    return km_lloyd(d, run, o->max_iter, tol_abs);
}

/* Moves the winning run into a result. */
static int make_result(const gk_mat *X, km_run *best, int r, gk_kmeans_result **out)
{
    gk_kmeans_result *res = gk_calloc(1, sizeof *res);
    GK_FAIL_IF(!res, GK_ENOMEM, "kmeans: out of memory");
    res->n = X->rows, res->d = X->cols, res->k = best->k;
    res->inertia = best->inertia;
    res->n_iter = best->n_iter;
    res->best_init = r;
    res->assign = best->assign;
    res->centroids = best->C;
    best->assign = NULL;
    best->C = NULL;
    *out = res;
    return GK_OK;
}

int gk_kmeans(const gk_mat *X, const gk_kmeans_opts *opts, gk_kmeans_result **out)
{
    GK_FAIL_IF(!out, GK_EARG, "kmeans: NULL output");
    *out = NULL;
    GK_TRY(check_kmeans(X, opts));
    gk_kmeans_opts o = *opts;
    if (o.init) o.n_init = 1;
    km_data d;
    km_run best = {0}, cur = {0};
    double tol_abs = 0;
    int32_t *all = NULL; /* (n_init, N) every restart's clusters */
    int best_r = -1, rc;
    GK_TRY_GOTO(rc, data_alloc(X, &o, &d), cleanup);
    GK_TRY_GOTO(rc, absolute_tol(X, o.tol, &tol_abs), cleanup);
    GK_TRY_GOTO(rc, run_alloc(X->rows, o.k, X->cols, &best), cleanup);
    GK_TRY_GOTO(rc, run_alloc(X->rows, o.k, X->cols, &cur), cleanup);
    all = gk_malloc((size_t)o.n_init * (size_t)X->rows * sizeof *all);
    if (!all) GK_FAIL_GOTO(rc, GK_ENOMEM, cleanup, "kmeans: out of memory");
    for (int r = 0; r < o.n_init; r++) {
        GK_TRY_GOTO(rc, one_run(&d, &o, r, tol_abs, &cur), cleanup);
        memcpy(all + (size_t)r * (size_t)X->rows, cur.assign, (size_t)X->rows * sizeof *all);
        if (best_r < 0 || cur.inertia < best.inertia) {
            km_run t = best;
            best = cur, cur = t, best_r = r;
        }
    }
    rc = make_result(X, &best, best_r, out);
    if (rc == GK_OK) (*out)->n_restarts = o.n_init, (*out)->restart_assign = all, all = NULL;
cleanup:
    gk_free(all);
    run_free(&best);
    run_free(&cur);
    data_free(&d);
    return rc;
}

void gk_kmeans_result_free(gk_kmeans_result *r)
{
    if (!r) return;
    gk_free(r->assign);
    gk_free(r->centroids);
    gk_free(r->restart_assign);
    gk_free(r);
}
