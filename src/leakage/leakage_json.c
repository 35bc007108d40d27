/*
** leakage_json.c — the JSON document of a leakage analysis.
*/
#include <jansson.h>
#include <math.h>

#include "core/error_internal.h"
#include "core/json_internal.h"
#include "leakage_internal.h"

static json_t *num(double v)
{
    return isfinite(v) ? json_real(v) : json_null();
}

static json_t *sep_json(const gk_separability *s)
{
    return json_pack("{s:o,s:o,s:o,s:o,s:o,s:o}", "knn_acc", num(s->knn_acc), "probe_acc",
                     num(s->probe_acc), "probe_sd", num(s->probe_sd), "ncc_acc",
                     num(s->ncc_acc), "silhouette", num(s->silhouette), "fisher_ratio",
                     num(s->fisher));
}

static json_t *gain_json(const gk_leakage_gain *g, int has)
{
    if (!has) return json_null();
    return json_pack("{s:s,s:I,s:i,s:o,s:o,s:o,s:[o,o]}", "split", g->split, "n_test",
                     (json_int_t)g->n_test, "n_classes", (int)g->n_classes, "base",
                     num(g->base), "with_transform", num(g->with), "gain", num(g->gain),
                     "interval", num(g->lo), num(g->hi));
}

static json_t *prompts_json(const gk_leakage_result *r, const char *const *names)
{
    json_t *pair = names ? json_pack("[s,s]", names[r->max_a], names[r->max_b])
                         : json_pack("[i,i]", (int)r->max_a, (int)r->max_b);
    return json_pack("{s:o,s:o,s:o*,s:o,s:o,s:o}", "cos_mean", num(r->prompt_cos_mean),
                     "cos_max", num(r->prompt_cos_max), "cos_max_pair", pair,
                     "nearest_other_cos_mean", num(r->prompt_nn_cos), "margin_mean",
                     num(r->margin_mean), "margin_median", num(r->margin_median));
}

static json_t *backbone_json(const gk_leakage_result *r)
{
    if (!r->has_backbone) return json_null();
    return json_pack("{s:I,s:o*,s:{s:I,s:o,s:o,s:o}}", "dim", (json_int_t)r->backbone_dim,
                     "separability", sep_json(&r->backbone), "nngs", "k",
                     (json_int_t)r->nngs.k, "value", num(r->nngs.value), "raw",
                     num(r->nngs.raw), "chance", num(r->nngs.chance));
}

int gk_leakage_to_json(const gk_leakage_result *r, const gk_leakage_opts *opts,
                       const char *const *names, char **json)
{
    GK_FAIL_IF(!r || !opts || !json, GK_EARG, "leakage json: NULL argument");
    *json = NULL;
    char line[1024];
    gk_leakage_statement(r, line, sizeof line);
    json_t *doc = json_pack(
        "{s:I,s:i,s:o,s:o*,s:o*,s:{s:o,s:o,s:s},s:o,s:I,s:I,s:o*,s:o*,s:o*}", "n",
        (json_int_t)r->n, "n_classes", (int)r->n_classes, "zeroshot_top1", num(r->zs_top1),
        "items", sep_json(&r->items), "prompts", prompts_json(r, names), "inherited",
        "share", num(r->inherited_share), "zeroshot_only", num(r->zs_only), "statement", line,
        "transform", r->has_transform ? json_string(r->item_gain.transform) : json_null(),
        "bootstrap", (json_int_t)opts->n_boot, "seed", (json_int_t)opts->seed, "item_split_gain",
        gain_json(&r->item_gain, r->has_transform), "class_disjoint_gain",
        gain_json(&r->class_gain, r->has_transform), "backbone", backbone_json(r));
    return gk_json_finish(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(10),
                          "leakage json", json);
}
