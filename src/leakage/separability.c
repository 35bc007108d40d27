/*
** separability.c — how well labelled rows separate by class on their own:
** silhouette (euclidean, streamed through the kNN engine's key blocks),
** Fisher ratio, leave-one-out nearest class centroid, and, with the existing
** kNN classifier and probe (gk_group_eval), gk_separability_eval().
*/
#include <math.h>
#include <string.h>

#include "core/error_internal.h"
#include "gapkit/group.h"
#include "gapkit/knn.h"
#include "gapkit/leakage.h"

static int check_labels(const gk_mat *X, const int32_t *y, int32_t C, const char *what)
{
    GK_FAIL_IF(!X || !X->data || !y, GK_EARG, "%s: NULL argument", what);
    GK_FAIL_IF(X->rows < 2 || C < 1, GK_EARG, "%s: %lld rows and %d classes; need 2 rows at "
               "least", what, (long long)X->rows, (int)C);
    for (int64_t i = 0; i < X->rows; i++)
        GK_FAIL_IF(y[i] < 0 || y[i] >= C, GK_EARG, "%s: class %d of row %lld is outside "
                   "[0, %d)", what, (int)y[i], (long long)i, (int)C);
    return GK_OK;
}

/* s_i from its summed distances to each class (sum (C,)), sklearn's rule. */
static double silhouette_row(const double *sum, const int64_t *cnt, int32_t C, int32_t own)
{
    if (cnt[own] < 2) return 0;
    const double a = sum[own] / (double)(cnt[own] - 1);
    double b = INFINITY;
    for (int32_t c = 0; c < C; c++)
        if (c != own && cnt[c] > 0 && sum[c] / (double)cnt[c] < b) b = sum[c] / (double)cnt[c];
    const double m = a > b ? a : b;
    return m > 0 ? (b - a) / m : 0;
}

/* Euclidean keys are ‖q−g‖² − ‖q−μ‖² (knn.h), so within a query row
** d²(i,j) = key(i,j) − key(i,i): the row's own key supplies its offset. */
static double silhouette_block(const float *keys, int64_t row0, int64_t nrows, int64_t N,
                               const int32_t *y, const int64_t *cnt, int32_t C, double *sum)
{
    double total = 0;
    for (int64_t r = 0; r < nrows; r++) {
        const int64_t i = row0 + r;
        const float *k = keys + r * N;
        memset(sum, 0, (size_t)C * sizeof *sum);
        for (int64_t j = 0; j < N; j++) {
            const double d2 = (double)k[j] - k[i];
            if (j != i) sum[y[j]] += d2 > 0 ? sqrt(d2) : 0;
        }
        total += silhouette_row(sum, cnt, C, y[i]);
    }
    return total;
}

int gk_silhouette(const gk_mat *X, const int32_t *y, int32_t C, double *out)
{
    GK_TRY(check_labels(X, y, C, "silhouette"));
    GK_FAIL_IF(!out, GK_EARG, "silhouette: out is NULL");
    int64_t *cnt = gk_calloc((size_t)C, sizeof *cnt);
    double *sum = gk_malloc((size_t)C * sizeof *sum), total = 0;
    gk_knn *idx = NULL;
    gk_knn_stream *s = NULL;
    int rc = cnt && sum ? GK_OK : gk_set_error(GK_ENOMEM, "silhouette: out of memory");
    int32_t present = 0;
    for (int64_t i = 0; rc == GK_OK && i < X->rows; i++) present += cnt[y[i]]++ == 0;
    if (rc == GK_OK && present < 2)
        rc = gk_set_error(GK_EARG, "silhouette: %d class present; need at least 2", (int)present);
    if (rc == GK_OK) rc = gk_knn_create(X, GK_DIST_EUCLIDEAN, &idx);
    if (rc == GK_OK) rc = gk_knn_stream_open(idx, NULL, GK_KNN_KEYS, 0, &s);
    for (;;) {
        int64_t row0, nrows, width;
        const float *keys;
        if (rc != GK_OK) break;
        rc = gk_knn_stream_next(s, &row0, &nrows, &width, &keys, NULL);
        if (rc != GK_OK || nrows == 0) break;
        total += silhouette_block(keys, row0, nrows, X->rows, y, cnt, C, sum);
    }
    if (rc == GK_OK) *out = total / (double)X->rows;
    gk_knn_stream_close(s);
    gk_knn_free(idx);
    gk_free(cnt);
    gk_free(sum);
    return rc;
}

