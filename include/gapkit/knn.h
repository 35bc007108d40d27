/*
** knn.h — the exact k-nearest-neighbour engine: THE one place in gapkit that
** finds neighbours (NNGS and the other neighbourhood measures, retrieval,
** zero-shot and kNN classification, word analogies and projection decoding
** all go through it).
**
** A gk_knn index borrows a gallery G (N,D).  It answers
**   - the kNN graph of G itself (each row's K nearest OTHER rows: the row is
**     excluded by its index, never by "drop the first column"),
**   - the K nearest gallery rows of every row of a query set Q (Q,D),
**   - the exact rank of given gallery rows for every query row (retrieval
**     metrics need the rank of every true match, not just the top K),
**   - a stream over blocks of query rows of either every ranking key (the
**     full (rows, N) block) or every row's FULL ordering of the gallery.
**
** ORDER (everywhere): gallery rows are ordered by distance, ascending, and
** rows at equal distance by ascending index.  Distances:
**   GK_DIST_EUCLIDEAN  ‖q − g‖₂
**   GK_DIST_COSINE     1 − q·g / (‖q‖‖g‖)          (zero rows are an error)
**   GK_DIST_IP         −q·g   (largest inner product = nearest)
**   GK_DIST_L1         Σ_d |q_d − g_d|
**
** How (docs/similarity.md, "the kNN engine"): rows are prepared tile by tile
** into float scratch (centred by the gallery mean for euclidean, which keeps
** ‖q‖² + ‖g‖² − 2q·g accurate for data far from the origin; unit rows for
** cosine), and each tile of 256 query rows × 2048 gallery rows is one
** single-threaded sgemm giving the ranking KEY of every pair:
**   euclidean  key = ‖g−μ‖² − 2 (q−μ)·(g−μ)   (= ‖q−g‖² − ‖q−μ‖²)
**   cosine     key = −cos(q, g)
**   ip         key = −q·g
**   l1         key = Σ|q − g|               (a direct loop, no GEMM)
** Within a query row the key is an increasing function of the distance, so
** ordering by (key, index) is the ORDER above, up to float rounding of the
** key (relative 1e-7 of ‖q−μ‖² + ‖g−μ‖²; the _naive twins compute in double).
** Bit-for-bit duplicate gallery rows tie EXACTLY (hence come in index
** order): the products are taken with one copy of each distinct row, whose
** key all its copies share (one sgemm may round the same product
** differently in two columns).
** A bounded max-heap per query row keeps the K best (key, index) pairs while
** the tiles stream past.  Memory: the outputs (Q·K) plus fixed tiles (about
** 4·(4096·D + 2^19) bytes per thread: 10 MB at D = 512), never a Q×N matrix.
** Threads (gk_get_threads()) take chunks of query tiles and walk the whole
** gallery each, without waiting for one another; BLAS runs single-threaded
** meanwhile.  Tiles are fixed, so every key — hence every result — is
** bit-identical whatever the thread count, and the graph, the query and the
** stream paths produce the very same keys.
** Thread-safety: an index may be searched from several threads at once
** (searches only read it); each search sets OpenBLAS to one thread while it
** runs, a process-wide setting it restores afterwards.
*/
#ifndef GAPKIT_KNN_H
#define GAPKIT_KNN_H

#include "matrix.h"

