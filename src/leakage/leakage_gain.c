/*
** leakage_gain.c — what a fitted transform adds to zero-shot accuracy on one
** split, with a paired bootstrap interval: the transform is fitted on the
** train items (gk_zeroshot_protocol), and the test items are scored with and
** without it, so the gain compares the two on the very same items.
**
** Interval: B resamples (with replacement, gk_rng seeded by opts->seed) of
** the test items; each resample's gain = mean(correct_with − correct_base)
** over the drawn items; the 2.5 and 97.5 percentiles (linear interpolation
** between order statistics, numpy's default) bound the 95 % interval.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error_internal.h"
#include "leakage_internal.h"

/* d (n,) = correct with the transform − correct without, per test item. */
static void item_gains(const gk_zeroshot_result *base, const gk_zeroshot_result *with,
                       const int32_t *y, const gk_split *s, int8_t *d)
{
    for (int64_t i = 0; i < s->n_test; i++) {
        const int32_t t = y[s->test[i]];
        d[i] = (int8_t)((with->class_id[with->pred[i]] == t) - (base->class_id[base->pred[i]] == t));
    }
}

static int cmp_double(const void *a, const void *b)
{
    const double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The q-quantile of sorted v (n,), numpy's linear interpolation. */
static double quantile(const double *v, int n, double q)
{
    const double h = q * (n - 1);
    const int lo = (int)h;
    return lo + 1 < n ? v[lo] + (h - lo) * (v[lo + 1] - v[lo]) : v[n - 1];
}

static int bootstrap(const int8_t *d, int64_t n, int B, uint64_t seed, double *lo, double *hi)
{
    double *g = gk_malloc((size_t)B * sizeof *g);
    GK_FAIL_IF(!g, GK_ENOMEM, "leakage: out of memory for %d bootstrap resamples", B);
    gk_rng r;
    gk_rng_seed(&r, seed);
    for (int b = 0; b < B; b++) {
        int64_t s = 0;
        for (int64_t i = 0; i < n; i++) s += d[gk_rng_below(&r, (uint64_t)n)];
        g[b] = (double)s / (double)n;
    }
    qsort(g, (size_t)B, sizeof *g, cmp_double);
    *lo = quantile(g, B, 0.025);
    *hi = quantile(g, B, 0.975);
    gk_free(g);
    return GK_OK;
}

int leakage_gain(const gk_mat *X, const int32_t *y, const gk_mat *P, const gk_split *split,
                 const gk_leakage_opts *opts, gk_leakage_gain *out)
{
    gk_zeroshot_result *base = NULL, *with = NULL;
    int8_t *d = gk_malloc((size_t)(split->n_test ? split->n_test : 1));
    int rc = d ? GK_OK : gk_set_error(GK_ENOMEM, "leakage: out of memory");
    if (rc == GK_OK) rc = gk_zeroshot_protocol(X, y, P, split, NULL, NULL, opts->seed, &base);
    if (rc == GK_OK) rc = gk_zeroshot_protocol(X, y, P, split, opts->fit, opts->model, opts->seed,
                                              &with);
    if (rc == GK_OK) {
        item_gains(base, with, y, split, d);
        out->n_test = split->n_test;
        out->n_classes = base->n_classes;
        out->base = base->top1;
        out->with = with->top1;
        out->gain = with->top1 - base->top1;
        snprintf(out->split, sizeof out->split, "%s", split->desc);
        snprintf(out->transform, sizeof out->transform, "%s", with->transform);
        rc = bootstrap(d, split->n_test, opts->n_boot, opts->seed, &out->lo, &out->hi);
    }
    gk_zeroshot_result_free(base);
    gk_zeroshot_result_free(with);
    gk_free(d);
    return rc;
}
