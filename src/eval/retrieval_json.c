/*
** retrieval_json.c — the JSON document of a retrieval evaluation (jansson).
*/
#include <jansson.h>

#include "core/error_internal.h"
#include "core/json_internal.h"
#include "eval_internal.h"

static json_t *metrics_json(const gk_retrieval_metrics *m)
{
    return json_pack("{s:I,s:I,s:I,s:f,s:f,s:f,s:f,s:f,s:f,s:f}", "n_queries",
                     (json_int_t)m->n_queries, "n_gallery", (json_int_t)m->n_gallery,
                     "n_scored", (json_int_t)m->n_scored, "R@1", m->r1, "R@5", m->r5, "R@10",
                     m->r10, "mAP@10", m->map10, "mAP", m->map, "MedR", m->medr, "MeanR",
                     m->meanr);
}

int gk_retrieval_to_json(const gk_retrieval_result *r, const char *name_x, const char *name_y,
                         char **json)
{
    GK_FAIL_IF(!r || !json, GK_EARG, "gk_retrieval_to_json: arguments must not be NULL");
    *json = NULL;
    json_t *doc = json_pack("{s:s,s:o,s:o,s:s,s:s,s:o,s:o}", "task", "retrieval", "x",
                            gk_json_text(name_x), "y", gk_json_text(name_y), "split", r->split, "transform", r->transform,
                            "x_to_y", metrics_json(&r->x2y), "y_to_x", metrics_json(&r->y2x));
    return gk_json_finish(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(10),
                          "retrieval JSON", json);
}
