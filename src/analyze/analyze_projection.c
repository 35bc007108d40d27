/*
** analyze_projection.c — the report's "projection": views 0 and 1 on the
** two leading axes of their joint scatter, before any transform and after
** the best one of the comparison, fitted (as there) on the train items only
** and applied to every row.
*/
#include <stdio.h>

#include "analyze_internal.h"
#include "core/error_internal.h"

static json_t *points(const float *xy, int64_t n)
{
    json_t *a = json_array();
    for (int64_t i = 0; a && i < n; i++)
        json_array_append_new(a, json_pack("[f, f]", (double)xy[2 * i], (double)xy[2 * i + 1]));
    return a;
}

static int panel(const gk_mat *X, const gk_mat *Y, int64_t max_points, json_t **out)
{
    gk_projection2 *p;
    GK_TRY(gk_projection2_joint(X, Y, max_points, &p));
    *out = json_pack("{s:o, s:o, s:[f, f]}", "x", points(p->x, p->n_x), "y", points(p->y, p->n_y),
                     "variance_share", p->var_share[0], p->var_share[1]);
    gk_projection2_free(p);
    return GK_OK;
}

/* Both views after `m` fitted on the train rows of every view; *m becomes the
** fitted model's options (COMET's k as the fit chose it). */
static int transformed(const gk_analyze_input *in, const gk_analyze_opts *o,
                       const gk_split *split, gk_align_opts *m, gk_mat **x2, gk_mat **y2)
{
    gk_mat *train[GK_ALIGN_MAX_VIEWS] = {0};
    gk_align *a = NULL;
    int rc = GK_OK;
    for (int v = 0; v < in->n_views && rc == GK_OK; v++)
        rc = gk_mat_select_rows(in->views[v], split->train, split->n_train, &train[v]);
    /* the fit compare made: same rows, same rule, so the same k */
    if (rc == GK_OK)
        rc = gk_transform_fit(m, (const gk_mat *const *)train, in->n_views, NULL, o->seed, &a,
                              NULL);
    if (rc == GK_OK) rc = gk_align_apply_pair(a, in->views[0], in->views[1], x2, y2);
    if (rc == GK_OK) *m = *gk_align_get_opts(a); /* with the k the fit chose */
    for (int v = 0; v < in->n_views; v++) gk_mat_free(train[v]);
    gk_align_free(a);
    return rc;
}

int analyze_projection(const gk_analyze_input *in, const gk_analyze_opts *o,
                       const gk_split *split, const gk_align_opts *best, json_t *doc)
{
    json_t *before = NULL, *after = NULL;
    gk_mat *x2 = NULL, *y2 = NULL;
    gk_align_opts m = best ? *best : gk_align_opts_default(GK_ALIGN_IDENTITY);
    char name[128];
    int rc = panel(in->views[0], in->views[1], o->max_points, &before);
    if (rc == GK_OK) rc = transformed(in, o, split, &m, &x2, &y2);
    if (rc == GK_OK) rc = panel(x2, y2, o->max_points, &after);
    gk_mat_free(x2);
    gk_mat_free(y2);
    if (rc != GK_OK) {
        json_decref(before);
        return gk_error_prepend(rc, "analyze: projection");
    }
    gk_align_opts_string(&m, name, sizeof name);
    json_object_set_new(doc, "projection",
                        json_pack("{s:s, s:o, s:o, s:s}", "method",
                                  "PCA of the joint rows of both views (all rows); the "
                                  "transform fitted on the train items", "before", before,
                                  "after", after, "after_transform", name));
    return GK_OK;
}
