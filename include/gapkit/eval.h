/*
** eval.h — the evaluation protocols behind `gapkit eval` (methods.md §5):
** split (split.h) + transform (a saved model, or one fitted on the train part
** of a split) + score (retrieval.h, zeroshot.h).
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
#include "comet.h"
#include "io.h"
#include "learn.h"
#include "matrix.h"
#include "nngs.h"
#include "retrieval.h"
#include "split.h"
#include "stats.h"
#include "zeroshot.h"

#ifdef __cplusplus
extern "C" {
#endif
GK_API_BEGIN

/*====  transforms before scoring  ====*/

/* A protocol takes its transform in one of two forms: gk_align_opts to fit
** on the TRAIN part of its split (gk_transform_fit: COMET's k rule resolved
** there), or a gk_align already fitted or loaded, applied to every row as it
** is.  Both NULL = no transform; fitting anything but identity needs a split. */

/*! gk_transform_open() : what an eval "--transform" string s names:
 *  "none" (nothing set); an align method "METHOD[:KEY=V,…]" parsed by
 *  gk_align_parse into *fit, *has_fit = 1 (comet must say k=K, k=auto or
 *  k=shared; the method names win over a file of the same name: write
 *  ./center for such a file); "head:FILE" (heads trained by gapkit train) or
 *  any other string: a model file loaded by gk_align_load into *model.
 *  @return : GK_OK, GK_EARG, as gk_align_load.  *model : caller owns, free
 *  with gk_align_free(); NULL unless a model was loaded. */
int gk_transform_open(const char *s, gk_align_opts *fit, int *has_fit, gk_align **model);

/* How gk_transform_fit chose COMET's k, for reports. */
typedef struct gk_k_choice {
    gk_k_rule rule;       /* the rule applied (fixed for other methods) */
    int64_t k;            /* the k chosen (0 for other methods) */
    char why[160];        /* "k=auto -> k=32 (5-fold CV mAP@10 0.4121)", or "" */
    double cv_map10[6];   /* auto (two views): mean held-out mAP@10 of k = 8, 16,
                             32, 64, 128, 256 (capped ones score as their cap) */
    int permutations;     /* shared: B of the test */
    double alpha;         /* shared: its family-wise level */
    int64_t n_shared;     /* shared: axes that passed (0 possible; k is then 1) */
    int64_t n_p;          /* shared: p-values kept, min(n_shared + 1, R) */
    double *p;            /* (n_p,) shared: p of each axis up to the one that
                             stopped the test; owned, gk_k_choice_free() */
} gk_k_choice;

/*! gk_k_choice_free() : frees c->p (c itself is the caller's); NULL is a no-op. */
void gk_k_choice_free(gk_k_choice *c);

/*! gk_comet_fit_to_json() : the document of a COMET fit (`gapkit comet fit
 *  --json`): {"n_fit","dim_t","dim_a","k","rank","k_rule","sigma_1","model"}
 *  and, when test is not NULL (its n_p p-values filled),
 *  "permutation_test":{"permutations","p_resolution","alpha","seed",
 *  "shared_axes","p_values"}.  rule : how k was chosen, in words; model_path
 *  : where the model was written (may be NULL: null); seed : the test's.
 *  *json : caller frees with gk_free().  @return : GK_OK, GK_EARG, GK_ENOMEM. */
int gk_comet_fit_to_json(const gk_comet *m, const char *rule, const char *model_path,
                         const gk_k_choice *test, uint64_t seed, char **json);

/*! gk_transform_fit() : fits the transform o on the paired views views[0..M)
 *  (as gk_align_fit) after resolving COMET's k rule (align.h, gk_k_rule), the
 *  one place that does: auto = gk_comet_select_k (comet.h) over 8..256 (5 folds, seed;
 *  M > 2 views: the default k), shared = the axes passing
 *  gk_comet_permutation_test (o->permutations, o->alpha, seed; at least 1).
 *  groups (N,) (may be NULL) are the classes of the fit rows for auto's
 *  held-out matches; NULL groups the items whose rows repeat in both views
 *  (one prompt per class), so every caller with the same data gets the same
 *  k.  The model records the rule and the k chosen (gk_align_get_opts,
 *  gk_align_save).  how (may be NULL) receives how k was chosen; release it
 *  with gk_k_choice_free() (also after a failure).
 *  @return : as gk_align_fit, gk_comet_select_k, gk_comet_permutation_test.
 *  *out : caller owns, free with gk_align_free(); NULL on failure. */
