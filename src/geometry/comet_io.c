/*
** comet_io.c — saving and loading a COMET model as a versioned .npz
** (format "gapkit-model", version 1, kind "comet"; docs/model-format.md).
** Arrays are float32; vectors are stored as (1,L) arrays.
*/
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "core/error_internal.h"
#include "comet_internal.h"
#include "gapkit/io.h"

#define COMET_FORMAT "gapkit-model"
#define COMET_VERSION 1

static gk_mat vec_view(float *data, int64_t rows, int64_t cols)
{
    gk_mat v = {data, rows, cols, cols, 1, NULL};
    return v;
}

/* The JSON header; caller frees with free(). */
static char *header_json(const gk_comet *m)
{
    json_t *h = json_pack("{s:s, s:i, s:s, s:I, s:I, s:I, s:[I,I], s:b, s:f, s:f, s:s}",
                          "format", COMET_FORMAT, "version", COMET_VERSION, "kind", "comet",
                          "n_fit", (json_int_t)m->n_fit, "k", (json_int_t)m->k, "r",
                          (json_int_t)m->r, "dims", (json_int_t)m->dt, (json_int_t)m->da,
                          "has_align", m->align != NULL, "t_total_energy", m->t_total,
                          "a_total_energy", m->a_total, "sign_rule", "svd_flip_u");
    if (!h) return NULL;
    char *s = json_dumps(h, JSON_INDENT(1) | JSON_REAL_PRECISION(17));
    json_decref(h);
    return s;
}

int gk_comet_save(const gk_comet *m, const char *path)
{
    GK_FAIL_IF(!m || !path, GK_EARG, "comet save: NULL argument");
    gk_mat a[9] = {
        vec_view(m->t_mean, 1, m->dt), vec_view(m->a_mean, 1, m->da),
        vec_view(m->U, m->dt, m->k),   vec_view(m->V, m->da, m->k),
        vec_view(m->sigma, 1, m->r),   vec_view(m->corr, 1, m->k),
        vec_view(m->t_var, 1, m->k),   vec_view(m->a_var, 1, m->k),
        vec_view(m->align, 1, m->r),
    };
    gk_npz_entry e[9] = {{"t_mean", &a[0]}, {"a_mean", &a[1]}, {"U", &a[2]},
                         {"V", &a[3]},      {"sigma", &a[4]},  {"corr", &a[5]},
                         {"t_var", &a[6]},  {"a_var", &a[7]},  {"align", &a[8]}};
    char *json = header_json(m);
    GK_FAIL_IF(!json, GK_ENOMEM, "comet save: out of memory for the header");
    int rc = gk_npz_write(path, e, m->align ? 9 : 8, json);
    free(json);
    return rc;
}

/*====  load  ====*/

/* Reads member `name`, checks it is (rows, cols), copies it into dst. */
static int read_array(const char *path, const char *name, int64_t rows, int64_t cols,
                      float *dst)
{
    gk_mat *a = NULL;
    GK_TRY(gk_npz_read(path, name, &a));
    int ok = a->rows == rows && a->cols == cols;
    if (ok)
        for (int64_t i = 0; i < rows; i++)
            for (int64_t j = 0; j < cols; j++) dst[i * cols + j] = gk_mat_at(a, i, j);
    int64_t ar = a->rows, ac = a->cols;
    gk_mat_free(a);
    GK_FAIL_IF(!ok, GK_EFORMAT, "%s: array %s is (%lld, %lld), expected (%lld, %lld)", path,
               name, (long long)ar, (long long)ac, (long long)rows, (long long)cols);
    return GK_OK;
}

/* Header fields of a model file. */
typedef struct comet_header {
    json_int_t n_fit, k, r, dt, da;
    int has_align;
    double t_total, a_total;
} comet_header;

static int parse_header(const char *path, const char *text, comet_header *h)
{
    json_error_t err;
    const char *format = NULL, *kind = NULL;
    int version = 0;
    json_t *j = json_loads(text, 0, &err);
    GK_FAIL_IF(!j, GK_EFORMAT, "%s: header.json is not JSON (%s, line %d)", path, err.text,
               err.line);
    int bad = json_unpack_ex(j, &err, 0, "{s:s, s:i, s:s, s:I, s:I, s:I, s:[I,I], s:b, s:F, s:F}",
                             "format", &format, "version", &version, "kind", &kind, "n_fit",
                             &h->n_fit, "k", &h->k, "r", &h->r, "dims", &h->dt, &h->da,
                             "has_align", &h->has_align, "t_total_energy", &h->t_total,
                             "a_total_energy", &h->a_total);
    int rc = GK_OK;
    if (bad) rc = gk_set_error(GK_EFORMAT, "%s: header.json: %s", path, err.text);
    else if (strcmp(format, COMET_FORMAT) != 0 || strcmp(kind, "comet") != 0)
        rc = gk_set_error(GK_EFORMAT, "%s: header.json says format \"%s\", kind \"%s\"; "
                          "expected \"" COMET_FORMAT "\", \"comet\"", path, format, kind);
    else if (version != COMET_VERSION)
        rc = gk_set_error(GK_EFORMAT, "%s: model version %d, this gapkit reads version %d",
                          path, version, COMET_VERSION);
    else if (h->k < 1 || h->r < h->k || h->dt < h->r || h->da < h->r || h->n_fit < 2)
        rc = gk_set_error(GK_EFORMAT, "%s: header.json has inconsistent sizes", path);
    json_decref(j);
    return rc;
}

static int read_arrays(const char *path, gk_comet *m)
{
    GK_TRY(read_array(path, "t_mean", 1, m->dt, m->t_mean));
    GK_TRY(read_array(path, "a_mean", 1, m->da, m->a_mean));
    GK_TRY(read_array(path, "U", m->dt, m->k, m->U));
    GK_TRY(read_array(path, "V", m->da, m->k, m->V));
    GK_TRY(read_array(path, "sigma", 1, m->r, m->sigma));
    GK_TRY(read_array(path, "corr", 1, m->k, m->corr));
    GK_TRY(read_array(path, "t_var", 1, m->k, m->t_var));
    GK_TRY(read_array(path, "a_var", 1, m->k, m->a_var));
    if (m->align) GK_TRY(read_array(path, "align", 1, m->r, m->align));
    return GK_OK;
}

int gk_comet_load(const char *path, gk_comet **out)
{
    char *text = NULL;
    comet_header h;
    gk_comet *m = NULL;
    int rc;
    GK_FAIL_IF(!path || !out, GK_EARG, "comet load: NULL argument");
    *out = NULL;
    GK_TRY(gk_npz_read_text(path, "header.json", &text));
    GK_TRY_GOTO(rc, parse_header(path, text, &h), cleanup);
    GK_TRY_GOTO(rc, comet_alloc(h.dt, h.da, h.k, h.r, h.has_align, &m), cleanup);
    m->n_fit = h.n_fit;
    m->t_total = h.t_total;
    m->a_total = h.a_total;
    GK_TRY_GOTO(rc, read_arrays(path, m), cleanup);
    *out = m;
    m = NULL;
cleanup:
    gk_free(text);
    gk_comet_free(m);
    return rc;
}
