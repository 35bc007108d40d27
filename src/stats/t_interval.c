/*
** t_interval.c — the Student t quantile and the t interval of a mean over a
** few runs (the folds of a k-fold evaluation, methods.md §statistics).
**
** Why a quantile of our own: the library has no t quantile and takes no
** dependency beyond BLAS and jansson; the incomplete beta it already needs for
** correlation p-values (beta.c) gives the t distribution function, and
** bisection on it is short, monotone and converges for every df.
*/
#include <math.h>

#include "core/error_internal.h"
#include "stats/stats_internal.h"

/* P(T > t) for t >= 0: I_{df/(df+t²)}(df/2, 1/2) / 2. */
static double t_upper_tail(double t, double df)
{
    return 0.5 * st_incomplete_beta(df / 2, 0.5, df / (df + t * t));
}

double gk_t_quantile(double p, double df)
{
    if (!(p > 0 && p < 1) || !(df > 0)) return NAN;
    if (p == 0.5) return 0;
    if (p < 0.5) return -gk_t_quantile(1 - p, df);
    const double tail = 1 - p;
    double lo = 0, hi = 1;
    /* bracket: the tail falls from 1/2 at 0 to 0; df = 1, p = 1 − 1e-12 needs
    ** t ≈ 3e11, reached in under 40 doublings */
    while (t_upper_tail(hi, df) > tail && hi < 1e300) lo = hi, hi *= 2;
    for (int it = 0; it < 2000 && hi - lo > 1e-15 * hi; it++) {
        const double mid = 0.5 * (lo + hi);
        if (t_upper_tail(mid, df) > tail) lo = mid;
        else hi = mid;
    }
    return 0.5 * (lo + hi);
}

int gk_t_interval(const double *v, int64_t n, double level, gk_t_ci *out)
{
    GK_FAIL_IF(!v || !out, GK_EARG, "t interval: NULL argument");
    GK_FAIL_IF(n < 1, GK_EARG, "t interval: no values");
    GK_FAIL_IF(!(level > 0 && level < 1), GK_EARG, "t interval: level %g outside (0,1)", level);
    double mean = 0, ss = 0;
    for (int64_t i = 0; i < n; i++) mean += v[i];
    mean /= (double)n;
    for (int64_t i = 0; i < n; i++) ss += (v[i] - mean) * (v[i] - mean);
    *out = (gk_t_ci){mean, NAN, NAN, NAN, n, level};
    if (n < 2) return GK_OK; /* one run: no spread to measure */
    out->sd = sqrt(ss / (double)(n - 1));
    const double half = gk_t_quantile(0.5 * (1 + level), (double)(n - 1)) * out->sd /
                        sqrt((double)n);
    out->lo = mean - half, out->hi = mean + half;
    return GK_OK;
}
