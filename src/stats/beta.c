/*
** beta.c — the regularised incomplete beta function I_x(a,b), the one special
** function behind the p-values of correlations (Student t with n − 2 df) and
** the Student t quantile of intervals over folds (t_interval.c).
*/
#include <math.h>

#include "stats/stats_internal.h"

/* Continued fraction of I_x(a,b) (modified Lentz), for x < (a+1)/(a+b+2):
** 1/(1+ d1/(1+ d2/(1+ …))) with
** d_{2m} = m(b−m)x / ((a+2m−1)(a+2m)),
** d_{2m+1} = −(a+m)(a+b+m)x / ((a+2m)(a+2m+1)). */
static double beta_cf(double a, double b, double x)
{
    const double tiny = 1e-300;
    double c = 1, d = 1 - (a + b) * x / (a + 1), f;
    d = fabs(d) < tiny ? tiny : d;
    d = 1 / d, f = d;
    for (int m = 1; m <= 500; m++) {
        for (int odd = 0; odd < 2; odd++) {
            const double num = odd ? -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1))
                                   : m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m));
            d = 1 + num * d, c = 1 + num / c;
            d = fabs(d) < tiny ? tiny : d, c = fabs(c) < tiny ? tiny : c;
            d = 1 / d;
            f *= d * c;
            if (odd && fabs(d * c - 1) < 1e-15) return f;
        }
    }
    return f;
}

/* I_x(a,b), the regularised incomplete beta function, 0 <= x <= 1. */
double st_incomplete_beta(double a, double b, double x)
{
    if (x <= 0) return 0;
    if (x >= 1) return 1;
    const double lfront = lgamma(a + b) - lgamma(a) - lgamma(b) + a * log(x) + b * log1p(-x);
    if (x < (a + 1) / (a + b + 2)) return exp(lfront) * beta_cf(a, b, x) / a;
    return 1 - exp(lfront) * beta_cf(b, a, 1 - x) / b; /* I_x(a,b) = 1 − I_{1−x}(b,a) */
}
