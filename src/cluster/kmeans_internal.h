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

/* The rows are cut into fixed chunks of KM_CHUNK rows (never dependent on
** the thread count); a chunk is assigned and summed by one thread in row
** order into its own partial sums, and the partials are added in chunk
** order, so X is read once per iteration and every number is the same for
** any thread count.  The chunks run in waves whose partials fit in 256 MB,
** each wave's added before the next starts (under MPI: one wave, whose
** partials the running sum over the ranks adds). */
#define KM_CHUNK (4 * KM_TILE) /* = GK_CROSS_BLOCK: shards start at whole chunks */
typedef struct km_data {
    const gk_mat *X;   /* (N,D), cs == 1: all rows, or this rank's shard */
    int dist;          /* 1: X is this rank's rows of a k-means over MPI ranks (dist_kmeans.c) */
    int64_t n_all;     /* rows over every rank (X->rows in one process) */
    int64_t r0;        /* global row of X's row 0 */
    float *xnorm;      /* (N,) ‖x_i‖² (NULL when spherical) */
    int spherical;
    int nt;            /* threads (gk_get_threads() at allocation) */
    int64_t n_chunks;  /* chunks of X (KM_CHUNK rows, the last may be short) */
    int64_t wave;      /* chunks whose partials are held at once (0 when none) */
    float *scratch;    /* (nt, KM_TILE, K) similarities, one tile per thread */
    float *cnorm;      /* (K,) ‖c_j‖² during an assignment */
    double *chunk_sum; /* (wave,) inertia of each chunk of a wave */
    int64_t *chunk_changed; /* (wave,) changed assignments of each chunk */
    double *partial;   /* (wave, K, D) per-chunk sums of each cluster's rows */
    int64_t *pcount;   /* (wave, K) per-chunk cluster sizes */
    double *sum;       /* (K, D) every chunk's partials added in chunk order */
    int64_t *count;    /* (K,) cluster sizes */
} km_data;

/* At most this many chunks per wave when > 0 (tests: waves of any size give
** the same bits); 0 = the memory budget alone. */
extern int64_t km_wave_cap;

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
** each cluster's sum and size into d->sum, d->count too. */
int km_assign(const km_data *d, km_run *r, int64_t *changed, int accumulate);

/* Lloyd iterations from r->C until max_iter, no change, or a centroid shift
** Σ‖Δc‖² <= tol_abs; then a final assignment against the final centroids. */
int km_lloyd(const km_data *d, km_run *r, int max_iter, double tol_abs);

/* k-means++ seeding (greedy, 2 + ⌊ln K⌋ local trials per centre, like
** scikit-learn) on `sample` rows idx (n,) of X: centroids into C (K,D). */
int km_plusplus(const km_data *d, const int64_t *idx, int64_t n, int64_t k, gk_rng *rng,
                float *C);

/* k-means of X (the whole input, or with dist this rank's rows of one
** spread over the ranks: collective, the chunks then must be GK_CROSS_BLOCK
** rows).  Under dist, assign and restart_assign are gathered on rank 0 (NULL
** on the others). */
int km_kmeans(const gk_mat *X, const gk_kmeans_opts *o, int dist, gk_kmeans_result **out);

/*  The steps of k-means over MPI ranks whose result must be one process's
**  (src/dist/dist_kmeans.c); called when d->dist.  Collective. */
/* Σ of every chunk's inertia in global chunk order; changed rows over ranks. */
void km_dist_inertia(const km_data *d, double *sum, int64_t *changed);
/* sum (K,D), count (K,): every chunk's partials over the ranks, in chunk order
** (under MPI a rank's chunks form one wave). */
void km_dist_reduce(const km_data *d, int64_t k, double *sum, int64_t *count);
/* The row farthest from its centroid over the ranks, not yet taken (ties →
** lower global row): marked in taken on its rank, its values into s (D,). */
void km_dist_farthest(const km_data *d, const km_run *r, uint8_t *taken, double *s);
/* tol · mean column variance of the rows over the ranks (kmeans.c's absolute_tol). */
int km_dist_tol(const km_data *d, double tol, double *out);
/* S (m,D) = global rows idx[0..m) (NULL: rows 0..m−1) on every rank. */
int km_dist_sample(const km_data *d, const int64_t *idx, int64_t m, gk_mat **S);
/* Every restart's clusters and the winner's gathered on rank 0. */
int km_dist_gather(const km_data *d, int n_init, int32_t **all, int32_t **assign);

#endif
