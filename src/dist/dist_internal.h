/*
** dist_internal.h — what the distributed steps share inside the library:
** the MPI header when the build has it.  Not installed.
*/
#ifndef GAPKIT_DIST_INTERNAL_H
#define GAPKIT_DIST_INTERNAL_H

#ifdef GK_HAVE_MPI
#include <mpi.h>
#endif

#include "gapkit/dist.h"

/* Collective: Σ over ranks of v (row counts). */
int64_t dist_total(int64_t v);

/* Blocks of GK_CROSS_BLOCK rows in a shard of `rows` rows (the last may be short). */
int64_t dist_local_blocks(int64_t rows);

/* Collective: gk_cross_moments() of the rows spread over the ranks (X, Y this
** rank's shard of N rows), bitwise, on every rank. */
int dist_cross_moments(const gk_mat *X, const gk_mat *Y, int64_t n, double *mux, double *muy,
                       double *ssx, double *ssy, double *M);

/* Collective: G (D,D) = gk_cross_centered(X, mu, X, mu, G) over all ranks' rows. */
int dist_cross_gram(const gk_mat *X, const double *mu, double *G);

#endif
