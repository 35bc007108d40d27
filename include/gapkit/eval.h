/*
** eval.h — evaluation of paired embeddings (methods.md §5): cross-modal
** retrieval, zero-shot classification, honest train/test splits, and
** evaluation after a transform (a saved COMET model, or one fitted on the
** train part of a split, with automatic choice of k).
**
** Similarities are inner products of the rows given: pass unit rows and they
** are cosines.  Ranks are 1-based.  TIE RULE (everywhere in this module):
** gallery items are ordered by similarity, descending, and items of equal
** similarity by ascending index; the rank of item j is its position in that
** order, i.e. 1 + #{l : s_l > s_j} + #{l : s_l == s_j and l < j}.
*/
#ifndef GAPKIT_EVAL_H
#define GAPKIT_EVAL_H

#include "align.h"
#include "geometry.h"
#include "io.h"
#include "learn.h"
#include "matrix.h"
#include "nngs.h"
#include "stats.h"
#include "train.h"

#ifdef __cplusplus
extern "C" {
#endif
GK_API_BEGIN

/*====  retrieval  ====*/

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

/*! gk_groups_from_labels() : one shared id space for two label sets: rows of
 *  a and b with the same label TEXT get the same id.  ga (a->n,) and gb
 *  (b->n,) are caller buffers; ids are a's class ids, and labels that occur
 *  only in b get ids from a->n_classes up.  @return : GK_OK, GK_EARG, GK_ENOMEM. */
int gk_groups_from_labels(const gk_labels *a, const gk_labels *b, int32_t *ga, int32_t *gb);

/*====  zero-shot classification  ====*/

typedef struct gk_zeroshot_result {
    int64_t n;           /* N items scored */
    int32_t n_classes;   /* C classes scored (prompt rows of the class matrix) */
    double top1, top5;   /* share of items whose true class ranks 1st / within 5 */
    double mean_class_acc; /* mean of class_acc over classes with items (balanced accuracy) */
    double *class_acc;   /* (C,) top-1 accuracy of each class; NaN for a class without items */
    int64_t *class_n;    /* (C,) items of each class */
    int64_t *confusion;  /* (C,C) row-major: [t*C + p] = items of class t predicted p */
    int32_t *pred;       /* (N,) predicted class: argmax similarity, ties → lower index */
    int32_t *class_id;   /* (C,) original class index of each scored class (identity
                            unless a class-disjoint split kept only the test classes) */
    char split[256];     /* human description of the split ("none" if none) */
    char transform[256]; /* human description of the transform ("none" if none) */
    int32_t *true_rank;  /* (N,) rank of the true class, 1..5, or 6 beyond the top 5 */
    int has_ci;          /* 1: the intervals below are filled (gk_zeroshot_intervals) */
    gk_ci top1_ci, top5_ci;
    gk_boot_opts boot;   /* how the intervals were drawn */
} gk_zeroshot_result;

/*! gk_zeroshot_eval() : classifies each item of X (N,D) by the class
 *  embeddings P (C,D): pred_i = argmax_c x_i·p_c (ties → lower c); the true
 *  class y_i in [0,C) is top-k when its rank (tie rule) is <= k.
 *  The 5 best classes of each item come from the kNN engine (knn.h, inner
 *  product; exact duplicate class rows tie exactly).  X, P: cs == 1.
 *  @return : GK_OK; GK_EARG (NULL, y out of range, N or C zero), GK_ESHAPE
 *  (D differs), GK_ENUMERIC (NaN/Inf), GK_ENOMEM.  *out : caller owns, free with
 *  gk_zeroshot_result_free(); NULL on failure. */
int gk_zeroshot_eval(const gk_mat *X, const gk_mat *P, const int32_t *y,
                     gk_zeroshot_result **out);

/*! gk_zeroshot_intervals() : percentile bootstrap intervals over the items
 *  of top-1 and top-5 accuracy (stats.h; boot NULL = defaults), from
 *  r->true_rank; sets r->top1_ci, r->top5_ci, r->boot and r->has_ci.
 *  @return : GK_OK; GK_EARG (bootstrap options); GK_ENOMEM. */
int gk_zeroshot_intervals(gk_zeroshot_result *r, const gk_boot_opts *boot);

/*! gk_zeroshot_result_free() : NULL is a no-op. */
void gk_zeroshot_result_free(gk_zeroshot_result *r);

/*! gk_zeroshot_confusion_add() : adds r's confusion counts into sum (C_all,
 *  C_all) row-major, indexed by ORIGINAL class (r->class_id), so the runs of
 *  a k-fold loop over different scored classes add up to one table.
 *  C_all = the number of classes of the whole problem. */
void gk_zeroshot_confusion_add(const gk_zeroshot_result *r, int64_t *sum, int32_t C_all);

/*! gk_zeroshot_ensemble() : class embeddings from prompt rows: row c of *out
 *  (C,D) = normalize(mean of normalize(prompt p) over prompts with cls[p] == c).
 *  A single prompt per class gives that prompt (re-normalised).  prompts is
 *  (P,D), cls (P,) in [0,C); every class needs at least one prompt.
 *  @return : GK_OK, GK_EARG (naming a class without prompts), GK_ENUMERIC (a
 *  zero row or a mean of zero), GK_ENOMEM.  *out : caller owns (gk_mat_free). */
int gk_zeroshot_ensemble(const gk_mat *prompts, const int32_t *cls, int32_t C, gk_mat **out);

/*! gk_zeroshot_classes() : the class of each item: y[i] = class (in prompts'
 *  ids, i.e. prompts->id / prompts->name order) whose name equals the item's
 *  label.  y is (items->n,).  @return : GK_OK, GK_EFORMAT naming the first
 *  label without a prompt, GK_ENOMEM. */
int gk_zeroshot_classes(const gk_labels *items, const gk_labels *prompts, int32_t *y);

/*! gk_zeroshot_to_json() : a JSON object {"task":"zeroshot","split",
 *  "transform","n","n_classes","top1","top5","mean_class_acc","classes":[{"name",
 *  "n","acc"}…]} and, with with_confusion, "confusion" (C×C counts).
 *  names (may be NULL) are indexed by class_id.  *json : caller frees with
 *  gk_free().  @return : GK_OK, GK_ENOMEM. */
int gk_zeroshot_to_json(const gk_zeroshot_result *r, const char *const *names,
                        int with_confusion, char **json);

/*====  splits  ====*/

typedef enum gk_split_kind {
    GK_SPLIT_RANDOM = 1,  /* "random:FRACTION": a seeded FRACTION of the rows is test */
    GK_SPLIT_FOLD = 2,    /* "fold:COLUMN=VALUE": rows whose COLUMN equals VALUE are test;
                             "fold:COLUMN" = every value in turn (k-fold) */
    GK_SPLIT_CLASSES = 3  /* "classes:FRACTION": a seeded FRACTION of the classes is test */
} gk_split_kind;

typedef struct gk_split_spec {
    gk_split_kind kind;
    double fraction;  /* test fraction in (0,1), RANDOM and CLASSES */
    char column[128]; /* FOLD: CSV column holding the fold of each row */
    char value[128];  /* FOLD: the test value; "" when has_value == 0 */
    int has_value;    /* FOLD: 0 = loop over every value (k-fold) */
} gk_split_spec;

/*! gk_split_parse() : parses "random:F", "classes:F" (0 < F < 1),
 *  "fold:COLUMN=VALUE" or "fold:COLUMN".  @return : GK_OK, GK_EARG saying
 *  what was expected.  *out filled on success. */
int gk_split_parse(const char *s, gk_split_spec *out);

typedef struct gk_split {
    int64_t n;               /* rows split */
    int64_t n_train, n_test; /* n_train + n_test == n */
    int64_t *train, *test;   /* (n_train,), (n_test,) row indices, ascending */
    int32_t n_classes;       /* C for a class split, else 0 */
    uint8_t *test_class;     /* (C,) 1 = class in test; NULL unless a class split */
    int32_t n_test_classes;  /* classes in test (class split) */
    char desc[256];          /* e.g. "classes:0.5 seed 0: 25 train classes / 25 test
                                classes, 1000/1000 rows" */
} gk_split;

/*! gk_split_random() : a seeded random split of n rows: round(F·n) rows
 *  (at least 1, at most n−1) go to test.  n >= 2.  Same seed, same split.
 *  @return : GK_OK, GK_EARG, GK_ENOMEM.  *out : caller owns (gk_split_free). */
int gk_split_random(int64_t n, double test_fraction, uint64_t seed, gk_split **out);

/*! gk_split_fold() : rows i with strcmp(values[i], value) == 0 are test; the
 *  others train.  values (n,) e.g. a CSV column.  `column` names it in desc.
 *  @return : GK_OK, GK_EARG (no row or every row has that value), GK_ENOMEM. */
int gk_split_fold(const char *const *values, int64_t n, const char *column, const char *value,
                  gk_split **out);

/*! gk_split_classes() : class-disjoint split: a seeded random round(F·C)
 *  of the C classes (at least 1, at most C−1) go to test with all their rows.
 *  cls (n,) in [0,C), C >= 2.  @return : GK_OK, GK_EARG, GK_ENOMEM. */
int gk_split_classes(const int32_t *cls, int64_t n, int32_t C, double test_fraction,
                     uint64_t seed, gk_split **out);

/*! gk_split_make() : the split described by spec over n rows.  RANDOM needs
 *  nothing else; CLASSES needs cls (n,) and C; FOLD needs values (n,) and
 *  spec->has_value.  @return : as the functions above; GK_EARG when a needed
 *  input is NULL (the message says which). */
int gk_split_make(const gk_split_spec *spec, int64_t n, const int32_t *cls, int32_t C,
                  const char *const *values, uint64_t seed, gk_split **out);

/*! gk_split_free() : NULL is a no-op. */
void gk_split_free(gk_split *s);

/*====  transforms before scoring  ====*/

typedef enum gk_transform_kind {
    GK_TRANSFORM_NONE = 0,
    GK_TRANSFORM_MODEL = 1,     /* a saved model file of kind "comet" or "align"
                                   (gk_align_load) */
    GK_TRANSFORM_COMET_FIT = 2, /* "comet:k=K|auto|shared[,weight=none|align|corr]": parsed
                                   by gk_align_parse into align and fitted like ALIGN_FIT
                                   (gk_transform_fit) on the TRAIN part of a split */
    GK_TRANSFORM_ALIGN_FIT = 3  /* any other align method ("center", "shift:lambda=0.5",
                                   "procrustes", "cca:k=16", …; gk_align_parse), fitted
                                   on the TRAIN part of a split */
} gk_transform_kind;

typedef struct gk_transform_spec {
    gk_transform_kind kind;
    const char *path;       /* MODEL: borrowed from the parsed string */
    int64_t k;              /* COMET_FIT: align.k (0 = resolved by align.k_rule);
                               MODEL: 0 = all axes of a COMET model */
    gk_comet_weight weight; /* applied to the coefficients (COMET; for a MODEL only
                               when k > 0 or weight != none, else the file's setting) */
    gk_align_opts align;    /* COMET_FIT, ALIGN_FIT: the method and its parameters (a
                               COMET_FIT spec filled in by hand may set only k and
                               weight: it is then COMET with those) */
} gk_transform_spec;

/*! gk_transform_parse() : "none", "comet:k=K[,weight=W]", "comet:k=auto[,weight=W]",
 *  another align method "METHOD[:KEY=V,…]" (gk_align_parse; the method names
 *  win over a file of the same name: write ./center for such a file),
 *  "head:FILE" (heads trained by gapkit train) or else a model path.  @return : GK_OK, GK_EARG.  *out borrows s. */
int gk_transform_parse(const char *s, gk_transform_spec *out);

/*! gk_transform_needs_fit() : @return : 1 when the transform is fitted on the
 *  data (COMET_FIT, or ALIGN_FIT other than identity), so it needs a split. */
int gk_transform_needs_fit(const gk_transform_spec *xf);

/*! gk_transform_apply_pair() : coefficients of both sides under model m:
 *  *X2 = normalize(apply(m, side 0, X)), *Y2 = normalize(apply(m, side 1, Y))
 *  with k axes (0 = all kept) and weight w: the first input is side 0 (the
 *  first input of the fit), the second side 1.  Rows of X2 (NX,k) and Y2
 *  (NY,k) are unit, so inner products are the cosines of the coefficients.
 *  @return : as gk_comet_apply(), GK_ENUMERIC for a zero coefficient row.
 *  *X2, *Y2 : caller owns both; both NULL on failure. */
int gk_transform_apply_pair(const gk_comet *m, int64_t k, gk_comet_weight w, const gk_mat *X,
                            const gk_mat *Y, gk_mat **X2, gk_mat **Y2);

/*! gk_transform_fit() : fits the transform o on the paired views views[0..M)
 *  (as gk_align_fit) after resolving COMET's k rule (align.h, gk_k_rule):
 *  auto = gk_comet_select_k over 8..256 (5 folds, seed; M > 2 views: the
 *  default k), shared = the axes passing gk_comet_permutation_test (B = 19,
 *  alpha 0.05, seed; at least 1).  groups (N,) (may be NULL) are the classes
 *  of the fit rows for auto's held-out matches; NULL groups the items whose
 *  rows repeat in both views (one prompt per class), so every caller with the
 *  same data gets the same k.  The model records the rule and the k chosen
 *  (gk_align_get_opts, gk_align_save).  why (cap bytes, may be NULL) receives
 *  how k was chosen ("k=auto -> k=32 (5-fold CV mAP@10 0.4121)"), or "".
 *  @return : as gk_align_fit, gk_comet_select_k, gk_comet_permutation_test.
 *  *out : caller owns, free with gk_align_free(); NULL on failure. */
int gk_transform_fit(const gk_align_opts *o, const gk_mat *const *views, int n_views,
                     const int32_t *groups, uint64_t seed, gk_align **out, char *why,
                     size_t cap);

#define GK_SELECT_K_MAX 32

/*! gk_comet_select_k() : chooses COMET's k by `folds`-fold cross-validation
 *  on the fit pairs T (N,D_T) ↔ A (N,D_A): rows are shuffled (seed) and dealt
 *  into folds; for each fold COMET is fitted once on the other folds with the
 *  largest candidate, and each candidate k is scored by held-out retrieval
 *  mAP@10 from side 0 (T rows as queries) to side 1 (A rows as gallery) on
 *  the coefficients with weight w.  True matches: row i ↔ row i, or, with
 *  groups (N,) (may be NULL), every held-out row of the same group (use it
 *  when A repeats, e.g. items paired with their class prompt).
 *  candidates (n_candidates <= GK_SELECT_K_MAX) may be NULL: then 8, 16, 32,
 *  64, 128, 256.  Candidates are capped at R = min(D_T, D_A) and at the
 *  smallest training-fold size minus 1, then de-duplicated.  The best mean
 *  score wins; ties go to the smaller k.  scores (may be NULL) receives the
 *  mean score of each ORIGINAL candidate (capped ones score as their cap).
 *  folds >= 2, N >= 2·folds.
 *  @return : GK_OK, GK_EARG, GK_ESHAPE, GK_ENOMEM, GK_EBLAS.  *best_k set. */
int gk_comet_select_k(const gk_mat *T, const gk_mat *A, const int32_t *groups,
                      const int64_t *candidates, int n_candidates, int folds, uint64_t seed,
                      gk_comet_weight w, int64_t *best_k, double *scores);

/*====  split + transform + score (the protocols behind `gapkit eval`)  ====*/

/*! gk_retrieval_protocol() : retrieval of X (NX,D) ↔ Y (NY,D) (groups gx,
 *  gy as in gk_retrieval_both) after an optional split and transform.
 *  split (NULL = none) is over the rows of X.  Without groups Y's rows follow
 *  X's (NX == NY).  With groups, a Y row is in the test gallery when its group
 *  has a test X row, and pairs with the train X rows of its group for fitting.
 *  xf (NULL = none): MODEL is applied to all rows (side 0 to X, side 1 to Y);
 *  COMET_FIT needs a split (else GK_EARG: fitting and scoring the same rows
 *  leaks) and is fitted on the train pairs, k = 0 chosen by
 *  gk_comet_select_k (5 folds, seed).  Scores only the test part when split.
 *  @return : GK_OK or any code of the steps.  *out filled (with split and
 *  transform descriptions). */
int gk_retrieval_protocol(const gk_mat *X, const gk_mat *Y, const int32_t *gx,
                          const int32_t *gy, const gk_split *split,
                          const gk_transform_spec *xf, uint64_t seed,
                          gk_retrieval_result *out);

/* What is reported around the metrics of a protocol (methods.md §11). */
typedef struct gk_score_opts {
    int intervals;    /* 1: bootstrap intervals over the scored queries (boot) */
    gk_boot_opts boot;
    int keep_copies;  /* 1: exact duplicate rows stay separate items; 0 (default):
                         merged by gk_dedup_plan_make, found on the rows BEFORE
                         the transform (a transform may break exact equality) */
} gk_score_opts;

/*! gk_score_opts_default() : @return : intervals on (stats.h defaults),
 *  duplicates merged. */
gk_score_opts gk_score_opts_default(void);

/*! gk_retrieval_protocol_opts() : gk_retrieval_protocol() with the reporting
 *  of so (NULL = gk_score_opts_default()): intervals (has_ci) and duplicate
 *  rows merged (out->merged_x / merged_y count the rows dropped). */
int gk_retrieval_protocol_opts(const gk_mat *X, const gk_mat *Y, const int32_t *gx,
                               const int32_t *gy, const gk_split *split,
                               const gk_transform_spec *xf, uint64_t seed,
                               const gk_score_opts *so, gk_retrieval_result *out);

/*! gk_zeroshot_protocol() : zero-shot of items X (N,D) with classes y (N,)
 *  against class embeddings P (C,D) (already ensembled), after an optional
 *  split of the items and transform (side 0 = items, side 1 = classes).
 *  Fit pairs for COMET_FIT: each train item with its class embedding.
 *  Random or fold split: test items scored against all C classes.  Class
 *  split: test items scored against ONLY the test classes' embeddings (the
 *  classes seen in training are not candidates), so result->class_id lists
 *  the test classes.  Other rules as gk_retrieval_protocol().
 *  @return : GK_OK or any code of the steps.  *out : caller owns
 *  (gk_zeroshot_result_free). */
int gk_zeroshot_protocol(const gk_mat *X, const int32_t *y, const gk_mat *P,
                         const gk_split *split, const gk_transform_spec *xf, uint64_t seed,
                         gk_zeroshot_result **out);

/*====  group-level tasks: k-means, cluster scores, kNN, probe (methods.md §4)  ====*/

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
} gk_kmeans_result;

