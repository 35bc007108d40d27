/*
** align_load.c — reading a transform from a gapkit model file: kind "align"
** (header members method, params, n_views, n_fit, views[], memory_rows,
** diagnostic; docs/model-format.md) or kind "comet" (any COMET model; its
** optional "transform" member gives the axes and weight to apply).
** Every size in the header is checked against the others and against the
** file's size before anything is allocated.
*/
#include <jansson.h>
#include <string.h>

#include "core/error_internal.h"
#include "align_internal.h"
#include "gapkit/io.h"
#include "io/model_file_internal.h"

typedef struct al_src {
    const char *path;
    uint64_t cap; /* floats the file can hold */
} al_src;

static int method_of(const al_src *s, const char *name, gk_align_method *m)
{
    for (int i = 0; i < GK_ALIGN_N_METHODS; i++)
        if (!strcmp(name, gk_align_method_name((gk_align_method)i))) {
            *m = (gk_align_method)i;
            return GK_OK;
        }
    return gk_set_error(GK_EFORMAT, "%s: unknown method \"%s\"", s->path, name);
}

static int weight_of(const al_src *s, const char *name, gk_comet_weight *w)
{
    GK_FAIL_IF(gk_comet_weight_parse(name, w) != GK_OK, GK_EFORMAT, "%s: header.json: %s",
               s->path, gk_last_error());
    return GK_OK;
}

/* A saved k rule; files written before the rule was recorded say nothing: fixed. */
static gk_k_rule k_rule_of(const char *name)
{
    return !strcmp(name, "auto") ? GK_K_AUTO : !strcmp(name, "shared") ? GK_K_SHARED
                                                                       : GK_K_FIXED;
}

static int parse_params(const al_src *s, json_t *p, gk_align_opts *o)
{
    json_error_t err;
    const char *w = NULL, *rule = "fixed"; /* files before k_rule: k as given */
    json_int_t m, k, topk;
    GK_FAIL_IF(json_unpack_ex(p, &err, 0, "{s:i, s:F, s:I, s:I, s?s, s:F, s:s, s:F, s:I}",
                              "anchor", &o->anchor, "lambda", &o->lambda, "m", &m, "k", &k,
                              "k_rule", &rule, "ridge", &o->ridge, "weight", &w, "temp",
                              &o->temperature, "topk", &topk),
               GK_EFORMAT, "%s: header.json params: %s", s->path, err.text);
    o->m = m, o->k = k, o->topk = topk;
    o->k_rule = k_rule_of(rule);
    return weight_of(s, w, &o->weight);
}

/* One views[] entry: sizes and which arrays exist. */
static int parse_view(const al_src *s, json_t *j, int v, al_view *w, int flags[3])
{
    json_error_t err;
    json_int_t d, dout;
    GK_FAIL_IF(json_unpack_ex(j, &err, 0, "{s:I, s:I, s:b, s:b, s:b}", "dim", &d, "out_dim", &dout,
                              "offset", &flags[0], "proj", &flags[1], "scale", &flags[2]),
               GK_EFORMAT, "%s: header.json views[%d]: %s", s->path, v, err.text);
    const int stored = flags[0] || flags[1] || flags[2]; /* else only sizes, no arrays */
    GK_FAIL_IF(d < 1 || dout < 1 || d > INT32_MAX || dout > INT32_MAX ||
               (stored && ((uint64_t)d > s->cap || (uint64_t)dout > s->cap)) ||
               (flags[1] && (uint64_t)d > s->cap / (uint64_t)dout) || (!flags[1] && d != dout),
               GK_EFORMAT, "%s: header.json views[%d]: dims (%lld, %lld) do not fit the file",
               s->path, v, (long long)d, (long long)dout);
    w->d = d;
    w->d_out = dout;
    return GK_OK;
}

static int read_view(const al_src *s, int v, al_view *w, const int flags[3])
{
    char name[32];
    GK_TRY(al_view_alloc(w, flags[0], flags[1] ? w->d_out : 0, flags[2]));
    snprintf(name, sizeof name, "offset_%d", v);
    if (w->offset) GK_TRY(gk_model_read_array(s->path, name, 1, w->d, w->offset));
    snprintf(name, sizeof name, "proj_%d", v);
    if (w->proj) GK_TRY(gk_model_read_array(s->path, name, w->d, w->d_out, w->proj));
    snprintf(name, sizeof name, "scale_%d", v);
    if (w->scale) GK_TRY(gk_model_read_array(s->path, name, 1, w->d_out, w->scale));
    return GK_OK;
}

static int read_views(const al_src *s, json_t *views, gk_align *a)
{
    for (int v = 0; v < a->n_views; v++) {
        int flags[3];
        GK_TRY(parse_view(s, json_array_get(views, (size_t)v), v, &a->view[v], flags));
        GK_TRY(read_view(s, v, &a->view[v], flags));
    }
    return GK_OK;
}

