/*
** w2v_binary.c — the records of a word2vec binary file (after its "N D"
** header line): N times  word ' ' D little-endian float32  [optional '\n'].
** Sizes from the header are checked against the file before allocating.
*/
#include <string.h>

#include "core/error_internal.h"
#include "io_internal.h"

static float le_float(const unsigned char *p)
{
    uint32_t u = (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
                 (uint32_t)p[3] << 24;
    float f;
    memcpy(&f, &u, 4);
    return f;
}

/* One record at *pos: the word (copied into words[i] if words) and row i. */
static int read_record(const unsigned char *b, size_t len, size_t *pos, int64_t i, gk_mat *m,
                       char **words)
{
    size_t p = *pos;
    while (p < len && (b[p] == '\n' || b[p] == '\r')) p++;
    size_t w = p;
    while (p < len && b[p] != ' ') p++;
    GK_FAIL_IF(p >= len || p == w, GK_EFORMAT,
               "record %lld: expected 'word ' followed by %lld float32 values, found the end "
               "of the file", (long long)i + 1, (long long)m->cols);
    GK_FAIL_IF(memchr(b + w, '\0', p - w), GK_EFORMAT,
               "record %lld: the word holds a NUL byte", (long long)i + 1);
    size_t need = (size_t)m->cols * 4;
    GK_FAIL_IF(len - p - 1 < need, GK_EFORMAT,
               "record %lld ('%.*s') is truncated: %zu bytes left, %zu needed", (long long)i + 1,
               (int)(p - w < 64 ? p - w : 64), (const char *)b + w, len - p - 1, need);
    if (words) {
        words[i] = gk_malloc(p - w + 1);
        if (!words[i]) return GK_ENOMEM;
        memcpy(words[i], b + w, p - w);
        words[i][p - w] = '\0';
    }
    p++;
    float *row = gk_mat_row(m, i);
    for (int64_t j = 0; j < m->cols; j++) row[j] = le_float(b + p + 4 * (size_t)j);
    *pos = p + need;
    return GK_OK;
}

int io_w2v_binary_parse(const unsigned char *buf, size_t len, size_t pos, int64_t n, int64_t d,
                        gk_mat **out, char ***words)
{
    *out = NULL;
    if (words) *words = NULL;
    /* each record needs at least 2 bytes of word and separator plus 4*d */
    GK_FAIL_IF((uint64_t)d > (SIZE_MAX - 2) / 4 || (uint64_t)n > (len - pos) / (4 * (size_t)d + 2),
               GK_EFORMAT, "header says %lld words of %lld dimensions, more than the %zu bytes "
               "of the file can hold", (long long)n, (long long)d, len - pos);
    GK_TRY(gk_mat_create(n, d, out));
    int rc = GK_OK;
    if (words && !(*words = gk_calloc((size_t)n, sizeof(char *)))) rc = GK_ENOMEM;
    for (int64_t i = 0; i < n && rc == GK_OK; i++)
        rc = read_record(buf, len, &pos, i, *out, words ? *words : NULL);
    if (rc != GK_OK) {
        gk_mat_free(*out);
        *out = NULL;
        if (words) gk_strings_free(*words, n);
        if (words) *words = NULL;
    }
    return rc;
}
