/*
** align_json.c — a fitted transform as a JSON document (for `gapkit align
** fit --json`): method, parameters, views and the method's diagnostic.
*/
#include <jansson.h>

#include "core/error_internal.h"
#include "core/json_internal.h"
#include "align_internal.h"

static json_t *dims_json(const gk_align *a, int out)
{
    json_t *arr = json_array();
    for (int v = 0; arr && v < a->n_views; v++)
        json_array_append_new(arr, json_integer(out ? gk_align_out_dim(a, v) : a->view[v].d));
    return arr;
}

static json_t *diag_json(const gk_align *a)
{
    int64_t len = 0;
    const char *name = NULL;
    const float *d = gk_align_diagnostic(a, &len, &name);
    json_t *vals = json_array();
    for (int64_t i = 0; vals && d && i < len; i++) json_array_append_new(vals, json_real(d[i]));
    return json_pack("{s:s?, s:o}", "name", name, "values", vals);
}

int gk_align_to_json(const gk_align *a, char **json)
{
    GK_FAIL_IF(!a || !json, GK_EARG, "align json: NULL argument");
    char spec[128];
    const int uses_anchor = a->opts.method == GK_ALIGN_PROCRUSTES ||
                            a->opts.method == GK_ALIGN_PROJDEC;
    json_t *j = json_pack("{s:s, s:s, s:i, s:I, s:o, s:o, s:o, s:I, s:o}", "method",
                          gk_align_method_name(a->opts.method), "spec",
                          gk_align_opts_string(&a->opts, spec, sizeof spec), "n_views",
                          a->n_views, "n_fit", (json_int_t)a->n_fit, "dims", dims_json(a, 0),
                          "out_dims", dims_json(a, 1), "anchor",
                          uses_anchor ? json_integer(a->opts.anchor) : json_null(),
                          "memory_rows", (json_int_t)a->n_mem, "diagnostic", diag_json(a));
    return gk_json_finish(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(10),
                          "align json", json);
}
