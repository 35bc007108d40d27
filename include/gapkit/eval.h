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

#include "geometry.h"
#include "io.h"
#include "matrix.h"

#ifdef __cplusplus
extern "C" {
#endif

/*====  retrieval  ====*/

typedef struct gk_retrieval_opts {
    int64_t block_rows;      /* query rows per similarity block (default 1024) */
    int64_t max_block_elems; /* cap on block rows × N floats (default 2^25 = 128 MB) */
} gk_retrieval_opts;

/*! gk_retrieval_opts_default() : @return : {1024, 2^25}. */
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
 *  Computation: Q is processed in blocks of opts->block_rows rows (fewer if
 *  block × N would exceed opts->max_block_elems); each block's similarities
 *  come from one cblas_sgemm (threaded BLAS), then rows of the block are
 *  ranked in parallel (OpenMP, no BLAS inside): O(N log m) per query, memory
 *  block × N floats, never Q × N.  The result does not depend on the number
 *  of threads.  Q, G: cs == 1 (row-major rows, any row stride).
 *  opts may be NULL (defaults).  ranks (Q,) may be NULL: else it receives
 *  each query's best rank, or 0 for a query without a true match.
 *  @return : GK_OK; GK_EARG (NULL inputs, negative group id, no query has a
 *  true match), GK_ESHAPE (D differs, Q > N without groups, strides),
 *  GK_ENOMEM.  *out filled on success. */
int gk_retrieval_eval(const gk_mat *Q, const gk_mat *G, const int32_t *qgroup,
                      const int32_t *ggroup, const gk_retrieval_opts *opts,
                      gk_retrieval_metrics *out, int64_t *ranks);

/*! gk_retrieval_eval_naive() : the reference twin of gk_retrieval_eval(): the
 *  full (Q,N) similarity matrix in double, each row sorted with qsort by the
 *  tie rule, true matches found by walking the sorted order.  O(Q·N) memory;
 *  for tests.  Same arguments, returns and outputs (no opts). */
int gk_retrieval_eval_naive(const gk_mat *Q, const gk_mat *G, const int32_t *qgroup,
                            const int32_t *ggroup, gk_retrieval_metrics *out, int64_t *ranks);

/* Both directions of a paired evaluation, plus what produced them. */
typedef struct gk_retrieval_result {
    gk_retrieval_metrics x2y; /* rows of X as queries, Y as gallery */
    gk_retrieval_metrics y2x; /* rows of Y as queries, X as gallery */
    char split[256];          /* human description of the split ("none" if none) */
    char transform[256];      /* human description of the transform ("none" if none) */
} gk_retrieval_result;

/*! gk_retrieval_both() : X (NX,D) → Y (NY,D) and Y → X with the same group
 *  rule as gk_retrieval_eval() (gx (NX,), gy (NY,), both NULL = row i ↔ row
 *  i, then NX must equal NY).  Sets split and transform to "none".
 *  @return : as gk_retrieval_eval(). */
int gk_retrieval_both(const gk_mat *X, const gk_mat *Y, const int32_t *gx, const int32_t *gy,
                      const gk_retrieval_opts *opts, gk_retrieval_result *out);

/*! gk_retrieval_to_json() : a JSON object {"task":"retrieval","x":…,"y":…,
 *  "split":…,"transform":…,"x_to_y":{metrics},"y_to_x":{metrics}}; name_x and
 *  name_y (may be NULL) label the inputs.  *json : caller frees with
 *  gk_free().  @return : GK_OK, GK_ENOMEM. */
int gk_retrieval_to_json(const gk_retrieval_result *r, const char *name_x, const char *name_y,
                         char **json);

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
} gk_zeroshot_result;

/*! gk_zeroshot_eval() : classifies each item of X (N,D) by the class
 *  embeddings P (C,D): pred_i = argmax_c x_i·p_c (ties → lower c); the true
 *  class y_i in [0,C) is top-k when its rank (tie rule) is <= k.
 *  Similarities by cblas_sgemm in blocks of 1024 items.  X, P: cs == 1.
 *  @return : GK_OK; GK_EARG (NULL, y out of range, N or C zero), GK_ESHAPE
 *  (D differs), GK_ENOMEM.  *out : caller owns, free with
 *  gk_zeroshot_result_free(); NULL on failure. */
int gk_zeroshot_eval(const gk_mat *X, const gk_mat *P, const int32_t *y,
                     gk_zeroshot_result **out);

/*! gk_zeroshot_result_free() : NULL is a no-op. */
void gk_zeroshot_result_free(gk_zeroshot_result *r);

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
    GK_TRANSFORM_MODEL = 1,    /* a saved COMET model file (gk_comet_load) */
    GK_TRANSFORM_COMET_FIT = 2 /* "comet:k=K[,weight=none|align|corr]" or "comet:k=auto":
                                  fitted on the TRAIN part of a split */
} gk_transform_kind;

typedef struct gk_transform_spec {
    gk_transform_kind kind;
    const char *path;       /* MODEL: borrowed from the parsed string */
    int64_t k;              /* COMET_FIT: axes kept, 0 = automatic (gk_comet_select_k);
                               MODEL: 0 = all axes of the model */
    gk_comet_weight weight; /* applied to the coefficients */
} gk_transform_spec;

/*! gk_transform_parse() : "none", "comet:k=K[,weight=W]", "comet:k=auto[,weight=W]"
 *  or else a model path.  @return : GK_OK, GK_EARG.  *out borrows s. */
int gk_transform_parse(const char *s, gk_transform_spec *out);

/*! gk_transform_apply_pair() : coefficients of both sides under model m:
 *  *X2 = normalize(apply(m, side 0, X)), *Y2 = normalize(apply(m, side 1, Y))
 *  with k axes (0 = all kept) and weight w: the first input is side 0 (the
 *  first input of the fit), the second side 1.  Rows of X2 (NX,k) and Y2
 *  (NY,k) are unit, so inner products are the cosines of the coefficients.
 *  @return : as gk_comet_apply(), GK_ENUMERIC for a zero coefficient row.
 *  *X2, *Y2 : caller owns both; both NULL on failure. */
int gk_transform_apply_pair(const gk_comet *m, int64_t k, gk_comet_weight w, const gk_mat *X,
                            const gk_mat *Y, gk_mat **X2, gk_mat **Y2);

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

#ifdef __cplusplus
}
#endif
#endif /* GAPKIT_EVAL_H */
