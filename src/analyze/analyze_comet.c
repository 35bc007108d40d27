/*
** analyze_comet.c — the report's "comet" section: COMET on all pairs of
** views 0 and 1, K = the axes that pass the step-down permutation test
** (as `gapkit comet fit --k shared`), the per-axis arrays the figures draw,
** and with labels the classes of the items at both ends of leading axes.
*/
#include <math.h>
#include <stdio.h>

#include "analyze_internal.h"
#include "core/error_internal.h"
#include "core/json_internal.h"

#define TOP_AXES 8 /* leading axes whose end items are named */

/* Cumulative share of net_j = σ_j·align_j over all R axes. */
static json_t *net_cumulative(const float *sigma, const float *align, int64_t r)
{
    double total = 0, run = 0;
    for (int64_t j = 0; j < r; j++) total += (double)sigma[j] * align[j];
    json_t *a = json_array();
    for (int64_t j = 0; a && j < r; j++) {
        run += (double)sigma[j] * align[j];
        json_array_append_new(a, total != 0 ? json_real(run / total) : json_null());
    }
    return a;
}

static json_t *float_array(const float *v, int64_t n)
{
    json_t *a = json_array();
    for (int64_t i = 0; a && i < n; i++)
        json_array_append_new(a, gk_json_num(v[i]));
    return a;
}

/* Class names of items idx[0..n). */
static json_t *item_names(const gk_analyze_input *in, const int64_t *idx, int64_t n)
{
    json_t *a = json_array();
    char buf[32];
    for (int64_t i = 0; a && i < n; i++) {
        const int32_t c = in->labels[idx[i]];
        if (in->class_names) json_array_append_new(a, json_string(in->class_names[c]));
        else snprintf(buf, sizeof buf, "class %d", (int)c), json_array_append_new(a, json_string(buf));
    }
    return a;
}

static int top_items(const gk_analyze_input *in, const gk_analyze_opts *o, const gk_comet *m,
                     int64_t k, json_t *comet)
{
    const int64_t K = gk_comet_k(m), ntop = o->n_top < in->views[0]->rows ? o->n_top
                                                                          : in->views[0]->rows;
    int64_t *top = gk_malloc((size_t)(K * ntop) * sizeof *top);
    int64_t *bottom = gk_malloc((size_t)(K * ntop) * sizeof *bottom);
    int rc = GK_OK;
    if (!top || !bottom) GK_FAIL_GOTO(rc, GK_ENOMEM, done, "analyze: out of memory");
    GK_TRY_GOTO(rc, gk_comet_extremes(m, 0, in->views[0], ntop, top, bottom), done);
    json_t *list = json_array();
    for (int64_t j = 0; j < k && j < TOP_AXES; j++)
        json_array_append_new(list, json_pack("{s:I, s:i, s:o, s:o}", "axis", (json_int_t)j + 1,
                                              "side", 0, "top", item_names(in, top + j * ntop, ntop),
                                              "bottom", item_names(in, bottom + j * ntop, ntop)));
    json_object_set_new(comet, "top_items", list);
done:
    gk_free(top);
    gk_free(bottom);
    return rc;
}

int analyze_comet(const gk_analyze_input *in, const gk_analyze_opts *o, json_t *doc,
                  int64_t *k_shared)
{
    const gk_mat *X = in->views[0], *Y = in->views[1], *views[2] = {X, Y};
    gk_comet *m = NULL;
    gk_align *fit = NULL;
    gk_k_choice how = {0};
    gk_align_opts ko = gk_align_opts_default(GK_ALIGN_COMET);
    ko.k = 0, ko.k_rule = GK_K_SHARED, ko.permutations = o->n_perm, ko.alpha = o->alpha;
    int rc;
    /* k = shared as comet fit --k shared resolves it; the report shows every axis */
    GK_TRY_GOTO(rc, gk_transform_fit(&ko, views, 2, NULL, o->seed, &fit, &how), done);
    GK_TRY_GOTO(rc, gk_comet_fit(X, Y, 0, &m), done);
    const int64_t r = gk_comet_rank(m), k = how.k;
    *k_shared = how.n_shared;
    char rule[160];
    snprintf(rule, sizeof rule, "step-down permutation test, alpha %g, %d permutations "
             "(p resolution 1/(B+1) = %.3g)%s", o->alpha, o->n_perm, 1.0 / (o->n_perm + 1),
             *k_shared ? "" : " (no axis passed; 1 shown)");
    const float *align = gk_comet_align(m);
    json_t *comet = json_pack("{s:I, s:I, s:s, s:o, s:o}", "k", (json_int_t)k, "shared_axes",
                              (json_int_t)*k_shared, "k_rule", rule, "sigma",
                              float_array(gk_comet_sigma(m), r), "corr",
                              float_array(gk_comet_corr(m), gk_comet_k(m)));
    json_object_set_new(comet, "p_resolution", json_real(1.0 / (o->n_perm + 1)));
    json_object_set_new(comet, "p_values", analyze_json_reals(how.p, how.n_p));
    if (align) json_object_set_new(comet, "align", float_array(align, r));
    if (align) json_object_set_new(comet, "net_cum", net_cumulative(gk_comet_sigma(m), align, r));
    json_object_set_new(doc, "comet", comet);
    if (in->labels) GK_TRY_GOTO(rc, top_items(in, o, m, k, comet), done);
done:
    gk_k_choice_free(&how);
    gk_align_free(fit);
    gk_comet_free(m);
    return rc == GK_OK ? rc : gk_error_prepend(rc, "analyze: COMET");
}
