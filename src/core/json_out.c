/*
** json_out.c — jansson document → gk_malloc'd text.  jansson allocates with
** malloc(); copying into gk_malloc memory keeps one rule for callers (free
** with gk_free) and lets a custom allocator see every returned buffer.
*/
#include "error_internal.h"
#include "json_internal.h"
#include <math.h>
#include <stdlib.h>

int gk_json_finish(json_t *doc, size_t flags, const char *what, char **out)
{
    *out = NULL;
    char *text = doc ? json_dumps(doc, flags) : NULL;
    json_decref(doc);
    if (text) *out = gk_strdup(text);
    free(text);
    GK_FAIL_IF(!*out, GK_ENOMEM, "%s: out of memory", what);
    return GK_OK;
}

json_t *gk_json_num(double v) { return isfinite(v) ? json_real(v) : json_null(); }
