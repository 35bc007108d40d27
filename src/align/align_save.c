/*
** align_save.c — writing a fitted transform as a gapkit model file
** (docs/model-format.md): kind "align" with per-view arrays offset_V,
** proj_V, scale_V, the projdec memory and the diagnostic vector; a two-view
** COMET transform is written as a kind "comet" file plus its apply settings.
*/
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>

#include "core/error_internal.h"
#include "align_internal.h"
#include "gapkit/io.h"
#include "io/model_file_internal.h"

static json_t *params_json(const gk_align_opts *o)
{
    return json_pack("{s:i, s:f, s:I, s:I, s:s, s:f, s:s, s:f, s:I}", "anchor", o->anchor,
                     "lambda", o->lambda, "m", (json_int_t)o->m, "k", (json_int_t)o->k,
                     "k_rule", gk_k_rule_name(o->k_rule), "ridge", o->ridge, "weight",
                     gk_comet_weight_name(o->weight), "temp", o->temperature, "topk",
                     (json_int_t)o->topk);
}

static json_t *views_json(const gk_align *a)
{
    json_t *arr = json_array();
    for (int v = 0; arr && v < a->n_views; v++) {
        const al_view *w = &a->view[v];
        json_t *o = json_pack("{s:I, s:I, s:b, s:b, s:b}", "dim", (json_int_t)w->d, "out_dim",
                              (json_int_t)w->d_out, "offset", w->offset != NULL, "proj",
                              w->proj != NULL, "scale", w->scale != NULL);
        if (!o || json_array_append_new(arr, o)) {
            json_decref(arr);
            return NULL;
        }
    }
    return arr;
}

/* The kind "align" header members; caller frees with free(). */
static char *align_fields(const gk_align *a)
{
    int64_t len = 0;
    const char *dname = NULL;
    gk_align_diagnostic(a, &len, &dname);
    json_t *h = json_pack("{s:s, s:o, s:i, s:I, s:o, s:I, s:{s:s?, s:I}}", "method",
                          gk_align_method_name(a->opts.method), "params", params_json(&a->opts),
                          "n_views", a->n_views, "n_fit", (json_int_t)a->n_fit, "views",
                          views_json(a), "memory_rows", (json_int_t)a->n_mem, "diagnostic",
                          "name", dname, "length", (json_int_t)len);
    char *s = h ? json_dumps(h, JSON_INDENT(1) | JSON_REAL_PRECISION(17)) : NULL;
    json_decref(h);
    return s;
}

typedef struct entries {
    gk_npz_entry e[3 * GK_ALIGN_MAX_VIEWS + 2];
    gk_mat m[3 * GK_ALIGN_MAX_VIEWS + 2];
    char names[3 * GK_ALIGN_MAX_VIEWS + 2][16];
    int n;
} entries;

static void add(entries *t, const char *name, int v, float *data, int64_t rows, int64_t cols)
{
    if (!data) return;
    if (v >= 0) snprintf(t->names[t->n], sizeof t->names[t->n], "%s_%d", name, v);
    else snprintf(t->names[t->n], sizeof t->names[t->n], "%s", name);
    t->m[t->n] = (gk_mat){data, rows, cols, cols, 1, NULL};
    t->e[t->n] = (gk_npz_entry){t->names[t->n], &t->m[t->n]};
    t->n++;
}

int al_save_comet(const gk_comet *c, int64_t k, gk_k_rule rule, gk_comet_weight w,
                  const char *path)
{
    char extra[192];
    snprintf(extra, sizeof extra, "{\"transform\": {\"method\": \"comet\", \"k\": %lld, "
             "\"k_rule\": \"%s\", \"weight\": \"%s\", \"n_views\": 2}}",
             (long long)k, gk_k_rule_name(rule), gk_comet_weight_name(w));
    return gk_comet_save_ex(c, path, extra);
}

int gk_align_save(const gk_align *a, const char *path)
{
    GK_FAIL_IF(!a || !path, GK_EARG, "align save: NULL argument");
    if (a->comet)
        return al_save_comet(a->comet, a->comet_k, a->opts.k_rule, a->opts.weight, path);
    if (a->heads) return gk_heads_save(a->heads, path);
    entries *t = gk_calloc(1, sizeof *t);
    char *fields = align_fields(a);
    int rc = GK_OK;
    if (!t || !fields) rc = gk_set_error(GK_ENOMEM, "align save: out of memory");
    for (int v = 0; rc == GK_OK && v < a->n_views; v++) {
        const al_view *w = &a->view[v];
        add(t, "offset", v, w->offset, 1, w->d);
        add(t, "proj", v, w->proj, w->d, w->d_out);
        add(t, "scale", v, w->scale, 1, w->d_out);
    }
    if (rc == GK_OK) {
        add(t, "memory", -1, a->memory, a->n_mem, a->d_mem);
        if (a->n_diag > 0) add(t, "diag", -1, a->diag, 1, a->n_diag);
        rc = gk_model_write(path, "align", fields, t->e, t->n);
    }
    free(fields);
    gk_free(t);
    return rc;
}
