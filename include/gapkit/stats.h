/*
** stats.h — the statistics around the numbers: bootstrap intervals over
** queries, Student-t intervals over folds, paired tests between two methods
** on the same queries, the Holm–Bonferroni correction, and permutation-null calibration of a
** similarity measure.  Generic: every function works on plain arrays of
** per-item values (or on a callback), so any module can use it.
**
** Reproducible resampling streams (a script can regenerate them exactly;
** tests/reference/stats_reference.py does):
**   - one gk_rng seeded with `seed` (core.h: splitmix64 → xoshiro256**);
**   - bootstrap: draw b = 0..B−1 takes n indices gk_rng_below(r, n) in order;
**   - sign flips: permutation t = 0..P−1 takes, for i = 0..n−1, one
**     gk_rng_next(r); its top bit set means item i's difference is negated;
**   - shuffled pairings: permutation t starts from the identity and applies
**     gk_rng_shuffle (Fisher–Yates from the last index down).
*/
#ifndef GAPKIT_STATS_H
#define GAPKIT_STATS_H

#include "core.h"
#include "matrix.h"

#ifdef __cplusplus
extern "C" {
#endif

GK_API_BEGIN

/*====  bootstrap intervals  ====*/

/* The statistic of a set of per-item values. */
typedef enum gk_stat {
    GK_STAT_MEAN = 0,  /* arithmetic mean (R@K, AP, accuracy: per-item 0/1 or AP) */
    GK_STAT_MEDIAN = 1 /* median, mean of the two middle values if n is even (MedR) */
} gk_stat;

typedef struct gk_boot_opts {
    int B;          /* bootstrap draws (default 1000) */
    double level;   /* interval coverage in (0,1) (default 0.95) */
    uint64_t seed;  /* seed of the resampling stream (default 0) */
} gk_boot_opts;

/*! gk_boot_opts_default() : @return : {1000, 0.95, 0}. */
gk_boot_opts gk_boot_opts_default(void);

/* A value with its percentile bootstrap interval. */
typedef struct gk_ci {
    double value; /* the statistic on the original items */
    double lo, hi; /* percentiles (1−level)/2 and (1+level)/2 of the B draws */
} gk_ci;

/*! gk_stat_eval() : the statistic of v (n,), n >= 1.  @return : its value. */
double gk_stat_eval(gk_stat stat, const double *v, int64_t n);

/*! gk_quantile() : the q-quantile, q in [0,1], of v (n,) with numpy's
 *  default rule: sort, position q·(n−1), linear interpolation between the
 *  two neighbours.  v is sorted in place. */
double gk_quantile(double *v, int64_t n, double q);

/*! gk_bootstrap_indices() : the first B draws of the bootstrap stream of
 *  `seed` for n items, into idx (B·n,), draw b at idx[b·n ..].  A test hook:
 *  the stream is the one gk_bootstrap_ci() and gk_paired_test() use.
 *  @return : GK_OK; GK_EARG (n < 1, B < 1, idx NULL). */
int gk_bootstrap_indices(int64_t n, int B, uint64_t seed, int64_t *idx);

/*! gk_bootstrap_ci() : the percentile bootstrap interval of `stat` over the
 *  items v (n,) (per-query values; resampled with replacement, B draws).
 *  opts NULL = defaults.  Same seed and n → same draws, so intervals of
 *  several metrics of the same queries use the same resamples.
 *  @return : GK_OK; GK_EARG (n < 1, B < 2, level outside (0,1), NULL),
 *  GK_ENOMEM. */
int gk_bootstrap_ci(const double *v, int64_t n, gk_stat stat, const gk_boot_opts *opts,
                    gk_ci *out);

/*====  intervals over a few repeated runs (folds)  ====*/

/* The mean of a few values with a Student-t interval: for the F folds of a
** k-fold evaluation, where each fold is one run and the spread between runs
** is what the interval should carry (methods.md, statistics). */
typedef struct gk_t_ci {
    double mean;   /* mean of the n values */
    double sd;     /* sample standard deviation (divisor n − 1); NaN when n == 1 */
    double lo, hi; /* mean ∓ t_{(1+level)/2, n−1} · sd / √n; NaN when n == 1 */
    int64_t n;     /* values (folds) */
    double level;  /* coverage in (0,1), e.g. 0.95 */
} gk_t_ci;

/*! gk_t_quantile() : the p-quantile of Student's t with df > 0 degrees of
 *  freedom (scipy.stats.t.ppf(p, df)), by bisection on the distribution
 *  function P(T <= t) = 1 − I_{df/(df+t²)}(df/2, 1/2)/2 (t >= 0) to about
 *  1e-13 relative.  @return : the quantile; NaN for p outside (0,1) or
 *  df <= 0 or NaN. */
double gk_t_quantile(double p, double df);

/*! gk_t_interval() : mean, sample sd and the Student-t interval of v (n,)
 *  at `level` (see gk_t_ci).  NaN values make every field NaN.
 *  @return : GK_OK; GK_EARG (NULL, n < 1, level outside (0,1)). */
int gk_t_interval(const double *v, int64_t n, double level, gk_t_ci *out);

/*====  paired comparison of two methods on the same items  ====*/

typedef struct gk_paired {
    gk_ci diff;     /* stat(a) − stat(b), with its paired bootstrap interval
                       (the same draw of items applied to a and b) */
    double p_value; /* two-sided sign-flip permutation test of mean(a − b) = 0
                       (mean only; NaN for the median) */
    int n_perm;     /* sign-flip permutations used */
} gk_paired;

/*! gk_paired_test() : compares a (n,) and b (n,), the per-item values of two
 *  methods on the same items.  Interval: paired percentile bootstrap of
 *  stat(a[idx]) − stat(b[idx]) (opts as gk_bootstrap_ci).  p-value (mean
 *  only): d_i = a_i − b_i, T = |mean d|; n_perm sign-flip draws T*
 *  = |mean s_i d_i| (stream in the header); p = (1 + #{T* >= T·(1−1e-12)})
 *  / (n_perm + 1), never below 1/(n_perm+1).  n_perm >= 1.
 *  @return : GK_OK; GK_EARG; GK_ENOMEM. */
int gk_paired_test(const double *a, const double *b, int64_t n, gk_stat stat,
                   const gk_boot_opts *opts, int n_perm, gk_paired *out);

/*! gk_holm() : Holm–Bonferroni step-down adjusted p-values of p (m,) into
 *  adj (m,) (may alias p): with p sorted ascending p_(1) <= … <= p_(m),
 *  adj_(i) = max_{j<=i} min(1, (m − j + 1)·p_(j)).  Rejecting where
 *  adj <= α controls the family-wise error at α.  @return : GK_OK, GK_EARG,
 *  GK_ENOMEM. */
int gk_holm(const double *p, int m, double *adj);

/*====  permutation-null calibration of a similarity measure  ====*/

/* A measure of two spaces with the same items: *value = s(X, Y). */
typedef int (*gk_measure_fn)(const gk_mat *X, const gk_mat *Y, void *ctx, double *value);

typedef struct gk_null_result {
    double observed;   /* s(X, Y) */
    double null_mean;  /* mean of s(X, Y_π) over the permutations */
    double null_sd;    /* their sample standard deviation (n − 1) */
    double calibrated; /* (observed − null_mean) / (1 − null_mean): 0 at chance,
                          1 at the maximum 1 (NaN if null_mean == 1) */
    double z;          /* (observed − null_mean) / null_sd (NaN if null_sd == 0) */
    double p_value;    /* (1 + #{null >= observed}) / (n_perm + 1) */
    int n_perm;
} gk_null_result;

/*! gk_null_summary() : the fields of *out from an observed value and the
 *  null values (n_perm,), n_perm >= 2.  @return : GK_OK, GK_EARG. */
int gk_null_summary(double observed, const double *null, int n_perm, gk_null_result *out);

/*! gk_perm_null() : calibrates fn against n_perm shuffled pairings: row i of
 *  X with row π(i) of Y (stream in the header).  Y is copied once (Y.rows ×
 *  Y.cols floats); fn sees that copy, permuted.  null (n_perm,) may be NULL;
 *  else it receives each permutation's value.  @return : GK_OK; GK_EARG
 *  (n_perm < 2, row counts differ, NULL); GK_ENOMEM; fn's status. */
int gk_perm_null(gk_measure_fn fn, void *ctx, const gk_mat *X, const gk_mat *Y, int n_perm,
                 uint64_t seed, gk_null_result *out, double *null);

/*! gk_null_to_json() : {"method","n_perm","seed","observed","null_mean",
 *  "null_sd","calibration","calibrated","z","p_value","p_rule"} (NaN → null);
 *  seed is the one given to gk_perm_null.  *json : caller frees with
 *  gk_free().  @return : GK_OK, GK_EARG, GK_ENOMEM. */
int gk_null_to_json(const gk_null_result *r, uint64_t seed, char **json);

/*====  correlation across variants (methods.md §5)  ====*/

/*! gk_pearson() : Pearson's r of x (n,) and y (n,), n >= 3, and (p may be
 *  NULL) its two-sided p-value for H0 "no correlation" (Student's t with
 *  n − 2 degrees of freedom, the exact test for normal data, as
 *  scipy.stats.pearsonr).  @return : GK_OK; GK_EARG (NULL, n < 3);
 *  GK_ENUMERIC (NaN/Inf, or all values of x or of y equal). */
int gk_pearson(const double *x, const double *y, int64_t n, double *r, double *p);

/*! gk_spearman() : Spearman's ρ = Pearson's r of the ranks (ties: mean
 *  rank) and its two-sided p-value by the same t approximation
 *  (scipy.stats.spearmanr).  @return : as gk_pearson(), GK_ENOMEM. */
int gk_spearman(const double *x, const double *y, int64_t n, double *rho, double *p);

/*! gk_corr_pvalue() : @return : two-sided p-value of a correlation r from n
 *  pairs, I_{1−r²}((n−2)/2, 1/2) (regularised incomplete beta); NaN for
 *  n < 3. */
double gk_corr_pvalue(double r, int64_t n);

GK_API_END

#ifdef __cplusplus
}
#endif

#endif
