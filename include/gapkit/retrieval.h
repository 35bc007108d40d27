/*
** retrieval.h — cross-modal retrieval of paired embeddings (methods.md §5):
** ranks, R@K, mAP, MedR, bootstrap intervals, exact duplicate merging.
**
** Similarities are inner products of the rows given: pass unit rows and they
** are cosines.  Ranks are 1-based.  TIE RULE (everywhere in this module):
** gallery items are ordered by similarity, descending, and items of equal
** similarity by ascending index; the rank of item j is its position in that
** order, i.e. 1 + #{l : s_l > s_j} + #{l : s_l == s_j and l < j}.
*/
#ifndef GAPKIT_RETRIEVAL_H
#define GAPKIT_RETRIEVAL_H

#include "io.h"
#include "matrix.h"
#include "stats.h"

#ifdef __cplusplus
extern "C" {
#endif
GK_API_BEGIN

typedef struct gk_retrieval_opts {
    int64_t block_rows;      /* query rows per pass of the kNN engine (default 0: all) */
    int64_t max_block_elems; /* cap on the true matches ranked per pass (default 2^21:
                                about 56 bytes each) */
} gk_retrieval_opts;

/*! gk_retrieval_opts_default() : @return : {0, 2^21}. */
gk_retrieval_opts gk_retrieval_opts_default(void);

/* Metrics of one direction, over the queries that have a true match. */
typedef struct gk_retrieval_metrics {
    int64_t n_queries;  /* Q, queries given */
    int64_t n_gallery;  /* N, gallery items */
    int64_t n_scored;   /* queries with at least one true match (the others are skipped) */
    double r1, r5, r10; /* share of scored queries whose best true rank <= 1, 5, 10 */
    double map10;       /* mean AP@10 (see gk_retrieval_eval) */
    double map;         /* mean AP over all true matches (no cut-off) */
    double medr;        /* median best rank (mean of the two middle values if even) */
    double meanr;       /* mean best rank */
} gk_retrieval_metrics;

/*! gk_retrieval_eval() : ranks the gallery G (N,D) for every query of Q (Q,D).
 *  True matches: without groups (qgroup == ggroup == NULL) query i matches
 *  gallery row i only (Q <= N); with groups (both (Q,) and (N,) int32 arrays,
 *  ids >= 0) query i matches every gallery row of the same group.
 *  For a query with m true matches at ranks r_1 < … < r_m (tie rule above):
 *    best rank = r_1 (R@K, MedR, MeanR use it),
 *    AP@10     = (1/min(m,10)) · Σ_{i : r_i <= 10} i / r_i,
 *    AP        = (1/m) · Σ_i i / r_i
 *  — the true matches' ranks are SORTED before the precision at each hit is
 *  taken (LAION-CLAP's audio→text mAP@10 does not sort them: a known bug).
 *  With one true match AP@10 = 1/r if r <= 10 else 0.
 *  Computation: the kNN engine (knn.h) ranks G by inner product for each
 *  query (gk_knn_ranks: exact ranks of the true matches, tiled GEMMs,
 *  never a Q × N matrix), in passes of opts->block_rows queries holding at
 *  most opts->max_block_elems true matches (one query's always fits).  The
 *  result does not depend on the number of threads.  Q, G: cs == 1.
 *  opts may be NULL (defaults).  ranks (Q,) may be NULL: else it receives
 *  each query's best rank, or 0 for a query without a true match.
 *  @return : GK_OK; GK_EARG (NULL inputs, negative group id, no query has a
 *  true match), GK_ESHAPE (D differs, Q > N without groups, strides),
 *  GK_ENUMERIC (a non-zero row norm outside [1e-15, 1e15]: float32 scores
 *  would overflow or underflow and tie), GK_ENOMEM.  *out filled on success. */
int gk_retrieval_eval(const gk_mat *Q, const gk_mat *G, const int32_t *qgroup,
                      const int32_t *ggroup, const gk_retrieval_opts *opts,
                      gk_retrieval_metrics *out, int64_t *ranks);

/*! gk_retrieval_eval_naive() : the reference twin of gk_retrieval_eval(): the
 *  full (Q,N) similarity matrix in double, each row sorted with qsort by the
 *  tie rule, true matches found by walking the sorted order.  O(Q·N) memory;
 *  for tests.  Same arguments, returns and outputs (no opts). */
int gk_retrieval_eval_naive(const gk_mat *Q, const gk_mat *G, const int32_t *qgroup,
                            const int32_t *ggroup, gk_retrieval_metrics *out, int64_t *ranks);

/* Percentile bootstrap intervals (stats.h) of the metrics of one direction,
** over the scored queries; all from the same draws of queries. */
typedef struct gk_retrieval_ci {
    gk_ci r1, r5, r10, map10, map, medr, meanr;
} gk_retrieval_ci;

/*! gk_retrieval_eval_ci() : gk_retrieval_eval() plus the bootstrap interval
 *  of every metric over the scored queries (boot NULL = stats.h defaults:
 *  B 1000, level 0.95, seed 0; MedR by the median, the rest by the mean of
 *  the per-query values).  @return : as gk_retrieval_eval(), or the
 *  bootstrap's GK_EARG (B < 2, level) / GK_ENOMEM. */
int gk_retrieval_eval_ci(const gk_mat *Q, const gk_mat *G, const int32_t *qgroup,
                         const int32_t *ggroup, const gk_retrieval_opts *opts,
                         const gk_boot_opts *boot, gk_retrieval_metrics *out,
                         gk_retrieval_ci *ci);

/* Both directions of a paired evaluation, plus what produced them. */
typedef struct gk_retrieval_result {
    gk_retrieval_metrics x2y; /* rows of X as queries, Y as gallery */
    gk_retrieval_metrics y2x; /* rows of Y as queries, X as gallery */
    char split[256];          /* human description of the split ("none" if none) */
    char transform[256];      /* human description of the transform ("none" if none) */
    int has_ci;               /* 1: the intervals below are filled (gk_retrieval_both_ci) */
    gk_retrieval_ci x2y_ci, y2x_ci;
    gk_boot_opts boot;        /* how the intervals were drawn */
    int dedup;                /* 1: exact duplicate rows were looked for and merged */
    int64_t merged_x, merged_y; /* rows of X / Y merged into an earlier copy */
} gk_retrieval_result;

/*! gk_retrieval_both() : X (NX,D) → Y (NY,D) and Y → X with the same group
 *  rule as gk_retrieval_eval() (gx (NX,), gy (NY,), both NULL = row i ↔ row
 *  i, then NX must equal NY).  Sets split and transform to "none".
 *  @return : as gk_retrieval_eval(). */
int gk_retrieval_both(const gk_mat *X, const gk_mat *Y, const int32_t *gx, const int32_t *gy,
                      const gk_retrieval_opts *opts, gk_retrieval_result *out);

/*! gk_retrieval_both_ci() : gk_retrieval_both() with intervals in both
 *  directions (has_ci = 1, boot recorded; boot NULL = defaults). */
int gk_retrieval_both_ci(const gk_mat *X, const gk_mat *Y, const int32_t *gx, const int32_t *gy,
                         const gk_retrieval_opts *opts, const gk_boot_opts *boot,
                         gk_retrieval_result *out);

/*! gk_retrieval_to_json() : a JSON object {"task":"retrieval","x":…,"y":…,
 *  "split":…,"transform":…,"x_to_y":{metrics},"y_to_x":{metrics}}; name_x and
 *  name_y (may be NULL) label the inputs.  *json : caller frees with
 *  gk_free().  @return : GK_OK, GK_ENOMEM. */
int gk_retrieval_to_json(const gk_retrieval_result *r, const char *name_x, const char *name_y,
                         char **json);

/* Exact duplicate rows of a two-sided evaluation, merged (methods.md §11). */
typedef struct gk_dedup_plan {
    int64_t nx, ny;             /* distinct rows kept on each side */
    int64_t merged_x, merged_y; /* rows dropped as copies of an earlier row */
    int64_t *rows_x, *rows_y;   /* (nx,), (ny,) the first copy of each distinct row */
    int32_t *gx, *gy;           /* (nx,), (ny,) groups of the kept rows: one id
                                   space; copies link the groups of their items */
} gk_dedup_plan;

/*! gk_dedup_plan_make() : finds bit-for-bit equal rows of KX (NX,·) and of
 *  KY (NY,·) (gk_mat_first_rows: hash, then exact compare) and plans the
 *  evaluation on one row per distinct row.  Groups gx (NX,), gy (NY,) as in
 *  gk_retrieval_eval (both NULL: row i ↔ row i, NX == NY).  Two groups are
 *  merged when copies of one row belong to both (union–find), so every
 *  query's true matches are the rows paired with any copy of it.  Without
 *  duplicates the plan keeps every row and the groups unchanged up to
 *  renumbering.  *out : free with gk_dedup_plan_free().
 *  @return : GK_OK, GK_EARG, GK_ESHAPE, GK_ENOMEM. */
int gk_dedup_plan_make(const gk_mat *KX, const gk_mat *KY, const int32_t *gx,
                       const int32_t *gy, gk_dedup_plan *out);

/*! gk_dedup_plan_free() : frees the arrays and clears *p; NULL is a no-op. */
void gk_dedup_plan_free(gk_dedup_plan *p);

/*! gk_dedup_items() : one item per set of items that exact copies link, for
 *  measures of two paired spaces (row i of KX ↔ row i of KY, NX == NY): items
 *  i and j are linked when row i equals row j in KX OR in KY (bit for bit),
 *  and linking is transitive.  keep (N,) receives the first (smallest) item
 *  of each linked set, ascending; *n_keep their number (N − merged).  KY
 *  NULL: linked by KX copies only (Y rows repeated by construction, e.g. a
 *  class prompt paired with each item of its class).
 *  @return : GK_OK, GK_EARG, GK_ESHAPE (row counts differ), GK_ENOMEM. */
int gk_dedup_items(const gk_mat *KX, const gk_mat *KY, int64_t *keep, int64_t *n_keep);

/*! gk_dedup_pair_rows() : the two paired views (row i of X ↔ row i of Y,
 *  same row count) with the items that exact copies link merged into their
 *  first item, as gk_dedup_items() links them (link_y = 0: by copies in X
 *  only).  *kx, *ky : new matrices of the kept rows, in item order (caller
 *  frees with gk_mat_free()), both NULL when nothing merged (then use X, Y);
 *  *merged : N − kept items.  @return : GK_OK, GK_EARG, GK_ESHAPE, GK_ENOMEM. */
int gk_dedup_pair_rows(const gk_mat *X, const gk_mat *Y, int link_y, gk_mat **kx, gk_mat **ky,
                       int64_t *merged);

/*! gk_dedup_labelled() : the items of K (N,·) with classes y (N,) that are
 *  not an exact copy of an earlier item: item i is dropped when an earlier
 *  item has a bit-for-bit equal row AND the same class (copies with
 *  different classes are different queries and stay).  keep (N,) receives
 *  the kept items, ascending; *n_keep their number.
 *  @return : GK_OK, GK_EARG, GK_ENOMEM. */
int gk_dedup_labelled(const gk_mat *K, const int32_t *y, int64_t *keep, int64_t *n_keep);

/*! gk_groups_from_labels() : one shared id space for two label sets: rows of
 *  a and b with the same label TEXT get the same id.  ga (a->n,) and gb
 *  (b->n,) are caller buffers; ids are a's class ids, and labels that occur
 *  only in b get ids from a->n_classes up.  @return : GK_OK, GK_EARG, GK_ENOMEM. */
int gk_groups_from_labels(const gk_labels *a, const gk_labels *b, int32_t *ga, int32_t *gb);

GK_API_END
#ifdef __cplusplus
}
#endif
#endif /* GAPKIT_RETRIEVAL_H */
