/*
** head_io.c — trained heads as a gapkit model file of kind "head"
** (docs/model-format.md): header members head, n_views, dims, dim, n_fit;
** arrays per view V: w1_V (Din,D), b1_V (1,D) and, for mlp, w2_V (D,D),
** b2_V, ln_g_V, ln_b_V (1,D); log_scale (1,1) = t, s = e^t.
*/
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "core/error_internal.h"
#include "gapkit/io.h"
#include "io/model_file_internal.h"
#include "train_internal.h"

#define HD_ARRAYS 6 /* per view, at most */

static const char *const array_names[HD_ARRAYS] = {"w1", "b1", "w2", "b2", "ln_g", "ln_b"};

/* The arrays of view v: pointers into `base`, rows and columns. */
static int view_arrays(const gk_heads *h, float *base, int v, float **ptr, int64_t *rows,
                       int64_t *cols)
{
    hd_tensors t = hd_tensors_of(h, base, v);
    float *p[HD_ARRAYS] = {t.w1, t.b1, t.w2, t.b2, t.g, t.be};
    const int n = h->kind == GK_HEAD_MLP ? 6 : 2;
    for (int i = 0; i < n; i++) {
        ptr[i] = p[i];
        rows[i] = i == 0 ? h->din[v] : i == 2 ? h->dim : 1;
        cols[i] = h->dim;
    }
    return n;
}

static char *header_fields(const gk_heads *h)
{
    json_t *dims = json_array();
    for (int v = 0; dims && v < h->n_views; v++) json_array_append_new(dims, json_integer(h->din[v]));
    json_t *j = json_pack("{s:s, s:i, s:o, s:I, s:I, s:f}", "head", gk_head_kind_name(h->kind),
                          "n_views", h->n_views, "dims", dims, "dim", (json_int_t)h->dim,
                          "n_fit", (json_int_t)h->n_fit, "layer_norm_eps", HD_LN_EPS);
    char *s = j ? json_dumps(j, JSON_INDENT(1)) : NULL;
    json_decref(j);
    return s;
}

int gk_heads_save(const gk_heads *h, const char *path)
{
    GK_FAIL_IF(!h || !path, GK_EARG, "heads save: NULL argument");
    const int cap = HD_ARRAYS * GK_TRAIN_MAX_VIEWS + 1;
    gk_npz_entry e[HD_ARRAYS * GK_TRAIN_MAX_VIEWS + 1];
    gk_mat m[HD_ARRAYS * GK_TRAIN_MAX_VIEWS + 1];
    char names[HD_ARRAYS * GK_TRAIN_MAX_VIEWS + 1][16];
    int n = 0;
    for (int v = 0; v < h->n_views; v++) {
        float *p[HD_ARRAYS];
        int64_t rows[HD_ARRAYS], cols[HD_ARRAYS];
        const int k = view_arrays(h, h->params, v, p, rows, cols);
        for (int i = 0; i < k && n < cap; i++, n++) {
            snprintf(names[n], sizeof names[n], "%s_%d", array_names[i], v);
            m[n] = (gk_mat){p[i], rows[i], cols[i], cols[i], 1, NULL};
            e[n] = (gk_npz_entry){names[n], &m[n]};
        }
    }
    m[n] = (gk_mat){h->params + h->n_params - 1, 1, 1, 1, 1, NULL};
    e[n] = (gk_npz_entry){"log_scale", &m[n]};
    n++;
    char *fields = header_fields(h);
    GK_FAIL_IF(!fields, GK_ENOMEM, "heads save: out of memory");
    int rc = gk_model_write(path, "head", fields, e, n);
    free(fields);
    return rc;
}

/* Sizes from the header, checked against each other and the file size. */
static int parse_header(const char *path, json_t *j, uint64_t cap, gk_heads **out)
{
    json_error_t err;
    const char *kind;
    json_t *dims;
    json_int_t dim, n_fit;
    int M;
    GK_FAIL_IF(json_unpack_ex(j, &err, 0, "{s:s, s:i, s:o, s:I, s:I}", "head", &kind, "n_views",
                              &M, "dims", &dims, "dim", &dim, "n_fit", &n_fit),
               GK_EFORMAT, "%s: header.json: %s", path, err.text);
    gk_head_kind k;
    GK_FAIL_IF(gk_head_kind_parse(kind, &k) != GK_OK, GK_EFORMAT, "%s: header.json head "
               "\"%s\"; expected linear or mlp", path, kind);
    GK_FAIL_IF(M < 2 || M > GK_TRAIN_MAX_VIEWS || !json_is_array(dims) ||
               json_array_size(dims) != (size_t)M || dim < 1 || (uint64_t)dim > cap ||
               n_fit < 0, GK_EFORMAT, "%s: header.json: inconsistent n_views, dims or dim", path);
    int64_t d[GK_TRAIN_MAX_VIEWS];
    uint64_t total = 0;
    for (int v = 0; v < M; v++) {
        json_t *x = json_array_get(dims, (size_t)v);
        d[v] = json_is_integer(x) ? json_integer_value(x) : 0;
        GK_FAIL_IF(d[v] < 1 || (uint64_t)d[v] > cap / (uint64_t)dim, GK_EFORMAT,
                   "%s: header.json dims[%d] does not fit the file", path, v);
        total += hd_view_size(k, d[v], dim);
        GK_FAIL_IF(total > cap, GK_EFORMAT, "%s: header.json: the heads are larger than the "
                   "file", path);
    }
    GK_TRY(hd_heads_alloc(k, M, d, dim, out));
    (*out)->n_fit = n_fit;
    return GK_OK;
}

static int read_arrays(const char *path, gk_heads *h)
{
    char name[32];
    for (int v = 0; v < h->n_views; v++) {
        float *p[HD_ARRAYS];
        int64_t rows[HD_ARRAYS], cols[HD_ARRAYS];
        const int k = view_arrays(h, h->params, v, p, rows, cols);
        for (int i = 0; i < k; i++) {
            snprintf(name, sizeof name, "%s_%d", array_names[i], v);
            GK_TRY(gk_model_read_array(path, name, rows[i], cols[i], p[i]));
        }
    }
    return gk_model_read_array(path, "log_scale", 1, 1, h->params + h->n_params - 1);
}

int gk_heads_load(const char *path, gk_heads **out)
{
    char kind[32];
    json_t *j = NULL;
    uint64_t n_floats;
    GK_FAIL_IF(!path || !out, GK_EARG, "heads load: NULL argument");
    *out = NULL;
    GK_TRY(gk_model_header(path, kind, sizeof kind, &j, &n_floats));
    int rc;
    if (strcmp(kind, "head"))
        rc = gk_set_error(GK_EFORMAT, "%s: a model of kind \"%s\"; heads are kind \"head\"",
                          path, kind);
    else rc = parse_header(path, j, n_floats, out);
    json_decref(j);
    if (rc == GK_OK) rc = read_arrays(path, *out);
    if (rc != GK_OK) {
        gk_heads_free(*out);
        *out = NULL;
    }
    return rc;
}
