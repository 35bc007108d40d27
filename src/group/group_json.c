/*
** group_json.c — the JSON document of the group-level tasks (jansson);
** scores that were not computed (NaN) become null.
*/
#include <math.h>

#include "core/error_internal.h"
#include "core/json_internal.h"
#include "group_internal.h"

static json_t *spread(double mean, double sd)
{
    return json_pack("{s:o, s:o}", "mean", gk_json_num(mean), "sd", gk_json_num(sd));
}

json_t *grp_restarts_json(const gk_group_result *r)
{
    const gk_cluster_scores *m = &r->restart_mean, *s = &r->restart_sd;
    if (r->n_restarts < 1) return json_null();
    return json_pack("{s:i, s:o, s:o, s:o, s:o, s:o, s:o}", "n_restarts", r->n_restarts,
                     "v_measure", spread(m->v_measure, s->v_measure), "nmi",
                     spread(m->nmi, s->nmi), "ari", spread(m->ari, s->ari), "homogeneity",
                     spread(m->homogeneity, s->homogeneity), "completeness",
                     spread(m->completeness, s->completeness), "purity",
                     spread(m->purity, s->purity));
}

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
    if (doc && json_object_set_new(doc, "over_restarts", grp_restarts_json(r))) {
        json_decref(doc);
        doc = NULL;
    }
    return gk_json_finish(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(10),
                          "groups JSON", json);
}
