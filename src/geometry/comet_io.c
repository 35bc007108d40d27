/*
** comet_io.c — saving and loading a COMET model as a versioned .npz
** (format "gapkit-model", version 1, kind "comet"; docs/model-format.md)
** through the model container of the io module (gk_model_*).
** Arrays are float32; vectors are stored as (1,L) arrays.
*/
#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/error_internal.h"
#include "comet_internal.h"
#include "gapkit/io.h"
#include "io/model_file_internal.h"

#define COMET_FORMAT GK_MODEL_FORMAT
#define COMET_VERSION GK_MODEL_VERSION

static gk_mat vec_view(float *data, int64_t rows, int64_t cols)
{
    gk_mat v = {data, rows, cols, cols, 1, NULL};
    return v;
}

/* The kind's header members merged with `extra`; caller frees with free(). */
static char *header_fields(const gk_comet *m, const char *extra)
{
    json_error_t err;
    json_t *h = json_pack("{s:I, s:I, s:I, s:[I,I], s:b, s:f, s:f, s:s}", "n_fit",
                          (json_int_t)m->n_fit, "k", (json_int_t)m->k, "r", (json_int_t)m->r,
                          "dims", (json_int_t)m->dt, (json_int_t)m->da, "has_align",
                          m->align != NULL, "t_total_energy", m->t_total, "a_total_energy",
                          m->a_total, "sign_rule", "svd_flip_u");
    json_t *x = extra ? json_loads(extra, 0, &err) : NULL;
    char *s = NULL;
    if (h && (!extra || (json_is_object(x) && !json_object_update_missing(h, x))))
        s = json_dumps(h, JSON_INDENT(1) | JSON_REAL_PRECISION(17));
    json_decref(h);
    json_decref(x);
    return s;
}

int gk_comet_save_ex(const gk_comet *m, const char *path, const char *extra)
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
    char *fields = header_fields(m, extra);
    GK_FAIL_IF(!fields, extra ? GK_EARG : GK_ENOMEM, "comet save: cannot build the header "
               "(extra members must be a JSON object)");
    int rc = gk_model_write(path, "comet", fields, e, m->align ? 9 : 8);
    free(fields);
    return rc;
}

int gk_comet_save(const gk_comet *m, const char *path) { return gk_comet_save_ex(m, path, NULL); }

/*====  load  ====*/

/* Where a model is read from: a file (path) or bytes in memory (buf). */
typedef struct model_src {
    const char *name; /* for messages: the path, or the caller's name */
    const char *path; /* NULL when reading from buf */
    const void *buf;
    size_t len;       /* size of the archive in bytes (bounds the header's sizes) */
} model_src;

/* Reads member `name`, checks it is (rows, cols), copies it into dst. */
static int read_array(const model_src *s, const char *name, int64_t rows, int64_t cols,
                      float *dst)
{
    if (s->path) return gk_model_read_array(s->path, name, rows, cols, dst);
    return gk_model_read_array_mem(s->buf, s->len, s->name, name, rows, cols, dst);
}

/* Header fields of a model file. */
typedef struct comet_header {
    json_int_t n_fit, k, r, dt, da;
    int has_align;
    double t_total, a_total;
} comet_header;

/* The sizes must agree with each other and, before anything is allocated for
** them, with the archive: U (D_T,K) and V (D_A,K) are stored in it as float32. */
static int check_sizes(const model_src *s, const comet_header *h)
{
    uint64_t cap = s->len / sizeof(float); /* floats the archive can hold */
    GK_FAIL_IF(h->k < 1 || h->r < h->k || h->dt < h->r || h->da < h->r || h->n_fit < 2,
               GK_EFORMAT, "%s: header.json has inconsistent sizes: k = %lld, r = %lld, dims "
               "[%lld, %lld], n_fit = %lld; expected 1 <= k <= r <= both dims and n_fit >= 2",
               s->name, (long long)h->k, (long long)h->r, (long long)h->dt, (long long)h->da,
               (long long)h->n_fit);
    GK_FAIL_IF(h->r != (h->dt < h->da ? h->dt : h->da) || h->has_align != (h->dt == h->da),
               GK_EFORMAT, "%s: header.json: r = %lld and has_align = %d do not match dims "
               "[%lld, %lld]", s->name, (long long)h->r, h->has_align, (long long)h->dt,
               (long long)h->da);
    GK_FAIL_IF((uint64_t)h->dt > cap / (uint64_t)h->k || (uint64_t)h->da > cap / (uint64_t)h->k,
               GK_EFORMAT, "%s: header.json declares dims [%lld, %lld] with k = %lld, more "
               "than the %zu bytes of the file can hold", s->name, (long long)h->dt,
               (long long)h->da, (long long)h->k, s->len);
    return GK_OK;
}

