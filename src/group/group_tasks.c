/*
** group_tasks.c — the group-level tasks of methods.md §4 on one set of rows
** (usually the joint rows of several views): k-means scored against the
** classes, a kNN classifier (k = 5) and a linear probe (multinomial
** logistic regression from src/learn).  Without a split the classifiers
** are scored by leave-one-out (kNN) and stratified k-fold cross-validation
** (probe) within the rows; with a split they train on one part and score
** the other.
*/
#include <math.h>
#include <string.h>

#include "core/error_internal.h"
#include "cluster/kmeans_internal.h"
#include "gapkit/dist.h"
#include "group_internal.h"

gk_group_opts gk_group_opts_default(void)
{
    gk_group_opts o;
    memset(&o, 0, sizeof o);
    o.do_cluster = o.do_knn = o.do_probe = 1;
    o.kmeans = gk_kmeans_opts_default();
    o.knn_k = 5;
    o.probe_folds = 5;
    o.probe = gk_logreg_opts_default();
    return o;
}

void grp_result_init(gk_group_result *r)
{
    memset(r, 0, sizeof *r);
    r->inertia = r->knn_acc = r->probe_acc = r->probe_sd = NAN;
    r->cluster.homogeneity = r->cluster.completeness = r->cluster.v_measure = NAN;
    r->cluster.nmi = r->cluster.ari = r->cluster.purity = r->cluster.mutual_info = NAN;
    r->restart_mean = r->restart_sd = r->cluster;
}

/* The scores as an array of doubles, in gk_cluster_scores order. */
#define N_SCORES 7
static double *score_slot(gk_cluster_scores *s, int j)
{
    double *v[N_SCORES] = {&s->homogeneity, &s->completeness, &s->v_measure, &s->nmi,
                           &s->ari, &s->purity, &s->mutual_info};
    return v[j];
}

/* r->restart_mean / restart_sd: every restart's clusters scored against y. */
static int restart_spread(const int32_t *y, const gk_kmeans_result *km, gk_group_result *r)
{
    const int R = km->n_restarts;
    double sum[N_SCORES] = {0}, sq[N_SCORES] = {0};
    gk_cluster_scores s;
    for (int t = 0; t < R; t++) {
        GK_TRY(gk_cluster_scores_eval(y, km->restart_assign + (size_t)t * (size_t)km->n, km->n,
                                      &s));
        for (int j = 0; j < N_SCORES; j++) sum[j] += *score_slot(&s, j);
    }
    r->restart_mean = r->restart_sd = s; /* counts of the last restart; scores below */
    for (int j = 0; j < N_SCORES; j++) *score_slot(&r->restart_mean, j) = sum[j] / R;
    for (int t = 0; t < R; t++) { /* two passes: the sd from the deviations */
        GK_TRY(gk_cluster_scores_eval(y, km->restart_assign + (size_t)t * (size_t)km->n, km->n,
                                      &s));
        for (int j = 0; j < N_SCORES; j++) {
            const double dv = *score_slot(&s, j) - sum[j] / R;
            sq[j] += dv * dv;
        }
    }
    for (int j = 0; j < N_SCORES; j++)
        *score_slot(&r->restart_sd, j) = R > 1 ? sqrt(sq[j] / (R - 1)) : NAN;
    r->n_restarts = R;
    return GK_OK;
}

int grp_cluster_task(const gk_mat *X, int64_t n, const int32_t *y, int32_t C,
                     const gk_group_opts *o, int dist, gk_group_result *r)
{
    gk_kmeans_opts ko = o->kmeans;
    gk_kmeans_result *km = NULL;
    ko.k = o->n_clusters > 0 ? o->n_clusters : C;
    if (ko.k > n) ko.k = n;
    GK_TRY(km_kmeans(X, &ko, dist, &km));
    int rc = GK_OK;
    if (km->assign) { /* under MPI: rank 0, which gathered the clusters */
        rc = gk_cluster_scores_eval(y, km->assign, n, &r->cluster);
        if (rc == GK_OK) rc = restart_spread(y, km, r);
    }
    r->n_clusters = ko.k;
    r->inertia = km->inertia;
    gk_kmeans_result_free(km);
    return dist ? gk_dist_agree(rc, NULL) : rc;
}

/* Mean and sd of the probe's fold accuracies. */
static int probe_cv(const gk_mat *X, const int32_t *y, int32_t C, const gk_group_opts *o,
                    gk_group_result *r)
{
    int folds = o->probe_folds < X->rows ? o->probe_folds : (int)X->rows;
    double acc[64], m = 0, ss = 0;
    GK_FAIL_IF(folds < 2 || folds > 64, GK_EARG, "probe: %d folds; expected 2..64", folds);
    if (C < 2) return GK_OK; /* one class: nothing to predict */
    GK_TRY(gk_logreg_cv_accuracy(X, y, C, folds, o->seed, &o->probe, acc));
    for (int f = 0; f < folds; f++) m += acc[f] / folds;
    for (int f = 0; f < folds; f++) ss += (acc[f] - m) * (acc[f] - m);
    r->probe_acc = m;
    r->probe_sd = sqrt(ss / folds);
    r->probe_folds = folds;
    return GK_OK;
}

