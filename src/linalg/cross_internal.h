/*
** cross_internal.h — gk_cross_moments() in pieces, for the distributed fit
** (src/dist): the per-block partial sums of a row shard, and the finishing
** step that turns their total into means, centred sums of squares and M.
** Adding the parts of every block in block order from 0 repeats exactly the
** additions of gk_cross_moments(), so the pieces give its bits.  Not installed.
*/
#ifndef GAPKIT_CROSS_INTERNAL_H
#define GAPKIT_CROSS_INTERNAL_H

#include "gapkit/matrix.h"

/* Doubles per block part: [P_b (dx·dy) | Σx̃, Σx̃² (2dx) | Σy, Σy² (2dy)]. */
int64_t cross_part_len(int64_t dx, int64_t dy);

/* c (2·dx, the first dx out) = column means of X's first block
** (min(rows, GK_CROSS_BLOCK) rows): the centre of the X side. */
void cross_first_block_mean(const gk_mat *X, double *c);

/* parts (nblocks, cross_part_len) of rows of X, Y that start a global block
** (nblocks = ⌈rows/GK_CROSS_BLOCK⌉, a block of fewer rows only last), X
** centred by c.  Threads as gk_cross_moments(); results do not depend on them. */
int cross_moment_parts(const gk_mat *X, const gk_mat *Y, const double *c, double *parts);

/* parts (nblocks, 2·D): per block of X, Σ_i x_ij then Σ_i x_ij² (j < D);
** their sum in block order, over N, is gk_col_mean_blocked()'s mean. */
void cross_col_sum_parts(const gk_mat *X, double *parts);

/* parts (nblocks, D·D): per block the Gram (X_b − 1μᵀ)ᵀ(X_b − 1μᵀ), both
** triangles; their sum in block order is gk_cross_centered(X, mu, X, mu). */
int cross_gram_parts(const gk_mat *X, const double *mu, double *parts);

/* From the totals (M (dx,dy), sx (2dx), sy (2dy)) over all N rows: means,
** centred sums of squares; M is centred in place. */
void cross_moment_finish(double *M, const double *sx, const double *sy, const double *c,
                         int64_t n, int64_t dx, int64_t dy, double *mux, double *muy,
                         double *ssx, double *ssy);

#endif