/* means (C,D) and counts (C,) of each class, and the grand mean mu (D,). */
static int class_means(const gk_mat *X, const int32_t *y, int32_t C, double **means,
                       int64_t **cnt, double **mu)
{
    const int64_t D = X->cols;
    *means = gk_calloc((size_t)C * (size_t)D, sizeof **means);
    *cnt = gk_calloc((size_t)C, sizeof **cnt);
    *mu = gk_calloc((size_t)D, sizeof **mu);
    GK_FAIL_IF(!*means || !*cnt || !*mu, GK_ENOMEM, "class means: out of memory");
    for (int64_t i = 0; i < X->rows; i++) {
        (*cnt)[y[i]]++;
        for (int64_t d = 0; d < D; d++) {
            (*means)[y[i] * D + d] += gk_mat_at(X, i, d);
            (*mu)[d] += gk_mat_at(X, i, d);
        }
    }
    for (int32_t c = 0; c < C; c++)
        for (int64_t d = 0; (*cnt)[c] && d < D; d++) (*means)[c * D + d] /= (double)(*cnt)[c];
    for (int64_t d = 0; d < D; d++) (*mu)[d] /= (double)X->rows;
    return GK_OK;
}

int gk_fisher_ratio(const gk_mat *X, const int32_t *y, int32_t C, double *out)
{
    GK_TRY(check_labels(X, y, C, "fisher ratio"));
    double *means = NULL, *mu = NULL, sb = 0, sw = 0;
    int64_t *cnt = NULL;
    const int64_t D = X->cols;
    int rc = class_means(X, y, C, &means, &cnt, &mu);
    for (int32_t c = 0; rc == GK_OK && c < C; c++)
        for (int64_t d = 0; d < D; d++)
            sb += (double)cnt[c] * (means[c * D + d] - mu[d]) * (means[c * D + d] - mu[d]);
    for (int64_t i = 0; rc == GK_OK && i < X->rows; i++)
        for (int64_t d = 0; d < D; d++) {
            const double e = gk_mat_at(X, i, d) - means[y[i] * D + d];
            sw += e * e;
        }
    if (rc == GK_OK && !(sw > 0))
        rc = gk_set_error(GK_ENUMERIC, "fisher ratio: every row equals its class mean (no "
                          "within-class scatter)");
    if (rc == GK_OK) *out = sb / sw;
    gk_free(means);
    gk_free(cnt);
    gk_free(mu);
    return rc;
}

/* cos(x_i, leave-one-out centroid of class c); −inf when c has no other row. */
static double ncc_score(const gk_mat *X, int64_t i, const double *sums, const int64_t *cnt,
                        int32_t c, int own)
{
    const int64_t D = X->cols, n = cnt[c] - own;
    if (n < 1) return -INFINITY;
    double dot = 0, mm = 0, xx = 0;
    for (int64_t d = 0; d < D; d++) {
        const double x = gk_mat_at(X, i, d), m = sums[c * D + d] - (own ? x : 0);
        dot += x * m;
        mm += m * m;
        xx += x * x;
    }
    return mm > 0 && xx > 0 ? dot / sqrt(mm * xx) : -INFINITY;
}

int gk_ncc_loo(const gk_mat *X, const int32_t *y, int32_t C, int32_t *pred, double *acc)
{
    GK_TRY(check_labels(X, y, C, "nearest centroid"));
    double *sums = NULL, *mu = NULL;
    int64_t *cnt = NULL, right = 0;
    const int64_t D = X->cols;
    int rc = class_means(X, y, C, &sums, &cnt, &mu);
    for (int32_t c = 0; rc == GK_OK && c < C; c++) /* back to sums: the LOO needs them */
        for (int64_t d = 0; d < D; d++) sums[c * D + d] *= (double)cnt[c];
    for (int64_t i = 0; rc == GK_OK && i < X->rows; i++) {
        int32_t best = 0;
        double bs = -INFINITY;
        for (int32_t c = 0; c < C; c++) {
            const double s = ncc_score(X, i, sums, cnt, c, c == y[i]);
            if (s > bs) bs = s, best = c;
        }
        if (pred) pred[i] = best;
        right += best == y[i];
    }
    if (rc == GK_OK && acc) *acc = (double)right / (double)X->rows;
    gk_free(sums);
    gk_free(cnt);
    gk_free(mu);
    return rc;
}

int gk_separability_eval(const gk_mat *X, const int32_t *y, int32_t C, uint64_t seed,
                         gk_separability *out, int32_t *ncc_pred)
{
    GK_FAIL_IF(!out, GK_EARG, "separability: out is NULL");
    gk_group_opts go = gk_group_opts_default();
    gk_group_result g;
    go.do_cluster = 0;
    go.seed = seed;
    GK_TRY(gk_group_eval(X, y, &go, &g));
    out->knn_acc = g.knn_acc;
    out->probe_acc = g.probe_acc;
    out->probe_sd = g.probe_sd;
    GK_TRY(gk_ncc_loo(X, y, C, ncc_pred, &out->ncc_acc));
    GK_TRY(gk_silhouette(X, y, C, &out->silhouette));
    return gk_fisher_ratio(X, y, C, &out->fisher);
}
