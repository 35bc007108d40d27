/*
** analogy_questions.c — word-analogy question files (word2vec's
** questions-words.txt format): reading, parsing and the deduplicated word
** pairs of a section.
**
** The whole file is copied into one owned buffer, lower-cased in place, and
** cut into NUL-terminated lines and words, so every string of a
** gk_analogy_questions points into that buffer.
*/
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "analogy_internal.h"
#include "core/error_internal.h"

void gk_analogy_questions_free(gk_analogy_questions *q)
{
    if (!q) return;
    gk_free(q->section), gk_free(q->sec), gk_free(q->word), gk_free(q->text);
    gk_free(q);
}

/* Room for every line being a question or a section. */
static int questions_alloc(const char *text, size_t len, gk_analogy_questions **out)
{
    size_t lines = 1;
    for (size_t i = 0; i < len; i++) lines += text[i] == '\n';
    gk_analogy_questions *q = gk_calloc(1, sizeof *q);
    if (q) {
        q->section = gk_malloc((lines + 1) * sizeof *q->section);
        q->sec = gk_malloc(lines * sizeof *q->sec);
        q->word = gk_malloc(4 * lines * sizeof *q->word);
    }
    if (!q || !q->section || !q->sec || !q->word) {
        gk_analogy_questions_free(q);
        return gk_set_error(GK_ENOMEM, "out of memory for %zu lines", lines);
    }
    *out = q;
    return GK_OK;
}

/* Cuts line s (NUL-terminated, no '\n') into at most 5 words in place. */
static int split_words(char *s, char **w)
{
    int n = 0;
    while (*s) {
        while (*s == ' ' || *s == '\t' || *s == '\r') *s++ = '\0';
        if (!*s) break;
        if (n < 5) w[n] = s;
        n++;
        while (*s && *s != ' ' && *s != '\t' && *s != '\r') s++;
    }
    return n;
}

/* One line: a section header, a blank, or a question. */
static int parse_line(gk_analogy_questions *q, char *s, int64_t lineno)
{
    char *w[5];
    if (s[0] == ':') {
        int n = split_words(s + 1, w);
        q->section[q->n_sections++] = n > 0 ? w[0] : s + 1;
        return GK_OK;
    }
    int n = split_words(s, w);
    if (n == 0) return GK_OK;
    GK_FAIL_IF(n != 4, GK_EFORMAT, "line %lld: expected 4 words a b c d, found %d",
               (long long)lineno, n);
    if (q->n_sections == 0) q->section[q->n_sections++] = s + strlen(s); /* "" */
    q->sec[q->n] = q->n_sections - 1;
    memcpy(q->word + 4 * q->n, w, 4 * sizeof *w);
    q->n++;
    return GK_OK;
}

int gk_analogy_read_mem(const void *buf, size_t len, const char *name,
                        gk_analogy_questions **out)
{
    GK_FAIL_IF(!buf || !out, GK_EARG, "analogy questions: NULL argument");
    *out = NULL;
    gk_analogy_questions *q = NULL;
    int rc = questions_alloc(buf, len, &q);
    if (rc == GK_OK && !(q->text = gk_malloc(len + 1)))
        rc = gk_set_error(GK_ENOMEM, "out of memory for %zu bytes", len);
    if (rc == GK_OK) {
        memcpy(q->text, buf, len);
        q->text[len] = '\0';
        for (size_t i = 0; i < len; i++) q->text[i] = (char)tolower((unsigned char)q->text[i]);
        char *s = q->text;
        for (int64_t lineno = 1; rc == GK_OK && s; lineno++) {
            char *nl = strchr(s, '\n');
            if (nl) *nl = '\0';
            rc = parse_line(q, s, lineno);
            s = nl ? nl + 1 : NULL;
        }
    }
    if (rc == GK_OK && q->n == 0)
        rc = gk_set_error(GK_EFORMAT, "no question found (expected lines \"a b c d\")");
    if (rc == GK_OK) *out = q;
    else gk_analogy_questions_free(q);
    return rc == GK_OK || !name ? rc : gk_error_prepend(rc, name);
}

int gk_analogy_read(const char *path, gk_analogy_questions **out)
{
    GK_FAIL_IF(!path || !out, GK_EARG, "analogy questions: NULL argument");
    *out = NULL;
    FILE *f = fopen(path, "rb");
    GK_FAIL_IF(!f, GK_EIO, "%s: cannot open: %s", path, strerror(errno));
    gk_io_note_input(path);
    char *buf = NULL;
    long len = fseek(f, 0, SEEK_END) == 0 ? ftell(f) : -1;
    int rc = len >= 0 && fseek(f, 0, SEEK_SET) == 0 ? GK_OK : GK_EIO;
    if (rc == GK_OK && !(buf = gk_malloc((size_t)len + 1))) rc = GK_ENOMEM;
    if (rc == GK_OK && fread(buf, 1, (size_t)len, f) != (size_t)len) rc = GK_EIO;
    fclose(f);
    if (rc == GK_OK) rc = gk_analogy_read_mem(buf, (size_t)len, path, out);
    else gk_set_error(rc, "%s: cannot read the file", path);
    gk_free(buf);
    return rc;
}

/*====  word pairs of a section  ====*/

/* Index of pair (a, b) among the n kept so far, or −1 (sections are small). */
static int64_t find_pair(const int64_t *first, const int64_t *second, int64_t n, int64_t a,
                         int64_t b)
{
    for (int64_t i = 0; i < n; i++)
        if (first[i] == a && second[i] == b) return i;
    return -1;
}

int gk_analogy_pairs(const gk_analogy_questions *q, const gk_vocab *vocab, int32_t s,
                     int64_t **first, int64_t **second, int64_t *n)
{
    GK_FAIL_IF(!q || !vocab || !first || !second || !n, GK_EARG, "analogy pairs: NULL argument");
    GK_FAIL_IF(s < 0 || s >= q->n_sections, GK_EARG, "analogy pairs: section %d of %d", s,
               q->n_sections);
    *first = *second = NULL, *n = 0;
    int64_t *rows = gk_malloc((size_t)(4 * q->n) * sizeof *rows);
    int64_t *f = gk_malloc((size_t)(2 * q->n) * sizeof *f);
    int64_t *g = gk_malloc((size_t)(2 * q->n) * sizeof *g), k = 0;
    int rc = rows && f && g ? an_question_rows(q, vocab, rows)
                            : gk_set_error(GK_ENOMEM, "analogy pairs: out of memory");
    for (int64_t i = 0; rc == GK_OK && i < q->n; i++) {
        if (q->sec[i] != s) continue;
        for (int p = 0; p < 2; p++) { /* (a, b), then (c, d) */
            const int64_t a = rows[4 * i + 2 * p], b = rows[4 * i + 2 * p + 1];
            if (a < 0 || b < 0 || find_pair(f, g, k, a, b) >= 0) continue;
            f[k] = a, g[k] = b, k++;
        }
    }
    gk_free(rows);
    if (rc != GK_OK) return gk_free(f), gk_free(g), rc;
    *first = f, *second = g, *n = k;
    return GK_OK;
}
