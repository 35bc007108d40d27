/*
** zeroshot.h — zero-shot classification of items against class prompts (methods.md §5).
**
** Similarities are inner products of the rows given: pass unit rows and they
** are cosines.  Ranks are 1-based.  TIE RULE (everywhere in this module):
** gallery items are ordered by similarity, descending, and items of equal
** similarity by ascending index; the rank of item j is its position in that
** order, i.e. 1 + #{l : s_l > s_j} + #{l : s_l == s_j and l < j}.
*/
#ifndef GAPKIT_ZEROSHOT_H
#define GAPKIT_ZEROSHOT_H

#include "io.h"
#include "matrix.h"
#include "stats.h"
#include "retrieval.h"

#ifdef __cplusplus
extern "C" {
#endif
GK_API_BEGIN

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
    int dedup;           /* 1: exact duplicate items were looked for and merged */
    int64_t merged;      /* items dropped as copies (same row, same class) of an earlier one */
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

GK_API_END
#ifdef __cplusplus
}
#endif
#endif /* GAPKIT_ZEROSHOT_H */
