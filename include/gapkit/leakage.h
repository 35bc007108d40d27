/*
** leakage.h — how much zero-shot accuracy is inherited (Tavares et al., "On
** Class Separability Pitfalls In Audio-Text Contrastive Zero-Shot Learning",
** ICASSP 2025; methods.md §5–§6).
**
** Zero-shot classification of items X (N,D) by class prompt embeddings can
** be right because the cross-modal step transfers, or merely because the
** classes were already separable in the item space on its own (the unimodal
** backbone's geometry, learnt from the same classes).  This module measures:
**   - class separability of the items on their own: leave-one-out kNN
**     accuracy (k = 5, inner product: cosine on unit rows), linear-probe accuracy (5-fold CV, gk_logreg),
**     leave-one-out nearest-class-centroid accuracy (NCC, cosine), the
**     silhouette (euclidean, scikit-learn's definition) and the Fisher ratio
**     tr(S_B)/tr(S_W) = Σ_c n_c‖μ_c − μ‖² / Σ_i ‖x_i − μ_{y_i}‖²;
**   - the prompt geometry: cosines between the class embeddings, and each
**     item's margin cos(x, p_true) − max_{c≠true} cos(x, p_c);
**   - the INHERITED SHARE: of the items zero-shot classifies correctly, the
**     share that the item-space-only NCC classifier (leave-one-out, so the
**     item's own row never votes for its class) also gets right.  1 means
**     every zero-shot success is one the item space already made by itself;
**     the cross-modal step then adds nothing a class-centroid could not.
**   - with a transform fitted on pairs (gk_align_opts, or a given gk_align): its zero-shot
**     gain (accuracy with it − without it, on the same test items) on an item
**     split (classes seen in the fit) and on a class-disjoint split (classes
**     unseen), with paired bootstrap percentile intervals over the test items;
**   - with the backbone embeddings of the same items: the same separability
**     there, and NNGS between the backbone and the joint space.
*/
#ifndef GAPKIT_LEAKAGE_H
#define GAPKIT_LEAKAGE_H

#include "eval.h"
#include "nngs.h"