#ifdef __cplusplus
extern "C" {
#endif
GK_API_BEGIN

/*====  distances  ====*/

typedef enum gk_distance {
    GK_DIST_EUCLIDEAN = 0, /* ‖q − g‖₂ */
    GK_DIST_COSINE = 1,    /* 1 − cos(q, g) */
    GK_DIST_IP = 2,        /* −q·g */
    GK_DIST_L1 = 3         /* Σ|q − g| */
} gk_distance;

/*! gk_distance_parse() : "euclidean" (or "l2"), "cosine", "ip" (or
 *  "inner-product", "dot"), "l1" (or "manhattan") → *out.
 *  @return : GK_OK, GK_EARG listing the accepted names. */
int gk_distance_parse(const char *name, gk_distance *out);

/*! gk_distance_name() : @return : static name ("euclidean", "cosine", "ip",
 *  "l1"), or "?" for an unknown value. */
const char *gk_distance_name(gk_distance d);

/*====  the index  ====*/

typedef struct gk_knn gk_knn;

/*! gk_knn_create() : an index over the gallery G (N,D), N >= 1, D >= 1, any
 *  strides.  G is BORROWED: its data must stay valid and unchanged while the
 *  index lives.  Computes what the distance needs once (the column mean for
 *  euclidean; the row norms are checked for cosine) in O(N·D).
 *  @return : GK_OK; GK_EARG (NULL, empty G, bad distance), GK_ENUMERIC (NaN,
 *  Inf, or a zero row with cosine: the message names the row), GK_ENOMEM.
 *  *out : caller owns, free with gk_knn_free(); NULL on failure. */
int gk_knn_create(const gk_mat *G, gk_distance dist, gk_knn **out);

/*! gk_knn_free() : releases the index (not the gallery).  NULL is a no-op. */
void gk_knn_free(gk_knn *idx);

/*! gk_knn_rows() : @return : N, the gallery rows of the index. */
int64_t gk_knn_rows(const gk_knn *idx);

/*====  K nearest neighbours  ====*/

/*! gk_knn_graph() : the kNN graph of the gallery: for every gallery row i,
 *  its K nearest OTHER rows in ORDER.  1 <= K <= N−1.
 *  ids (N,K) row-major: ids[i*K + r] = the (r+1)-th neighbour of row i.
 *  dist (N,K) may be NULL: else the distances (as defined above) of those
 *  neighbours, recomputed in double from the prepared rows and rounded to
 *  float (costs K·D per row); the order stays that of the keys, so two
 *  distances closer than the key rounding may appear swapped.
 *  Exact duplicates of row i come first (distance 0), by index.
 *  @return : GK_OK; GK_EARG (NULL, K out of range), GK_ENOMEM. */
int gk_knn_graph(const gk_knn *idx, int64_t k, int64_t *ids, float *dist);

/*! gk_knn_query() : for every row of Q (Q,D), same D as the gallery, any
 *  strides: its K nearest gallery rows in ORDER.  1 <= K <= N.
 *  ids (Q,K) and dist (Q,K) (may be NULL) as in gk_knn_graph().
 *  @return : GK_OK; GK_EARG (NULL, K out of range), GK_ESHAPE (D differs),
 *  GK_ENUMERIC (NaN/Inf in Q, zero query row with cosine), GK_ENOMEM. */
int gk_knn_query(const gk_knn *idx, const gk_mat *Q, int64_t k, int64_t *ids, float *dist);

/*! gk_knn_graph_naive(), gk_knn_query_naive() : the reference twins: every
 *  distance in double from its definition, each row sorted by (distance,
 *  index) with qsort.  O(N) scratch per row, O(Q·N·D) time; for tests.  X/G
 *  and Q as above; dist (double) may be NULL.  Same returns. */
int gk_knn_graph_naive(const gk_mat *X, gk_distance d, int64_t k, int64_t *ids, double *dist);
int gk_knn_query_naive(const gk_mat *G, gk_distance d, const gk_mat *Q, int64_t k,
                       int64_t *ids, double *dist);

/*====  ranks of given gallery rows  ====*/

/*! gk_knn_ranks() : for every row i of Q (Q,D) — or, with Q == NULL, every
 *  gallery row i, itself excluded — the RANK of each of its listed gallery
 *  rows targets[tstart[i] .. tstart[i+1]): 1 + the number of gallery rows
 *  before it in ORDER (1 = nearest).  The ORDER here is that of distances
 *  computed in double from the prepared rows, as the _naive twins sort:
 *  the float keys decide a comparison only when they are farther from the
 *  target's exact key than their rounding error, and the distance is
 *  recomputed in double otherwise.  So ranks are exact, ties and duplicate
 *  rows included, and at near-ties (relative 1e-7) may differ from the
 *  order gk_knn_query() returns, which ranks by the float keys.
 *  tstart (nq+1,) with tstart[0] = 0, non-decreasing (nq = Q's rows, or N);
 *  targets (tstart[nq],) gallery rows in [0, N), in any order (for Q ==
 *  NULL, never i itself); ranks (tstart[nq],) receives each target's rank,
 *  in the same place.
 *  Cost: the products of a full search, plus O(log m) per gallery row
 *  nearer than the query's farthest target (m targets), O(1) for the rest;
 *  memory: 40 bytes per target plus the engine's tiles — never a Q×N
 *  matrix, and no row is ever sorted.  Thread-independent like the rest.
 *  @return : GK_OK; GK_EARG (NULL, bad tstart, a target out of range or
 *  equal to its own row), GK_ESHAPE, GK_ENUMERIC (as gk_knn_query), GK_ENOMEM. */
int gk_knn_ranks(const gk_knn *idx, const gk_mat *Q, const int64_t *tstart,
                 const int64_t *targets, int64_t *ranks);

/*====  every pair within a radius  ====*/

/* The pairs of a range query, sorted by (query row, gallery row). */
typedef struct gk_knn_pairs {
    int64_t n;      /* P pairs */
    int64_t *q;     /* (P,) query rows */
    int64_t *g;     /* (P,) gallery rows */
    double *dist;   /* (P,) their distances (as defined above), in double */
} gk_knn_pairs;

/*! gk_knn_within() : every pair (query row i of Q (Q,D), gallery row j)
 *  with distance(i, j) <= radius (cosine: 1 − cos <= radius, i.e. cos >=
 *  1 − radius).  The tiles' float keys only pre-select candidates within a
 *  slack of the radius; each candidate's distance is recomputed in double
 *  from the prepared rows (as gk_knn_ranks and the _naive twins do), and
 *  that decides.  Memory: the pairs found plus the engine's tiles — never a
 *  Q×N matrix.  The result is the same for any thread count.
 *  @return : GK_OK; GK_EARG (NULL, radius not finite), GK_ESHAPE,
 *  GK_ENUMERIC (as gk_knn_query), GK_ENOMEM (too many pairs for memory).
 *  *out : caller frees with gk_knn_pairs_free(); zeroed on failure. */
int gk_knn_within(const gk_knn *idx, const gk_mat *Q, double radius, gk_knn_pairs *out);

/*! gk_knn_pairs_free() : releases the arrays and zeroes *p; NULL is a no-op. */
void gk_knn_pairs_free(gk_knn_pairs *p);

/*====  streams over blocks of rows  ====*/

typedef struct gk_knn_stream gk_knn_stream;

typedef enum gk_knn_stream_kind {
    GK_KNN_KEYS = 1, /* every ranking key of a block: (rows, N) floats */
    GK_KNN_ORDER = 2 /* every row's full ORDER of the gallery: (rows, W) ids */
} gk_knn_stream_kind;

/*! gk_knn_stream_open() : iterates over the rows of Q (Q,D) — or, with Q ==
 *  NULL, over the gallery's own rows — in blocks of consecutive rows.
 *  GK_KNN_KEYS: keys (nrows, N), key[r*N + j] = the ranking key (see the top
 *  of this file; smaller = nearer) of query row0+r and gallery row j; with
 *  GK_DIST_IP it is exactly −q·g (the negated float inner product).
 *  GK_KNN_ORDER: order (nrows, W), the gallery rows of each query row in
 *  ORDER; W = N−1 for the gallery's own rows (the row itself excluded), N
 *  for a query set.  The keys and orders are those of gk_knn_graph() and
 *  gk_knn_query(): the first K entries of a row's order are its K nearest.
 *  block_rows: rows per block, rounded up to a multiple of the engine's query
 *  tile; 0 = automatic (blocks of about 2^24 entries, at least one tile).
 *  The stream borrows idx and Q.  Memory: one block of keys (and of orders).
 *  @return : GK_OK; GK_EARG (NULL, bad kind, N < 2 for a self ORDER),
 *  GK_ESHAPE, GK_ENUMERIC (as gk_knn_query), GK_ENOMEM.
 *  *out : caller owns, close with gk_knn_stream_close(); NULL on failure. */
int gk_knn_stream_open(const gk_knn *idx, const gk_mat *Q, gk_knn_stream_kind kind,
                       int64_t block_rows, gk_knn_stream **out);

/*! gk_knn_stream_next() : computes the next block.  *row0 = its first query
 *  row, *nrows = its rows (0 when the stream is over), *width = N (keys) or
 *  W (order).  *keys (GK_KNN_KEYS) or *order (GK_KNN_ORDER) point into the
 *  stream: borrowed, valid until the next call; pass NULL for the other.
 *  @return : GK_OK, GK_ENOMEM. */
int gk_knn_stream_next(gk_knn_stream *s, int64_t *row0, int64_t *nrows, int64_t *width,
                       const float **keys, const int64_t **order);

/*! gk_knn_stream_close() : NULL is a no-op. */
void gk_knn_stream_close(gk_knn_stream *s);

/*====  output  ====*/

/*! gk_knn_summary_to_json() : a JSON object describing a search of
 *  n_queries rows (self = 1: the gallery's own graph) with K neighbours:
 *  {"n_gallery","distinct_gallery_rows","n_queries","k","distance",
 *  "self_excluded","mean_distance_first","mean_distance_kth"}; the means are
 *  over dist (n_queries,K) and null when dist is NULL.  *json : caller frees
 *  with gk_free().  @return : GK_OK, GK_EARG, GK_ENOMEM. */
int gk_knn_summary_to_json(const gk_knn *idx, int64_t n_queries, int self, int64_t k,
                           const float *dist, char **json);

GK_API_END
#ifdef __cplusplus
}
#endif
#endif /* GAPKIT_KNN_H */
