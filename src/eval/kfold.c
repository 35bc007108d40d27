/*
** kfold.c — k-fold evaluation: the retrieval and zero-shot protocols run
** once per value of a fold column (ESC-50's five folds), then each metric
** summarised over the folds by its mean, sample sd and a Student-t interval
** (methods.md, statistics: the folds are the repeated runs, so the interval
** carries the spread between folds, not the sampling of one fold's queries).
*/
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "core/error_internal.h"
#include "gapkit/eval.h"

/* The distinct fold values, owned copies, into *value; *k their number. */
static int fold_list(const char *const *values, int64_t n, char ***value, int64_t *k)
{
    const char **v = gk_malloc((size_t)(n > 0 ? n : 1) * sizeof *v);
    GK_FAIL_IF(!v, GK_ENOMEM, "k-fold: out of memory");
    *k = gk_split_fold_values(values, n, v);
    *value = gk_calloc((size_t)(*k > 0 ? *k : 1), sizeof **value);
    int rc = *value ? GK_OK : gk_set_error(GK_ENOMEM, "k-fold: out of memory");
    for (int64_t f = 0; rc == GK_OK && f < *k; f++)
        if (!((*value)[f] = gk_strdup(v[f]))) rc = gk_set_error(GK_ENOMEM, "k-fold: out of memory");
    gk_free(v);
    return rc;
}

static void value_list_free(char **value, int64_t k)
{
    for (int64_t f = 0; value && f < k; f++) gk_free(value[f]);
    gk_free(value);
}

/* Checks the column and lists its folds (at least two: one must train). */
static int folds_begin(const char *const *values, int64_t n, const char *column, char *name,
                       char ***value, int64_t *k)
{
    snprintf(name, 128, "%s", column ? column : "fold");
    GK_FAIL_IF(!values || n < 1, GK_EARG, "k-fold %s: no fold values", name);
    GK_TRY(fold_list(values, n, value, k));
    GK_FAIL_IF(*k < 2, GK_EARG, "k-fold %s: every row has the value '%s': no fold to train on",
               name, (*value)[0]);
    return GK_OK;
}

/* Prefixes the current error message with the fold that failed. */
static int fold_failed(int rc, const char *column, const char *value)
{
    char msg[512];
    snprintf(msg, sizeof msg, "%s", gk_last_error());
    return gk_set_error(rc, "fold %s=%s: %s", column, value, msg);
}

/* The summary of one metric: field `off` (bytes) of F structs `stride` apart. */
static int summarise(const void *base, size_t stride, size_t off, int64_t F, gk_t_ci *out)
{
    double *v = gk_malloc((size_t)F * sizeof *v);
    GK_FAIL_IF(!v, GK_ENOMEM, "k-fold: out of memory");
    for (int64_t f = 0; f < F; f++)
        memcpy(&v[f], (const char *)base + (size_t)f * stride + off, sizeof v[f]);
    int rc = gk_t_interval(v, F, GK_FOLD_LEVEL, out);
    gk_free(v);
    return rc;
}

/*====  retrieval  ====*/

void gk_retrieval_folds_free(gk_retrieval_folds *r)
{
    if (!r) return;
    value_list_free(r->value, r->n_folds);
    gk_free(r->fold);
    gk_free(r);
}

static int rt_summary(const gk_retrieval_folds *r, size_t dir, gk_retrieval_fold_summary *s)
{
    const size_t off[7] = {
        offsetof(gk_retrieval_metrics, r1),    offsetof(gk_retrieval_metrics, r5),
        offsetof(gk_retrieval_metrics, r10),   offsetof(gk_retrieval_metrics, map10),
        offsetof(gk_retrieval_metrics, map),   offsetof(gk_retrieval_metrics, medr),
        offsetof(gk_retrieval_metrics, meanr)};
    gk_t_ci *out[7] = {&s->r1, &s->r5, &s->r10, &s->map10, &s->map, &s->medr, &s->meanr};
    for (int m = 0; m < 7; m++)
        GK_TRY(summarise(r->fold, sizeof *r->fold, dir + off[m], r->n_folds, out[m]));
    return GK_OK;
}