#ifdef __cplusplus
extern "C" {
#endif

GK_API_BEGIN

/*====  separability of labelled rows  ====*/

typedef struct gk_separability {
    double knn_acc;             /* leave-one-out kNN accuracy, k = 5, inner product */
    double probe_acc, probe_sd; /* logistic-regression probe, 5-fold CV mean and sd */
    double ncc_acc;             /* leave-one-out nearest class centroid, cosine */
    double silhouette;          /* mean silhouette, euclidean distance */
    double fisher;              /* tr(S_B) / tr(S_W) */
} gk_separability;

/*! gk_silhouette() : mean over rows of s_i = (b_i − a_i) / max(a_i, b_i)
 *  with euclidean distances, a_i = mean distance to the other rows of its
 *  class, b_i = the smallest mean distance to another class's rows; s_i = 0
 *  for a row alone in its class (scikit-learn's silhouette_score).  X (N,D),
 *  y (N,) in [0,C) with at least 2 classes present.  Streams the distances
 *  through the kNN engine's key blocks (memory: one block, never N×N).
 *  @return : GK_OK, GK_EARG (labels, fewer than 2 classes), GK_ENUMERIC, GK_ENOMEM. */
int gk_silhouette(const gk_mat *X, const int32_t *y, int32_t C, double *out);

/*! gk_fisher_ratio() : tr(S_B)/tr(S_W) as above, in double.  @return :
 *  GK_OK, GK_EARG (labels), GK_ENUMERIC (no within-class scatter). */
int gk_fisher_ratio(const gk_mat *X, const int32_t *y, int32_t C, double *out);

/*! gk_ncc_loo() : leave-one-out nearest-class-centroid predictions: row i
 *  goes to argmax_c cos(x_i, m_c) where m_c is the mean of class c's rows
 *  without row i (a class whose only row is i is no candidate); ties → lower
 *  c.  pred (N,) may be NULL; *acc = share with pred == y.
 *  @return : GK_OK, GK_EARG, GK_ENOMEM. */
int gk_ncc_loo(const gk_mat *X, const int32_t *y, int32_t C, int32_t *pred, double *acc);

/*! gk_separability_eval() : every measure of gk_separability on X (N,D),
 *  y (N,) in [0,C); the probe folds are drawn from seed.  ncc_pred (N,) may
 *  be NULL.  @return : the first failing measure's code. */
int gk_separability_eval(const gk_mat *X, const int32_t *y, int32_t C, uint64_t seed,
                         gk_separability *out, int32_t *ncc_pred);

/*====  the leakage analysis  ====*/

typedef struct gk_leakage_opts {
    uint64_t seed;           /* splits, probe folds, bootstrap (default 0) */
    int n_boot;              /* bootstrap resamples B (default 1000) */
    double class_fraction;   /* test classes of the class-disjoint split (default 0.5) */
    const gk_split *item_split;       /* the item split; NULL = random, class_fraction of items */
    const gk_align_opts *fit;         /* fitted on each split's train part, or */
    const gk_align *model;            /* applied as it is; both NULL = no transform gains */
    const gk_mat *backbone;  /* (N,Db) the same items before the projection, or NULL */
    gk_kspec nngs_k;         /* NNGS scale (default k = 10) */
} gk_leakage_opts;

/*! gk_leakage_opts_default() : the defaults above. */
gk_leakage_opts gk_leakage_opts_default(void);

/* A zero-shot gain of a transform on one split, with its interval. */
typedef struct gk_leakage_gain {
    int64_t n_test;          /* test items */
    int32_t n_classes;       /* candidate classes when scoring */
    double base, with;       /* top-1 without / with the transform */
    double gain, lo, hi;     /* with − base and its 95 % paired bootstrap interval */
    char split[256];         /* the split, in words */
    char transform[256];     /* the transform and what it was fitted on, in words */
} gk_leakage_gain;

typedef struct gk_leakage_result {
    int64_t n;               /* items */
    int32_t n_classes;       /* C (class embeddings) */
    double zs_top1;          /* cross-modal zero-shot top-1 over all C classes */
    gk_separability items;   /* separability of the items on their own */
    double prompt_cos_mean;  /* mean cosine between two different class embeddings */
    double prompt_cos_max;   /* the largest such cosine, between classes max_a, max_b */
    int32_t max_a, max_b;
    double prompt_nn_cos;    /* mean over classes of the cosine to the nearest other class */
    double margin_mean, margin_median; /* item margins (see the top of this file) */
    double inherited_share;  /* zero-shot-correct items that NCC also gets right */
    double zs_only;          /* share of ALL items zero-shot gets right and NCC wrong */
    int has_transform;
    gk_leakage_gain item_gain, class_gain; /* JSON item_split_gain, class_disjoint_gain */
    int has_backbone;
    int64_t backbone_dim;
    gk_separability backbone;
    gk_nbr_result nngs;      /* NNGS(backbone, items) */
} gk_leakage_result;

/*! gk_leakage_run() : the analysis of items X (N,D) with classes y (N,) in
 *  [0,C) against class embeddings P (C,D) (already ensembled, one row per
 *  class).  opts may be NULL.  Needs N >= 10 and every class of y with at
 *  least 2 items for the separability measures.
 *  @return : GK_OK, GK_EARG, GK_ESHAPE (dimensions or backbone rows), or a
 *  step's code.  *out filled. */
int gk_leakage_run(const gk_mat *X, const int32_t *y, const gk_mat *P, const gk_leakage_opts *opts,
                   gk_leakage_result *out);

/*! gk_leakage_to_json() : {"n","n_classes","zeroshot_top1","items":{…},
 *  "prompts":{…},"inherited":{"share","zeroshot_only","statement"},
 *  "transform","item_split_gain","class_disjoint_gain" (objects or null),
 *  "backbone":{…}|null}; names (may be NULL) index classes.  *json : caller
 *  frees with gk_free().  @return : GK_OK, GK_ENOMEM. */
int gk_leakage_to_json(const gk_leakage_result *r, const gk_leakage_opts *opts,
                       const char *const *names, char **json);

/*! gk_leakage_statement() : the one-line statement of how much of the
 *  zero-shot accuracy the item space accounts for, into buf (cap bytes). */
void gk_leakage_statement(const gk_leakage_result *r, char *buf, size_t cap);

GK_API_END

#ifdef __cplusplus
}
#endif
#endif /* GAPKIT_LEAKAGE_H */
