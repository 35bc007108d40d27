/*
** report_data.c — reading numbers, strings and point lists out of the
** report.json document.  Absent keys and nulls are not errors: they read as
** NaN, NULL or an empty series, and the figure that needed them draws less
** (the page must survive partial reports).  A value that is present but of
** another type than the page reads (a string where a number belongs) is
** noted, and the render then refuses the document, naming the key
** (rjson_type_error): a page drawn from it would be silently wrong.
*/
#include <math.h>
#include <stdio.h>

#include "core/error_internal.h"
#include "report_internal.h"

/* The first mistyped value of the current render (per thread, so that two
** threads rendering at once do not mix their findings). */
static _Thread_local char bad_key[96];
static _Thread_local const char *bad_want, *bad_got;

static const char *type_name(const json_t *v)
{
    switch (json_typeof(v)) {
    case JSON_OBJECT: return "an object";
    case JSON_ARRAY: return "an array";
    case JSON_STRING: return "a string";
    case JSON_INTEGER: case JSON_REAL: return "a number";
    case JSON_TRUE: case JSON_FALSE: return "a boolean";
    default: return "null";
    }
}

/* Notes v (read as `key`, NULL for an element of a list) unless it is absent
** or null: those mean "not computed" and read as missing. */
static void note_mistyped(const json_t *v, const char *key, const char *want)
{
    if (!v || json_is_null(v) || bad_key[0]) return;
    snprintf(bad_key, sizeof bad_key, "%s", key ? key : "an element of a list of numbers");
    bad_want = want;
    bad_got = type_name(v);
}

void rjson_type_reset(void)
{
    bad_key[0] = 0;
}

int rjson_type_error(const char *doc)
{
    if (!bad_key[0]) return GK_OK;
    return gk_set_error(GK_EFORMAT, "%s: \"%s\" is %s, expected %s", doc, bad_key, bad_got,
                        bad_want);
}

static double json_to_double(const json_t *v, const char *key)
{
    if (json_is_number(v)) return json_number_value(v);
    note_mistyped(v, key, "a number");
    return NAN;
}

double rjson_num(const json_t *obj, const char *key)
{
    return json_to_double(json_object_get(obj, key), key);
}

const char *rjson_str(const json_t *obj, const char *key)
{
    const json_t *v = json_object_get(obj, key);
    if (!json_is_string(v)) note_mistyped(v, key, "a string");
    return json_string_value(v);
}

const json_t *rjson_obj(const json_t *obj, const char *key)
{
    const json_t *v = json_object_get(obj, key);
    if (json_is_object(v)) return v;
    note_mistyped(v, key, "an object");
    return NULL;
}

const json_t *rjson_arr(const json_t *obj, const char *key)
{
    const json_t *v = json_object_get(obj, key);
    if (json_is_array(v)) return v;
    note_mistyped(v, key, "an array");
    return NULL;
}

/* s->v = n doubles (n may be 0: then s->v is NULL). */
static int rseries_alloc(rseries *s, int64_t n)
{
    s->v = NULL;
    s->n = 0;
    if (n <= 0) return GK_OK;
    s->v = gk_malloc((size_t)n * sizeof *s->v);
    GK_FAIL_IF(!s->v, GK_ENOMEM, "report: out of memory for %lld values", (long long)n);
    s->n = n;
    return GK_OK;
}

int rseries_read(const json_t *a, rseries *s)
{
    int64_t n = json_is_array(a) ? (int64_t)json_array_size(a) : 0;
    GK_TRY(rseries_alloc(s, n));
    for (int64_t i = 0; i < n; i++) s->v[i] = json_to_double(json_array_get(a, (size_t)i), NULL);
    return GK_OK;
}

int rseries_iota(rseries *s, int64_t n)
{
    GK_TRY(rseries_alloc(s, n));
    for (int64_t i = 0; i < n; i++) s->v[i] = (double)(i + 1);
    return GK_OK;
}

void rseries_free(rseries *s)
{
    gk_free(s->v);
    s->v = NULL;
    s->n = 0;
}

int rseries_read_points(const json_t *a, int64_t max, rseries *xs, rseries *ys)
{
    int64_t n = json_is_array(a) ? (int64_t)json_array_size(a) : 0;
    int64_t m = n < max ? n : max;
    rseries_alloc(ys, 0);
    GK_TRY(rseries_alloc(xs, m));
    int rc = rseries_alloc(ys, m);
    if (rc != GK_OK) {
        rseries_free(xs);
        return rc;
    }
    for (int64_t i = 0; i < m; i++) {
        /* row floor(i·n/m): evenly spread over the input, the same every time */
        const json_t *p = json_array_get(a, (size_t)(i * n / m));
        xs->v[i] = json_to_double(json_array_get(p, 0), NULL);
        ys->v[i] = json_to_double(json_array_get(p, 1), NULL);
    }
    return GK_OK;
}

int64_t rseries_range(const double *v, int64_t n, int positive, double *lo, double *hi)
{
    int64_t count = 0;
    for (int64_t i = 0; i < n; i++) {
        if (!isfinite(v[i]) || (positive && v[i] <= 0)) continue;
        if (!count || v[i] < *lo) *lo = v[i];
        if (!count || v[i] > *hi) *hi = v[i];
        count++;
    }
    return count;
}