static int read_extras(const al_src *s, gk_align *a, json_int_t n_mem, json_int_t n_diag)
{
    const int64_t d = a->view[a->opts.anchor].d;
    GK_FAIL_IF(n_mem < 0 || n_diag < 0 || (uint64_t)n_diag > s->cap ||
               (n_mem && (uint64_t)n_mem > s->cap / (uint64_t)d) ||
               (a->opts.method == GK_ALIGN_PROJDEC) != (n_mem > 0), GK_EFORMAT,
               "%s: header.json: memory_rows %lld / diagnostic length %lld do not fit",
               s->path, (long long)n_mem, (long long)n_diag);
    if (n_mem) {
        a->memory = gk_malloc((size_t)n_mem * (size_t)d * sizeof(float));
        GK_FAIL_IF(!a->memory, GK_ENOMEM, "align load: out of memory");
        a->n_mem = n_mem, a->d_mem = d;
        GK_TRY(gk_model_read_array(s->path, "memory", n_mem, d, a->memory));
    }
    if (n_diag) {
        GK_TRY(al_diag_alloc(a, n_diag));
        GK_TRY(gk_model_read_array(s->path, "diag", 1, n_diag, a->diag));
    }
    return GK_OK;
}

static int load_align(const al_src *s, json_t *h, gk_align **out)
{
    json_error_t err;
    const char *method;
    json_t *params, *views;
    json_int_t n_fit, n_mem, n_diag;
    int M;
    GK_FAIL_IF(json_unpack_ex(h, &err, 0, "{s:s, s:o, s:i, s:I, s:o, s:I, s:{s:I}}", "method",
                              &method, "params", &params, "n_views", &M, "n_fit", &n_fit,
                              "views", &views, "memory_rows", &n_mem, "diagnostic", "length",
                              &n_diag),
               GK_EFORMAT, "%s: header.json: %s", s->path, err.text);
    gk_align_opts o = gk_align_opts_default(GK_ALIGN_IDENTITY);
    GK_TRY(method_of(s, method, &o.method));
    GK_TRY(parse_params(s, params, &o));
    GK_FAIL_IF(M < 2 || M > GK_ALIGN_MAX_VIEWS || !json_is_array(views) ||
               json_array_size(views) != (size_t)M || o.anchor < 0 || o.anchor >= M ||
               n_fit < 2, GK_EFORMAT, "%s: header.json: inconsistent n_views, views, anchor or "
               "n_fit", s->path);
    int64_t dims[GK_ALIGN_MAX_VIEWS] = {0};
    GK_TRY(al_create(&o, M, dims, n_fit, out));
    int rc = read_views(s, views, *out);
    if (rc == GK_OK) rc = read_extras(s, *out, n_mem, n_diag);
    return rc;
}

/* A COMET file: the model plus its optional "transform" apply settings. */
static int load_comet(const al_src *s, json_t *h, gk_align **out)
{
    gk_comet *c = NULL;
    json_int_t k = 0;
    const char *w = "none", *rule = "fixed";
    json_t *t = json_object_get(h, "transform");
    json_error_t err;
    GK_FAIL_IF(t && json_unpack_ex(t, &err, 0, "{s?I, s?s, s?s}", "k", &k, "k_rule", &rule,
                                   "weight", &w),
               GK_EFORMAT, "%s: header.json transform: %s", s->path, err.text);
    gk_align_opts o = gk_align_opts_default(GK_ALIGN_COMET);
    o.k_rule = k_rule_of(rule);
    GK_TRY(weight_of(s, w, &o.weight));
    GK_TRY(gk_comet_load(s->path, &c));
    int64_t dims[2] = {gk_comet_dim(c, 0), gk_comet_dim(c, 1)};
    o.anchor = 1;
    int rc = al_create(&o, 2, dims, gk_comet_n_fit(c), out);
    if (rc != GK_OK) {
        gk_comet_free(c);
        return rc;
    }
    (*out)->comet = c;
    (*out)->comet_k = gk_comet_k(c);
    rc = gk_align_set_comet(*out, k, o.weight); /* also builds the affine views */
    if (rc == GK_OK) rc = al_diag_alloc(*out, (*out)->comet_k);
    if (rc == GK_OK) memcpy((*out)->diag, gk_comet_sigma(c), (size_t)(*out)->comet_k * 4);
    return rc != GK_OK ? gk_error_prepend(rc, s->path) : GK_OK;
}

/* A kind "head" file: trained heads (train.h) as a transform. */
static int load_heads(const char *path, gk_align **out)
{
    gk_heads *h = NULL;
    GK_TRY(gk_heads_load(path, &h));
    return al_from_heads(h, out);
}

int gk_align_load(const char *path, gk_align **out)
{
    char kind[32];
    json_t *h = NULL;
    GK_FAIL_IF(!path || !out, GK_EARG, "align load: NULL argument");
    *out = NULL;
    al_src s = {path, 0};
    GK_TRY(gk_model_header(path, kind, sizeof kind, &h, &s.cap));
    int rc;
    if (!strcmp(kind, "align")) rc = load_align(&s, h, out);
    else if (!strcmp(kind, "comet")) rc = load_comet(&s, h, out);
    else if (!strcmp(kind, "head")) rc = load_heads(path, out);
    else rc = gk_set_error(GK_EFORMAT, "%s: a model of kind \"%s\"; transforms are kinds "
                           "\"align\", \"comet\" and \"head\"", path, kind);
    json_decref(h);
    if (rc == GK_OK && !((*out)->source = gk_malloc(strlen(path) + 1)))
        rc = gk_set_error(GK_ENOMEM, "align load: out of memory");
    if (rc == GK_OK) memcpy((*out)->source, path, strlen(path) + 1);
    if (rc != GK_OK) {
        gk_align_free(*out);
        *out = NULL;
    }
    return rc;
}