/*! gk_kmeans() : k-means of the rows of X (N,D), cs == 1: greedy k-means++
 *  seeding (2 + ⌊ln K⌋ local trials, on opts->init_sample rows), then
 *  Lloyd's iterations on all rows; assignment by gk_gemm_rows in blocks of 4096
 *  rows (block × K floats of scratch, never N × K), centroids summed in
 *  double in row order; an empty cluster takes the row farthest from its
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

/*! gk_group_knn_loo() : leave-one-out k-nearest-neighbour accuracy on X
 *  (N,D) with labels y (N,) in [0,C): neighbours by inner product (cosine on
 *  unit rows), the row itself excluded, ties in similarity → lower row;
 *  majority vote, ties → larger summed similarity, then lower class.
 *  @return : GK_OK, GK_EARG (k outside 1..N−1, labels), GK_ENOMEM. */
int gk_group_knn_loo(const gk_mat *X, const int32_t *y, int32_t n_classes, int64_t k,
                        double *acc);

/*! gk_group_knn_split() : as gk_group_knn_loo() for test rows (Q,D) voting
 *  among the train rows (N,D).  @return : as above, GK_ESHAPE (D differs). */
int gk_group_knn_split(const gk_mat *train, const int32_t *ytrain, const gk_mat *test,
                    const int32_t *ytest, int32_t n_classes, int64_t k, double *acc);

