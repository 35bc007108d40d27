/*
** knn_classify.c — the k-nearest-neighbour classifier of the group-level
** tasks (methods.md §4): neighbours by inner product (cosine on unit rows),
** majority vote.  Leave-one-out on one set of rows, or train → test.
**
** Neighbours come from the library's exact kNN engine (knn.h) with the
** inner-product distance: ties in similarity go to the lower row index.
*/
#include <math.h>
#include <string.h>

#include "core/error_internal.h"
#include "gapkit/knn.h"
#include "group_internal.h"

int grp_knn_search(const gk_mat *Q, const gk_mat *G, int64_t k, int exclude_self, int64_t *ids,
                   float *sims)
{
    gk_knn *idx = NULL;
    GK_TRY(gk_knn_create(G, GK_DIST_IP, &idx));
    int rc = exclude_self ? gk_knn_graph(idx, k, ids, sims) : gk_knn_query(idx, Q, k, ids, sims);
    for (int64_t i = 0; rc == GK_OK && i < Q->rows * k; i++) sims[i] = -sims[i]; /* −q·g */
    gk_knn_free(idx);
    return rc;
}

int32_t grp_vote(const int64_t *ids, const float *sims, int64_t k, const int32_t *y,
                 int32_t *counts, double *sum)
{
    int32_t best = -1;
    for (int64_t l = 0; l < k; l++) counts[y[ids[l]]] = 0, sum[y[ids[l]]] = 0;
    for (int64_t l = 0; l < k; l++) {
        counts[y[ids[l]]]++;
        sum[y[ids[l]]] += sims[l];
    }
    for (int64_t l = 0; l < k; l++) {
        int32_t c = y[ids[l]];
        if (best < 0 || counts[c] > counts[best] ||
            (counts[c] == counts[best] && (sum[c] > sum[best] || (sum[c] == sum[best] && c < best))))
            best = c;
    }
    return best;
}

/* Accuracy of predicting y_q from the neighbours' labels y_g. */
static int classify(const gk_mat *Q, const int32_t *yq, const gk_mat *G, const int32_t *yg,
                    int32_t C, int64_t k, int loo, double *acc)
{
    const int64_t nq = Q->rows;
    int64_t *ids = gk_malloc((size_t)nq * (size_t)k * sizeof *ids);
    float *sims = gk_malloc((size_t)nq * (size_t)k * sizeof *sims);
    int32_t *counts = gk_malloc((size_t)C * sizeof *counts);
    double *sum = gk_malloc((size_t)C * sizeof *sum);
    int rc = ids && sims && counts && sum ? GK_OK : gk_set_error(GK_ENOMEM, "knn: out of memory");
    if (rc == GK_OK) rc = grp_knn_search(Q, G, k, loo, ids, sims);
    int64_t right = 0;
    for (int64_t i = 0; rc == GK_OK && i < nq; i++)
        right += grp_vote(ids + i * k, sims + i * k, k, yg, counts, sum) == yq[i];
    if (rc == GK_OK) *acc = nq ? (double)right / (double)nq : NAN;
    gk_free(ids);
    gk_free(sims);
    gk_free(counts);
    gk_free(sum);
    return rc;
}

static int check_labels(const int32_t *y, int64_t n, int32_t C)
{
    GK_FAIL_IF(!y || C < 1, GK_EARG, "knn: labels and n_classes >= 1 needed");
    for (int64_t i = 0; i < n; i++)
        GK_FAIL_IF(y[i] < 0 || y[i] >= C, GK_EARG, "knn: label %d of row %lld outside [0, %d)",
                   y[i], (long long)i, C);
    return GK_OK;
}

int gk_group_knn_loo(const gk_mat *X, const int32_t *y, int32_t n_classes, int64_t k,
                        double *acc)
{
    GK_FAIL_IF(!X || !acc, GK_EARG, "knn: NULL argument");
    GK_TRY(check_labels(y, X->rows, n_classes));
    return classify(X, y, X, y, n_classes, k, 1, acc);
}

int gk_group_knn_split(const gk_mat *train, const int32_t *ytrain, const gk_mat *test,
                    const int32_t *ytest, int32_t n_classes, int64_t k, double *acc)
{
    GK_FAIL_IF(!train || !test || !acc, GK_EARG, "knn: NULL argument");
    GK_FAIL_IF(train->cols != test->cols, GK_ESHAPE, "knn: train has D = %lld, test %lld",
               (long long)train->cols, (long long)test->cols);
    GK_TRY(check_labels(ytrain, train->rows, n_classes));
    GK_TRY(check_labels(ytest, test->rows, n_classes));
    return classify(test, ytest, train, ytrain, n_classes, k, 0, acc);
}