int gk_group_eval(const gk_mat *X, const int32_t *y, const gk_group_opts *opts,
                  gk_group_result *out)
{
    GK_FAIL_IF(!X || !y || !out, GK_EARG, "group tasks: NULL argument");
    gk_group_opts o = opts ? *opts : gk_group_opts_default();
    grp_result_init(out);
    GK_FAIL_IF(X->rows < 2, GK_EARG, "group tasks: %lld rows; at least 2 needed",
               (long long)X->rows);
    int32_t *yd = gk_malloc((size_t)X->rows * sizeof *yd), C = 0;
    GK_FAIL_IF(!yd, GK_ENOMEM, "group tasks: out of memory");
    int rc = grp_renumber(y, X->rows, yd, &C);
    out->n_rows = out->n_test_rows = X->rows;
    out->n_classes = C;
    if (rc == GK_OK && o.do_cluster) rc = grp_cluster_task(X, X->rows, yd, C, &o, 0, out);
    if (rc == GK_OK && o.do_knn) {
        int64_t k = o.knn_k < X->rows - 1 ? o.knn_k : X->rows - 1;
        rc = gk_group_knn_loo(X, yd, C, k, &out->knn_acc);
    }
    if (rc == GK_OK && o.do_probe) rc = probe_cv(X, yd, C, &o, out);
    gk_free(yd);
    return rc;
}

/*====  train → test  ====*/

/* Accuracy of a probe fitted on the train rows, on the test rows. */
static int probe_split(const gk_mat *Xtr, const int32_t *ytr, const gk_mat *Xte,
                       const int32_t *yte, int32_t C, const gk_group_opts *o, double *acc)
{
    gk_logreg *m = NULL;
    int32_t *pred = gk_malloc((size_t)(Xte->rows ? Xte->rows : 1) * sizeof *pred);
    GK_FAIL_IF(!pred, GK_ENOMEM, "probe: out of memory");
    int rc = gk_logreg_fit(Xtr, ytr, C, &o->probe, &m);
    if (rc == GK_OK) rc = gk_logreg_predict(m, Xte, pred, NULL);
    int64_t right = 0;
    for (int64_t i = 0; rc == GK_OK && i < Xte->rows; i++) right += pred[i] == yte[i];
    if (rc == GK_OK) *acc = (double)right / (double)Xte->rows;
    gk_logreg_free(m);
    gk_free(pred);
    return rc;
}

/* One dense numbering over train and test; every test class must be trained. */
static int shared_labels(const int32_t *ytr, int64_t ntr, const int32_t *yte, int64_t nte,
                         int32_t *d, int32_t *C)
{
    int32_t *all = gk_malloc((size_t)(ntr + nte) * sizeof *all);
    uint8_t *seen = NULL;
    GK_FAIL_IF(!all, GK_ENOMEM, "group tasks: out of memory");
    memcpy(all, ytr, (size_t)ntr * sizeof *all);
    memcpy(all + ntr, yte, (size_t)nte * sizeof *all);
    int rc = grp_renumber(all, ntr + nte, d, C);
    if (rc == GK_OK && !(seen = gk_calloc((size_t)*C + 1, 1))) rc = GK_ENOMEM;
    for (int64_t i = 0; rc == GK_OK && i < ntr; i++) seen[d[i]] = 1;
    for (int64_t i = 0; rc == GK_OK && i < nte; i++)
        if (!seen[d[ntr + i]])
            rc = gk_set_error(GK_EARG, "group tasks: test class %d has no training rows (a "
                              "class-disjoint split cannot train a classifier)", yte[i]);
    gk_free(all);
    gk_free(seen);
    return rc == GK_ENOMEM ? gk_set_error(GK_ENOMEM, "group tasks: out of memory") : rc;
}

int gk_group_eval_split(const gk_mat *Xtr, const int32_t *ytr, const gk_mat *Xte,
                        const int32_t *yte, const gk_group_opts *opts, gk_group_result *out)
{
    GK_FAIL_IF(!Xtr || !ytr || !Xte || !yte || !out, GK_EARG, "group tasks: NULL argument");
    gk_group_opts o = opts ? *opts : gk_group_opts_default();
    grp_result_init(out);
    GK_FAIL_IF(Xtr->rows < 1 || Xte->rows < 2, GK_EARG, "group tasks: %lld train / %lld test "
               "rows", (long long)Xtr->rows, (long long)Xte->rows);
    const int64_t ntr = Xtr->rows, nte = Xte->rows;
    int32_t *d = gk_malloc((size_t)(ntr + nte) * sizeof *d), C = 0, Cte = 0;
    int32_t *dte = gk_malloc((size_t)nte * sizeof *dte);
    int rc = d && dte ? shared_labels(ytr, ntr, yte, nte, d, &C)
                      : gk_set_error(GK_ENOMEM, "group tasks: out of memory");
    if (rc == GK_OK) rc = grp_renumber(yte, nte, dte, &Cte);
    out->n_rows = ntr;
    out->n_test_rows = nte;
    out->n_classes = Cte;
    if (rc == GK_OK && o.do_cluster) rc = grp_cluster_task(Xte, nte, dte, Cte, &o, 0, out);
    if (rc == GK_OK && o.do_knn) {
        int64_t k = o.knn_k < ntr ? o.knn_k : ntr;
        rc = gk_group_knn_split(Xtr, d, Xte, d + ntr, C, k, &out->knn_acc);
    }
    if (rc == GK_OK && o.do_probe && C >= 2)
        rc = probe_split(Xtr, d, Xte, d + ntr, C, &o, &out->probe_acc);
    gk_free(d);
    gk_free(dte);
    return rc;
}