/* The JOINT set of M views: the rows of every view stacked, each labelled
** with its item's class.  Within a view, rows bit-for-bit equal to an earlier
** row of that view (e.g. a class prompt paired with every clip of its class)
** enter once, with the class of their first item. */
typedef struct gk_joint {
    int64_t n;       /* J rows */
    gk_mat *rows;    /* (J,D) */
    int32_t *label;  /* (J,) class of the row's item */
    int32_t *view;   /* (J,) view the row comes from */
    int64_t *item;   /* (J,) item (row index in the views) */
} gk_joint;

/*! gk_joint_build() : the joint set of views[0..M) (each (N,D), one D)
 *  restricted to items idx[0..n_items) (NULL = all N in order), labels (N,)
 *  the item classes.  Duplicates are detected on keys[0..M) (each (N,·);
 *  NULL = the views themselves): pass the rows before a transform.
 *  @return : GK_OK, GK_EARG, GK_ESHAPE (views differ in N or D), GK_ENOMEM.
 *  *out : caller owns, free with gk_joint_free(). */
int gk_joint_build(const gk_mat *const *views, const gk_mat *const *keys, int n_views,
                   const int32_t *labels, const int64_t *idx, int64_t n_items, gk_joint **out);

/*! gk_joint_free() : NULL is a no-op. */
void gk_joint_free(gk_joint *j);

