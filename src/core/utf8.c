/*
** utf8.c — text from outside (file names, labels) made valid UTF-8, so that
** JSON (which must be UTF-8) and the HTML report can always carry it.  Each
** byte that does not belong to a well-formed UTF-8 sequence becomes the four
** characters \xNN (lower-case hex), as Python's errors="backslashreplace"
** writes it: nothing is lost, and a valid name comes through unchanged.
*/
#include <stdio.h>
#include <string.h>

#include "error_internal.h"
#include "json_internal.h"

/* Length of the well-formed UTF-8 sequence at s (RFC 3629: no overlong
** forms, no surrogates, at most U+10FFFF), or 0. */
static size_t seq_len(const unsigned char *s)
{
    unsigned c = s[0];
    if (c < 0x80) return 1;
    size_t n = c >= 0xC2 && c <= 0xDF ? 2 : c >= 0xE0 && c <= 0xEF ? 3 : c >= 0xF0 && c <= 0xF4 ? 4 : 0;
    if (n == 0) return 0;
    unsigned lo = 0x80, hi = 0xBF; /* range of the second byte */
    if (c == 0xE0) lo = 0xA0;
    if (c == 0xED) hi = 0x9F;
    if (c == 0xF0) lo = 0x90;
    if (c == 0xF4) hi = 0x8F;
    if (s[1] < lo || s[1] > hi) return 0;
    for (size_t i = 2; i < n; i++)
        if (s[i] < 0x80 || s[i] > 0xBF) return 0;
    return n;
}

char *gk_utf8_escape(const char *s)
{
    if (!s) return NULL;
    const unsigned char *p = (const unsigned char *)s;
    size_t bad = 0, n = strlen(s);
    for (size_t i = 0, k; i < n; i += k ? k : 1) bad += (k = seq_len(p + i)) == 0;
    char *out = gk_malloc(n + 3 * bad + 1);
    if (!out) return NULL;
    char *o = out;
    for (size_t i = 0, k; i < n; i += k ? k : 1) {
        k = seq_len(p + i);
        if (k) memcpy(o, p + i, k), o += k;
        else o += snprintf(o, 5, "\\x%02x", p[i]);
    }
    *o = '\0';
    return out;
}

json_t *gk_json_text(const char *s)
{
    if (!s) return json_null();
    json_t *j = json_string(s);
    if (j) return j;
    char *clean = gk_utf8_escape(s);
    j = clean ? json_string(clean) : NULL;
    gk_free(clean);
    return j;
}
