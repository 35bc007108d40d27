/*
** json_internal.h — the one way library code turns a jansson document into
** the text it hands to callers.  Not installed.
*/
#ifndef GAPKIT_JSON_INTERNAL_H
#define GAPKIT_JSON_INTERNAL_H

#include <jansson.h>

/* *out = doc as text with jansson `flags`, in gk_malloc memory (callers free
** every JSON string of the API with gk_free(), whatever allocator is set);
** doc is released.  doc == NULL (a failed build) is GK_ENOMEM naming `what`.
** @return : GK_OK, GK_ENOMEM. */
/* A JSON string of text from outside (file names, labels): invalid UTF-8
** bytes become \xNN (utf8.c); NULL gives JSON null.  NULL only when out of
** memory. */
json_t *gk_json_text(const char *s);

int gk_json_finish(json_t *doc, size_t flags, const char *what, char **out);

/* v as a JSON number, or null when v is NaN or ±Inf (JSON has neither). */
json_t *gk_json_num(double v);

#endif
