/*
** cluster.h — k-means (k-means++ and Lloyd) and the external scores of a clustering
** (V-measure, NMI, ARI, ... as scikit-learn) (methods.md §4).
*/
#ifndef GAPKIT_CLUSTER_H
#define GAPKIT_CLUSTER_H

#include "matrix.h"

#ifdef __cplusplus
extern "C" {
#endif
GK_API_BEGIN

typedef struct gk_kmeans_opts {
    int64_t k;            /* C clusters, 1..N (default 8) */
    int n_init;           /* restarts; the lowest inertia wins (default 10) */
    int max_iter;         /* Lloyd iterations per restart (default 300) */
    double tol;           /* stop when Σ_j ‖Δc_j‖² <= tol · mean column variance (1e-4) */
    int spherical;        /* 1: unit centroids, assignment by cosine, inertia Σ (1 − x·c) */
    uint64_t seed;        /* restart r draws from a generator seeded by (seed, r) */
    int64_t init_sample;  /* rows k-means++ seeds from: 0 = min(N, 256·k), a seeded subset */
    const gk_mat *init;   /* (K,D) initial centroids instead of k-means++ (then one run) */
} gk_kmeans_opts;

/*! gk_kmeans_opts_default() : @return : the defaults listed above. */
gk_kmeans_opts gk_kmeans_opts_default(void);

typedef struct gk_kmeans_result {
    int64_t n, d, k;    /* N rows, D, K clusters */
    int32_t *assign;    /* (N,) cluster of each row, in [0,K) */
    float *centroids;   /* (K,D) row-major */
    double inertia;     /* Σ_i ‖x_i − c_{a_i}‖² (spherical: Σ_i (1 − x_i·c_{a_i})), double */
    int n_iter;         /* Lloyd iterations of the winning restart */
    int best_init;      /* which restart won */
    int n_restarts;     /* R restarts run */
    int32_t *restart_assign; /* (R,N) row-major: each restart's clusters (row best_init
                                equals assign), for the spread of scores over restarts */
} gk_kmeans_result;

/*! gk_kmeans() : k-means of the rows of X (N,D), cs == 1: greedy k-means++
 *  seeding (2 + ⌊ln K⌋ local trials, on opts->init_sample rows), then
 *  Lloyd's iterations on all rows; assignment by gk_gemm_rows in blocks of 4096
 *  rows (block × K floats of scratch, never N × K), centroids summed in
 *  double per chunk of 4096 rows and the chunks added in order (at most
 *  256 MB of chunk sums held); an empty cluster takes the row farthest from its
 *  centroid.  Labels and inertia belong to the returned centroids.  Same
 *  seed and data give the same result whatever the thread count.
 *  @return : GK_OK, GK_EARG (k, n_init, max_iter, tol), GK_ESHAPE, GK_ENOMEM.
 *  *out : caller owns, free with gk_kmeans_result_free(); NULL on failure. */
int gk_kmeans(const gk_mat *X, const gk_kmeans_opts *opts, gk_kmeans_result **out);

/*! gk_kmeans_result_free() : NULL is a no-op. */
void gk_kmeans_result_free(gk_kmeans_result *r);

/* External scores of a clustering against true classes (scikit-learn 1.2's
** definitions and degenerate cases; natural logarithms). */
typedef struct gk_cluster_scores {
    int64_t n;                   /* rows scored */
    int32_t n_classes, n_clusters; /* distinct values of each labelling */
    double homogeneity, completeness, v_measure; /* V = 2hc/(h+c) (= NMI, arithmetic) */
    double nmi;                  /* MI / ((H(C) + H(K)) / 2) */
    double ari;                  /* adjusted Rand index */
    double purity;               /* (1/N) Σ_k max_c n_ck */
    double mutual_info;          /* MI in nats */
} gk_cluster_scores;

/*! gk_cluster_scores_eval() : scores of clusters (N,) against labels (N,),
 *  any int32 values (renumbered internally); O(N log N), O(N) memory.
 *  @return : GK_OK, GK_EARG (NULL, N < 1), GK_ENOMEM.  *out filled. */
int gk_cluster_scores_eval(const int32_t *labels, const int32_t *clusters, int64_t n,
                           gk_cluster_scores *out);

GK_API_END
#ifdef __cplusplus
}
#endif
#endif /* GAPKIT_CLUSTER_H */
