/*
** labels.c — class labels of rows: read from a text file (one per line) or a
** CSV column, interned into class ids in order of first appearance, and
** matched against the names of prompt rows.
*/
#include <string.h>

#include "core/error_internal.h"
#include "io_internal.h"

void gk_labels_free(gk_labels *l)
{
    if (!l) return;
    gk_free(l->id);
    gk_strings_free(l->name, l->n_classes);
    gk_free(l);
}

/* Assigns ids in order of first appearance; names are copied afterwards. */
static int intern(const char *const *s, int64_t n, gk_labels *l, const char **first)
{
    io_strmap map;
    GK_TRY(io_strmap_init(&map, 64));
    int rc = GK_OK;
    for (int64_t i = 0; i < n && rc == GK_OK; i++) {
        int64_t id;
        rc = io_strmap_put(&map, s[i], l->n_classes, &id);
        if (rc == GK_OK && id == l->n_classes) {
            if (l->n_classes == INT32_MAX) rc = gk_set_error(GK_EARG, "too many classes");
            else first[l->n_classes++] = s[i];
        }
        l->id[i] = (int32_t)id;
    }
    io_strmap_free(&map);
    return rc;
}

/* Class names that are not valid UTF-8 get their bad bytes as \xNN
** (gk_utf8_escape), so that JSON and HTML can carry them; classes are told
** apart by their original bytes before. */
static int escape_names(char **name, int32_t n)
{
    for (int32_t c = 0; c < n; c++) {
        char *clean = gk_utf8_escape(name[c]);
        if (!clean) return GK_ENOMEM;
        gk_free(name[c]);
        name[c] = clean;
    }
    return GK_OK;
}

int gk_labels_from_strings(const char *const *s, int64_t n, gk_labels **out)
{
    GK_FAIL_IF(!out, GK_EARG, "gk_labels_from_strings: out is NULL");
    *out = NULL;
    GK_FAIL_IF(n < 0 || (n && !s), GK_EARG, "gk_labels_from_strings: %lld strings at %p",
               (long long)n, (const void *)s);
    gk_labels *l = gk_calloc(1, sizeof *l);
    const char **first = gk_calloc((size_t)(n ? n : 1), sizeof *first);
    int rc = GK_ENOMEM;
    if (!l || !first) goto cleanup;
    l->n = n;
    l->id = gk_calloc((size_t)(n ? n : 1), sizeof *l->id);
    if (!l->id) goto cleanup;
    GK_TRY_GOTO(rc, intern(s, n, l, first), cleanup);
    int32_t nc = l->n_classes;
    l->n_classes = 0; /* no names owned until the copy succeeds */
    GK_TRY_GOTO(rc, io_strings_copy(first, nc, &l->name), cleanup);
    l->n_classes = nc;
    rc = escape_names(l->name, nc);
cleanup:
    gk_free((void *)first);
    if (rc != GK_OK) gk_labels_free(l);
    else *out = l;
    return rc;
}

/* One label per line of buf[0..len) (NUL-terminated, modified in place);
** only the final newline may leave an empty line. */
static int labels_from_lines(char *buf, size_t len, gk_labels **out)
{
    char **lines = NULL;
    int64_t n = 0;
    int rc;
    GK_TRY(io_split_lines(buf, len, &lines, &n));
    if (n == 0) GK_FAIL_GOTO(rc, GK_EFORMAT, cleanup, "file is empty; expected one label per line");
    for (int64_t i = 0; i < n; i++)
        if (!lines[i][0])
            GK_FAIL_GOTO(rc, GK_EFORMAT, cleanup,
                         "line %lld is empty; expected one label per line", (long long)i + 1);
    rc = gk_labels_from_strings((const char *const *)lines, n, out);
cleanup:
    gk_free(lines);
    return rc;
}

static int labels_from_text(const char *path, gk_labels **out)
{
    unsigned char *buf;
    size_t len;
    GK_TRY(io_file_read(path, &buf, &len));
    int rc = labels_from_lines((char *)buf, len, out);
    gk_free(buf);
    return rc;
}

/* Labels from the strings of a CSV column (the message names the file). */
static int labels_from_column(char **v, int64_t n, gk_labels **out)
{
    int rc = gk_labels_from_strings((const char *const *)v, n, out);
    gk_strings_free(v, n);
    return rc;
}

static int labels_from_csv(const char *path, const char *column, gk_labels **out)
{
    char **v;
    int64_t n;
    GK_TRY(gk_csv_column(path, column, &v, &n)); /* message already names the file */
    return labels_from_column(v, n, out);
}

int gk_labels_read_mem(const void *buf, size_t len, const char *column, const char *name,
                       gk_labels **out)
{
    const char *nm = name ? name : "<memory>";
    GK_FAIL_IF(!out || (!buf && len), GK_EARG, "%s: gk_labels_read_mem: arguments must not be NULL",
               nm);
    *out = NULL;
    if (column) {
        char **v;
        int64_t n;
        GK_TRY(gk_csv_column_mem(buf, len, column, nm, &v, &n));
        return labels_from_column(v, n, out);
    }
    char *copy;
    if (io_buffer_copy(buf, len, &copy) != GK_OK) return gk_error_prepend(GK_ENOMEM, nm);
    int rc = labels_from_lines(copy, len, out);
    gk_free(copy);
    return rc == GK_OK ? GK_OK : gk_error_prepend(rc, nm);
}

int gk_labels_read(const char *spec, gk_labels **out)
{
    GK_FAIL_IF(!out, GK_EARG, "gk_labels_read: out is NULL");
    *out = NULL;
    char *path;
    const char *sel;
    int rc = io_spec_split(spec, &path, &sel);
    if (rc != GK_OK) return spec ? gk_error_prepend(rc, spec) : rc;
    if (sel) {
        rc = labels_from_csv(path, sel, out);
    } else if (io_kind_of(path) == IO_KIND_CSV) {
        rc = gk_set_error(GK_EARG, "%s: name the label column, e.g. %s:class_name", spec, spec);
    } else if ((rc = labels_from_text(path, out)) != GK_OK) {
        gk_error_prepend(rc, spec);
    }
    gk_free(path);
    return rc;
}

int gk_labels_match(const gk_labels *rows, const gk_labels *names, int64_t *idx)
{
    GK_FAIL_IF(!rows || !names || !idx, GK_EARG, "gk_labels_match: arguments must not be NULL");
    io_strmap map;
    GK_TRY(io_strmap_init(&map, (size_t)names->n));
    int rc = GK_OK;
    /* the first prompt row carrying each name wins */
    for (int64_t r = 0; r < names->n && rc == GK_OK; r++) {
        int64_t found;
        rc = io_strmap_put(&map, names->name[names->id[r]], r, &found);
    }
    for (int64_t i = 0; i < rows->n && rc == GK_OK; i++) {
        const char *label = rows->name[rows->id[i]];
        idx[i] = io_strmap_get(&map, label);
        if (idx[i] < 0)
            rc = gk_set_error(GK_EFORMAT, "label '%s' of row %lld has no prompt among the %d "
                                          "prompt names", label, (long long)i, names->n_classes);
    }
    io_strmap_free(&map);
    return rc;
}

int gk_labels_read_rows(const char *spec, int64_t rows, const char *what, gk_labels **out)
{
    GK_TRY(gk_labels_read(spec, out));
    if ((*out)->n == rows) return GK_OK;
    gk_set_error(GK_ESHAPE, "%s has %lld labels but %s has %lld rows", spec,
                 (long long)(*out)->n, what ? what : "the input", (long long)rows);
    gk_labels_free(*out);
    *out = NULL;
    return GK_ESHAPE;
}
