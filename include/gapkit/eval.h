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
#include "geometry.h"
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

GK_API_END
#ifdef __cplusplus
}
#endif
#endif /* GAPKIT_EVAL_H */
