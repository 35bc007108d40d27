/*
** cli_json.h — the JSON documents commands print that are not one library
** result: built with jansson, so that a document is one valid JSON value
** whatever its parts hold (quotes in file names, NaN, a library result
** embedded whole) — which printf assembly cannot promise.
*/
#ifndef GAPKIT_CLI_JSON_H
#define GAPKIT_CLI_JSON_H

#include <jansson.h>

/* A library result (the text of one JSON value) as a node to embed; a
** JSON null if it does not parse (it always should). */
json_t *cli_json_parse(const char *text);

/* A real, or null for NaN and ±Inf (which JSON cannot hold). */
json_t *cli_json_num(double v);

/* Prints doc (indent 2, 10 significant digits, a final newline) and
** releases it; doc may be NULL (a failed json_pack: out of memory, or text
** that is not UTF-8).  @return : CLI_OK, or the exit code of that error,
** printed under cmd. */
int cli_json_print(const char *cmd, json_t *doc);

/* The text of doc as cli_json_print() writes it, then releases doc.
** *text : caller frees with free(); NULL on failure.  @return : as above. */
int cli_json_text(const char *cmd, json_t *doc, char **text);

#endif
