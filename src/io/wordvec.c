/*
** wordvec.c — word vectors with their vocabulary: GloVe text ("word v1 … vD"
** per line), word2vec text (a first line "N D", then GloVe-like lines) and
** word2vec binary (the same header, then binary records, see w2v_binary.c).
** The variant is detected from the bytes, not from the extension.
*/
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error_internal.h"
#include "io_internal.h"

/* "N D" with N, D > 0 and nothing else: a word2vec header. */
static int parse_w2v_header(const char *line, int64_t *n, int64_t *d)
{
    char *end;
    errno = 0;
    long long a = strtoll(line, &end, 10);
    if (end == line || errno || (*end != ' ' && *end != '\t')) return 0;
    const char *s = end;
    long long b = strtoll(s, &end, 10);
    if (end == s || errno) return 0;
    while (*end == ' ' || *end == '\t' || *end == '\r') end++;
    if (*end || a <= 0 || b <= 0) return 0;
    *n = a;
    *d = b;
    return 1;
}

/* Whether the record after the header is text: the bytes up to the next
** newline after "word " are all characters of decimal numbers. */
static int record_is_text(const unsigned char *b, size_t len, size_t pos)
{
    while (pos < len && b[pos] != ' ' && b[pos] != '\n') pos++;
    for (pos++; pos < len && b[pos] != '\n'; pos++)
        if (!strchr("0123456789+-.eE \t\rnaifNAIF", b[pos]) || !b[pos]) return 0;
    return 1;
}

/* Parses the d numbers after the word of `line` into row. */
static int parse_values(char *line, int64_t lineno, int64_t d, float *row)
{
    char *p = line;
    while (*p && *p != ' ' && *p != '\t') p++;
    GK_FAIL_IF(p == line, GK_EFORMAT, "line %lld does not start with a word", (long long)lineno);
    int64_t k = 0;
    for (;;) {
        while (*p == ' ' || *p == '\t') p++;
        if (!*p) break;
        char *end;
        float v = strtof(p, &end);
        GK_FAIL_IF(end == p || (*end && *end != ' ' && *end != '\t'), GK_EFORMAT,
                   "line %lld: '%.20s' is not a number", (long long)lineno, p);
        if (k < d) row[k] = v;
        k++;
        p = end;
    }
    GK_FAIL_IF(k != d, GK_EFORMAT, "line %lld has %lld values; expected %lld", (long long)lineno,
               (long long)k, (long long)d);
    return GK_OK;
}

/* Number of values after the word on a line. */
static int64_t count_values(const char *line)
{
    int64_t k = 0;
    const char *p = line;
    while (*p && *p != ' ' && *p != '\t') p++;
    for (;;) {
        while (*p == ' ' || *p == '\t') p++;
        if (!*p) return k;
        k++;
        while (*p && *p != ' ' && *p != '\t') p++;
    }
}

/* Text records lines[first..n) of a len-byte file; d is known (word2vec) or
** taken from the first record. */
static int parse_text(char **lines, int64_t n, int64_t first, int64_t d, size_t len,
                      gk_mat **out, char **words)
{
    int64_t rows = n - first;
    GK_FAIL_IF(rows <= 0, GK_ESHAPE, "no vectors: the file has zero rows");
    if (d <= 0) d = count_values(lines[first]);
    GK_FAIL_IF(d <= 0, GK_ESHAPE, "line %lld has a word but no values; expected 'word v1 v2 …'",
               (long long)first + 1);
    /* a value takes at least 2 bytes (a digit and a separator): refuse a
    ** declared size the file cannot hold before allocating for it */
    GK_FAIL_IF((uint64_t)d > len / 2 / (uint64_t)rows, GK_EFORMAT,
               "%lld rows of %lld values cannot fit in %zu bytes; line %lld has %lld values",
               (long long)rows, (long long)d, len, (long long)first + 1,
               (long long)count_values(lines[first]));
    GK_TRY(gk_mat_create(rows, d, out));
    for (int64_t i = 0; i < rows; i++) {
        char *line = lines[first + i];
        GK_TRY(parse_values(line, first + i + 1, d, gk_mat_row(*out, i)));
        if (words) {
            size_t w = strcspn(line, " \t");
            line[w] = '\0';
            GK_FAIL_IF(!(words[i] = gk_strdup(line)), GK_ENOMEM, "out of memory");
        }
    }
    return GK_OK;
}

typedef struct wv_result {
    gk_mat *m;
    char **words;
    int64_t n_words; /* entries of words that may be set */
} wv_result;