typedef struct gk_group_opts {
    int do_cluster, do_knn, do_probe; /* tasks to run (default all 1) */
    int64_t n_clusters;   /* k of k-means; 0 = the number of classes present (default) */
    gk_kmeans_opts kmeans;/* restarts, seed, spherical… (k is set from n_clusters) */
    int64_t knn_k;        /* neighbours of the kNN classifier (default 5) */
    int probe_folds;      /* folds of the probe's cross-validation (default 5) */
    gk_logreg_opts probe; /* the probe: multinomial logistic regression (learn.h) */
    uint64_t seed;        /* probe folds */
} gk_group_opts;

/*! gk_group_opts_default() : @return : the defaults listed above. */
gk_group_opts gk_group_opts_default(void);

typedef struct gk_group_result {
    int64_t n_rows, n_test_rows; /* rows clustered / scored (test rows for a split) */
    int32_t n_classes;           /* classes present */
    int64_t n_clusters;          /* k used */
    double inertia;              /* k-means inertia of the winning restart */
    gk_cluster_scores cluster;   /* k-means clusters vs classes (NaN fields if not run) */
    double knn_acc;              /* kNN accuracy (NaN if not run) */
    double probe_acc, probe_sd;  /* probe accuracy, sd over folds (NaN if not run) */
    int probe_folds;             /* folds used; 0 = train → test */
} gk_group_result;