int gk_retrieval_kfold(const gk_mat *X, const gk_mat *Y, const int32_t *gx, const int32_t *gy,
                       const char *const *values, const char *column,
                       const gk_align_opts *fit, const gk_align *model, uint64_t seed,
                       const gk_score_opts *so, gk_retrieval_folds **out)
{
    GK_FAIL_IF(!X || !Y || !out, GK_EARG, "k-fold retrieval: NULL argument");
    *out = NULL;
    gk_retrieval_folds *r = gk_calloc(1, sizeof *r);
    GK_FAIL_IF(!r, GK_ENOMEM, "k-fold retrieval: out of memory");
    int rc = folds_begin(values, X->rows, column, r->column, &r->value, &r->n_folds);
    if (rc == GK_OK && !(r->fold = gk_calloc((size_t)r->n_folds, sizeof *r->fold)))
        rc = gk_set_error(GK_ENOMEM, "k-fold retrieval: out of memory");
    for (int64_t f = 0; rc == GK_OK && f < r->n_folds; f++) {
        gk_split *s = NULL;
        rc = gk_split_fold(values, X->rows, r->column, r->value[f], &s);
        if (rc == GK_OK)
            rc = gk_retrieval_protocol_opts(X, Y, gx, gy, s, fit, model, seed, so, &r->fold[f]);
        gk_split_free(s);
        if (rc != GK_OK) rc = fold_failed(rc, r->column, r->value[f]);
    }
    if (rc == GK_OK && (rc = rt_summary(r, offsetof(gk_retrieval_result, x2y), &r->x2y)) == GK_OK)
        rc = rt_summary(r, offsetof(gk_retrieval_result, y2x), &r->y2x);
    if (rc != GK_OK) return gk_retrieval_folds_free(r), rc;
    *out = r;
    return GK_OK;
}

/*====  zero-shot  ====*/

void gk_zeroshot_folds_free(gk_zeroshot_folds *r)
{
    if (!r) return;
    for (int64_t f = 0; r->fold && f < r->n_folds; f++) gk_zeroshot_result_free(r->fold[f]);
    value_list_free(r->value, r->n_folds);
    gk_free(r->fold);
    gk_free(r->confusion);
    gk_free(r);
}

/* top-1 (which 0), top-5 (1) or mean per-class accuracy (2) over the folds. */
static int zs_metric(const gk_zeroshot_folds *r, int which, gk_t_ci *out)
{
    double *v = gk_malloc((size_t)r->n_folds * sizeof *v);
    GK_FAIL_IF(!v, GK_ENOMEM, "k-fold zero-shot: out of memory");
    for (int64_t f = 0; f < r->n_folds; f++) {
        const gk_zeroshot_result *z = r->fold[f];
        v[f] = which == 0 ? z->top1 : which == 1 ? z->top5 : z->mean_class_acc;
    }
    int rc = gk_t_interval(v, r->n_folds, GK_FOLD_LEVEL, out);
    gk_free(v);
    return rc;
}

static int zs_summary(gk_zeroshot_folds *r)
{
    for (int64_t f = 0; f < r->n_folds; f++)
        gk_zeroshot_confusion_add(r->fold[f], r->confusion, r->n_classes);
    GK_TRY(zs_metric(r, 0, &r->top1));
    GK_TRY(zs_metric(r, 1, &r->top5));
    return zs_metric(r, 2, &r->mean_class_acc);
}

int gk_zeroshot_kfold(const gk_mat *X, const int32_t *y, const gk_mat *P,
                      const char *const *values, const char *column, const gk_align_opts *fit,
                      const gk_align *model, uint64_t seed, const gk_score_opts *so,
                      gk_zeroshot_folds **out)
{
    GK_FAIL_IF(!X || !y || !P || !out, GK_EARG, "k-fold zero-shot: NULL argument");
    *out = NULL;
    gk_zeroshot_folds *r = gk_calloc(1, sizeof *r);
    GK_FAIL_IF(!r, GK_ENOMEM, "k-fold zero-shot: out of memory");
    r->n_classes = (int32_t)P->rows;
    int rc = folds_begin(values, X->rows, column, r->column, &r->value, &r->n_folds);
    if (rc == GK_OK &&
        (!(r->fold = gk_calloc((size_t)r->n_folds, sizeof *r->fold)) ||
         !(r->confusion = gk_calloc((size_t)r->n_classes * (size_t)r->n_classes,
                                    sizeof *r->confusion))))
        rc = gk_set_error(GK_ENOMEM, "k-fold zero-shot: out of memory");
    for (int64_t f = 0; rc == GK_OK && f < r->n_folds; f++) {
        gk_split *s = NULL;
        rc = gk_split_fold(values, X->rows, r->column, r->value[f], &s);
        if (rc == GK_OK)
            rc = gk_zeroshot_protocol_opts(X, y, P, s, fit, model, seed, so, &r->fold[f]);
        gk_split_free(s);
        if (rc != GK_OK) rc = fold_failed(rc, r->column, r->value[f]);
    }
    if (rc == GK_OK) rc = zs_summary(r);
    if (rc != GK_OK) return gk_zeroshot_folds_free(r), rc;
    *out = r;
    return GK_OK;
}
