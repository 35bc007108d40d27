/*
** group.h — group-level tasks on embeddings (methods.md §4): kNN accuracy, linear
** probe and clustering of one view or of the joint set of several views.
*/
#ifndef GAPKIT_GROUP_H
#define GAPKIT_GROUP_H

#include "cluster.h"
#include "learn.h"
#include "matrix.h"

#ifdef __cplusplus
extern "C" {
#endif
GK_API_BEGIN

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
    int n_restarts;              /* k-means restarts scored (0 if not run) */
    gk_cluster_scores restart_mean, restart_sd; /* each score's mean and sample sd (n − 1;
                                    NaN for one restart) over the restarts, every restart
                                    scored against the classes (methods.md §11) */
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

GK_API_END
#ifdef __cplusplus
}
#endif
#endif /* GAPKIT_GROUP_H */
