/*
** inspect_json.c — the JSON document of gk_inspect results (jansson):
**   {"files": [{"file", "shape", "file_shape", "view", "format", "dtype",
**               "byte_order", "order", "mmapped", "nan", "inf", "zero_rows",
**               "row_norm": {"min", "mean", "max"}, "duplicate_rows"}, ...]}
** Non-finite statistics are written as null.
*/
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/error_internal.h"
#include "core/json_internal.h"
#include "io_internal.h"

static json_t *shape_json(const int64_t *dims, int n)
{
    json_t *a = json_array();
    for (int i = 0; a && i < n; i++) json_array_append_new(a, json_integer(dims[i]));
    return a;
}

static json_t *inspect_object(const gk_inspect *r)
{
    int64_t shape[2] = {r->rows, r->cols};
    json_t *norm = json_pack("{s:o, s:o, s:o}", "min", gk_json_num(r->norm_min), "mean",
                             gk_json_num(r->norm_mean), "max", gk_json_num(r->norm_max));
    json_t *o = json_pack("{s:o, s:o, s:o, s:s, s:s, s:s, s:s, s:b}", "file",
                          gk_json_text(r->spec ? r->spec : ""), "shape", shape_json(shape, 2), "file_shape",
                          shape_json(r->info.shape, r->info.ndim), "format", r->info.format,
                          "dtype", r->info.dtype, "byte_order", r->info.byte_order, "order",
                          r->info.fortran_order ? "F" : "C", "mmapped", r->info.mmapped);
    if (!o || !norm) {
        json_decref(o);
        json_decref(norm);
        return NULL;
    }
    json_object_set_new(o, "view", r->info.view >= 0 ? json_integer(r->info.view) : json_null());
    json_object_set_new(o, "nan", json_integer(r->n_nan));
    json_object_set_new(o, "inf", json_integer(r->n_inf));
    json_object_set_new(o, "zero_rows", json_integer(r->n_zero_rows));
    json_object_set_new(o, "row_norm", norm);
    json_object_set_new(o, "duplicate_rows", json_integer(r->n_duplicate_rows));
    return o;
}

int gk_inspect_json(const gk_inspect *r, int64_t count, char **json)
{
    GK_FAIL_IF(!json || count < 0 || (count && !r), GK_EARG,
               "gk_inspect_json: expected results and an output pointer");
    *json = NULL;
    json_t *files = json_array();
    for (int64_t i = 0; files && i < count; i++)
        if (json_array_append_new(files, inspect_object(&r[i])) != 0) {
            json_decref(files);
            files = NULL;
        }
    json_t *doc = files ? json_pack("{s:o}", "files", files) : NULL;
    return gk_json_finish(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER, "inspect json", json);
}
