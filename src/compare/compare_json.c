/*
** compare_json.c — the JSON document of `gapkit compare` (jansson): the
** split, the views and one object per transform; numbers that were not
** computed (NaN) are null.
*/
#include <stdio.h>

#include "compare_internal.h"
#include "compare_json_internal.h"
#include "core/error_internal.h"
#include "core/json_internal.h"

static json_t *metrics_json(const gk_retrieval_metrics *m)
{
    return json_pack("{s:I, s:I, s:o, s:o, s:o, s:o}", "n_queries", (json_int_t)m->n_queries,
                     "n_gallery", (json_int_t)m->n_gallery, "R@1", gk_json_num(m->r1), "R@5",
                     gk_json_num(m->r5), "R@10", gk_json_num(m->r10), "mAP@10",
                     gk_json_num(m->map10));
}

json_t *cmp_test_json(const gk_compare_test *t)
{
    if (!t->tested) return json_null();
    return json_pack("{s:f, s:f, s:f, s:o, s:o, s:b}", "diff", t->d.diff.value, "ci_lo",
                     t->d.diff.lo, "ci_hi", t->d.diff.hi, "p_value", gk_json_num(t->d.p_value),
                     "p_holm", gk_json_num(t->p_holm), "significant", t->significant);
}

/* The column keys of the tested metrics (analyze's table and the report use them). */
static const char *const RANKED_KEY[GK_CMP_N_RANKED] = {"R@1", "R@5", "mAP@10"};

json_t *cmp_tests_json(const gk_compare_tests *c, int q)
{
    json_t *o = json_object();
    char key[32];
    for (int dir = 0; o && c && q < c->n_pairs && dir < 2; dir++)
        for (int m = 0; m < GK_CMP_N_RANKED; m++) {
            const gk_compare_test *t = gk_compare_tests_at(c, q, dir, m);
            snprintf(key, sizeof key, "%s_%s", RANKED_KEY[m], dir ? "y2x" : "x2y");
            if (t->tested) json_object_set_new(o, key, cmp_test_json(t));
        }
    if (o && c && c->zs_top1.tested)
        json_object_set_new(o, "zeroshot_top1", cmp_test_json(&c->zs_top1));
    return o;
}

json_t *cmp_versus_json(const gk_compare_result *r, const gk_compare_tests *c)
{
    json_t *pairs = json_array();
    const gk_compare_row *row = &r->rows[c->row];
    for (int q = 0; pairs && row->pairs && q < c->n_pairs; q++)
        json_array_append_new(pairs, json_pack("{s:[i,i], s:o}", "views", row->pairs[q].a,
                                               row->pairs[q].b, "tests", cmp_tests_json(c, q)));
    return json_pack("{s:s, s:s, s:o}", "a", row->name, "b", r->rows[c->other].name, "pairs",
                     pairs);
}

json_t *cmp_versus_list_json(const gk_compare_result *r)
{
    json_t *arr = json_array();
    for (int k = r->n_versus - r->n_named; arr && k < r->n_versus; k++)
        json_array_append_new(arr, cmp_versus_json(r, &r->tests[k]));
    return arr;
}

json_t *cmp_significance_json(const gk_compare_result *r)
{
    if (!r->n_tests) return json_null();
    char rule[512];
    snprintf(rule, sizeof rule, "each row minus %s%s on the same test queries (R@1, R@5, mAP@10 "
             "per direction; zero-shot top-1 per item): %g%% paired bootstrap interval (B = "
             "%d, seed %llu), two-sided sign-flip permutation test (%d permutations), "
             "Holm-Bonferroni over %d tests, significant at %g",
             r->baseline >= 0 ? r->rows[r->baseline].name : "no baseline",
             r->n_named ? " and each named pair" : "", 100 * r->boot.level, r->boot.B,
             (unsigned long long)r->boot.seed, r->n_perm, r->n_tests, r->alpha);
    return json_pack("{s:s?, s:[s,s,s,s], s:s, s:s, s:i, s:i, s:f, s:i, s:i, s:f, s:I, s:s}",
                     "baseline", r->baseline >= 0 ? r->rows[r->baseline].name : NULL,
                     "metrics", "R@1", "R@5", "mAP@10", "zeroshot_top1", "test",
                     "paired: percentile bootstrap interval of the difference and two-sided "
                     "sign-flip permutation test on the same queries", "correction",
                     "Holm-Bonferroni over all tests", "n_tests", r->n_tests, "named_pairs",
                     r->n_named, "alpha", r->alpha, "permutations", r->n_perm, "bootstrap",
                     r->boot.B, "level", r->boot.level, "seed", (json_int_t)r->boot.seed,
                     "rule", rule);
}

json_t *cmp_row_head_json(const gk_compare_row *r)
{
    return json_pack("{s:s, s:s, s:b, s:s?}", "transform", r->name, "description", r->desc,
                     "ok", r->ok, "error", r->ok ? NULL : r->error);
}

/* The R@1 test of one direction in the keys of the first version of this
** document ("R@1_diff" beside "diff"), or null. */
static json_t *legacy_r1_json(const gk_compare_tests *c, int q, int dir)
{
    json_t *t = c ? cmp_test_json(gk_compare_tests_at(c, q, dir, GK_CMP_R1)) : json_null();
    if (json_is_object(t))
        json_object_set(t, "R@1_diff", json_object_get(t, "diff"));
    return t;
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
    const gk_compare_tests *c = r->vs_baseline >= 0 ? &res->tests[r->vs_baseline] : NULL;
    json_t *arr = json_array();
    for (int q = 0; arr && q < r->n_pairs && r->pairs; q++) {
        const gk_compare_pair *p = &r->pairs[q];
        json_t *o = json_pack("{s:[i,i], s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "views",
                              p->a, p->b, "gap", gk_json_num(p->gap), "cos_true",
                              gk_json_num(p->cos_true), "a_to_b", metrics_json(&p->a2b),
                              "b_to_a", metrics_json(&p->b2a), "a_to_b_vs_baseline",
                              legacy_r1_json(c, q, 0), "b_to_a_vs_baseline",
                              legacy_r1_json(c, q, 1), "vs_baseline",
                              c ? cmp_tests_json(c, q) : json_null(), "duplicates",
                              cmp_duplicates_json(res, p->a, p->b));
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
    json_t *o = cmp_row_head_json(r);
    json_t *rest = json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "gap",
                             gk_json_num(r->gap), "cos_true", gk_json_num(r->cos_true), "R@1",
                             gk_json_num(r->r1), "R@5", gk_json_num(r->r5), "mAP@10",
                             gk_json_num(r->map10), "zeroshot_top1", gk_json_num(r->zs_top1),
                             "zeroshot_top5", gk_json_num(r->zs_top5), "groups",
                             groups_with_restarts(&r->groups), "pairs", pairs_json(res, r));
    if (!o || !rest || json_object_update(o, rest)) {
        json_decref(o);
        o = NULL;
    }
    json_decref(rest);
    return o;
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
    json_t *doc = json_pack("{s:s, s:s, s:o, s:I, s:I, s:i, s:i, s:o, s:o, s:o}", "task",
                            "compare", "split", r->split, "views", views_json(in), "n_train",
                            (json_int_t)r->n_train, "n_test", (json_int_t)r->n_test,
                            "test_classes", r->n_test_classes, "zeroshot_candidates",
                            r->zs_candidates, "significance", cmp_significance_json(r), "rows",
                            rows, "versus", cmp_versus_list_json(r));
    return gk_json_finish(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(10),
                          "compare JSON", json);
}
