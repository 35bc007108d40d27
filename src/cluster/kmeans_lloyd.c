/*
** kmeans_lloyd.c — Lloyd's iterations for k-means (methods.md §4): the
** assignment step by GEMM in row tiles, fused with the sums of the update.
**
** The rows are cut into fixed chunks of whole KM_TILE-row tiles (the cut
** depends on N, K and D only).  In ONE OpenMP loop over the chunks, a thread
** takes a chunk and, tile by tile, computes G = X_t Cᵀ with a single-threaded
** sgemm and for every row
**   d_ij = ‖x_i‖² − 2 G_ij + ‖c_j‖²   (spherical: d_ij = 1 − G_ij, unit c_j),
**   a_i = argmin_j d_ij, ties → lower j,
** then adds the row (in double) to the chunk's partial sum of cluster a_i
** while it is still in cache.  Partials, inertia and change counts are added
** in chunk order afterwards, so X is read once per iteration and every number
** depends only on the data, never on the thread count.
** Update: centroid j = the mean of its rows (spherical: the normalised sum).
** Empty cluster (scikit-learn's rule): it takes the row farthest from its
** own centroid that no other empty cluster took (ties → lower row).
*/
#include <math.h>
#include <string.h>
#ifdef _OPENMP
#include <omp.h>
#endif

#include "core/error_internal.h"
#include "gapkit/linalg.h"
#include "kmeans_internal.h"
#include "linalg/blas_threads_internal.h"


static int thread_id(void)
{
#ifdef _OPENMP
    return omp_get_thread_num();
#else
    return 0;
#endif
}

void km_sq_norms(const float *a, int64_t rs, int64_t n, int64_t d, float *out)
{
    for (int64_t i = 0; i < n; i++) {
        const float *x = a + i * rs;
        double s = 0;
        for (int64_t l = 0; l < d; l++) s += (double)x[l] * x[l];
        out[i] = (float)s;
    }
}

/* Rows [r0, r0+nr) of one tile: nearest centroid of each; adds their
** distances to *sum and, with acc, the rows to the chunk's partial sums. */
static int assign_tile(const km_data *d, km_run *r, int64_t r0, int64_t nr, double *acc,
                       int64_t *cnt, double *sum, int64_t *changed)
{
    const int64_t k = r->k, dim = d->X->cols;
    float *g = d->scratch + (int64_t)thread_id() * KM_TILE * k;
    gk_mat xb = gk_mat_view_rows(d->X, r0, nr), G = {g, nr, k, k, 1, NULL};
    gk_mat C = {r->C, k, dim, dim, 1, NULL};
    GK_TRY(gk_gemm(0, 1, 1.0f, &xb, &C, 0.0f, &G));
    for (int64_t i = 0; i < nr; i++, g += k) {
        int32_t best = 0;
        float bd = INFINITY;
        for (int64_t j = 0; j < k; j++) {
            float dist = d->spherical ? 1.0f - g[j] : d->xnorm[r0 + i] - 2.0f * g[j] + d->cnorm[j];
            if (dist < bd) bd = dist, best = (int32_t)j;
        }
        *changed += r->assign[r0 + i] != best;
        r->assign[r0 + i] = best;
        r->dist[r0 + i] = bd > 0 ? bd : 0.0f; /* rounding can make ‖x − c‖² slightly < 0 */
        *sum += r->dist[r0 + i];
        if (!acc) continue;
        const float *restrict x = gk_mat_row(d->X, r0 + i);
        double *restrict s = acc + (int64_t)best * dim;
#pragma omp simd
        for (int64_t c = 0; c < dim; c++) s[c] += x[c];
        cnt[best]++;
    }
    return GK_OK;
}

/* Chunk q: its tiles in row order, into its own inertia, changes, partials. */
static int assign_chunk(const km_data *d, km_run *r, int64_t q, int accumulate)
{
    const int64_t n = d->X->rows, kd = r->k * d->X->cols, end = (q + 1) * d->chunk;
    double *acc = accumulate ? d->partial + q * kd : NULL;
    int64_t *cnt = d->pcount + q * r->k;
    if (acc) memset(acc, 0, (size_t)kd * sizeof *acc);
    memset(cnt, 0, (size_t)r->k * sizeof *cnt);
    d->chunk_sum[q] = 0;
    d->chunk_changed[q] = 0;
    for (int64_t r0 = q * d->chunk; r0 < n && r0 < end; r0 += KM_TILE) {
        const int64_t nr = n - r0 < KM_TILE ? n - r0 : KM_TILE;
        GK_TRY(assign_tile(d, r, r0, nr, acc, cnt, &d->chunk_sum[q], &d->chunk_changed[q]));
    }
    return GK_OK;
}

