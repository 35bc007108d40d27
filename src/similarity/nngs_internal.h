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

/* "k = 10" or "k = 199 (20% of N−1)" into buf. */
void nbr_k_text(char *buf, size_t cap, int64_t k, double frac);

#endif
