/*
** leakage.c — gk_leakage_run(): cross-modal zero-shot accuracy next to the
** class separability the item space has on its own, the prompt geometry,
** the inherited share, and (optionally) a transform's gains on an item and
** a class-disjoint split and the backbone's separability and NNGS.
*/
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/error_internal.h"
#include "leakage_internal.h"
#include "linalg/linalg_internal.h"

gk_leakage_opts gk_leakage_opts_default(void)
{
    gk_leakage_opts o;
    memset(&o, 0, sizeof o);
    o.n_boot = 1000;
    o.class_fraction = 0.5;
    o.nngs_k.k = 10;
    return o;
}

/* Cosines between the class embeddings: mean and largest off-diagonal, and
** the mean over classes of the nearest other class. */
static void prompt_geometry(const gk_mat *P, gk_leakage_result *r)
{
    const int32_t C = (int32_t)P->rows;
    double sum = 0, nn = 0;
    r->prompt_cos_max = -INFINITY;
    for (int32_t a = 0; a < C; a++) {
        double best = -INFINITY;
        for (int32_t b = 0; b < C; b++) {
            if (a == b) continue;
            const double c = gk_row_cos(P, a, P, b);
            sum += c;
            if (c > best) best = c;
            if (c > r->prompt_cos_max) r->prompt_cos_max = c, r->max_a = a, r->max_b = b;
        }
        nn += best;
    }
    r->prompt_cos_mean = C > 1 ? sum / ((double)C * (C - 1)) : NAN;
    r->prompt_nn_cos = C > 1 ? nn / C : NAN;
}

