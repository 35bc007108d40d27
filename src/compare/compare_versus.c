/*
** compare_versus.c — the rows of `gapkit compare` by name: the name each
** row gets before anything is fitted, `--test A,B` split into two names, and
** the named pairs of rows (gk_compare_opts.versus) found among the rows.
*/
#include <stdio.h>
#include <string.h>

#include "compare_internal.h"
#include "core/error_internal.h"

void cmp_row_name(const gk_align_opts *methods, int n_methods, const gk_compare_opts *o, int i,
                  char *buf, size_t cap)
{
    char spec[112];
    if (i < n_methods) gk_align_opts_string(&methods[i], buf, cap);
    else snprintf(buf, cap, "head:%s", gk_train_opts_string(&o->heads[i - n_methods], spec,
                                                            sizeof spec));
}

/* 1 if the text after a comma starts a method spec: no '=' before ':' or ','. */
static int starts_method(const char *s)
{
    size_t n = strcspn(s, ":,");
    return n > 0 && !memchr(s, '=', n);
}

int gk_compare_vs_parse(const char *spec, gk_compare_vs *out)
{
    GK_FAIL_IF(!spec || !out, GK_EARG, "compare: NULL argument");
    const char *cut = NULL;
    int n = 0;
    for (const char *c = strchr(spec, ','); c; c = strchr(c + 1, ','))
        if (starts_method(c + 1)) cut = cut ? cut : c, n++;
    GK_FAIL_IF(n != 1 || cut == spec, GK_EARG, "compare: --test %s: expected two row names A,B (a method "
               "spec or a row name as printed, e.g. procrustes,cca:k=32,ridge=0.1)", spec);
    const size_t la = (size_t)(cut - spec), lb = strlen(cut + 1);
    GK_FAIL_IF(la >= sizeof out->a || lb >= sizeof out->b, GK_EARG, "compare: --test %s: a "
               "name is longer than %zu bytes", spec, sizeof out->a - 1);
    memcpy(out->a, spec, la);
    out->a[la] = 0;
    memcpy(out->b, cut + 1, lb + 1);
    return GK_OK;
}

/* The row `name` names: the first row of that name; else the first method
** row whose name is the canonical text of `name` read as a method spec
** ("cca" → cca:k=32,ridge=0.1); else, for a bare method name, the first row
** of that method ("comet" → comet:k=auto,weight=none); −1: none. */
static int find_row(const gk_align_opts *methods, int n_methods, const gk_compare_opts *o,
                    const char *name)
{
    const int n_rows = n_methods + (o->heads ? o->n_heads : 0);
    char row[128], canon[128];
    gk_align_opts spec;
    for (int i = 0; i < n_rows; i++) {
        cmp_row_name(methods, n_methods, o, i, row, sizeof row);
        if (!strcmp(name, row)) return i;
    }
    if (gk_align_parse(name, &spec) != GK_OK) return -1;
    gk_align_opts_string(&spec, canon, sizeof canon);
    for (int i = 0; i < n_methods; i++) {
        cmp_row_name(methods, n_methods, o, i, row, sizeof row);
        if (!strcmp(canon, row)) return i;
    }
    for (int i = 0; !strchr(name, ':') && i < n_methods; i++)
        if (methods[i].method == spec.method) return i;
    return -1;
}

/* "identity, center, …": the rows, for the error message. */
static void list_rows(const gk_align_opts *methods, int n_methods, const gk_compare_opts *o,
                      char *buf, size_t cap)
{
    const int n_rows = n_methods + (o->heads ? o->n_heads : 0);
    char row[128];
    size_t len = 0;
    buf[0] = 0;
    for (int i = 0; i < n_rows && len + 1 < cap; i++) {
        cmp_row_name(methods, n_methods, o, i, row, sizeof row);
        len += (size_t)snprintf(buf + len, cap - len, "%s%s", i ? ", " : "", row);
    }
}

int cmp_resolve_versus(const gk_align_opts *methods, int n_methods, const gk_compare_opts *o,
                       int *rows)
{
    char known[1024];
    for (int t = 0; o->versus && t < o->n_versus; t++) {
        const gk_compare_vs *v = &o->versus[t];
        const int a = find_row(methods, n_methods, o, v->a), b = find_row(methods, n_methods, o, v->b);
        if (a < 0 || b < 0) {
            list_rows(methods, n_methods, o, known, sizeof known);
            return gk_set_error(GK_EARG, "compare: --test %s,%s: '%s' is not a row (rows: %s)",
                                v->a, v->b, a < 0 ? v->a : v->b, known);
        }
        GK_FAIL_IF(a == b, GK_EARG, "compare: --test %s,%s: both name the row %s", v->a, v->b,
                   v->a);
        if (rows) rows[2 * t] = a, rows[2 * t + 1] = b;
    }
    return GK_OK;
}

int gk_compare_check_versus(const gk_align_opts *methods, int n_methods,
                            const gk_compare_opts *opts)
{
    GK_FAIL_IF(!methods || !opts || n_methods < 1, GK_EARG, "compare: no transforms given");
    GK_FAIL_IF(opts->n_versus < 0 || (opts->n_versus && !opts->versus), GK_EARG,
               "compare: %d named pairs but no array", opts->n_versus);
    return cmp_resolve_versus(methods, n_methods, opts, NULL);
}