/*! gk_group_eval() : the group-level tasks on rows X (N,D) with classes y
 *  (N,), any int32 values: k-means (opts->kmeans, k = n_clusters or the
 *  number of classes) scored by gk_cluster_scores_eval(); leave-one-out kNN
 *  accuracy; probe accuracy by stratified `probe_folds`-fold cross-validation
 *  (gk_logreg_cv_accuracy, at most 256 classes).  opts may be NULL.
 *  @return : GK_OK, or the first failing task's code.  *out filled. */
int gk_group_eval(const gk_mat *X, const int32_t *y, const gk_group_opts *opts,
                  gk_group_result *out);

/*! gk_group_eval_split() : kNN and probe trained on (Xtr, ytr) and scored on
 *  (Xte, yte) (every test class must occur in training); k-means runs on
 *  the test rows.  @return : as gk_group_eval(), GK_EARG naming a test
 *  class without training rows. */
int gk_group_eval_split(const gk_mat *Xtr, const int32_t *ytr, const gk_mat *Xte,
                        const int32_t *yte, const gk_group_opts *opts, gk_group_result *out);

/*! gk_group_to_json() : {"task":"groups","split","transform","rows","classes",
 *  "clusters","inertia","v_measure","nmi","ari","homogeneity","completeness",
 *  "purity","knn_k","knn_acc","probe_folds","probe_acc","probe_sd"} (NaN → null).
 *  split/transform may be NULL.  *json : caller frees with gk_free(). */
