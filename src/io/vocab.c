/*
** vocab.c — vocabularies: one word per line, and look-up of a word's row.
*/
#include <string.h>

#include "core/error_internal.h"
#include "io_internal.h"

void gk_vocab_free(gk_vocab *v)
{
    if (!v) return;
    gk_strings_free(v->word, v->n);
    gk_free(v);
}

int64_t gk_vocab_find(const gk_vocab *v, const char *word)
{
    if (!v || !word) return -1;
    for (int64_t i = 0; i < v->n; i++)
        if (strcmp(v->word[i], word) == 0) return i;
    return -1;
}

/* A word twice would make row lookups ambiguous: the message names both lines. */
static int check_unique(char **lines, int64_t n)
{
    io_strmap map;
    GK_TRY(io_strmap_init(&map, (size_t)n));
    int rc = GK_OK;
    for (int64_t i = 0; i < n && rc == GK_OK; i++) {
        int64_t first;
        rc = io_strmap_put(&map, lines[i], i, &first);
        if (rc == GK_OK && first != i)
            rc = gk_set_error(GK_EFORMAT, "the word '%s' is on line %lld and again on line %lld; "
                                          "expected each word once", lines[i],
                              (long long)first + 1, (long long)i + 1);
    }
    io_strmap_free(&map);
    return rc;
}

/* Words from the lines of buf (modified in place). */
static int vocab_from_buffer(char *buf, size_t len, gk_vocab **out)
{
    char **lines = NULL;
    int64_t n;
    int rc;
    GK_TRY(io_split_lines(buf, len, &lines, &n));
    if (n == 0) GK_FAIL_GOTO(rc, GK_EFORMAT, cleanup, "file is empty; expected one word per line");
    for (int64_t i = 0; i < n; i++)
        if (!lines[i][0])
            GK_FAIL_GOTO(rc, GK_EFORMAT, cleanup, "line %lld is empty; expected one word per line",
                         (long long)i + 1);
    GK_TRY_GOTO(rc, check_unique(lines, n), cleanup);
    *out = gk_calloc(1, sizeof **out);
    if (!*out) GK_FAIL_GOTO(rc, GK_ENOMEM, cleanup, "out of memory");
    GK_TRY_GOTO(rc, io_strings_copy((const char *const *)lines, n, &(*out)->word), cleanup);
    (*out)->n = n;
cleanup:
    if (rc != GK_OK) {
        gk_vocab_free(*out);
        *out = NULL;
    }
    gk_free(lines);
    return rc;
}

int gk_vocab_read(const char *path, gk_vocab **out)
{
    GK_FAIL_IF(!path || !out, GK_EARG, "gk_vocab_read: arguments must not be NULL");
    *out = NULL;
    unsigned char *buf;
    size_t len;
    int rc = io_file_read(path, &buf, &len);
    if (rc == GK_OK) {
        rc = vocab_from_buffer((char *)buf, len, out);
        gk_free(buf);
    }
    return rc == GK_OK ? GK_OK : gk_error_prepend(rc, path);
}
