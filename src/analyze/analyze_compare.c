/*
** analyze_compare.c — the report's "compare" table and "shift_sweep"
** curves: every transform fitted on the train items and scored on the held-
** out ones (gk_compare_run, as `gapkit compare`), then the embedding shift
** along λ.  Metrics are those of views 0 → 1 (x2y) and 1 → 0 (y2x).
*/
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "analyze_internal.h"
#include "core/error_internal.h"
#include "core/json_internal.h"
#include "compare/compare_json_internal.h"
#include "compare/compare_internal.h"

/* One metric of a compare row: its key, heading, better direction, value. */
typedef struct metric {
    const char *key, *label, *better;
    int needs; /* 0 always, 1 prompts, 2 labels */
    double (*get)(const gk_compare_row *r);
} metric;

static double m_r1_x2y(const gk_compare_row *r) { return r->pairs[0].a2b.r1; }
static double m_r1_y2x(const gk_compare_row *r) { return r->pairs[0].b2a.r1; }
static double m_r5_x2y(const gk_compare_row *r) { return r->pairs[0].a2b.r5; }
static double m_r5_y2x(const gk_compare_row *r) { return r->pairs[0].b2a.r5; }
static double m_map_x2y(const gk_compare_row *r) { return r->pairs[0].a2b.map10; }
static double m_map_y2x(const gk_compare_row *r) { return r->pairs[0].b2a.map10; }
static double m_zs(const gk_compare_row *r) { return r->zs_top1; }
static double m_v(const gk_compare_row *r) { return r->groups.cluster.v_measure; }
static double m_nmi(const gk_compare_row *r) { return r->groups.cluster.nmi; }
static double m_ari(const gk_compare_row *r) { return r->groups.cluster.ari; }
static double m_knn(const gk_compare_row *r) { return r->groups.knn_acc; }
static double m_probe(const gk_compare_row *r) { return r->groups.probe_acc; }
static double m_gap(const gk_compare_row *r) { return r->pairs[0].gap; }
static double m_cos(const gk_compare_row *r) { return r->pairs[0].cos_true; }

static const metric METRICS[] = {
    {"R@1_x2y", "R@1 x→y", "higher", 0, m_r1_x2y},   {"R@1_y2x", "R@1 y→x", "higher", 0, m_r1_y2x},
    {"R@5_x2y", "R@5 x→y", "higher", 0, m_r5_x2y},   {"R@5_y2x", "R@5 y→x", "higher", 0, m_r5_y2x},
    {"mAP@10_x2y", "mAP@10 x→y", "higher", 0, m_map_x2y},
    {"mAP@10_y2x", "mAP@10 y→x", "higher", 0, m_map_y2x},
    {"zeroshot_top1", "zero-shot top-1", "higher", 1, m_zs},
    {"v_measure", "k-means V", "higher", 2, m_v},    {"nmi", "NMI", "higher", 2, m_nmi},
    {"ari", "ARI", "higher", 2, m_ari},              {"knn_acc", "kNN acc", "higher", 2, m_knn},
    {"probe_acc", "probe acc", "higher", 2, m_probe},
    {"gap", "gap", "lower", 0, m_gap},               {"cos_true", "true-pair cos", "higher", 0, m_cos},
};
#define N_METRICS (int)(sizeof METRICS / sizeof METRICS[0])

static int metric_used(const gk_analyze_input *in, const metric *m)
{
    return m->needs == 0 || (m->needs == 1 && in->prompts) || (m->needs == 2 && in->labels);
}


/* The view names in the column labels: "R@1 text→audio". */
static json_t *columns(const gk_analyze_input *in)
{
    const char *x = in->view_names ? in->view_names[0] : "x", *y = in->view_names ? in->view_names[1] : "y";
    json_t *cols = json_array();
    char label[96];
    for (int i = 0; i < N_METRICS; i++) {
        if (!metric_used(in, &METRICS[i])) continue;
        const char *l = METRICS[i].label, *xy = strstr(l, "x→y"), *yx = strstr(l, "y→x");
        const char *arrow = xy ? xy : yx; /* where the direction starts in the label */
        if (arrow) snprintf(label, sizeof label, "%.*s%s→%s", (int)(arrow - l), l,
                            xy ? x : y, xy ? y : x);
        else snprintf(label, sizeof label, "%s", l);
        json_array_append_new(cols, json_pack("{s:s, s:o, s:s}", "key", METRICS[i].key, "label",
                                              gk_json_text(label), "better", METRICS[i].better));
    }
    return cols;
}

static json_t *row_values(const gk_analyze_input *in, const gk_compare_row *r)
{
    json_t *v = json_object();
    for (int i = 0; i < N_METRICS; i++)
        if (metric_used(in, &METRICS[i]))
            json_object_set_new(v, METRICS[i].key, r->ok ? gk_json_num(METRICS[i].get(r)) : json_null());
    return v;
}

/* The row's tests against identity on the same queries, keyed by column
** (views 0 and 1; compare's encoder). */
static json_t *row_tests(const gk_compare_result *res, const gk_compare_row *r)
{
    return cmp_tests_json(r->vs_baseline >= 0 ? &res->tests[r->vs_baseline] : NULL, 0);
}