static int cmp_double(const void *a, const void *b)
{
    const double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Each item's margin cos(x, p_y) − max_{c≠y} cos(x, p_c): mean and median. */
static int margins(const gk_mat *X, const int32_t *y, const gk_mat *P, gk_leakage_result *r)
{
    const int64_t N = X->rows;
    double *m = gk_malloc((size_t)N * sizeof *m), sum = 0;
    GK_FAIL_IF(!m, GK_ENOMEM, "leakage: out of memory for %lld margins", (long long)N);
    for (int64_t i = 0; i < N; i++) {
        double other = -INFINITY;
        for (int64_t c = 0; c < P->rows; c++)
            if (c != y[i]) {
                const double v = gk_row_cos(X, i, P, c);
                if (v > other) other = v;
            }
        m[i] = gk_row_cos(X, i, P, y[i]) - other;
        sum += m[i];
    }
    qsort(m, (size_t)N, sizeof *m, cmp_double);
    r->margin_mean = sum / (double)N;
    r->margin_median = N % 2 ? m[N / 2] : 0.5 * (m[N / 2 - 1] + m[N / 2]);
    gk_free(m);
    return GK_OK;
}

/* Zero-shot over all classes, the item-space separability and the share of
** zero-shot successes the leave-one-out NCC also makes. */
static int zeroshot_and_items(const gk_mat *X, const int32_t *y, const gk_mat *P,
                              const gk_leakage_opts *o, gk_leakage_result *r)
{
    gk_zeroshot_result *zs = NULL;
    int32_t *ncc = gk_malloc((size_t)X->rows * sizeof *ncc);
    int rc = ncc ? GK_OK : gk_set_error(GK_ENOMEM, "leakage: out of memory");
    if (rc == GK_OK) rc = gk_zeroshot_eval(X, P, y, &zs);
    if (rc == GK_OK)
        rc = gk_separability_eval(X, y, (int32_t)P->rows, o->seed, &r->items, ncc);
    int64_t right = 0, both = 0;
    for (int64_t i = 0; rc == GK_OK && i < X->rows; i++) {
        if (zs->pred[i] != y[i]) continue;
        right++;
        both += ncc[i] == y[i];
    }
    if (rc == GK_OK) {
        r->zs_top1 = zs->top1;
        r->inherited_share = right ? (double)both / (double)right : NAN;
        r->zs_only = (double)(right - both) / (double)X->rows;
    }
    gk_zeroshot_result_free(zs);
    gk_free(ncc);
    return rc;
}

static int transform_gains(const gk_mat *X, const int32_t *y, const gk_mat *P,
                           const gk_leakage_opts *o, gk_leakage_result *r)
{
    gk_split *items = NULL, *classes = NULL;
    int rc = o->item_split ? GK_OK
             : gk_split_random(X->rows, o->class_fraction, o->seed, &items);
    if (rc == GK_OK)
        rc = gk_split_classes(y, X->rows, (int32_t)P->rows, o->class_fraction, o->seed, &classes);
    if (rc == GK_OK)
        rc = leakage_gain(X, y, P, o->item_split ? o->item_split : items, o, &r->item_gain);
    if (rc == GK_OK) rc = leakage_gain(X, y, P, classes, o, &r->class_gain);
    r->has_transform = rc == GK_OK;
    gk_split_free(items);
    gk_split_free(classes);
    return rc;
}

static int backbone_side(const gk_mat *X, const int32_t *y, int32_t C, const gk_leakage_opts *o,
                         gk_leakage_result *r)
{
    const gk_mat *B = o->backbone;
    GK_FAIL_IF(B->rows != X->rows, GK_ESHAPE, "leakage: the backbone has %lld rows but there "
               "are %lld items (the same items, in the same order, are expected)",
               (long long)B->rows, (long long)X->rows);
    GK_TRY(gk_separability_eval(B, y, C, o->seed, &r->backbone, NULL));
    GK_TRY(gk_nngs(B, X, o->nngs_k, GK_DIST_COSINE, &r->nngs));
    r->backbone_dim = B->cols;
    r->has_backbone = 1;
    return GK_OK;
}

static int check_run(const gk_mat *X, const int32_t *y, const gk_mat *P, const gk_leakage_opts *o)
{
    GK_FAIL_IF(!X || !y || !P || !X->data || !P->data, GK_EARG, "leakage: NULL argument");
    GK_FAIL_IF(X->cols != P->cols, GK_ESHAPE, "leakage: items have %lld dimensions, class "
               "embeddings %lld", (long long)X->cols, (long long)P->cols);
    GK_FAIL_IF(X->rows < 10 || P->rows < 2, GK_EARG, "leakage: %lld items and %lld classes; "
               "need at least 10 items and 2 classes", (long long)X->rows, (long long)P->rows);
    GK_FAIL_IF(o->n_boot < 10, GK_EARG, "leakage: %d bootstrap resamples; need at least 10",
               o->n_boot);
    GK_FAIL_IF(!(o->class_fraction > 0 && o->class_fraction < 1), GK_EARG,
               "leakage: class fraction %g is outside (0, 1)", o->class_fraction);
    for (int64_t i = 0; i < X->rows; i++)
        GK_FAIL_IF(y[i] < 0 || y[i] >= P->rows, GK_EARG, "leakage: class %d of item %lld is "
                   "outside [0, %lld)", (int)y[i], (long long)i, (long long)P->rows);
    return GK_OK;
}

int gk_leakage_run(const gk_mat *X, const int32_t *y, const gk_mat *P, const gk_leakage_opts *opts,
                   gk_leakage_result *out)
{
    GK_FAIL_IF(!out, GK_EARG, "leakage: out is NULL");
    memset(out, 0, sizeof *out);
    const gk_leakage_opts o = opts ? *opts : gk_leakage_opts_default();
    GK_TRY(check_run(X, y, P, &o));
    out->n = X->rows;
    out->n_classes = (int32_t)P->rows;
    GK_TRY(zeroshot_and_items(X, y, P, &o, out));
    prompt_geometry(P, out);
    GK_TRY(margins(X, y, P, out));
    if (o.fit || o.model) GK_TRY(transform_gains(X, y, P, &o, out));
    if (o.backbone) GK_TRY(backbone_side(X, y, (int32_t)P->rows, &o, out));
    return GK_OK;
}

void gk_leakage_statement(const gk_leakage_result *r, char *buf, size_t cap)
{
    snprintf(buf, cap,
             "zero-shot top-1 %.3f; the item space alone classifies %.3f (leave-one-out "
             "nearest class centroid), %.3f (kNN) and %.3f (probe): %.1f%% of the zero-shot "
             "successes are items the item-only centroid classifier also gets right, so at "
             "most %.4f of the accuracy (items right only cross-modally) is not inherited",
             r->zs_top1, r->items.ncc_acc, r->items.knn_acc, r->items.probe_acc,
             100 * r->inherited_share, r->zs_only);
}