static int parse_header(const model_src *s, const char *text, comet_header *h)
{
    json_error_t err;
    const char *format = NULL, *kind = NULL;
    int version = 0;
    json_t *j = json_loads(text, 0, &err);
    GK_FAIL_IF(!j, GK_EFORMAT, "%s: header.json is not JSON (%s, line %d)", s->name, err.text,
               err.line);
    /* another kind of model lacks the COMET fields: name the kind, not a field */
    if (!json_unpack(j, "{s:s}", "kind", &kind) && strcmp(kind, "comet") != 0) {
        int rc = gk_set_error(GK_EFORMAT, "%s: is a model of kind \"%s\", not a COMET model "
                              "(made by `gapkit comet fit`)", s->name, kind);
        json_decref(j);
        return rc;
    }
    int bad = json_unpack_ex(j, &err, 0, "{s:s, s:i, s:s, s:I, s:I, s:I, s:[I,I], s:b, s:F, s:F}",
                             "format", &format, "version", &version, "kind", &kind, "n_fit",
                             &h->n_fit, "k", &h->k, "r", &h->r, "dims", &h->dt, &h->da,
                             "has_align", &h->has_align, "t_total_energy", &h->t_total,
                             "a_total_energy", &h->a_total);
    int rc = GK_OK;
    if (bad) rc = gk_set_error(GK_EFORMAT, "%s: header.json: %s", s->name, err.text);
    else if (strcmp(format, COMET_FORMAT) != 0 || strcmp(kind, "comet") != 0)
        rc = gk_set_error(GK_EFORMAT, "%s: header.json says format \"%s\", kind \"%s\"; "
                          "expected \"" COMET_FORMAT "\", \"comet\"", s->name, format, kind);
    else if (version != COMET_VERSION)
        rc = gk_set_error(GK_EFORMAT, "%s: model version %d, this gapkit reads version %d",
                          s->name, version, COMET_VERSION);
    else
        rc = check_sizes(s, h);
    json_decref(j);
    return rc;
}

static int read_arrays(const model_src *s, gk_comet *m)
{
    GK_TRY(read_array(s, "t_mean", 1, m->dt, m->t_mean));
    GK_TRY(read_array(s, "a_mean", 1, m->da, m->a_mean));
    GK_TRY(read_array(s, "U", m->dt, m->k, m->U));
    GK_TRY(read_array(s, "V", m->da, m->k, m->V));
    GK_TRY(read_array(s, "sigma", 1, m->r, m->sigma));
    GK_TRY(read_array(s, "corr", 1, m->k, m->corr));
    GK_TRY(read_array(s, "t_var", 1, m->k, m->t_var));
    GK_TRY(read_array(s, "a_var", 1, m->k, m->a_var));
    if (m->align) GK_TRY(read_array(s, "align", 1, m->r, m->align));
    return GK_OK;
}

/* Header, size checks, then the arrays. */
static int load_model(const model_src *s, gk_comet **out)
{
    char *text = NULL;
    comet_header h;
    gk_comet *m = NULL;
    int rc;
    *out = NULL;
    if (s->path) GK_TRY(gk_npz_read_text(s->path, "header.json", &text));
    else GK_TRY(gk_npz_read_text_mem(s->buf, s->len, "header.json", s->name, &text));
    GK_TRY_GOTO(rc, parse_header(s, text, &h), cleanup);
    GK_TRY_GOTO(rc, comet_alloc(h.dt, h.da, h.k, h.r, h.has_align, &m), cleanup);
    m->n_fit = h.n_fit;
    m->t_total = h.t_total;
    m->a_total = h.a_total;
    GK_TRY_GOTO(rc, read_arrays(s, m), cleanup);
    *out = m;
    m = NULL;
cleanup:
    gk_free(text);
    gk_comet_free(m);
    return rc;
}

int gk_comet_load(const char *path, gk_comet **out)
{
    struct stat st;
    GK_FAIL_IF(!path || !out, GK_EARG, "comet load: NULL argument");
    *out = NULL;
    GK_FAIL_IF(stat(path, &st) != 0, GK_EIO, "%s: cannot open: %s", path, strerror(errno));
    model_src s = {path, path, NULL, (size_t)st.st_size};
    return load_model(&s, out);
}

int gk_comet_load_mem(const void *buf, size_t len, const char *name, gk_comet **out)
{
    const char *nm = name ? name : "<memory>";
    GK_FAIL_IF(!out || (!buf && len), GK_EARG, "%s: gk_comet_load_mem: NULL argument", nm);
    model_src s = {nm, NULL, buf ? buf : "", len};
    return load_model(&s, out);
}