/* One row of the table: compare's row head, the values by column, the tests
** and the spread of the clustering scores over the k-means restarts. */
static json_t *row_json(const gk_analyze_input *in, const gk_compare_result *res,
                        const gk_compare_row *r)
{
    json_t *o = cmp_row_head_json(r);
    if (o && (json_object_set_new(o, "values", row_values(in, r)) ||
              json_object_set_new(o, "tests", row_tests(res, r)) ||
              json_object_set_new(o, "over_restarts", grp_restarts_json(&r->groups)))) {
        json_decref(o);
        return NULL;
    }
    return o;
}

/* Best row: zero-shot top-1 with prompts, else mean R@1 of the two directions,
** among the n_methods training-free transforms (the projection refits it). */
static int best_row(const gk_analyze_input *in, const gk_compare_result *res, int n_methods)
{
    int best = -1;
    double best_v = -INFINITY;
    for (int i = 0; i < res->n_rows && i < n_methods; i++) {
        const gk_compare_row *r = &res->rows[i];
        if (!r->ok) continue; /* a failed row has no pairs to read */
        double v = in->prompts ? r->zs_top1 : (m_r1_x2y(r) + m_r1_y2x(r)) / 2;
        if (isfinite(v) && v > best_v) best_v = v, best = i;
    }
    return best;
}

static gk_compare_input compare_input(const gk_analyze_input *in)
{
    gk_compare_input ci = {in->n_views, in->views, in->view_names, in->labels, in->n_classes,
                           in->class_names, in->prompts, in->prompt_view};
    return ci;
}

static int shift_sweep(const gk_analyze_input *in, const gk_analyze_opts *o,
                       const gk_compare_opts *co, json_t *doc)
{
    gk_align_opts lam[64];
    const int n = gk_compare_shift_sweep(o->sweep_steps, lam, 64);
    gk_compare_input ci = compare_input(in);
    gk_compare_result *res;
    gk_compare_opts sweep = *co;
    sweep.heads = NULL, sweep.n_heads = 0; /* the λ curve only: no heads, no tests */
    sweep.versus = NULL, sweep.n_versus = 0, sweep.n_perm = 0;
    GK_TRY(gk_compare_run(&ci, lam, n, &sweep, &res));
    json_t *l = json_array(), *gap = json_array(), *metrics = json_object();
    for (int i = 0; i < n; i++) {
        json_array_append_new(l, json_real(lam[i].lambda));
        json_array_append_new(gap, res->rows[i].ok ? gk_json_num(res->rows[i].pairs[0].gap) : json_null());
    }
    for (int q = 0; q < N_METRICS; q++) {
        if (!metric_used(in, &METRICS[q]) || !strcmp(METRICS[q].key, "gap")) continue;
        json_t *a = json_array();
        for (int i = 0; i < n; i++)
            json_array_append_new(a, res->rows[i].ok ? gk_json_num(METRICS[q].get(&res->rows[i])) : json_null());
        json_object_set_new(metrics, METRICS[q].key, a);
    }
    json_object_set_new(doc, "shift_sweep", json_pack("{s:o, s:o, s:o}", "lambda", l, "gap", gap,
                                                      "metrics", metrics));
    gk_compare_result_free(res);
    return GK_OK;
}

int analyze_compare(const gk_analyze_input *in, const gk_analyze_opts *o, const gk_split *split,
                    const gk_align_opts *methods, int n_methods, json_t *doc, int *best)
{
    gk_compare_opts co = gk_compare_opts_default();
    co.split = split, co.seed = o->seed, co.groups.kmeans.seed = o->seed;
    co.heads = o->heads, co.n_heads = o->n_heads;
    co.versus = o->versus, co.n_versus = o->n_versus;
    gk_compare_input ci = compare_input(in);
    gk_compare_result *res;
    int rc = gk_compare_run(&ci, methods, n_methods, &co, &res);
    if (rc != GK_OK) return gk_error_prepend(rc, "analyze: compare");
    json_t *rows = json_array();
    for (int i = 0; i < res->n_rows; i++)
        json_array_append_new(rows, row_json(in, res, &res->rows[i]));
    json_object_set_new(doc, "compare", json_pack("{s:s, s:o, s:o, s:o, s:o, s:o}", "split",
                                                  res->split, "columns", columns(in),
                                                  "significance", cmp_significance_json(res),
                                                  "duplicates", cmp_duplicates_json(res, 0, 1),
                                                  "rows", rows, "versus",
                                                  cmp_versus_list_json(res)));
    *best = best_row(in, res, n_methods);
    gk_compare_result_free(res);
    rc = shift_sweep(in, o, &co, doc);
    return rc == GK_OK ? rc : gk_error_prepend(rc, "analyze: shift sweep");
}

int gk_analyze_check_versus(const gk_analyze_opts *o)
{
    GK_FAIL_IF(!o, GK_EARG, "analyze: NULL options");
    gk_align_opts methods[16];
    const int n = gk_compare_default_methods(methods, 16);
    gk_compare_opts co = gk_compare_opts_default();
    co.heads = o->heads, co.n_heads = o->n_heads;
    co.versus = o->versus, co.n_versus = o->n_versus;
    return gk_compare_check_versus(methods, n, &co);
}
