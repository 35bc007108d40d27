/*
** report_data.c — reading numbers, strings and point lists out of the
** report.json document.  Absent keys, nulls and values of the wrong type are
** not errors here: they read as NaN, NULL or an empty series, and the figure
** that needed them draws less (the page must survive partial reports).
*/
#include <math.h>

#include "core/error_internal.h"
#include "report_internal.h"

static double json_to_double(const json_t *v)
{
    return json_is_number(v) ? json_number_value(v) : NAN;
}

double rjson_num(const json_t *obj, const char *key)
{
    return json_to_double(json_object_get(obj, key));
}

const char *rjson_str(const json_t *obj, const char *key)
{
    return json_string_value(json_object_get(obj, key));
}

const json_t *rjson_obj(const json_t *obj, const char *key)
{
    const json_t *v = json_object_get(obj, key);
    return json_is_object(v) ? v : NULL;
}

const json_t *rjson_arr(const json_t *obj, const char *key)
{
    const json_t *v = json_object_get(obj, key);
    return json_is_array(v) ? v : NULL;
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
    for (int64_t i = 0; i < n; i++) s->v[i] = json_to_double(json_array_get(a, (size_t)i));
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
        xs->v[i] = json_to_double(json_array_get(p, 0));
        ys->v[i] = json_to_double(json_array_get(p, 1));
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