int km_assign(const km_data *d, km_run *r, int64_t *changed, int accumulate)
{
    int rc = GK_OK;
    km_sq_norms(r->C, d->X->cols, r->k, d->X->cols, d->cnorm);
    const int saved = gk_blas_serial();
#pragma omp parallel for schedule(dynamic, 1) num_threads(d->nt) reduction(| : rc) \
    if (d->n_chunks > 1)
    for (int64_t q = 0; q < d->n_chunks; q++) rc |= assign_chunk(d, r, q, accumulate);
    gk_blas_restore(saved);
    GK_FAIL_IF(rc, GK_ESHAPE, "kmeans: assignment GEMM failed");
    double s = 0;
    int64_t ch = 0;
    for (int64_t q = 0; q < d->n_chunks; q++) s += d->chunk_sum[q], ch += d->chunk_changed[q];
    r->inertia = s;
    if (changed) *changed = ch;
    return GK_OK;
}

/* The work arrays of the update step. */
typedef struct km_update {
    int64_t *count; /* (K,) */
    double *sum;    /* (K,D) */
    uint8_t *taken; /* (N,) rows given to empty clusters */
} km_update;

/* The farthest row not yet taken (ties → lower row). */
static int64_t farthest_row(const km_run *r, int64_t n, const uint8_t *taken)
{
    int64_t best = -1;
    for (int64_t i = 0; i < n; i++)
        if (!taken[i] && (best < 0 || r->dist[i] > r->dist[best])) best = i;
    return best;
}

/* u->sum (K,D) and u->count (K,): the chunks' partials added in chunk order. */
static void reduce_chunks(const km_data *d, const km_run *r, km_update *u)
{
    const int64_t kd = r->k * d->X->cols;
    memcpy(u->sum, d->partial, (size_t)kd * sizeof *u->sum);
    memcpy(u->count, d->pcount, (size_t)r->k * sizeof *u->count);
    for (int64_t q = 1; q < d->n_chunks; q++) {
        const double *p = d->partial + q * kd;
        for (int64_t e = 0; e < kd; e++) u->sum[e] += p[e];
        for (int64_t j = 0; j < r->k; j++) u->count[j] += d->pcount[q * r->k + j];
    }
}

/* New centroids into u->sum (double); returns Σ_j ‖c_new − c_old‖². */
static double update_centroids(const km_data *d, const km_run *r, km_update *u)
{
    const int64_t n = d->X->rows, dim = d->X->cols, k = r->k;
    reduce_chunks(d, r, u);
    memset(u->taken, 0, (size_t)n);
    double shift = 0;
    for (int64_t j = 0; j < k; j++) {
        double *s = u->sum + j * dim, scale = u->count[j] ? 1.0 / (double)u->count[j] : 0, ss = 0;
        if (!u->count[j]) {
            int64_t far = farthest_row(r, n, u->taken);
            u->taken[far] = 1;
            for (int64_t l = 0; l < dim; l++) s[l] = gk_mat_row(d->X, far)[l];
            scale = 1.0;
        }
        for (int64_t l = 0; d->spherical && l < dim; l++) ss += s[l] * s[l];
        if (d->spherical) scale = ss > 0 ? 1.0 / sqrt(ss) : 0;
        for (int64_t l = 0; l < dim; l++) {
            s[l] *= scale;
            double delta = s[l] - r->C[j * dim + l];
            shift += delta * delta;
        }
    }
    return shift;
}

static int update_alloc(int64_t n, int64_t k, int64_t dim, km_update *u)
{
    u->count = gk_malloc((size_t)k * sizeof *u->count);
    u->sum = gk_malloc((size_t)k * (size_t)dim * sizeof *u->sum);
    u->taken = gk_malloc((size_t)n);
    GK_FAIL_IF(!u->count || !u->sum || !u->taken, GK_ENOMEM,
               "kmeans: out of memory for the update of %lld centroids", (long long)k);
    return GK_OK;
}

static void update_free(km_update *u)
{
    gk_free(u->count);
    gk_free(u->sum);
    gk_free(u->taken);
}

int km_lloyd(const km_data *d, km_run *r, int max_iter, double tol_abs)
{
    const int64_t n = d->X->rows, dim = d->X->cols;
    km_update u = {0};
    int rc = update_alloc(n, r->k, dim, &u), strict = 0;
    for (int64_t i = 0; i < n; i++) r->assign[i] = -1;
    r->n_iter = 0;
    for (int it = 0; rc == GK_OK && it < max_iter; it++) {
        int64_t changed = 0;
        GK_TRY_GOTO(rc, km_assign(d, r, &changed, 1), cleanup);
        if (it > 0 && changed == 0) {
            strict = 1; /* centroids are the means of their rows: converged */
            break;
        }
        double shift = update_centroids(d, r, &u);
        for (int64_t q = 0; q < r->k * dim; q++) r->C[q] = (float)u.sum[q];
        r->n_iter = it + 1;
        if (shift <= tol_abs) break;
    }
    /* labels and inertia must belong to the centroids returned */
    if (rc == GK_OK && !strict) rc = km_assign(d, r, NULL, 0);
cleanup:
    update_free(&u);
    return rc;
}
