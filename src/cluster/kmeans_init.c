/*
** kmeans_init.c — greedy k-means++ seeding (Arthur & Vassilvitskii 2007,
** with scikit-learn's local trials).
**
** On the sample rows s_1..s_n: the first centre is a uniformly drawn row;
** then, with D_i the squared distance of s_i to its nearest chosen centre
** and P = Σ_i D_i, each new centre is the best of L = 2 + ⌊ln K⌋ candidates
** drawn with probability D_i / P (candidate = first i whose prefix sum of
** D reaches u·P, u uniform in [0,1)): the candidate that leaves the smallest
** new P (ties → earlier candidate).  Distances come from one sgemm of the
** sample against the L candidates per step: ‖s − c‖² = ‖s‖² − 2 s·c + ‖c‖².
** Sums run in row order in double, so the result depends only on the seed.
*/
#include <math.h>
#include <string.h>

#include "core/error_internal.h"
#include "gapkit/linalg.h"
#include "kmeans_internal.h"
#include "linalg/linalg_internal.h"

typedef struct pp_state {
    const gk_mat *S;   /* (n,D) sample rows */
    int64_t n, d, L;
    float *sn;         /* (n,) ‖s_i‖² */
    double *closest;   /* (n,) D_i */
    double *cum;       /* (n,) prefix sums of D */
    float *cand;       /* (L,D) candidate rows */
    float *dist;       /* (n,L) squared distances to the candidates */
    int64_t id[64];    /* candidate rows */
} pp_state;

/* dist (n, L) = squared distances of every sample row to the L rows in cand. */
static int candidate_dists(pp_state *p, int64_t L)
{
    gk_mat C = {p->cand, L, p->d, p->d, 1, NULL}, D = {p->dist, p->n, L, L, 1, NULL};
    GK_TRY(gk_gemm_rows(1, 1.0f, p->S, &C, 0.0f, &D));
    float cn[64];
    for (int64_t t = 0; t < L; t++) cn[t] = p->sn[p->id[t]];
#pragma omp parallel for schedule(static) if (p->n * L > GK_OMP_MIN_WORK)
    for (int64_t i = 0; i < p->n; i++)
        for (int64_t t = 0; t < L; t++) {
            float v = p->sn[i] - 2.0f * p->dist[i * L + t] + cn[t];
            p->dist[i * L + t] = v > 0 ? v : 0.0f;
        }
    return GK_OK;
}

/* Draws L candidates with probability D_i / P into p->id and p->cand. */
static void draw_candidates(pp_state *p, gk_rng *rng, int64_t L)
{
    double acc = 0;
    for (int64_t i = 0; i < p->n; i++) p->cum[i] = (acc += p->closest[i]);
    for (int64_t t = 0; t < L; t++) {
        double u = gk_rng_uniform(rng) * acc;
        int64_t lo = 0, hi = p->n - 1;
        while (lo < hi) { /* first i with cum[i] >= u */
            int64_t mid = lo + (hi - lo) / 2;
            if (p->cum[mid] >= u) hi = mid;
            else lo = mid + 1;
        }
        p->id[t] = lo;
        memcpy(p->cand + t * p->d, gk_mat_row(p->S, lo), (size_t)p->d * sizeof(float));
    }
}

/* Keeps the candidate with the smallest new potential; returns its slot. */
static int64_t choose(pp_state *p, int64_t L)
{
    int64_t best = 0;
    double best_pot = INFINITY;
    for (int64_t t = 0; t < L; t++) {
        double pot = 0;
        for (int64_t i = 0; i < p->n; i++) {
            double v = p->dist[i * L + t];
            pot += v < p->closest[i] ? v : p->closest[i];
        }
        if (pot < best_pot) best_pot = pot, best = t;
    }
    for (int64_t i = 0; i < p->n; i++) {
        double v = p->dist[i * L + best];
        if (v < p->closest[i]) p->closest[i] = v;
    }
    return best;
}

static int pp_alloc(pp_state *p)
{
    p->sn = gk_malloc((size_t)p->n * sizeof *p->sn);
    p->closest = gk_malloc((size_t)p->n * sizeof *p->closest);
    p->cum = gk_malloc((size_t)p->n * sizeof *p->cum);
    p->cand = gk_malloc((size_t)p->L * (size_t)p->d * sizeof *p->cand);
    p->dist = gk_malloc((size_t)p->n * (size_t)p->L * sizeof *p->dist);
    GK_FAIL_IF(!p->sn || !p->closest || !p->cum || !p->cand || !p->dist, GK_ENOMEM,
               "kmeans++: out of memory for %lld sample rows", (long long)p->n);
    km_sq_norms(p->S->data, p->S->rs, p->n, p->d, p->sn);
    return GK_OK;
}

static void pp_free(pp_state *p)
{
    gk_free(p->sn);
    gk_free(p->closest);
    gk_free(p->cum);
    gk_free(p->cand);
    gk_free(p->dist);
}

/* The seeding proper on the sample S (n,D). */
static int seed_centres(pp_state *p, int64_t k, gk_rng *rng, float *C)
{
    GK_TRY(pp_alloc(p));
    p->id[0] = (int64_t)gk_rng_below(rng, (uint64_t)p->n);
    memcpy(p->cand, gk_mat_row(p->S, p->id[0]), (size_t)p->d * sizeof(float));
    memcpy(C, p->cand, (size_t)p->d * sizeof(float));
    GK_TRY(candidate_dists(p, 1));
    for (int64_t i = 0; i < p->n; i++) p->closest[i] = p->dist[i];
    for (int64_t c = 1; c < k; c++) {
        draw_candidates(p, rng, p->L);
        GK_TRY(candidate_dists(p, p->L));
        int64_t t = choose(p, p->L);
        memcpy(C + c * p->d, p->cand + t * p->d, (size_t)p->d * sizeof(float));
    }
    return GK_OK;
}

int km_plusplus(const km_data *d, const int64_t *idx, int64_t n, int64_t k, gk_rng *rng,
                float *C)
{
    gk_mat *S = NULL;
    if (idx) GK_TRY(gk_mat_select_rows(d->X, idx, n, &S));
    pp_state p;
    memset(&p, 0, sizeof p);
    p.S = S ? S : d->X;
    p.n = n;
    p.d = d->X->cols;
    p.L = 2 + (int64_t)floor(log((double)k));
    if (p.L > 64) p.L = 64;
    int rc = seed_centres(&p, k, rng, C);
    pp_free(&p);
    gk_mat_free(S);
    return rc;
}
