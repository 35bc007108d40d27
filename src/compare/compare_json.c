/*
** compare_json.c — the JSON document of `gapkit compare` (jansson): the
** split, the views and one object per transform; numbers that were not
** computed (NaN) are null.
*/
#include "compare_internal.h"
#include "compare_json_internal.h"
#include "core/error_internal.h"
#include "core/json_internal.h"

#define DIFF "R@1_diff" /* the key of a test's difference in this document */

static json_t *metrics_json(const gk_retrieval_metrics *m)
{
    return json_pack("{s:I, s:I, s:o, s:o, s:o, s:o}", "n_queries", (json_int_t)m->n_queries,
                     "n_gallery", (json_int_t)m->n_gallery, "R@1", gk_json_num(m->r1), "R@5",
                     gk_json_num(m->r5), "R@10", gk_json_num(m->r10), "mAP@10",
                     gk_json_num(m->map10));
}

json_t *cmp_test_json(const gk_compare_test *t, const char *diff_key)
{
    if (!t->tested) return json_null();
    return json_pack("{s:f, s:f, s:f, s:o, s:o, s:b}", diff_key, t->r1.diff.value, "ci_lo",
                     t->r1.diff.lo, "ci_hi", t->r1.diff.hi, "p_value",
                     gk_json_num(t->r1.p_value), "p_holm", gk_json_num(t->p_holm),
                     "significant", t->significant);
}

/* How the rows were tested (null without an identity row). */
static json_t *significance_json(const gk_compare_result *r)
{
    if (r->baseline < 0) return json_null();
    return json_pack("{s:s, s:s, s:s, s:s, s:i, s:f, s:i, s:i, s:I}", "baseline",
                     r->rows[r->baseline].name, "metric",
                     "R@1 per query (hit = best rank 1), each direction of each view pair",
                     "test", "paired: percentile bootstrap interval of the difference and "
                     "two-sided sign-flip permutation test on the same queries",
                     "correction", "Holm-Bonferroni over all tests", "n_tests", r->n_tests,
                     "alpha", r->alpha, "permutations", r->n_perm, "bootstrap", r->boot.B,
                     "seed", (json_int_t)r->boot.seed);
}

json_t *cmp_duplicates_json(const gk_compare_result *r, int a, int b)
{
    return json_pack("{s:I, s:I, s:s}", "merged_a", (json_int_t)r->merged[a], "merged_b",
                     (json_int_t)r->merged[b], "rule", "test rows equal to an earlier test row "
                     "of their view are one gallery entry / query, matching every item paired "
                     "with any copy");
}

static json_t *pairs_json(const gk_compare_result *res, const gk_compare_row *r)
{
    json_t *arr = json_array();
    for (int q = 0; arr && q < r->n_pairs && r->pairs; q++) {
        const gk_compare_pair *p = &r->pairs[q];
        json_t *o = json_pack("{s:[i,i], s:o, s:o, s:o, s:o}", "views", p->a, p->b, "gap",
                              gk_json_num(p->gap), "cos_true", gk_json_num(p->cos_true),
                              "a_to_b", metrics_json(&p->a2b), "b_to_a", metrics_json(&p->b2a));
        if (o) json_object_set_new(o, "a_to_b_vs_baseline", cmp_test_json(&p->test_a2b, DIFF));
        if (o) json_object_set_new(o, "b_to_a_vs_baseline", cmp_test_json(&p->test_b2a, DIFF));
        if (o) json_object_set_new(o, "duplicates", cmp_duplicates_json(res, p->a, p->b));
        if (!o || json_array_append_new(arr, o)) {
            json_decref(arr);
            return NULL;
        }
    }
    return arr;
}

static json_t *groups_json(const gk_group_result *g)
{
    return json_pack("{s:I, s:i, s:I, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "rows",
                     (json_int_t)g->n_rows, "classes", g->n_classes, "clusters",
                     (json_int_t)g->n_clusters, "v_measure", gk_json_num(g->cluster.v_measure),
                     "nmi", gk_json_num(g->cluster.nmi), "ari", gk_json_num(g->cluster.ari),
                     "homogeneity", gk_json_num(g->cluster.homogeneity), "completeness",
                     gk_json_num(g->cluster.completeness), "purity",
                     gk_json_num(g->cluster.purity), "knn_acc", gk_json_num(g->knn_acc),
                     "probe_acc", gk_json_num(g->probe_acc));
}

/* The groups object with the spread of the scores over the k-means restarts. */
static json_t *groups_with_restarts(const gk_group_result *g)
{
    json_t *o = groups_json(g);
    if (o && json_object_set_new(o, "over_restarts", grp_restarts_json(g))) {
        json_decref(o);
        return NULL;
    }
    return o;
}

static json_t *row_json(const gk_compare_result *res, const gk_compare_row *r)
{
    return json_pack("{s:s, s:s, s:b, s:s?, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o}",
                     "transform", r->name, "description", r->desc, "ok", r->ok, "error",
                     r->ok ? NULL : r->error, "gap", gk_json_num(r->gap), "cos_true",
                     gk_json_num(r->cos_true), "R@1", gk_json_num(r->r1), "R@5",
                     gk_json_num(r->r5), "mAP@10", gk_json_num(r->map10), "zeroshot_top1",
                     gk_json_num(r->zs_top1), "zeroshot_top5", gk_json_num(r->zs_top5),
                     "groups", groups_with_restarts(&r->groups), "pairs", pairs_json(res, r));
}

static json_t *views_json(const gk_compare_input *in)
{
    json_t *arr = json_array();
    for (int v = 0; arr && v < in->n_views; v++)
        json_array_append_new(arr, in->view_names && in->view_names[v]
                                       ? gk_json_text(in->view_names[v])
                                       : json_sprintf("view %d", v));
    return arr;
}

int gk_compare_to_json(const gk_compare_result *r, const gk_compare_input *in, char **json)
{
    GK_FAIL_IF(!r || !in || !json, GK_EARG, "gk_compare_to_json: arguments must not be NULL");
    json_t *rows = json_array();
    for (int i = 0; rows && i < r->n_rows; i++)
        if (json_array_append_new(rows, row_json(r, &r->rows[i]))) {
            json_decref(rows);
            rows = NULL;
        }
    json_t *doc = json_pack("{s:s, s:s, s:o, s:I, s:I, s:i, s:i, s:o, s:o}", "task", "compare",
                            "split", r->split, "views", views_json(in), "n_train",
                            (json_int_t)r->n_train, "n_test", (json_int_t)r->n_test,
                            "test_classes", r->n_test_classes, "zeroshot_candidates",
                            r->zs_candidates, "significance", significance_json(r), "rows",
                            rows);
    return gk_json_finish(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(10),
                          "compare JSON", json);
}
