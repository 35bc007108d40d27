/*
** dist.h — running on several processes (MPI ranks) with the answer of one.
**
** When gapkit is started by mpirun or srun, gk_dist_init() joins the MPI job;
** otherwise (or in a build without MPI) it does nothing and the process is
** "rank 0 of 1".  Rows are split between ranks in whole blocks of
** GK_CROSS_BLOCK rows, and every sum over rows is a sum of per-block partial
** sums added in block order, so a distributed result is bitwise the result of
** one process, whatever the number of ranks (docs/distributed.md).
*/
#ifndef GAPKIT_DIST_H
#define GAPKIT_DIST_H

#include "align.h"
#include "cka.h"
#include "cluster.h"
#include "comet.h"
#include "gap.h"
#include "group.h"
#include "knn.h"
#include "nngs.h"
#include "retrieval.h"
#include "zeroshot.h"
#include "matrix.h"

#ifdef __cplusplus
extern "C" {
#endif

GK_API_BEGIN

/*====  the process group  ====*/

/*! gk_dist_init() : joins the MPI job when the environment shows a launcher
 *  (OMPI_COMM_WORLD_SIZE, PMI_SIZE or PMIX_RANK); otherwise a no-op.
 *  Call once, before any other gk_dist_* function.
 *  @return : GK_OK; GK_EINTERNAL if MPI fails to start; GK_EARG if launched
 *  by mpirun with more than one rank but built without MPI. */
int gk_dist_init(int *argc, char ***argv);

/*! gk_dist_finalize() : leaves the MPI job (no-op when not in one). */
void gk_dist_finalize(void);

/*! gk_dist_active() : @return : 1 when running under MPI (any rank count). */
int gk_dist_active(void);

/*! gk_dist_rank(), gk_dist_size() : this process's rank and the rank count
 *  (0 and 1 outside MPI). */
int gk_dist_rank(void);
int gk_dist_size(void);

/*! gk_dist_agree() : collective: the largest of every rank's `rc`, so all
 *  ranks take the same branch after a step that may fail on one of them.
 *  *failed_rank (may be NULL) receives the lowest rank with that code, or -1. */
int gk_dist_agree(int rc, int *failed_rank);

/*====  row shards  ====*/

/* This rank's rows of a (N,D) input.  `rows` is a view: rows [r0, r0+nr) of
** the global array, in global order. */
typedef struct gk_shard {
    gk_mat rows;      /* (nr,D) this rank's rows (borrowed from the storage below) */
    int64_t n;        /* N, rows of the whole input */
    int64_t r0;       /* first global row of this rank */
    gk_mat *store;    /* the mapped or copied storage; owned */
} gk_shard;

/*! gk_dist_row_range() : the rows [*r0, *r0 + *nr) of `rank` among `size`
 *  ranks for N rows: whole GK_CROSS_BLOCK-row blocks, the first ranks taking
 *  one block more when they do not divide evenly (a rank may get none). */
void gk_dist_row_range(int64_t n, int rank, int size, int64_t *r0, int64_t *nr);

/*! gk_shard_open() : collective: reads this rank's rows of `spec`.  `spec` is
 *  an input spec (io.h: memory-mapped, only this rank's rows are touched), or
 *  "@LIST": a text file naming one spec per line, whose rows follow one
 *  another (every shard must have the same width).  Rows are checked for
 *  NaN/Inf and, with `normalize`, L2-normalised.  Every rank returns the same
 *  code; the message of the failing rank names the shard and the rank.
 *  @return : GK_OK, or the codes of gk_load_matrix().  *out: free with
 *  gk_shard_free(); NULL on failure. */
int gk_shard_open(const char *spec, int normalize, gk_shard **out);

/*! gk_shard_open_pair() : collective: gk_shard_open() of X and of Y, paired
 *  by row: both must have the same row count N (GK_ESHAPE naming both
 *  specs).  *x, *y : free with gk_shard_free(); both NULL on failure. */
int gk_shard_open_pair(const char *xs, const char *ys, int normalize, gk_shard **x,
                       gk_shard **y);

/*! gk_shard_free() : NULL is a no-op. */
void gk_shard_free(gk_shard *s);

/*====  distributed computations  ====*/

/*! gk_dist_sum_blocks() : collective: total (len,) = Σ_b part_b over every
 *  rank's blocks in global block order (rank 0's first), starting from 0,
 *  on every rank.  parts (nb, len) are this rank's blocks, in order.  One
 *  running sum passes from rank to rank: (P−1)·len doubles, then a broadcast. */
int gk_dist_sum_blocks(const double *parts, int64_t nb, int64_t len, double *total);

/*! gk_dist_comet_fit() : collective: gk_comet_fit() of the pairs spread over
 *  the ranks: T and A are this rank's rows (gk_dist_row_range() of N), all
 *  ranks call it.  The model is bitwise the model of gk_comet_fit() on all N
 *  pairs in one process, whatever the rank count; every rank receives it.
 *  Memory per rank: its rows plus (rows/GK_CROSS_BLOCK + 2)·D_T·D_A doubles. */
int gk_dist_comet_fit(const gk_mat *T, const gk_mat *A, int64_t k, gk_comet **out);

/*! gk_dist_comet_fit_files() : collective: gk_dist_comet_fit() from input
 *  specs: each rank reads its rows of T and A (gk_shard_open_pair), all fit,
 *  rank 0 saves the model to `path` as gk_align_save() does (k rule fixed,
 *  weight w; atomic).  *out : the
 *  model on every rank (gk_comet_free); NULL on failure.  @return : the
 *  codes of those calls, the same on every rank. */
int gk_dist_comet_fit_files(const char *ts, const char *as, int normalize, int64_t k,
                            gk_comet_weight w, const char *path, gk_comet **out);

/*! gk_dist_cka() : collective: the feature-space similarity `name`
 *  ("cka-linear", "cka-unbiased", "svcca" or "procrustes", cka.h; opts as
 *  gk_cka_measure()'s, NULL = defaults) of pairs spread over the ranks (X, Y
 *  this rank's rows); *out is bitwise gk_cka_measure()'s on all N rows in one
 *  process, on every rank.  Memory per rank: its rows plus
 *  (rows/GK_CROSS_BLOCK + 2)·max(Dx,Dy)² doubles.
 *  @return : GK_OK; GK_EARG for another measure; the codes of gk_cka_measure(). */
int gk_dist_cka(const char *name, const gk_mat *X, const gk_mat *Y, const gk_cka_opts *opts,
                gk_cka_result *out);

/*! gk_dist_knn() : collective: the exact K nearest neighbours (knn.h: the
 *  keys, ORDER and distances of gk_knn_graph() and gk_knn_query()) of this
 *  rank's query rows among the gallery spread over the ranks.  G is this
 *  rank's gallery rows and Q its query rows (each gk_dist_row_range() of
 *  its file, as gk_shard_open() gives them); Q == NULL: the kNN graph of
 *  the gallery (Q = G, a row excludes itself), 1 <= K <= N−1, else
 *  1 <= K <= N.  ids (nq,K) receive GLOBAL gallery rows, dist (nq,K) (may
 *  be NULL) their distances; nq = this rank's query rows.  The lists are
 *  those of one process, bitwise, for any rank count.  The gallery shards
 *  pass around a ring: each rank holds its rows plus two travelling shards
 *  of N/P rows; each sends and receives (P−1)·N/P·D floats (twice with
 *  dist).  Bit-for-bit duplicate gallery rows are found by a global
 *  duplicate table (up to 32·N bytes per rank while built, 8·(2N + nd)
 *  kept, nd distinct rows) and the ring then passes the distinct rows, in
 *  the tiles of one process.
 *  @return : GK_OK, GK_EARG, GK_ESHAPE, GK_ENUMERIC, GK_ENOMEM; the same on
 *  every rank. */
int gk_dist_knn(const gk_mat *G, gk_distance d, const gk_mat *Q, int64_t k, int64_t *ids,
                float *dist);

/* The gathered answer of gk_dist_knn_run() (on rank 0; zero elsewhere). */
typedef struct gk_dist_knn_result {
    int64_t n_gallery, n_queries; /* N, and the rows listed (N for a graph) */
    int64_t n_distinct;           /* distinct gallery rows (N without copies) */
    int64_t *ids;                 /* (n_queries,K) global gallery rows; gk_free() */
    float *dist;                  /* (n_queries,K) distances, or NULL; gk_free() */
} gk_dist_knn_result;

/*! gk_dist_knn_run() : collective: gk_dist_knn() from input specs: each rank
 *  reads its rows of `gallery` and of `queries` (NULL: the graph) with
 *  gk_shard_open(spec, normalize), searches, and rank 0 gathers every
 *  rank's lists (with distances when want_dist) into *out.  Memory on rank
 *  0: the whole (Q,K) answer.  @return : the codes of gk_shard_open() and
 *  gk_dist_knn(), the same on every rank. */
int gk_dist_knn_run(const char *gallery, const char *queries, int normalize, gk_distance d,
                    int64_t k, int want_dist, gk_dist_knn_result *out);

/*! gk_dist_knn_summary_to_json() : gk_knn_summary_to_json() of the
 *  gathered answer r of gk_dist_knn_run() (on rank 0; r->dist may be NULL);
 *  *json freed with gk_free(). */
int gk_dist_knn_summary_to_json(const gk_dist_knn_result *r, gk_distance d, int self, int64_t k,
                                char **json);

/*! gk_dist_nbr_measure() : collective: the neighbourhood measure `name`
 *  ("nngs", "mutual-knn" or "cycle-knn", nngs.h) of pairs spread over the ranks (X, Y
 *  this rank's rows, gk_dist_row_range() of N); *out equals gk_nbr_measure()'s
 *  on all N rows in one process, bitwise, on every rank: the two kNN graphs
 *  come from gk_dist_knn() and the per-row terms are added in row order.
 *  Memory and traffic per rank: those of two gk_dist_knn() graphs (without
 *  distances) plus 2·(N/P)·K ids; cycle-knn also sends each X-edge to the
 *  rank of its row (an all-to-all of about (N/P)·K·16 bytes per rank).
 *  @return : GK_OK; GK_EARG for another measure; the codes of gk_nbr_measure()
 *  and gk_dist_knn(). */
int gk_dist_nbr_measure(const char *name, const gk_mat *X, const gk_mat *Y, gk_kspec ks,
                        gk_distance d, gk_nbr_result *out);

/*! gk_dist_distinct_rows() : collective: *nd = the number of distinct rows
 *  (bit for bit) of the (N,D) rows spread over the ranks, G this rank's
 *  gk_dist_row_range() share, as gk_mat_first_rows() counts them in one
 *  process.  The global duplicate table of gk_dist_knn(): up to 32·N bytes
 *  per rank; the hashes are all-gathered, equal hashes confirmed byte for
 *  byte around the ring.  @return : GK_OK, GK_EARG, GK_ENOMEM, the same on
 *  every rank. */
int gk_dist_distinct_rows(const gk_mat *G, int64_t *nd);

/*! gk_dist_similarity_supported() : @return : 1 when the similarity
 *  measure `name` runs over ranks (gk_dist_cka, gk_dist_nbr_measure), else 0. */
int gk_dist_similarity_supported(const char *name);

/*! gk_dist_gather_rows() : collective: rank 0 receives every rank's `rows`
 *  rows of `width` elements of `elem` bytes, in rank order (= global row
 *  order for gk_dist_row_range() shards).  *all : on rank 0 the (Σ rows,
 *  width) array, caller frees with gk_free(); NULL on the others.  Memory
 *  on rank 0: the whole array.  @return : GK_OK, GK_EARG, GK_ENOMEM (same
 *  on every rank). */
int gk_dist_gather_rows(const void *mine, int64_t rows, int64_t width, size_t elem, void **all);

/*! gk_dist_write_rows() : collective: the float32 .npy `path` of every
 *  rank's rows `mine` (contiguous (R, width), R may be 0, mine may then be
 *  NULL) in rank order, written by rank 0 atomically as they arrive (a
 *  stream: rank 0 holds its own rows and one message of 4096 rows, never
 *  the whole array).  A failure on any rank leaves no file.  @return :
 *  GK_OK, GK_EARG, GK_EIO, GK_ENOMEM (the same on every rank). */
int gk_dist_write_rows(const gk_mat *mine, int64_t width, const char *path);

/*! gk_dist_kmeans() : collective: gk_kmeans() of the rows spread over the
 *  ranks (X this rank's rows, gk_dist_row_range() of N).  Centroids,
 *  inertia, n_iter and the clusters are bitwise those of gk_kmeans() on all
 *  N rows in one process, for any rank count: chunk partial sums added in
 *  chunk order, k-means++ on the gathered sample.  *out on every rank; its
 *  assign (N,) and restart_assign (R,N) on rank 0 only (NULL elsewhere).
 *  Memory per rank: its rows' chunk partials
 *  ⌈rows/GK_CROSS_BLOCK⌉·K·D·8 bytes and the seeding sample (≤ 256·K rows).
 *  @return : the codes of gk_kmeans(), the same on every rank. */
int gk_dist_kmeans(const gk_mat *X, const gk_kmeans_opts *opts, gk_kmeans_result **out);

/*! gk_dist_group_cluster() : collective: the clustering task of
 *  gk_group_eval() (k-means scored against the classes; no kNN, no probe)
 *  with gk_dist_kmeans(): y (N,) the classes of ALL rows, on every rank;
 *  *out on rank 0 equals gk_group_eval()'s with do_knn = do_probe = 0
 *  (inertia and counts on every rank).  @return : as gk_group_eval(). */
int gk_dist_group_cluster(const gk_mat *X, const int32_t *y, const gk_group_opts *opts,
                          gk_group_result *out);

/*! gk_dist_align_supported() : @return : 1 when the align method of `o`
 *  on n_views views fits over ranks (identity, center, shift, ablate,
 *  procrustes, cca, projdec; comet with a fixed k), else 0. */
int gk_dist_align_supported(const gk_align_opts *o, int n_views);

/*! gk_dist_align_fit() : collective: gk_align_fit() of the paired rows of
 *  n_views views spread over the ranks (views[v] this rank's rows,
 *  gk_dist_row_range() of N).  The means and centred cross-products are
 *  summed over blocks in global block order, so *out is bitwise the model of
 *  gk_align_fit() on all N rows in one process, on every rank.  Memory per
 *  rank: its rows plus (rows/GK_CROSS_BLOCK + 1)·(D_v·D_l + 2D_v + 2D_l)
 *  doubles for the largest pair of views summed (procrustes, cca, comet with
 *  3+ views; two-view comet: gk_dist_comet_fit()); projdec: all N rows of
 *  the anchor view on every rank.  @return : GK_OK;
 *  GK_EARG for a method that is not distributed (message names it); the
 *  codes of gk_align_fit(); the same on every rank. */
int gk_dist_align_fit(const gk_align_opts *o, const gk_mat *const *views, int n_views,
                      gk_align **out);

/*! gk_dist_align_fit_files() : collective: gk_dist_align_fit() from input
 *  specs (gk_shard_open() each; equal row counts), rank 0 saving the model
 *  to `path` with gk_align_save() (atomic).  *out : the model on every rank
 *  (gk_align_free); NULL on failure.  @return : as gk_dist_align_fit() and
 *  gk_shard_open(), the same on every rank. */
int gk_dist_align_fit_files(const gk_align_opts *o, const char *const *specs, int n_views,
                            int normalize, const char *path, gk_align **out);

/*! gk_dist_align_apply_files() : collective: the rows of `in` (a spec or
 *  @LIST, gk_shard_open) through view `view` of model m: each rank
 *  transforms its rows, rank 0 gathers them in row order and writes the
 *  (N, gk_align_out_dim) float32 .npy at `path` once, atomically: the bytes
 *  of gk_align_apply_npy() in one process.  Memory on rank 0: the whole
 *  output.  @return : GK_OK, GK_ESHAPE (width), the codes of
 *  gk_shard_open() and gk_npy_write(); the same on every rank. */
int gk_dist_align_apply_files(const gk_align *m, int view, const char *in, int normalize,
                              const char *path);

/*! gk_dist_gap() : collective: gk_gap_diagnose() of the pairs spread over
 *  the ranks (X, Y this rank's rows, gk_dist_row_range() of N): every
 *  moment and spectral diagnostic, bitwise those of one process on all N
 *  rows, on every rank (column sums, Σ x_i·y_i and the centred Grams summed
 *  over blocks in global block order).  Not distributed, hence refused
 *  (GK_EARG): the separability classifier (opts->separability must be 0)
 *  and N < max(Dx, Dy) (the spectra then need the N×N Gram of every row).
 *  Memory per rank: its rows plus (rows/GK_CROSS_BLOCK + 2)·max(Dx,Dy)²
 *  doubles.  *out : free with gk_gap_result_free(); NULL on failure.
 *  @return : the codes of gk_gap_diagnose(), the same on every rank. */
int gk_dist_gap(const gk_mat *X, const gk_mat *Y, const gk_gap_opts *opts, gk_gap_result **out);

/*! gk_dist_retrieval() : collective: gk_retrieval_both() (with intervals
 *  when boot is not NULL: gk_retrieval_both_ci()) of rows spread over the
 *  ranks (X, Y this rank's rows, gk_dist_row_range() of their own totals;
 *  every row kept), optionally through a fitted model (view 0 on X, view 1
 *  on Y).  gx (n_X,), gy (n_Y,) : the group of EVERY row, the same on every
 *  rank, or both NULL: row i of X pairs with row i of Y.  opts (NULL:
 *  defaults) cut the grouped queries into passes as one process does; each
 *  pass sends the gallery around the ring twice.  Each rank of a
 *  true match is that of one process exactly: the gallery shards pass
 *  around the kNN ring and each rank counts, per true match of its queries,
 *  the rows ahead of it (inner product in double, ties to the lower global
 *  row); with groups a first ring pass computes the true matches' exact
 *  distances where their rows live.  *out (metrics, intervals) on rank 0;
 *  split "none", transform described.  Memory per rank: its rows, two
 *  travelling shards, 40 bytes per query; with groups also the group ids
 *  and the gallery's rows by group, 4·(n_X + n_Y) + 8·n_gallery bytes, and
 *  64 bytes per listed true match (at most opts->max_block_elems per pass);
 *  rank 0 gathers 24 bytes per query per direction.  @return : GK_OK,
 *  GK_EARG, GK_ESHAPE, GK_ENOMEM, the codes of the reduction; the same on
 *  every rank. */
int gk_dist_retrieval(const gk_mat *X, const gk_mat *Y, const int32_t *gx, const int32_t *gy,
                      const gk_retrieval_opts *opts, const gk_align *model,
                      const gk_boot_opts *boot, gk_retrieval_result *out);

/*! gk_dist_zeroshot() : collective: gk_zeroshot_eval() (with intervals
 *  when boot is not NULL) of the items spread over the ranks: X this rank's
 *  items (gk_dist_row_range() of N), P (C,D) the class embeddings and y
 *  (N,) every item's class, the same on every rank; optionally through a
 *  fitted model (view 0 on X, view 1 on P).  Each rank classifies its items
 *  against P; rank 0 gathers 8 bytes per item and returns *out, the result
 *  of one process exactly (NULL on the other ranks; free with
 *  gk_zeroshot_result_free).  @return : the codes of gk_zeroshot_eval(),
 *  the same on every rank. */
int gk_dist_zeroshot(const gk_mat *X, const gk_mat *P, const int32_t *y, const gk_align *model,
                     const gk_boot_opts *boot, gk_zeroshot_result **out);

GK_API_END

#ifdef __cplusplus
}
#endif
#endif
