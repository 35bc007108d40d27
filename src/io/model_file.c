/*
** model_file.c — the container shared by every fitted model gapkit saves
** (docs/model-format.md): an .npz of float32 arrays plus a member
** header.json {"format":"gapkit-model","version":1,"kind":KIND,…}.  This
** file writes and checks the container; each kind (comet, align) parses
** its own header members.
*/
#include <errno.h>
#include <jansson.h>
#include <sys/stat.h>
#include <stdlib.h>
#include <string.h>

#include "core/error_internal.h"
#include "io_internal.h"
#include "io/model_file_internal.h"

/* header = {format, version, kind} followed by the members of `fields`;
** *out made by json_dumps (free with free()). */
static int compose_header(const char *kind, const char *fields, char **out)
{
    json_error_t err;
    json_t *h = json_pack("{s:s, s:i, s:s}", "format", GK_MODEL_FORMAT, "version",
                          GK_MODEL_VERSION, "kind", kind);
    json_t *f = fields ? json_loads(fields, 0, &err) : NULL;
    int rc = GK_OK;
    if (!h) rc = gk_set_error(GK_ENOMEM, "model write: out of memory for the header");
    else if (fields && !json_is_object(f))
        rc = gk_set_error(GK_EARG, "model write: header fields are not a JSON object");
    else if (f && (json_object_get(f, "format") || json_object_get(f, "version") ||
                   json_object_get(f, "kind")))
        rc = gk_set_error(GK_EARG, "model write: header fields redefine format/version/kind");
    if (rc == GK_OK && f && json_object_update(h, f))
        rc = gk_set_error(GK_ENOMEM, "model write: out of memory for the header");
    if (rc == GK_OK && !(*out = json_dumps(h, JSON_INDENT(1) | JSON_REAL_PRECISION(17))))
        rc = gk_set_error(GK_ENOMEM, "model write: out of memory for the header");
    json_decref(h);
    json_decref(f);
    return rc;
}

int gk_model_write(const char *path, const char *kind, const char *fields,
                   const gk_npz_entry *entries, int count)
{
    GK_FAIL_IF(!path || !kind || (count && !entries) || count < 0, GK_EARG,
               "model write: NULL argument");
    char *json = NULL;
    GK_TRY(compose_header(kind, fields, &json));
    int rc = gk_npz_write(path, entries, count, json);
    free(json);
    return rc;
}

/* Checks format, version and a string kind; copies the kind. */
static int check_container(const char *path, json_t *j, char *kind, size_t cap)
{
    json_t *f = json_object_get(j, "format"), *v = json_object_get(j, "version");
    json_t *k = json_object_get(j, "kind");
    GK_FAIL_IF(!json_is_string(f) || strcmp(json_string_value(f), GK_MODEL_FORMAT) != 0,
               GK_EFORMAT, "%s: header.json lacks \"format\": \"" GK_MODEL_FORMAT "\"", path);
    GK_FAIL_IF(!json_is_integer(v), GK_EFORMAT, "%s: header.json lacks an integer \"version\"",
               path);
    GK_FAIL_IF(json_integer_value(v) != GK_MODEL_VERSION, GK_EFORMAT,
               "%s: model version %lld, this gapkit reads version %d", path,
               (long long)json_integer_value(v), GK_MODEL_VERSION);
    GK_FAIL_IF(!json_is_string(k), GK_EFORMAT, "%s: header.json lacks a string \"kind\"", path);
    GK_FAIL_IF(strlen(json_string_value(k)) >= cap, GK_EFORMAT, "%s: kind \"%.40s…\" is too "
               "long", path, json_string_value(k));
    strcpy(kind, json_string_value(k));
    return GK_OK;
}

int gk_model_header(const char *path, char *kind, size_t cap, json_t **hdr, uint64_t *n_floats)
{
    GK_FAIL_IF(!path || !kind || cap == 0, GK_EARG, "model header: NULL argument");
    if (hdr) *hdr = NULL;
    struct stat st;
    GK_FAIL_IF(stat(path, &st) != 0, GK_EIO, "%s: cannot open: %s", path, strerror(errno));
    if (n_floats) *n_floats = (uint64_t)st.st_size / sizeof(float);
    char *text = NULL;
    json_error_t err;
    GK_TRY(gk_npz_read_text(path, "header.json", &text));
    json_t *j = json_loads(text, 0, &err);
    gk_free(text);
    int rc = j ? check_container(path, j, kind, cap)
               : gk_set_error(GK_EFORMAT, "%s: header.json is not JSON (%s, line %d)", path,
                              err.text, err.line);
    if (rc == GK_OK && hdr) *hdr = j;
    else json_decref(j);
    return rc;
}

/* Copies a, checked to be (rows, cols), into dst; frees a.  `file` names it. */
static int take_array(gk_mat *a, const char *file, const char *name, int64_t rows,
                      int64_t cols, float *dst)
{
    int ok = a->rows == rows && a->cols == cols;
    if (ok)
        for (int64_t i = 0; i < rows; i++)
            for (int64_t j = 0; j < cols; j++) dst[i * cols + j] = gk_mat_at(a, i, j);
    int64_t ar = a->rows, ac = a->cols;
    gk_mat_free(a);
    GK_FAIL_IF(!ok, GK_EFORMAT, "%s: array %s is (%lld, %lld), expected (%lld, %lld)", file,
               name, (long long)ar, (long long)ac, (long long)rows, (long long)cols);
    return GK_OK;
}

int gk_model_read_array(const char *path, const char *name, int64_t rows, int64_t cols,
                        float *dst)
{
    GK_FAIL_IF(!path || !name || !dst, GK_EARG, "model read: NULL argument");
    gk_mat *a = NULL;
    GK_TRY(gk_npz_read(path, name, &a));
    return take_array(a, path, name, rows, cols, dst);
}

int gk_model_read_array_mem(const void *buf, size_t len, const char *file, const char *name,
                            int64_t rows, int64_t cols, float *dst)
{
    const char *nm = file ? file : "<memory>";
    GK_FAIL_IF(!name || !dst, GK_EARG, "model read: NULL argument");
    gk_mat *a = NULL;
    GK_TRY(gk_npz_read_mem(buf, len, name, nm, &a));
    return take_array(a, nm, name, rows, cols, dst);
}
