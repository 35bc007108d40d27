/*
** text_lines.c — splitting a text buffer into lines, and copying string
** arrays; shared by the vocabulary, label and CSV readers.
*/
#include <string.h>

#include "core/error_internal.h"
#include "io_internal.h"

size_t io_bom_len(const void *buf, size_t len)
{
    return len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
}

int io_split_lines(char *buf, size_t len, char ***lines, int64_t *n)
{
    size_t bom = io_bom_len(buf, len); /* an editor's mark, not part of line 1 */
    buf += bom;
    len -= bom;
    int64_t count = 0;
    for (size_t i = 0; i < len; i++) {
        GK_FAIL_IF(buf[i] == '\0', GK_EFORMAT,
                   "line %lld holds a NUL byte; expected text (is it a binary file?)",
                   (long long)count + 1);
        count += buf[i] == '\n';
    }
    if (len && buf[len - 1] != '\n') count++; /* last line without '\n' */
    *lines = gk_malloc((size_t)(count ? count : 1) * sizeof(char *));
    if (!*lines) return GK_ENOMEM;
    int64_t k = 0;
    char *start = buf;
    for (size_t i = 0; i < len; i++) {
        if (buf[i] != '\n') continue;
        buf[i] = '\0';
        if (buf + i > start && buf[i - 1] == '\r') buf[i - 1] = '\0';
        (*lines)[k++] = start;
        start = buf + i + 1;
    }
    if (k < count) {
        size_t tail = strlen(start);
        if (tail && start[tail - 1] == '\r') start[tail - 1] = '\0';
        (*lines)[k++] = start;
    }
    *n = k;
    return GK_OK;
}

int io_strings_copy(const char *const *s, int64_t n, char ***out)
{
    *out = gk_calloc((size_t)(n ? n : 1), sizeof(char *));
    if (!*out) return GK_ENOMEM;
    for (int64_t i = 0; i < n; i++) {
        (*out)[i] = gk_strdup(s[i]);
        if (!(*out)[i]) {
            gk_strings_free(*out, i);
            *out = NULL;
            return GK_ENOMEM;
        }
    }
    return GK_OK;
}

void gk_strings_free(char **s, int64_t n)
{
    if (!s) return;
    for (int64_t i = 0; i < n; i++) gk_free(s[i]);
    gk_free(s);
}
