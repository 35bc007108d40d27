/*
** stats_json.c — JSON of a permutation-null calibration (jansson).
*/
#include <math.h>
#include <jansson.h>

#include "core/error_internal.h"
#include "core/json_internal.h"
#include "gapkit/stats.h"

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
