/*
** cli_json.c — jansson helpers for the documents commands assemble
** (cli_json.h says why not printf).
*/
#include <math.h>
#include <stdlib.h>

#include "cli.h"
#include "cli_json.h"

#define CLI_JSON_FLAGS (JSON_INDENT(2) | JSON_REAL_PRECISION(10))

json_t *cli_json_parse(const char *text)
{
    json_t *v = text ? json_loads(text, JSON_DECODE_ANY, NULL) : NULL;
    return v ? v : json_null();
}

json_t *cli_json_num(double v) { return isfinite(v) ? json_real(v) : json_null(); }

int cli_json_text(const char *cmd, json_t *doc, char **text)
{
    if (gk_dist_active() && json_is_object(doc)) /* docs/distributed.md */
        json_object_set_new(doc, "ranks", json_integer(gk_dist_size()));
    *text = doc ? json_dumps(doc, CLI_JSON_FLAGS) : NULL;
    json_decref(doc);
    /* a NULL doc: jansson could not build it (out of memory, or a string —
    ** a file name — that is not UTF-8) */
    return *text ? CLI_OK
                 : cli_fail(cmd, gk_set_error(GK_ENOMEM, "cannot write the JSON document (out "
                                              "of memory, or a name that is not UTF-8)"));
}

int cli_json_print(const char *cmd, json_t *doc)
{
    char *text;
    int rc = cli_json_text(cmd, doc, &text);
    if (rc == CLI_OK) printf("%s\n", text);
    free(text);
    return rc;
}
