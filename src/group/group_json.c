/*
** group_json.c — the JSON document of the group-level tasks (jansson);
** scores that were not computed (NaN) become null.
*/
#include <math.h>

#include "core/error_internal.h"
#include "core/json_internal.h"
#include "group_internal.h"


int gk_group_to_json(const gk_group_result *r, const gk_group_opts *o, const char *split,
                     const char *transform, char **json)
{
    GK_FAIL_IF(!r || !json, GK_EARG, "gk_group_to_json: arguments must not be NULL");
    const gk_cluster_scores *c = &r->cluster;
    json_t *doc = json_pack(
        "{s:s, s:s?, s:s?, s:I, s:I, s:i, s:I, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:I, s:o, s:i, "
        "s:o, s:o}",
        "task", "groups", "split", split, "transform", transform, "rows", (json_int_t)r->n_rows,
        "test_rows", (json_int_t)r->n_test_rows, "classes", r->n_classes, "clusters",
        (json_int_t)r->n_clusters, "inertia", gk_json_num(r->inertia), "v_measure",
        gk_json_num(c->v_measure), "nmi", gk_json_num(c->nmi), "ari", gk_json_num(c->ari),
        "homogeneity", gk_json_num(c->homogeneity), "completeness",
        gk_json_num(c->completeness), "purity", gk_json_num(c->purity), "knn_k",
        (json_int_t)(o ? o->knn_k : 0), "knn_acc", gk_json_num(r->knn_acc), "probe_folds",
        r->probe_folds, "probe_acc", gk_json_num(r->probe_acc), "probe_sd",
        gk_json_num(r->probe_sd));
    return gk_json_finish(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(10),
                          "groups JSON", json);
}
