/*
** retrieval_json.c — the JSON document of a retrieval evaluation (jansson).
*/
#include <jansson.h>

#include "core/error_internal.h"
#include "core/json_internal.h"
#include "retrieval/retrieval_internal.h"
#include "stats/stats_internal.h"

static json_t *metrics_json(const gk_retrieval_metrics *m)
{
    return json_pack("{s:I,s:I,s:I,s:f,s:f,s:f,s:f,s:f,s:f,s:f}", "n_queries",
                     (json_int_t)m->n_queries, "n_gallery", (json_int_t)m->n_gallery,
                     "n_scored", (json_int_t)m->n_scored, "R@1", m->r1, "R@5", m->r5, "R@10",
                     m->r10, "mAP@10", m->map10, "mAP", m->map, "MedR", m->medr, "MeanR",
                     m->meanr);
}

/* {"R@1": {"ci_lo", "ci_hi"}, …}: each metric's interval, under its own name. */
static json_t *ci_json(const gk_retrieval_ci *c)
{
    const char *name[7] = {"R@1", "R@5", "R@10", "mAP@10", "mAP", "MedR", "MeanR"};
    const gk_ci *v[7] = {&c->r1, &c->r5, &c->r10, &c->map10, &c->map, &c->medr, &c->meanr};
    json_t *o = json_object();
    for (int i = 0; o && i < 7; i++)
        if (json_object_set_new(o, name[i], st_ci_json(v[i]))) {
            json_decref(o);
            return NULL;
        }
    return o;
}

/* Adds the intervals of both directions and how they were drawn. */
static json_t *with_ci(json_t *doc, const gk_retrieval_result *r)
{
    if (!doc || !r->has_ci) return doc;
    json_t *x2y = json_object_get(doc, "x_to_y"), *y2x = json_object_get(doc, "y_to_x");
    if (json_object_set_new(x2y, "ci", ci_json(&r->x2y_ci)) ||
        json_object_set_new(y2x, "ci", ci_json(&r->y2x_ci)) ||
        json_object_set_new(doc, "bootstrap", st_boot_json(&r->boot, "queries"))) {
        json_decref(doc);
        return NULL;
    }
    return doc;
}

/* "duplicates": how many exact copies were merged, when they were looked for. */
static json_t *with_dedup(json_t *doc, const gk_retrieval_result *r)
{
    if (!doc || !r->dedup) return doc;
    if (json_object_set_new(doc, "duplicates", json_pack("{s:I,s:I,s:s}", "merged_x",
                            (json_int_t)r->merged_x, "merged_y", (json_int_t)r->merged_y,
                            "rule", "exact duplicate rows are one item; a query's true "
                            "matches are the rows paired with any copy"))) {
        json_decref(doc);
        return NULL;
    }
    return doc;
}

int gk_retrieval_to_json(const gk_retrieval_result *r, const char *name_x, const char *name_y,
                         char **json)
{
    GK_FAIL_IF(!r || !json, GK_EARG, "gk_retrieval_to_json: arguments must not be NULL");
    *json = NULL;
    json_t *doc = json_pack("{s:s,s:o,s:o,s:s,s:s,s:o,s:o}", "task", "retrieval", "x",
                            gk_json_text(name_x), "y", gk_json_text(name_y), "split", r->split, "transform", r->transform,
                            "x_to_y", metrics_json(&r->x2y), "y_to_x", metrics_json(&r->y2x));
    doc = with_dedup(with_ci(doc, r), r);
    return gk_json_finish(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(10),
                          "retrieval JSON", json);
}
