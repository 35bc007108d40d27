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

/* Collective: μ (D,) = column means of the (n, D) rows spread over the ranks
** (G this rank's shard), bitwise gk_col_mean_blocked()'s. */
int dist_col_mean(const gk_mat *G, int64_t n, double *mu);

/* Collective: M (Dx,Dy) = gk_cross_centered(X, mux, Y, muy, M) (X, Y this
** rank's rows, paired), bitwise; X against itself with mux == muy is its
** Gram (dist_cross_gram), as in one process. */
int dist_cross_centered(const gk_mat *X, const double *mux, const gk_mat *Y, const double *muy,
                        double *M);

/* Collective: *out (n, D) row-major, owned (gk_mat_free) = every rank's rows
** X (gk_dist_row_range() of n) in row order, on every rank.  Memory: all n
** rows on every rank; traffic: each rank receives the other ranks' rows. */
int dist_all_rows(const gk_mat *X, int64_t n, gk_mat **out);

/* Called by dist_ring() for one shard: rows (nr, D), global rows [r0, r0+nr)
** of rank `owner`.  @return : GK_OK or an error code (message set). */
typedef int (*dist_ring_visit)(void *ud, const gk_mat *rows, int64_t r0, int owner);

/* Collective: visit() on every rank's shard of the (n, D) rows whose own
** shard is G (gk_dist_row_range rows): its own first, then those of rank−1,
** rank−2, … while the next one travels (two buffers of the largest shard).
** A failed visit stops this rank's visits, not the ring; every rank returns
** the same code. */
int dist_ring(const gk_mat *G, int64_t n, dist_ring_visit visit, void *ud);

/* Collective: one running state of `bytes` bytes passes from rank 0 to the
** last rank, each rank applying add(state, ud) to it once, in rank order;
** then every rank receives the final state.  Rank 0 starts from its own
** state; the others' is overwritten.  For running sums whose additions must
** be those of one process (a sum over rows in row order). */
void dist_chain(void *state, size_t bytes, void (*add)(void *state, void *ud), void *ud);

/* The rank holding global row i of n rows (gk_dist_row_range). */
int dist_owner_of(int64_t i, int64_t n);

/* Collective: CKNNA's three HSIC terms (out->hsic_xy, hsic_xx, hsic_yy) of
** the pairs spread over the ranks (X, Y this rank's rows of n), k
** neighbours by d (cosine or ip), bitwise cknna.c's (dist_cknna.c). */
int dist_cknna(const gk_mat *X, const gk_mat *Y, int64_t n, int64_t k, gk_distance d,
               gk_nbr_result *out);

/* Collective: records to the rank that needs them.  send holds cnt[s] bytes
** for rank s, ranks in order (each count < 2 GB); *recv (gk_free) receives
** *nbytes bytes, the sources in rank order.  `what` names the step in
** messages.  @return : GK_OK or GK_ENOMEM, the same on every rank. */
int dist_alltoall_bytes(const void *send, const int *cnt, void **recv, int64_t *nbytes,
                        const char *what);

/* Collective, in place: all (n, row_bytes) holds this rank's
** gk_dist_row_range() share of n rows at its place; on return every rank's
** share is there too.  n must fit one message (n <= INT_MAX).
** @return : GK_OK, GK_EARG, GK_ENOMEM, the same on every rank. */
int dist_allgather_rows(void *all, int64_t n, size_t row_bytes, const char *what);

/* The global duplicate table of a gallery spread over the ranks
** (dist_copies.c): what knn_find_copies() finds in one process, for all n
** rows, on every rank, and this rank's share of the DISTINCT rows.  Without
** copies (nd == n) every pointer is NULL. */
typedef struct dist_copies {
    int64_t n, nd;    /* rows; distinct rows */
    int64_t *dc;      /* (n,) distinct index of every global row (first copies numbered
                      ** in row order, as one process numbers its tiles) */
    int64_t *cstart;  /* (nd+1,) copies of distinct row c: copies[cstart[c] .. cstart[c+1]) */
    int64_t *copies;  /* (n,) global rows grouped by distinct row, ascending in a group */
    gk_mat rows;      /* this rank's distinct rows: gk_dist_row_range(nd) from d0; owned */
    int64_t d0;
} dist_copies;

/* Collective: the table of the (n, D) rows whose shard here is G
** (gk_dist_row_range rows); with want_rows, also moves the distinct rows to
** their shards.  @return : GK_OK, GK_EARG, GK_ENOMEM, the same on every rank. */
int dist_copies_build(const gk_mat *G, int64_t n, int want_rows, dist_copies *t);
void dist_copies_free(dist_copies *t);
#endif
