/*
** kmeans_internal.h — what the k-means files share: one run's state, the
** blocked assignment step and the k-means++ seeding.  Not installed.
*/
#ifndef GAPKIT_KMEANS_INTERNAL_H
#define GAPKIT_KMEANS_INTERNAL_H

#include "gapkit/cluster.h"

#define KM_TILE 1024 /* rows per assignment tile: one single-threaded sgemm each */
/* Loops over fewer elements than this run on one thread: on a busy machine
** waking a team costs more than the work. */
#define GK_OMP_MIN_WORK (1 << 18)

/* The rows are cut into fixed chunks of whole tiles (the cut depends on N,
** K and D only, never on the thread count); a chunk is assigned and summed
** by one thread in row order into its own partial sums, and the partials are
** added in chunk order, so X is read once per iteration and every number is
** the same for any thread count. */
typedef struct km_data {
    const gk_mat *X;   /* (N,D), cs == 1 */
    float *xnorm;      /* (N,) ‖x_i‖² (NULL when spherical) */
    int spherical;
    int nt;            /* threads (gk_get_threads() at allocation) */
    int64_t chunk;     /* rows per chunk, a multiple of KM_TILE */
    int64_t n_chunks;
    float *scratch;    /* (nt, KM_TILE, K) similarities, one tile per thread */
    float *cnorm;      /* (K,) ‖c_j‖² during an assignment */
    double *chunk_sum; /* (n_chunks,) inertia of each chunk */
    int64_t *chunk_changed; /* (n_chunks,) changed assignments of each chunk */
    double *partial;   /* (n_chunks, K, D) per-chunk sums of each cluster's rows */
    int64_t *pcount;   /* (n_chunks, K) per-chunk cluster sizes */
} km_data;

/* One run: centroids C (K,D) row-major, assignment (N,), per-row distance
** (N,): ‖x − c‖² (spherical: 1 − x·c). */
typedef struct km_run {
    int64_t k;
    float *C;
    int32_t *assign;
    float *dist;
    double inertia;
    int n_iter;
} km_run;

/* out (n,) = ‖a_i‖² of the n rows of d floats at a + i·rs, summed in double
** in column order (the one place these norms are computed). */
void km_sq_norms(const float *a, int64_t rs, int64_t n, int64_t d, float *out);

/* Assigns every row to its nearest centroid (ties → lower index); fills
** r->assign, r->dist, r->inertia (sum of dist in double, row order).
** *changed (may be NULL) = rows whose assignment changed.  With `accumulate`
** the chunks' partial sums and counts of each cluster are filled too. */
int km_assign(const km_data *d, km_run *r, int64_t *changed, int accumulate);

/* Lloyd iterations from r->C until max_iter, no change, or a centroid shift
** Σ‖Δc‖² <= tol_abs; then a final assignment against the final centroids. */
int km_lloyd(const km_data *d, km_run *r, int max_iter, double tol_abs);

/* k-means++ seeding (greedy, 2 + ⌊ln K⌋ local trials per centre, like
** scikit-learn) on `sample` rows idx (n,) of X: centroids into C (K,D). */
int km_plusplus(const km_data *d, const int64_t *idx, int64_t n, int64_t k, gk_rng *rng,
                float *C);

#endif
