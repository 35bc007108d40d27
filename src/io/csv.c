/*
** csv.c — one column of a CSV file with a header row (RFC 4180: fields
** separated by ',', optionally quoted with '"', "" inside quotes for a quote,
** newlines allowed inside quotes; CRLF or LF line ends; a UTF-8 BOM is skipped).
*/
#include <stdio.h>
#include <string.h>

#include "core/error_internal.h"
#include "io_internal.h"

typedef struct csv_state {
    char *p, *end;
    int64_t line; /* 1-based line of the current position */
} csv_state;

/* Quoted field: unquotes in place from s->p into w; stops after the closing quote. */
static int quoted(csv_state *s, char **w)
{
    int64_t start = s->line;
    s->p++;
    for (;;) {
        GK_FAIL_IF(s->p >= s->end, GK_EFORMAT,
                   "line %lld: a quoted field is not closed before the end of the file",
                   (long long)start);
        char c = *s->p++;
        if (c == '"') {
            if (s->p < s->end && *s->p == '"') s->p++;
            else return GK_OK;
        }
        if (c == '\n') s->line++;
        *(*w)++ = c;
    }
}

/* Parses the field at s->p in place; *field is its NUL-terminated text and
** *last is set when the field ends its record. */
static int csv_field(csv_state *s, char **field, int *last)
{
    char *w = s->p;
    *field = w;
    if (s->p < s->end && *s->p == '"') GK_TRY(quoted(s, &w));
    else
        while (s->p < s->end && *s->p != ',' && *s->p != '\n') *w++ = *s->p++;
    if (s->p < s->end && *s->p == '\r' && s->p + 1 < s->end && s->p[1] == '\n') s->p++;
    else if (w > *field && w[-1] == '\r' && (s->p >= s->end || *s->p == '\n')) w--;
    GK_FAIL_IF(s->p < s->end && *s->p != ',' && *s->p != '\n', GK_EFORMAT,
               "line %lld: unexpected character '%c' after a closing quote", (long long)s->line,
               *s->p);
    *last = s->p >= s->end || *s->p == '\n';
    if (s->p < s->end && *s->p == '\n') s->line++;
    if (s->p < s->end) s->p++;
    *w = '\0';
    return GK_OK;
}

/* Index of `column` in the header record; the message lists the header. */
static int find_column(csv_state *s, const char *column, int64_t *k)
{
    char names[512] = "";
    size_t used = 0;
    int last = 0;
    *k = -1;
    for (int64_t i = 0; !last; i++) {
        char *f;
        GK_TRY(csv_field(s, &f, &last));
        int same = strcmp(f, column) == 0;
        GK_FAIL_IF(same && *k >= 0, GK_EFORMAT,
                   "the header has column '%s' twice (fields %lld and %lld); which one is meant?",
                   column, (long long)*k + 1, (long long)i + 1);
        if (same) *k = i;
        if (used < sizeof names - 1)
            used += (size_t)snprintf(names + used, sizeof names - used, "%s%s", i ? ", " : "", f);
    }
    GK_FAIL_IF(*k < 0, GK_EFORMAT, "no column '%s'; the header has: %s", column, names);
    return GK_OK;
}

/* Growing array of strings. */
typedef struct strvec {
    char **s;
    int64_t n, cap;
} strvec;

static int strvec_push(strvec *v, const char *text)
{
    if (v->n == v->cap) {
        int64_t cap = v->cap ? 2 * v->cap : 64;
        char **s = gk_malloc((size_t)cap * sizeof *s);
        if (!s) return GK_ENOMEM;
        if (v->n) memcpy(s, v->s, (size_t)v->n * sizeof *s);
        gk_free(v->s);
        v->s = s;
        v->cap = cap;
    }
    v->s[v->n] = gk_strdup(text);
    if (!v->s[v->n]) return GK_ENOMEM;
    v->n++;
    return GK_OK;
}

/* Appends field k of the record at s->p to v; blank lines are skipped. */
static int record_field(csv_state *s, int64_t k, const char *column, strvec *v)
{
    int64_t line = s->line, i = 0;
    int last = 0;
    char *want = NULL;
    if (*s->p == '\n' || (*s->p == '\r' && s->p + 1 < s->end && s->p[1] == '\n')) {
        s->p += *s->p == '\r' ? 2 : 1;
        s->line++;
        return GK_OK;
    }
    for (; !last; i++) {
        char *f;
        GK_TRY(csv_field(s, &f, &last));
        if (i == k) want = f;
    }
    GK_FAIL_IF(!want, GK_EFORMAT, "line %lld has %lld fields; column '%s' is field %lld",
               (long long)line, (long long)i, column, (long long)k + 1);
    return strvec_push(v, want);
}

static int parse_csv(char *buf, size_t len, const char *column, strvec *v)
{
    csv_state s = {buf, buf + len, 1};
    int64_t k;
    s.p += io_bom_len(buf, len);
    GK_FAIL_IF(s.p >= s.end, GK_EFORMAT, "file is empty; expected a CSV header row");
    GK_TRY(find_column(&s, column, &k));
    while (s.p < s.end) GK_TRY(record_field(&s, k, column, v));
    GK_FAIL_IF(v->n == 0, GK_EFORMAT, "no rows after the header");
    return GK_OK;
}

/* Column `column` of the CSV in buf[0..len) (modified in place); the
** message is prefixed with name. */
static int column_from_buffer(char *buf, size_t len, const char *column, const char *name,
                              char ***values, int64_t *n)
{
    strvec v = {NULL, 0, 0};
    int rc = parse_csv(buf, len, column, &v);
    if (rc != GK_OK) {
        gk_strings_free(v.s, v.n);
        return gk_error_prepend(rc, name);
    }
    *values = v.s;
    *n = v.n;
    return GK_OK;
}

int gk_csv_column(const char *path, const char *column, char ***values, int64_t *n)
{
    GK_FAIL_IF(!path || !column || !values || !n, GK_EARG,
               "gk_csv_column: arguments must not be NULL");
    *values = NULL;
    *n = 0;
    unsigned char *buf;
    size_t len;
    int rc = io_file_read(path, &buf, &len);
    if (rc != GK_OK) return gk_error_prepend(rc, path);
    rc = column_from_buffer((char *)buf, len, column, path, values, n);
    gk_free(buf);
    return rc;
}

int gk_csv_column_mem(const void *buf, size_t len, const char *column, const char *name,
                      char ***values, int64_t *n)
{
    const char *nm = name ? name : "<memory>";
    GK_FAIL_IF(!column || !values || !n || (!buf && len), GK_EARG,
               "%s: gk_csv_column_mem: arguments must not be NULL", nm);
    *values = NULL;
    *n = 0;
    char *copy;
    if (io_buffer_copy(buf, len, &copy) != GK_OK) return gk_error_prepend(GK_ENOMEM, nm);
    int rc = column_from_buffer(copy, len, column, nm, values, n);
    gk_free(copy);
    return rc;
}