int gk_group_to_json(const gk_group_result *r, const gk_group_opts *o, const char *split,
                     const char *transform, char **json);

/*====  compare: every transform side by side (methods.md §4, §5)  ====*/

/* The data compare works on: M paired views (row i of every view is item i),
** optional item classes and class prompt embeddings. */
typedef struct gk_compare_input {
    int n_views;                   /* M >= 2 */
    const gk_mat *const *views;    /* (M,) each (N,D_v), unit rows */
    const char *const *view_names; /* (M,) labels for the report, may be NULL */
    const int32_t *labels;         /* (N,) class of each item in [0,C), or NULL */
    int32_t n_classes;             /* C */
    const char *const *class_names;/* (C,) or NULL */
    const gk_mat *prompts;         /* (C,D_p) class embeddings for zero-shot, or NULL */
    int prompt_view;               /* the view whose space the prompts are in */
} gk_compare_input;

typedef struct gk_compare_opts {
    const gk_split *split;   /* over the items; required (the report names it) */
    gk_group_opts groups;    /* group-task settings (joint rows of the test items) */
    uint64_t seed;           /* COMET's k = auto cross-validation */
    gk_boot_opts boot;       /* paired bootstrap of the R@1 differences (stats.h defaults) */
    int n_perm;              /* sign-flip permutations of the paired test (default 9999) */
    double alpha;            /* family-wise level of the Holm correction (default 0.05) */
    const gk_train_opts *heads; /* (n_heads,) heads trained on the train items (gk_train,
                                   seed = seed, no validation), one row each after the
                                   transforms; NULL = none (default) */
    int n_heads;
} gk_compare_opts;

