/*
** bootstrap.c — percentile bootstrap intervals over items (Efron): resample
** the items with replacement B times from the seeded stream of stats.h,
** recompute the statistic, take the percentiles of the B values.
*/
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/error_internal.h"
#include "gapkit/stats.h"
#include "stats_internal.h"

gk_boot_opts gk_boot_opts_default(void)
{
    gk_boot_opts o = {1000, 0.95, 0};
    return o;
}

static int cmp_double(const void *a, const void *b)
{
    const double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

double gk_quantile(double *v, int64_t n, double q)
{
    qsort(v, (size_t)n, sizeof *v, cmp_double);
    const double pos = q * (double)(n - 1);
    const int64_t lo = (int64_t)floor(pos);
    const int64_t hi = lo + 1 < n ? lo + 1 : lo;
    return v[lo] + (pos - (double)lo) * (v[hi] - v[lo]);
}

/* The median sorts a copy; the caller passes scratch (n,). */
static double stat_with(gk_stat stat, const double *v, int64_t n, double *scratch)
{
    if (stat == GK_STAT_MEAN) {
        double s = 0;
        for (int64_t i = 0; i < n; i++) s += v[i];
        return s / (double)n;
    }
    memcpy(scratch, v, (size_t)n * sizeof *v);
    return gk_quantile(scratch, n, 0.5);
}

double gk_stat_eval(gk_stat stat, const double *v, int64_t n)
{
    if (stat == GK_STAT_MEAN) return stat_with(stat, v, n, NULL);
    double *tmp = gk_malloc((size_t)n * sizeof *tmp);
    if (!tmp) return NAN;
    const double r = stat_with(stat, v, n, tmp);
    gk_free(tmp);
    return r;
}

void st_draw(gk_rng *r, int64_t n, int64_t *idx)
{
    for (int64_t i = 0; i < n; i++) idx[i] = (int64_t)gk_rng_below(r, (uint64_t)n);
}

int st_check_opts(const gk_boot_opts *o, int64_t n, const char *who)
{
    GK_FAIL_IF(n < 1, GK_EARG, "%s: need at least one item, got %lld", who, (long long)n);
    GK_FAIL_IF(o->B < 2, GK_EARG, "%s: bootstrap draws B = %d; need at least 2", who, o->B);
    GK_FAIL_IF(!(o->level > 0 && o->level < 1), GK_EARG,
               "%s: interval level %g must lie in (0, 1)", who, o->level);
    return GK_OK;
}

int gk_bootstrap_indices(int64_t n, int B, uint64_t seed, int64_t *idx)
{
    GK_FAIL_IF(n < 1 || B < 1 || !idx, GK_EARG,
               "gk_bootstrap_indices: need n >= 1, B >= 1 and an index buffer");
    gk_rng r;
    gk_rng_seed(&r, seed);
    for (int b = 0; b < B; b++) st_draw(&r, n, idx + (int64_t)b * n);
    return GK_OK;
}

/* Resampled statistic of v (and of v − w when w is not NULL) for each draw. */
int st_boot_values(const double *v, const double *w, int64_t n, gk_stat stat,
                   const gk_boot_opts *o, double *vals)
{
    int64_t *idx = gk_malloc((size_t)n * sizeof *idx);
    double *a = gk_malloc((size_t)n * sizeof *a), *b = gk_malloc((size_t)n * sizeof *b);
    double *scratch = gk_malloc((size_t)n * sizeof *scratch);
    int rc = idx && a && b && scratch ? GK_OK : GK_ENOMEM;
    gk_rng r;
    gk_rng_seed(&r, o->seed);
    for (int t = 0; rc == GK_OK && t < o->B; t++) {
        st_draw(&r, n, idx);
        for (int64_t i = 0; i < n; i++) a[i] = v[idx[i]];
        vals[t] = stat_with(stat, a, n, scratch);
        if (!w) continue;
        for (int64_t i = 0; i < n; i++) b[i] = w[idx[i]];
        vals[t] -= stat_with(stat, b, n, scratch);
    }
    gk_free(idx), gk_free(a), gk_free(b), gk_free(scratch);
    return rc;
}

void st_percentiles(double *vals, int B, double level, gk_ci *out)
{
    out->lo = gk_quantile(vals, B, 0.5 * (1 - level));
    out->hi = gk_quantile(vals, B, 0.5 * (1 + level));
}

int gk_bootstrap_ci(const double *v, int64_t n, gk_stat stat, const gk_boot_opts *opts,
                    gk_ci *out)
{
    const gk_boot_opts o = opts ? *opts : gk_boot_opts_default();
    GK_FAIL_IF(!v || !out, GK_EARG, "gk_bootstrap_ci: values and out must not be NULL");
    GK_TRY(st_check_opts(&o, n, "gk_bootstrap_ci"));
    double *vals = gk_malloc((size_t)o.B * sizeof *vals);
    if (!vals) return GK_ENOMEM;
    int rc = st_boot_values(v, NULL, n, stat, &o, vals);
    if (rc == GK_OK) {
        out->value = gk_stat_eval(stat, v, n);
        st_percentiles(vals, o.B, o.level, out);
        if (isnan(out->value)) rc = GK_ENOMEM;
    }
    gk_free(vals);
    return rc;
}
