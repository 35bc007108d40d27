/*
** nngs_internal.h — helpers shared by the neighbourhood measures of
** src/similarity (nngs*.c, nbr_measures.c, cknna.c).  Not installed.
*/
#ifndef GAPKIT_NNGS_INTERNAL_H
#define GAPKIT_NNGS_INTERNAL_H

#include "gapkit/nngs.h"

/*! gk_nngs_graphs() : NNGS raw from two precomputed kNN graphs: gx (N, ldx)
 *  and gy (N, ldy) row-major, the first k entries of each row used (k <=
 *  ldx, ldy: a graph of a larger k serves every smaller k).
 *  *raw = mean_i J_i; mutual (may be NULL) = mean_i I_i / k.
 *  @return : GK_OK, GK_EARG, GK_ENOMEM. */
int gk_nngs_graphs(const int64_t *gx, int64_t ldx, const int64_t *gy, int64_t ldy, int64_t n,
                   int64_t k, double *raw, double *mutual);

/* Checks X and Y for a measure called `what`: non-NULL, same row count,
** at least nmin rows.  @return : GK_OK, GK_EARG, GK_ESHAPE. */
int nbr_check(const char *what, const gk_mat *X, const gk_mat *Y, int64_t nmin);

/* The kNN graphs (N,k) of X and of Y (gk_knn_graph); *gx, *gy : caller
** frees with gk_free(); both NULL on failure.  Messages name X or Y. */
int nbr_graphs(const gk_mat *X, const gk_mat *Y, int64_t k, gk_distance d, int64_t **gx,
               int64_t **gy);

/* The start every measure shares: checks X and Y (at least nmin rows),
** resolves ks to *k in [kmin, N − kgap] and computes both kNN graphs
** (*gx, *gy as nbr_graphs).  @return : GK_OK or the first failure. */
int nbr_begin(const char *what, const gk_mat *X, const gk_mat *Y, gk_kspec ks, gk_distance d,
              int64_t nmin, int64_t kmin, int64_t kgap, int64_t *k, int64_t **gx, int64_t **gy);

/* I (N,) = |first k of row i of gx ∩ first k of row i of gy| (rows of
** ldx / ldy entries), rows in parallel.  @return : GK_OK, GK_ENOMEM. */
int nbr_overlaps(const int64_t *gx, int64_t ldx, const int64_t *gy, int64_t ldy, int64_t n,
                 int64_t k, int64_t *I);

/* Mean of I_i/(2k − I_i) over rows, summed in row order. */
double nbr_mean_jaccard(const int64_t *I, int64_t n, int64_t k);

/* Fills the fields every result has (measure name from kind). */
void nbr_result_init(gk_nbr_result *r, gk_nbr_kind kind, const gk_mat *X, const gk_mat *Y,
                     int64_t k, gk_kspec ks, gk_distance d);

/* An NNGS result (value, chance, estimator) from its raw mean Jaccard. */
void nngs_result_from_raw(gk_nbr_result *r, const gk_mat *X, const gk_mat *Y, int64_t k,
                          gk_kspec ks, gk_distance d, double raw);

/* A mutual k-NN result (value = raw = mutual, chance, estimator). */
void mutual_result(gk_nbr_result *r, const gk_mat *X, const gk_mat *Y, int64_t k, gk_kspec ks,
                   gk_distance d, double mutual);

/* A cycle k-NN result (value = share of items whose cycle closes, estimator). */
void cycle_result(gk_nbr_result *r, const gk_mat *X, const gk_mat *Y, int64_t k, gk_kspec ks,
                  gk_distance d, double share);

/* Kernel of rows i, j of A in double: the inner product, or the cosine
** (inv (N,) holds 1/‖row‖) when inv != NULL. */
double cknna_kernel(const gk_mat *A, const double *inv, int64_t i, int64_t j);

/* inv (N,) = 1/‖row i‖ of A. */
void cknna_inverse_norms(const gk_mat *A, double *inv);

/* A CKNNA result from its three HSIC terms (value, estimator).
** @return : GK_OK, GK_ENUMERIC when hsic_xx or hsic_yy is not > 0. */
int cknna_finish(gk_nbr_result *r);

/* ids (m,k) = the k nearest OTHER rows of rows[0..m) of A, the gallery of
** idx: the rows of gk_knn_graph() for those rows, found by gk_knn_query()
** with k+1 neighbours.  k <= N−1.  @return : as gk_knn_query(). */
int nbr_rows_knn(const gk_knn *idx, const gk_mat *A, const int64_t *rows, int64_t m, int64_t k,
                 int64_t *ids);

/* nbr_rows_knn with an index of A (distance d) built and freed here;
** *ids (m,k) : caller frees with gk_free(); NULL on failure, whose message
** starts with `name`. */
int nbr_sample_graphs(const gk_mat *A, gk_distance d, const int64_t *rows, int64_t m, int64_t k,
                      const char *name, int64_t **ids);

/* *mean of v (m,), and *half the half-width of its 95 % t interval with the
** finite-population correction for m rows drawn from n. */
void nbr_interval(const double *v, int64_t m, int64_t n, double *mean, double *half);

/* Sampled CKNNA over rows (m,) (cknna_sample.c): out filled as gk_cknna()
** with the estimated HSIC terms, value and ci_lo/ci_hi.  @return : as gk_cknna(). */
int cknna_sampled(const gk_mat *X, const gk_mat *Y, gk_kspec ks, gk_distance d,
                  const int64_t *rows, int64_t m, int64_t k, gk_nbr_result *out);

/* A scale of the NNGS sweep: k and the spec it came from. */
typedef struct nngs_scale {
    int64_t k;
    gk_kspec spec;
} nngs_scale;

/* The scales of ks[0..nk) that resolve to k in [1, N−2], without repeated
** k, ascending, into out (capacity nk); returns how many. */
int nngs_resolve_scales(const gk_kspec *ks, int nk, int64_t n, nngs_scale *out);

/* The start of both sweeps: checks X, Y (N >= 3) and the scales ks[0..nk)
** (NULL: the defaults), resolves them into s (capacity GK_NNGS_SWEEP_MAX),
** *ns of them.  @return : GK_OK; GK_EARG (bad count, no scale in range),
** GK_ESHAPE. */
int nngs_sweep_begin(const gk_mat *X, const gk_mat *Y, const gk_kspec *ks, int nk,
                     nngs_scale *s, int *ns);

/* "k = 10" or "k = 199 (20% of N−1)" into buf. */
void nbr_k_text(char *buf, size_t cap, int64_t k, double frac);

#endif