/* GloVe or word2vec text in buf (modified in place). */
static int load_text(char *buf, size_t len, int has_header, int64_t n, int64_t d, wv_result *r,
                     int want_words, gk_array_info *info)
{
    char **lines = NULL;
    int64_t nl;
    int rc;
    GK_TRY(io_split_lines(buf, len, &lines, &nl));
    while (nl > 0 && !lines[nl - 1][0]) nl--; /* trailing blank lines */
    int64_t first = has_header ? 1 : 0;
    if (has_header && nl - 1 != n)
        GK_FAIL_GOTO(rc, GK_EFORMAT, cleanup, "header says %lld words but %lld lines follow it",
                     (long long)n, (long long)(nl - 1));
    r->n_words = nl > first ? nl - first : 0;
    if (want_words && !(r->words = gk_calloc((size_t)(r->n_words + 1), sizeof(char *))))
        GK_FAIL_GOTO(rc, GK_ENOMEM, cleanup, "out of memory");
    rc = parse_text(lines, nl, first, has_header ? d : 0, len, &r->m, r->words);
    snprintf(info->format, sizeof info->format, has_header ? "word2vec-text" : "glove-text");
cleanup:
    gk_free(lines);
    return rc;
}

/* Detects the variant of buf[0..len) and parses it. */
static int load_buffer(unsigned char *buf, size_t len, wv_result *r, int want_words,
                       gk_array_info *info)
{
    GK_FAIL_IF(len == 0, GK_EFORMAT, "file is empty (0 bytes); expected word vectors");
    const unsigned char *nl = memchr(buf, '\n', len);
    size_t hlen = nl ? (size_t)(nl - buf) : len;
    int64_t n = 0, d = 0;
    char head[64];
    int has_header = 0;
    if (hlen < sizeof head) {
        memcpy(head, buf, hlen);
        head[hlen] = '\0';
        has_header = parse_w2v_header(head, &n, &d);
    }
    GK_FAIL_IF(has_header && !nl, GK_ESHAPE, "header says %lld words but no vectors follow",
               (long long)n);
    if (has_header && !record_is_text(buf, len, hlen + 1)) {
        snprintf(info->format, sizeof info->format, "word2vec-binary");
        r->n_words = n;
        return io_w2v_binary_parse(buf, len, hlen + 1, n, d, &r->m, want_words ? &r->words : NULL);
    }
    return load_text((char *)buf, len, has_header, n, d, r, want_words, info);
}

/* Parses buf[0..len) (NUL at buf[len], modified in place) into *out and,
** if vocab, *vocab; fills *inf. */
static int wordvec_from_buffer(unsigned char *buf, size_t len, gk_mat **out, gk_vocab **vocab,
                               gk_array_info *inf)
{
    wv_result r = {NULL, NULL, 0};
    int rc = load_buffer(buf, len, &r, vocab != NULL, inf);
    if (rc == GK_OK && vocab && !(*vocab = gk_calloc(1, sizeof **vocab))) rc = GK_ENOMEM;
    if (rc != GK_OK) {
        gk_mat_free(r.m);
        gk_strings_free(r.words, r.n_words);
        return rc;
    }
    if (vocab) **vocab = (gk_vocab){r.m->rows, r.words};
    *out = r.m;
    snprintf(inf->dtype, sizeof inf->dtype, "float32");
    snprintf(inf->byte_order, sizeof inf->byte_order, "little");
    inf->ndim = 2;
    inf->shape[0] = r.m->rows;
    inf->shape[1] = r.m->cols;
    inf->view = -1;
    return GK_OK;
}

int io_wordvec_load(const char *path, gk_mat **out, gk_vocab **vocab, gk_array_info *info)
{
    unsigned char *buf;
    size_t len;
    gk_array_info scratch;
    *out = NULL;
    if (vocab) *vocab = NULL;
    GK_TRY(io_file_read(path, &buf, &len));
    int rc = wordvec_from_buffer(buf, len, out, vocab, info ? info : &scratch);
    gk_free(buf);
    return rc;
}

/* Finite check, cleanup and the name prefix shared by the two public readers. */
static int wordvec_finish(int rc, const char *name, gk_mat **vectors, gk_vocab **vocab)
{
    if (rc == GK_OK) rc = gk_mat_check_finite(*vectors);
    if (rc != GK_OK) {
        gk_mat_free(*vectors);
        gk_vocab_free(*vocab);
        *vectors = NULL;
        *vocab = NULL;
        gk_error_prepend(rc, name);
    }
    return rc;
}

int gk_wordvec_read_mem(const void *buf, size_t len, const char *name, gk_mat **vectors,
                        gk_vocab **vocab)
{
    const char *nm = name ? name : "<memory>";
    GK_FAIL_IF(!vectors || !vocab || (!buf && len), GK_EARG,
               "%s: gk_wordvec_read_mem: arguments must not be NULL", nm);
    *vectors = NULL;
    *vocab = NULL;
    gk_array_info info;
    /* the parser splits lines in place and relies on a NUL after the data */
    char *copy;
    if (io_buffer_copy(buf, len, &copy) != GK_OK) return gk_error_prepend(GK_ENOMEM, nm);
    int rc = wordvec_from_buffer((unsigned char *)copy, len, vectors, vocab, &info);
    gk_free(copy);
    return wordvec_finish(rc, nm, vectors, vocab);
}

int gk_wordvec_read(const char *path, gk_mat **vectors, gk_vocab **vocab)
{
    GK_FAIL_IF(!path || !vectors || !vocab, GK_EARG, "gk_wordvec_read: arguments must not be NULL");
    int rc = io_wordvec_load(path, vectors, vocab, NULL);
    return wordvec_finish(rc, path, vectors, vocab);
}
