/*
** comet_json.c — a COMET model's per-axis summary and a similarity
** dissection as a JSON document (jansson).
*/
#include <jansson.h>

#include "core/error_internal.h"
#include "core/json_internal.h"
#include "comet_internal.h"

static json_t *terms_json(const gk_comet_terms *t)
{
    return json_pack("{s:f, s:f, s:f, s:f, s:f, s:f}", "total", t->total, "mean", t->mean,
                     "mean_coef", t->mean_coef, "direct", t->direct, "cross", t->cross,
                     "residual", t->residual);
}

static json_t *dissection_json(const gk_comet_dissection *d)
{
    return json_pack("{s:I, s:I, s:I, s:{s:o, s:o}, s:{s:o, s:o}}", "n_pairs", (json_int_t)d->n,
                     "k", (json_int_t)d->k, "head", (json_int_t)d->head, "all_axes", "true_pairs",
                     terms_json(&d->pos_all), "non_pairs", terms_json(&d->neg_all), "head_axes",
                     "true_pairs", terms_json(&d->pos_head), "non_pairs",
                     terms_json(&d->neg_head));
}

/* One object per axis j < n_axes. */
static json_t *axes_json(const gk_comet_axis_stats *s, int64_t n_axes)
{
    json_t *arr = json_array();
    for (int64_t j = 0; arr && j < n_axes; j++) {
        json_t *a = json_pack("{s:I, s:f, s:f}", "axis", (json_int_t)(j + 1), "sigma",
                              s->sigma[j], "cov", s->cov[j]);
        if (!a) continue;
        if (j >= s->nr) { /* rounding noise: no align, corr or net to report */
            json_object_set_new(a, "noise", json_true());
            json_array_append_new(arr, a);
            continue;
        }
        if (j < s->k) json_object_set_new(a, "corr", json_real(s->corr[j]));
        if (s->align) {
            json_object_set_new(a, "align", json_real(s->align[j]));
            json_object_set_new(a, "net", json_real(s->net[j]));
            json_object_set_new(a, "net_cum", json_real(s->net_cum[j]));
        }
        json_array_append_new(arr, a);
    }
    return arr;
}

int gk_comet_to_json(const gk_comet *m, const gk_comet_dissection *d, int64_t max_axes,
                     char **json)
{
    gk_comet_axis_stats *s = NULL;
    GK_FAIL_IF(!m || !json, GK_EARG, "comet json: NULL argument");
    *json = NULL;
    GK_TRY(gk_comet_stats(m, &s));
    int64_t n_axes = (max_axes <= 0 || max_axes > m->r) ? m->r : max_axes;
    json_t *root = json_pack("{s:s, s:I, s:I, s:I, s:I, s:f, s:[I,I], s:{s:f, s:f, s:f, s:f}, s:o}",
                             "kind", "comet", "n_fit", (json_int_t)m->n_fit, "k",
                             (json_int_t)m->k, "r", (json_int_t)m->r, "rank",
                             (json_int_t)s->nr, "noise_tol", GK_COMET_NOISE_TOL, "dims", (json_int_t)m->dt, (json_int_t)m->da,
                             "energy", "head_text", s->head_t, "head_audio", s->head_a,
                             "tail_text", s->tail_t, "tail_audio", s->tail_a, "axes",
                             axes_json(s, n_axes));
    gk_comet_stats_free(s);
    if (root && d) json_object_set_new(root, "dissection", dissection_json(d));
    return gk_json_finish(root, JSON_INDENT(2) | JSON_REAL_PRECISION(10), "comet json", json);
}
