/*
** paired.c — two methods on the same items: the paired bootstrap interval
** of their difference, a sign-flip permutation test, and the Holm–Bonferroni
** correction when several methods face one baseline.
*/
#include <math.h>
#include <stdlib.h>

#include "core/error_internal.h"
#include "core/sort_internal.h"
#include "gapkit/stats.h"
#include "stats_internal.h"

/* Two-sided sign-flip p-value of mean(d) = 0 (stream in stats.h). */
static double sign_flip_p(const double *d, int64_t n, int n_perm, uint64_t seed)
{
    double s = 0;
    for (int64_t i = 0; i < n; i++) s += d[i];
    /* relative slack: a draw equal to the observed one up to rounding counts as >= */
    const double t_obs = fabs(s / (double)n) * (1 - 1e-12);
    gk_rng r;
    gk_rng_seed(&r, seed);
    int64_t ge = 0;
    for (int t = 0; t < n_perm; t++) {
        double u = 0;
        for (int64_t i = 0; i < n; i++) u += (gk_rng_next(&r) >> 63) ? -d[i] : d[i];
        ge += fabs(u / (double)n) >= t_obs;
    }
    return (double)(1 + ge) / (double)(n_perm + 1);
}

int gk_paired_test(const double *a, const double *b, int64_t n, gk_stat stat,
                   const gk_boot_opts *opts, int n_perm, gk_paired *out)
{
    const gk_boot_opts o = opts ? *opts : gk_boot_opts_default();
    GK_FAIL_IF(!a || !b || !out, GK_EARG, "gk_paired_test: a, b and out must not be NULL");
    GK_FAIL_IF(n_perm < 1, GK_EARG, "gk_paired_test: %d permutations; need at least 1", n_perm);
    GK_TRY(st_check_opts(&o, n, "gk_paired_test"));
    double *vals = gk_malloc((size_t)o.B * sizeof *vals);
    double *d = gk_malloc((size_t)n * sizeof *d);
    int rc = vals && d ? GK_OK : GK_ENOMEM;
    if (rc == GK_OK) rc = st_boot_values(a, b, n, stat, &o, vals);
    if (rc == GK_OK) {
        out->diff.value = gk_stat_eval(stat, a, n) - gk_stat_eval(stat, b, n);
        st_percentiles(vals, o.B, o.level, &out->diff);
        for (int64_t i = 0; i < n; i++) d[i] = a[i] - b[i];
        out->p_value = stat == GK_STAT_MEAN ? sign_flip_p(d, n, n_perm, o.seed) : NAN;
        out->n_perm = n_perm;
    }
    gk_free(vals), gk_free(d);
    return rc;
}


int gk_holm(const double *p, int m, double *adj)
{
    GK_FAIL_IF(!p || !adj || m < 1, GK_EARG, "gk_holm: need m >= 1 p-values and an output");
    gk_val_idx *s = gk_malloc((size_t)m * sizeof *s);
    if (!s) return GK_ENOMEM;
    for (int i = 0; i < m; i++) s[i] = (gk_val_idx){p[i], i};
    qsort(s, (size_t)m, sizeof *s, gk_cmp_val_idx);
    double run = 0;
    for (int j = 0; j < m; j++) {
        double v = (double)(m - j) * s[j].v;
        if (v > 1) v = 1;
        if (v > run) run = v;
        adj[s[j].i] = run;
    }
    gk_free(s);
    return GK_OK;
}
