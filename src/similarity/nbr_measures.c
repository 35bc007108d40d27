/*
** nbr_measures.c — the k-NN agreement measures of platonic-rep (Huh et al.
** 2024, "The Platonic Representation Hypothesis"): mutual k-NN and cycle
** k-NN, on the graphs of the kNN engine; and the by-name dispatcher of the
** neighbourhood measures.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error_internal.h"
#include "nngs_internal.h"
#include "core/sort_internal.h"

void mutual_result(gk_nbr_result *r, const gk_mat *X, const gk_mat *Y, int64_t k, gk_kspec ks,
                   gk_distance d, double mutual)
{
    char kt[64];
    nbr_result_init(r, GK_NBR_MUTUAL_KNN, X, Y, k, ks, d);
    r->value = r->raw = mutual;
    r->chance = (double)k / (double)(X->rows - 1);
    nbr_k_text(kt, sizeof kt, k, r->k_frac);
    snprintf(r->estimator, sizeof r->estimator,
             "mutual k-NN (Huh et al. 2024, platonic-rep mutual_knn): mean share of the k "
             "nearest neighbours found in both spaces, %s, %s distance%s, self excluded, ties "
             "by lower index; chance k/(N-1) = %.6f", kt, gk_distance_name(d),
             d == GK_DIST_COSINE ? " (= inner product of unit rows, as platonic-rep)" : "",
             r->chance);
}

int gk_mutual_knn(const gk_mat *X, const gk_mat *Y, gk_kspec ks, gk_distance d,
                  gk_nbr_result *out)
{
    GK_FAIL_IF(!out, GK_EARG, "mutual-knn: out is NULL");
    int64_t k, *gx, *gy;
    GK_TRY(nbr_begin("mutual-knn", X, Y, ks, d, 2, 1, 1, &k, &gx, &gy));
    double raw, mutual;
    int rc = gk_nngs_graphs(gx, k, gy, k, X->rows, k, &raw, &mutual);
    gk_free(gx);
    gk_free(gy);
    if (rc != GK_OK) return rc;
    mutual_result(out, X, Y, k, ks, d, mutual);
    return GK_OK;
}

/* Rows of g (N,k) each sorted by index, in place, for binary search. */
static void sort_rows(int64_t *g, int64_t n, int64_t k)
{
#pragma omp parallel for schedule(static)
    for (int64_t i = 0; i < n; i++) qsort(g + i * k, (size_t)k, sizeof *g, gk_cmp_i64);
}

/* hit[i] = 1 if i is among the X-neighbours of one of its Y-neighbours;
** gxs holds X's rows sorted by index. */
static int64_t cycle_hits(const int64_t *gxs, const int64_t *gy, int64_t n, int64_t k)
{
    int64_t hits = 0;
#pragma omp parallel for reduction(+ : hits) schedule(static)
    for (int64_t i = 0; i < n; i++) {
        int hit = 0;
        for (int64_t a = 0; a < k && !hit; a++)
            hit = bsearch(&i, gxs + gy[i * k + a] * k, (size_t)k, sizeof i, gk_cmp_i64) != NULL;
        hits += hit;
    }
    return hits;
}

void cycle_result(gk_nbr_result *r, const gk_mat *X, const gk_mat *Y, int64_t k, gk_kspec ks,
                  gk_distance d, double share)
{
    char kt[64];
    nbr_result_init(r, GK_NBR_CYCLE_KNN, X, Y, k, ks, d);
    r->value = share;
    nbr_k_text(kt, sizeof kt, k, r->k_frac);
    snprintf(r->estimator, sizeof r->estimator,
             "cycle k-NN (platonic-rep cycle_knn): share of items that are among the k "
             "X-neighbours of at least one of their k Y-neighbours, %s, %s distance, self "
             "excluded, ties by lower index", kt, gk_distance_name(d));
}

int gk_cycle_knn(const gk_mat *X, const gk_mat *Y, gk_kspec ks, gk_distance d,
                 gk_nbr_result *out)
{
    GK_FAIL_IF(!out, GK_EARG, "cycle-knn: out is NULL");
    int64_t k, *gx, *gy;
    GK_TRY(nbr_begin("cycle-knn", X, Y, ks, d, 2, 1, 1, &k, &gx, &gy));
    sort_rows(gx, X->rows, k);
    const int64_t hits = cycle_hits(gx, gy, X->rows, k);
    gk_free(gx);
    gk_free(gy);
    cycle_result(out, X, Y, k, ks, d, (double)hits / (double)X->rows);
    return GK_OK;
}

int gk_nbr_measure(const char *name, const gk_mat *X, const gk_mat *Y, gk_kspec k,
                   gk_distance d, gk_nbr_result *out)
{
    GK_FAIL_IF(!name, GK_EARG, "neighbourhood measure: name is NULL");
    if (!strcmp(name, "nngs")) return gk_nngs(X, Y, k, d, out);
    if (!strcmp(name, "mutual-knn")) return gk_mutual_knn(X, Y, k, d, out);
    if (!strcmp(name, "cycle-knn")) return gk_cycle_knn(X, Y, k, d, out);
    if (!strcmp(name, "cknna")) return gk_cknna(X, Y, k, d, out);
    return gk_set_error(GK_EARG, "unknown measure '%s': expected nngs, mutual-knn, cycle-knn "
                        "or cknna", name);
}

gk_distance gk_nbr_default_distance(const char *name)
{
    static const char *const cosine[] = {"mutual-knn", "cycle-knn", "cknna"};
    for (size_t i = 0; name && i < sizeof cosine / sizeof cosine[0]; i++)
        if (!strcmp(name, cosine[i])) return GK_DIST_COSINE;
    return GK_DIST_EUCLIDEAN;
}
