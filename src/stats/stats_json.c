/*
** stats_json.c — JSON of the statistics (jansson): a permutation-null
** calibration, and the interval blocks every evaluation's JSON shares.
*/
#include <math.h>
#include <stdio.h>
#include <jansson.h>

#include "core/error_internal.h"
#include "core/json_internal.h"
#include "gapkit/stats.h"
#include "stats_internal.h"

json_t *st_boot_json(const gk_boot_opts *b, const char *over)
{
    char method[96];
    snprintf(method, sizeof method, "percentile bootstrap over %s", over);
    return json_pack("{s:s,s:i,s:f,s:I}", "method", method, "B", b->B, "level", b->level,
                     "seed", (json_int_t)b->seed);
}

json_t *st_ci_json(const gk_ci *c)
{
    return json_pack("{s:f,s:f}", "ci_lo", c->lo, "ci_hi", c->hi);
}

int gk_null_to_json(const gk_null_result *r, uint64_t seed, char **json)
{
    GK_FAIL_IF(!r || !json, GK_EARG, "gk_null_to_json: arguments must not be NULL");
    *json = NULL;
    json_t *doc = json_pack("{s:s,s:i,s:I,s:f,s:o,s:o,s:s,s:o,s:o,s:f,s:s}", "method",
                            "shuffled pairings (row i of X with row pi(i) of Y)", "n_perm",
                            r->n_perm, "seed", (json_int_t)seed, "observed", r->observed,
                            "null_mean", gk_json_num(r->null_mean), "null_sd",
                            gk_json_num(r->null_sd), "calibration",
                            "(s - null_mean) / (1 - null_mean)", "calibrated",
                            gk_json_num(r->calibrated), "z", gk_json_num(r->z), "p_value",
                            r->p_value, "p_rule", "(1 + #{null >= s}) / (n_perm + 1)");
    return gk_json_finish(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(10),
                          "gk_null_to_json", json);
}