/*! gk_compare_opts_default() : @return : group defaults, seed 0, no split. */
gk_compare_opts gk_compare_opts_default(void);

/* One transform against the baseline (identity) on the same queries. */
typedef struct gk_compare_test {
    int tested;      /* 0: the baseline itself, a failed row, or no baseline */
    gk_paired r1;    /* R@1 difference (this − baseline), paired bootstrap interval,
                        sign-flip p-value over the per-query hits */
    double p_holm;   /* Holm–Bonferroni adjusted over every test of the result */
    int significant; /* p_holm <= alpha */
} gk_compare_test;

/* What one transform does on the held-out items. */
typedef struct gk_compare_pair {
    int a, b;                     /* views, a < b */
    double gap;                   /* ‖mean(a') − mean(b')‖ over the test items */
    double cos_true;              /* mean cos(a'_i, b'_i) over the test items */
    gk_retrieval_metrics a2b, b2a;/* distinct rows of a query distinct rows of b;
                                     true matches: rows paired through an item */
    int64_t *rank_a2b, *rank_b2a; /* (a2b.n_queries,), (b2a.n_queries,) best rank of
                                     each query, 0 if unscored; owned by the result */
    gk_compare_test test_a2b, test_b2a; /* against the baseline row */
} gk_compare_pair;

typedef struct gk_compare_row {
    char name[128];         /* e.g. "cca:k=32,ridge=0.1"; a trained head:
                               "head:" + gk_train_opts_string */
    char desc[256];         /* what was fitted ("… fitted on 1000 train items") */
    int ok;                 /* 0: the fit or a task failed, see error */
    char error[256];
    int n_pairs;            /* M(M−1)/2 */
    gk_compare_pair *pairs; /* (n_pairs,) */
    double gap, cos_true;   /* means over the pairs */
    double r1, r5, map10;   /* retrieval, mean over pairs and both directions */
    double zs_top1, zs_top5;/* zero-shot of the non-prompt views' test items (mean over
                               views); NaN without prompts */
    gk_group_result groups; /* on the joint rows of the test items; NaN without labels */
} gk_compare_row;

typedef struct gk_compare_result {
    int n_rows;
    gk_compare_row *rows;   /* (n_rows,) one per transform, in the order given */
    int n_views;
    int64_t n_train, n_test;/* items */
    int32_t n_test_classes; /* classes among the test items (0 without labels) */
    int zs_candidates;      /* classes zero-shot chooses among */
    char split[256];        /* the split's description */
    int baseline;           /* row the tests compare against (identity), −1: none */
    int n_tests;            /* tests in the Holm family */
    double alpha;           /* their family-wise level */
    gk_boot_opts boot;      /* how the intervals were drawn */
    int n_perm;             /* sign flips per test */
} gk_compare_result;

