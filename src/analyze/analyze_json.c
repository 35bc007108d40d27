/*
** analyze_json.c — small conversions shared by the report sections.
*/
#include <math.h>
#include <stdlib.h>

#include "analyze_internal.h"
#include "gapkit/core.h"
#include "core/json_internal.h"

json_t *analyze_json_from_text(char *text)
{
    json_t *v = text ? json_loads(text, 0, NULL) : NULL;
    gk_free(text);
    return v;
}

json_t *analyze_json_reals(const double *v, int64_t n)
{
    json_t *a = json_array();
    for (int64_t i = 0; a && i < n; i++)
        json_array_append_new(a, gk_json_num(v[i]));
    return a;
}