int gk_transform_fit(const gk_align_opts *o, const gk_mat *const *views, int n_views,
                     const int32_t *groups, uint64_t seed, gk_align **out, gk_k_choice *how);

/*====  split + transform + score (the protocols behind `gapkit eval`)  ====*/

/*! gk_retrieval_protocol() : retrieval of X (NX,D) ↔ Y (NY,D) (groups gx,
 *  gy as in gk_retrieval_both) after an optional split and transform.
 *  split (NULL = none) is over the rows of X.  Without groups Y's rows follow
 *  X's (NX == NY).  With groups, a Y row is in the test gallery when its group
 *  has a test X row, and pairs with the train X rows of its group for fitting.
 *  model (NULL = none) is applied to all rows (side 0 to X, side 1 to Y);
 *  fit (NULL = none; identity = none) needs a split (else GK_EARG: fitting
 *  and scoring the same rows leaks) and is fitted on the train pairs by
 *  gk_transform_fit (groups: the train rows' gx).  Give at most one of fit
 *  and model.  Scores only the test part when split.
 *  @return : GK_OK or any code of the steps.  *out filled (with split and
 *  transform descriptions). */
int gk_retrieval_protocol(const gk_mat *X, const gk_mat *Y, const int32_t *gx,
                          const int32_t *gy, const gk_split *split,
                          const gk_align_opts *fit, const gk_align *model, uint64_t seed,
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
                               const gk_align_opts *fit, const gk_align *model,
                               uint64_t seed, const gk_score_opts *so,
                               gk_retrieval_result *out);

/*! gk_zeroshot_protocol() : zero-shot of items X (N,D) with classes y (N,)
 *  against class embeddings P (C,D) (already ensembled), after an optional
 *  split of the items and transform (side 0 = items, side 1 = classes).
 *  Fit pairs of fit: each train item with its class embedding (groups: the
 *  items' classes).
 *  Random or fold split: test items scored against all C classes.  Class
 *  split: test items scored against ONLY the test classes' embeddings (the
 *  classes seen in training are not candidates), so result->class_id lists
 *  the test classes.  Other rules as gk_retrieval_protocol().
 *  @return : GK_OK or any code of the steps.  *out : caller owns
 *  (gk_zeroshot_result_free). */
int gk_zeroshot_protocol(const gk_mat *X, const int32_t *y, const gk_mat *P,
                         const gk_split *split, const gk_align_opts *fit,
                         const gk_align *model, uint64_t seed, gk_zeroshot_result **out);

/*! gk_zeroshot_protocol_opts() : gk_zeroshot_protocol() with the reporting of
 *  so (NULL = gk_score_opts_default()): unless so->keep_copies, test items
 *  that repeat an earlier test item (gk_dedup_labelled on the rows BEFORE the
 *  transform) are one query (out->dedup = 1, out->merged counts the items
 *  dropped); with so->intervals, gk_zeroshot_intervals(so->boot).
 *  @return : as gk_zeroshot_protocol(). */
int gk_zeroshot_protocol_opts(const gk_mat *X, const int32_t *y, const gk_mat *P,
                              const gk_split *split, const gk_align_opts *fit,
                              const gk_align *model, uint64_t seed, const gk_score_opts *so,
                              gk_zeroshot_result **out);

/*====  k-fold: every value of a fold column in turn, with a summary over folds  ====*/

/* Level of the intervals over folds (gk_t_interval): 95%. */
#define GK_FOLD_LEVEL 0.95

/* Each metric of one retrieval direction over the folds. */
typedef struct gk_retrieval_fold_summary {
    gk_t_ci r1, r5, r10, map10, map, medr, meanr;
} gk_retrieval_fold_summary;

/* The runs of a k-fold retrieval evaluation. */
typedef struct gk_retrieval_folds {
    int64_t n_folds;            /* F, the distinct values of the fold column */
    char column[128];           /* the fold column's name, for reports */
    char **value;               /* (F,) owned: the test value of each fold, in order of
                                   first appearance among the rows */
    gk_retrieval_result *fold;  /* (F,) fold f: rows with value[f] are test */
    gk_retrieval_fold_summary x2y, y2x; /* each metric over the F folds */
} gk_retrieval_folds;

