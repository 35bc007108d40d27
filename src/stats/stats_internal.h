/*
** stats_internal.h — what the files of src/stats share.  Not installed.
*/
#ifndef GAPKIT_STATS_INTERNAL_H
#define GAPKIT_STATS_INTERNAL_H

#include "gapkit/stats.h"

/* One bootstrap draw: n indices gk_rng_below(r, n), in order. */
void st_draw(gk_rng *r, int64_t n, int64_t *idx);

/* Checks n and the options; `who` names the caller in the message. */
int st_check_opts(const gk_boot_opts *o, int64_t n, const char *who);

/* vals (B,): the statistic of each draw of v, minus that of w on the same
** draw when w is not NULL. */
int st_boot_values(const double *v, const double *w, int64_t n, gk_stat stat,
                   const gk_boot_opts *o, double *vals);

/* out->lo, out->hi from the B draw values (sorted in place). */
void st_percentiles(double *vals, int B, double level, gk_ci *out);

/* I_x(a,b), the regularised incomplete beta function, a, b > 0, 0 <= x <= 1
** (beta.c: continued fraction, modified Lentz; about 1e-14 relative). */
double st_incomplete_beta(double a, double b, double x);

struct json_t;

/* The one "bootstrap" block of every evaluation's JSON: {"method":
** "percentile bootstrap over <over>","B","level","seed"} (stats_json.c).
** NULL when out of memory. */
struct json_t *st_boot_json(const gk_boot_opts *b, const char *over);

/* {"ci_lo","ci_hi"} of c.  NULL when out of memory. */
struct json_t *st_ci_json(const gk_ci *c);

#endif
