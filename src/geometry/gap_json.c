/*
** gap_json.c — a gk_gap_result as a JSON object (jansson), and the results
** of every pair of M views as one document.  NaN fields (cross-modal
** measures when Dx != Dy) become null.
*/
#include <jansson.h>
#include <math.h>

#include "core/error_internal.h"
#include "core/json_internal.h"
#include "gapkit/gap.h"


static json_t *num_array(const double *v, int64_t n)
{
    json_t *a = json_array();
    for (int64_t i = 0; a && v && i < n; i++) json_array_append_new(a, gk_json_num(v[i]));
    return v ? a : (json_decref(a), json_null());
}

static void set(json_t *o, const char *k, json_t *v) { json_object_set_new(o, k, v); }

static json_t *concentration(const gk_gap_result *r)
{
    json_t *c = json_object(), *tm = json_array();
    for (int q = 0; q < r->n_top_m && r->gap_vector; q++)
        json_array_append_new(tm, json_pack("{s:I, s:o}", "m", (json_int_t)r->top_m[q],
                                            "share", gk_json_num(r->top_m_share[q])));
    set(c, "top_m", tm);
    set(c, "pc_cumulative_share", num_array(r->pc_share, r->n_pc));
    return c;
}

static json_t *separability(const gk_gap_result *r)
{
    if (!r->sep_done) return json_null();
    return json_pack("{s:o, s:o, s:i, s:I, s:b, s:s}", "accuracy", gk_json_num(r->sep_accuracy),
                     "accuracy_sd", gk_json_num(r->sep_accuracy_sd), "folds", r->sep_folds,
                     "rows_per_modality", (json_int_t)r->sep_rows, "subsampled",
                     r->sep_subsampled, "classifier", "L2 logistic regression, L-BFGS");
}

/* The object of one result (NULL if out of memory). */
static json_t *gap_object(const gk_gap_result *r)
{
    json_t *o = json_object();
    if (!o) return NULL;
    set(o, "n", json_integer(r->n));
    set(o, "dims", json_pack("[I,I]", (json_int_t)r->dx, (json_int_t)r->dy));
    set(o, "same_dim", json_boolean(r->same_dim));
    set(o, "gap", gk_json_num(r->gap));
    set(o, "norm_mean_x", gk_json_num(r->norm_mean_x));
    set(o, "norm_mean_y", gk_json_num(r->norm_mean_y));
    set(o, "rmg", gk_json_num(r->rmg));
    set(o, "cone_x", gk_json_num(r->cone_x));
    set(o, "cone_y", gk_json_num(r->cone_y));
    set(o, "cos_true", gk_json_num(r->cos_true));
    set(o, "cos_nonpair", gk_json_num(r->cos_nonpair));
    set(o, "mean_share", json_pack("{s:o, s:o, s:o, s:o, s:o}", "mean_term",
                                   gk_json_num(r->mean_term),
                                   "centred_true", gk_json_num(r->centred_true), "centred_nonpair",
                                   gk_json_num(r->centred_nonpair), "share_true",
                                   gk_json_num(r->mean_share_true), "share_nonpair",
                                   gk_json_num(r->mean_share_nonpair)));
    set(o, "separability", separability(r));
    set(o, "concentration", concentration(r));
    set(o, "erank_x", gk_json_num(r->erank_x));
    set(o, "erank_y", gk_json_num(r->erank_y));
    set(o, "pr_x", gk_json_num(r->pr_x));
    set(o, "pr_y", gk_json_num(r->pr_y));
    set(o, "principal_angles_deg", num_array(r->angles, r->subspace_k));
    set(o, "w2_uniformity", gk_json_num(r->w2_uniformity));
    set(o, "gap_vector", num_array(r->gap_vector, r->dx));
    return o;
}

int gk_gap_to_json(const gk_gap_result *r, char **json)
{
    GK_FAIL_IF(!r || !json, GK_EARG, "gap json: NULL argument");
    json_t *o = gap_object(r);
    GK_FAIL_IF(!o, GK_ENOMEM, "gap json: out of memory");
    return gk_json_finish(o, JSON_INDENT(2) | JSON_REAL_PRECISION(10), "gap json", json);
}

int gk_gap_views_to_json(const gk_gap_result *const *r, int m, const char *const *names,
                         char **json)
{
    GK_FAIL_IF(!r || !json || m < 2, GK_EARG, "gap json: NULL argument or fewer than 2 views");
    json_t *o = json_object(), *v = json_array(), *pairs = json_array();
    GK_FAIL_IF(!o || !v || !pairs, GK_ENOMEM, "gap json: out of memory");
    for (int a = 0; a < m; a++)
        json_array_append_new(v, names && names[a] ? gk_json_text(names[a]) : json_integer(a));
    for (int a = 0, p = 0; a < m; a++)
        for (int b = a + 1; b < m; b++, p++)
            json_array_append_new(pairs, json_pack("{s:i, s:i, s:o*}", "x", a, "y", b, "result",
                                                   gap_object(r[p])));
    set(o, "views", v);
    set(o, "pairs", pairs);
    return gk_json_finish(o, JSON_INDENT(2) | JSON_REAL_PRECISION(10), "gap json", json);
}