/*! gk_retrieval_kfold() : gk_retrieval_protocol_opts() once per distinct
 *  value of values (NX,) (a CSV column over the rows of X, gk_csv_column):
 *  fold f tests the rows whose value is value[f] (gk_split_fold) and fits
 *  `fit` on the others; then each metric's mean, sample sd and Student-t
 *  interval over the folds (gk_t_interval at GK_FOLD_LEVEL).  `column` (may
 *  be NULL) names the column in the split descriptions.  Other arguments as
 *  gk_retrieval_protocol_opts() (same seed for every fold).
 *  @return : GK_OK; GK_EARG (NULL, fewer than 2 values: no fold to train
 *  on); any code of a fold (its message names the fold).  *out : caller
 *  owns, free with gk_retrieval_folds_free(); NULL on failure. */
int gk_retrieval_kfold(const gk_mat *X, const gk_mat *Y, const int32_t *gx, const int32_t *gy,
                       const char *const *values, const char *column,
                       const gk_align_opts *fit, const gk_align *model, uint64_t seed,
                       const gk_score_opts *so, gk_retrieval_folds **out);

/*! gk_retrieval_folds_to_json() : {"task":"retrieval","folds":[the
 *  gk_retrieval_to_json() document of each fold],"summary":{"x_to_y":
 *  {metric:{"mean","sd","ci_lo","ci_hi","n_folds"}},"y_to_x":{…}},
 *  "summary_rule":…} (NaN → null).  *json : caller frees with gk_free().
 *  @return : GK_OK, GK_EARG, GK_ENOMEM. */
int gk_retrieval_folds_to_json(const gk_retrieval_folds *r, const char *name_x,
                               const char *name_y, char **json);

/*! gk_retrieval_folds_free() : NULL is a no-op. */
void gk_retrieval_folds_free(gk_retrieval_folds *r);

/* The runs of a k-fold zero-shot evaluation. */
typedef struct gk_zeroshot_folds {
    int64_t n_folds;             /* F */
    char column[128];            /* the fold column's name */
    char **value;                /* (F,) owned: the test value of each fold */
    gk_zeroshot_result **fold;   /* (F,) owned */
    int32_t n_classes;           /* C, the rows of the class matrix P */
    int64_t *confusion;          /* (C,C) row-major, [t*C + p]: the folds' confusion
                                    counts summed (gk_zeroshot_confusion_add) */
    gk_t_ci top1, top5, mean_class_acc; /* over the F folds */
} gk_zeroshot_folds;

/*! gk_zeroshot_kfold() : gk_zeroshot_protocol_opts() once per distinct
 *  value of values (N,) over the items (as gk_retrieval_kfold), the summary
 *  over folds of top-1, top-5 and mean per-class accuracy, and the confusion
 *  counts summed over the folds (each item is test in exactly one fold, so
 *  the sum counts every item once).
 *  @return : as gk_retrieval_kfold().  *out : caller owns, free with
 *  gk_zeroshot_folds_free(); NULL on failure. */
int gk_zeroshot_kfold(const gk_mat *X, const int32_t *y, const gk_mat *P,
                      const char *const *values, const char *column, const gk_align_opts *fit,
                      const gk_align *model, uint64_t seed, const gk_score_opts *so,
                      gk_zeroshot_folds **out);

/*! gk_zeroshot_folds_to_json() : {"task":"zeroshot","folds":[the
 *  gk_zeroshot_to_json() document of each fold, without confusion],
 *  "summary":{"top1"|"top5"|"mean_class_acc":{"mean","sd","ci_lo","ci_hi",
 *  "n_folds"}},"summary_rule":…,"confusion":(C×C summed counts)}.  names
 *  (may be NULL) are the C class names.  *json : caller frees with gk_free().
 *  @return : GK_OK, GK_EARG, GK_ENOMEM. */
int gk_zeroshot_folds_to_json(const gk_zeroshot_folds *r, const char *const *names,
                              char **json);

/*! gk_zeroshot_folds_free() : NULL is a no-op. */
void gk_zeroshot_folds_free(gk_zeroshot_folds *r);

GK_API_END
#ifdef __cplusplus
}
#endif
#endif /* GAPKIT_EVAL_H */