/*! gk_compare_run() : for each transform methods[0..n_methods) (gk_align_opts;
 *  COMET with k = 0 chooses k by 5-fold CV on the train items, as
 *  `--transform comet:k=auto`): fit on the TRAIN items of opts->split, apply
 *  to the TEST items of every view, and measure there: per pair of views the
 *  gap and true-pair cosine, retrieval both ways (R@1, R@5, mAP@10; rows
 *  repeated within a view, e.g. one prompt per class, enter the gallery
 *  once and match every item paired with them); zero-shot (with prompts:
 *  test items of each other view against the transformed prompts, among
 *  the test classes only for a class split); the group tasks on the joint
 *  rows of the test items (with labels).  Then for each opts->heads[h]: heads
 *  trained (gk_train, seed opts->seed) on the TRAIN items only, measured the
 *  same way (rows after the transforms' rows; a run stopped by a non-finite
 *  loss is a failed row).  A transform that fails is recorded (row ok = 0,
 *  error) and the others still run.
 *  @return : GK_OK; GK_EARG (no split, a class split without labels, inputs);
 *  GK_ESHAPE; GK_ENOMEM.  *out : caller owns, free with gk_compare_result_free(). */
int gk_compare_run(const gk_compare_input *in, const gk_align_opts *methods, int n_methods,
                   const gk_compare_opts *opts, gk_compare_result **out);

/*! gk_compare_result_free() : NULL is a no-op. */
void gk_compare_result_free(gk_compare_result *r);

/*! gk_compare_to_json() : {"task":"compare","split","views","n_train","n_test",
 *  "rows":[{"transform","description","ok","error","gap","cos_true","R@1","R@5",
 *  "mAP@10","zeroshot_top1","zeroshot_top5","v_measure","nmi","ari",…,"pairs":[…]}]}
 *  (NaN → null).  *json : caller frees with gk_free(). */
int gk_compare_to_json(const gk_compare_result *r, const gk_compare_input *in, char **json);

/*! gk_compare_default_methods() : the transforms compare runs when none are
 *  named: identity, center, shift (λ=1), ablate (m=10), procrustes, cca (k=32),
 *  comet (k=auto), comet weight=align (k=auto), projdec; into out (cap entries).
 *  @return : how many were written. */
int gk_compare_default_methods(gk_align_opts *out, int cap);

/*! gk_compare_shift_sweep() : shift with λ = 0, 1/(steps−1), …, 1 into out
 *  (cap entries), steps >= 2.  @return : how many were written. */
int gk_compare_shift_sweep(int steps, gk_align_opts *out, int cap);

/*====  correlation across variants (methods.md §5)  ====*/

/*! gk_pearson() : Pearson's r of x (n,) and y (n,), n >= 3, and (p may be
 *  NULL) its two-sided p-value for H0 "no correlation" (Student's t with
 *  n − 2 degrees of freedom, the exact test for normal data, as
 *  scipy.stats.pearsonr).  @return : GK_OK; GK_EARG (NULL, n < 3);
 *  GK_ENUMERIC (NaN/Inf, or all values of x or of y equal). */
int gk_pearson(const double *x, const double *y, int64_t n, double *r, double *p);

/*! gk_spearman() : Spearman's ρ = Pearson's r of the ranks (ties: mean
 *  rank) and its two-sided p-value by the same t approximation
 *  (scipy.stats.spearmanr).  @return : as gk_pearson(), GK_ENOMEM. */
int gk_spearman(const double *x, const double *y, int64_t n, double *rho, double *p);

/*! gk_corr_pvalue() : @return : two-sided p-value of a correlation r from n
 *  pairs, I_{1−r²}((n−2)/2, 1/2) (regularised incomplete beta); NaN for
 *  n < 3. */
double gk_corr_pvalue(double r, int64_t n);

GK_API_END
#ifdef __cplusplus
}
#endif
#endif /* GAPKIT_EVAL_H */
