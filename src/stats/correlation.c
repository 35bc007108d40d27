/*
** correlation.c — Pearson and Spearman correlation with two-sided p-values,
** for correlation studies across variants (methods.md §5, the NNGS paper's
** protocol).
**
** p-value: under H0 (no correlation, normal data for Pearson),
** t = r·sqrt(df/(1 − r²)) follows Student's t with df = n − 2, and
**   p = P(|T| >= |t|) = I_{df/(df+t²)}(df/2, 1/2),
** I the regularised incomplete beta function.  For Pearson this is exact (it
** is scipy.stats.pearsonr's beta form); for Spearman it is the usual t
** approximation (scipy.stats.spearmanr).  Spearman's ρ is Pearson's r of the
** ranks, ties given their average rank.
*/
#include <math.h>
#include <stdlib.h>

#include "core/error_internal.h"
#include "stats/stats_internal.h"
#include "core/sort_internal.h"

double gk_corr_pvalue(double r, int64_t n)
{
    if (n < 3 || !isfinite(r)) return NAN;
    const double df = (double)(n - 2);
    if (fabs(r) >= 1) return 0;
    /* x = df/(df + t²) = 1 − r² */
    return st_incomplete_beta(df / 2, 0.5, 1 - r * r);
}

int gk_pearson(const double *x, const double *y, int64_t n, double *r, double *p)
{
    GK_FAIL_IF(!x || !y || !r, GK_EARG, "pearson: NULL argument");
    GK_FAIL_IF(n < 3, GK_EARG, "pearson: needs at least 3 pairs, got %lld", (long long)n);
    double mx = 0, my = 0, sxx = 0, syy = 0, sxy = 0;
    for (int64_t i = 0; i < n; i++) mx += x[i], my += y[i];
    mx /= (double)n, my /= (double)n;
    for (int64_t i = 0; i < n; i++) {
        sxx += (x[i] - mx) * (x[i] - mx), syy += (y[i] - my) * (y[i] - my);
        sxy += (x[i] - mx) * (y[i] - my);
    }
    GK_FAIL_IF(!isfinite(sxx + syy + sxy), GK_ENUMERIC, "pearson: NaN or Inf in the values");
    GK_FAIL_IF(!(sxx > 0) || !(syy > 0), GK_ENUMERIC,
               "pearson: the %s values are all equal: no correlation", sxx > 0 ? "y" : "x");
    const double v = sxy / sqrt(sxx * syy);
    *r = v > 1 ? 1 : (v < -1 ? -1 : v);
    if (p) *p = gk_corr_pvalue(*r, n);
    return GK_OK;
}


/* rank (n,) = 1-based ranks of v, ties given their mean rank; s is scratch. */
static void ranks(const double *v, int64_t n, gk_val_idx *s, double *rank)
{
    for (int64_t i = 0; i < n; i++) s[i] = (gk_val_idx){v[i], i};
    qsort(s, (size_t)n, sizeof *s, gk_cmp_val_idx);
    for (int64_t a = 0, b; a < n; a = b) {
        for (b = a + 1; b < n && s[b].v == s[a].v; b++) {}
        for (int64_t j = a; j < b; j++) rank[s[j].i] = (double)(a + b + 1) / 2;
    }
}

int gk_spearman(const double *x, const double *y, int64_t n, double *rho, double *p)
{
    GK_FAIL_IF(!x || !y || !rho, GK_EARG, "spearman: NULL argument");
    GK_FAIL_IF(n < 3, GK_EARG, "spearman: needs at least 3 pairs, got %lld", (long long)n);
    for (int64_t i = 0; i < n; i++)
        GK_FAIL_IF(!isfinite(x[i]) || !isfinite(y[i]), GK_ENUMERIC,
                   "spearman: value %lld is NaN or Inf", (long long)i);
    double *r = gk_malloc(2 * (size_t)n * sizeof *r);
    gk_val_idx *s = gk_malloc((size_t)n * sizeof *s);
    int rc = r && s ? GK_OK : gk_set_error(GK_ENOMEM, "spearman: out of memory");
    if (rc == GK_OK) {
        ranks(x, n, s, r), ranks(y, n, s, r + n);
        rc = gk_pearson(r, r + n, n, rho, p);
    }
    gk_free(r), gk_free(s);
    return rc;
}
