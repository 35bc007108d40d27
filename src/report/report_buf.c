/*
** report_buf.c — the growing text buffer the report page is written into,
** with HTML escaping and the one number format used for people.
*/
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "core/error_internal.h"
#include "report_internal.h"

void rbuf_init(rbuf *b)
{
    b->s = NULL;
    b->len = b->cap = 0;
    b->failed = 0;
}

void rbuf_free(rbuf *b)
{
    gk_free(b->s);
    rbuf_init(b);
}

/* Makes room for `extra` more bytes plus the NUL; 0 on success. */
static int rbuf_reserve(rbuf *b, size_t extra)
{
    if (b->failed) return -1;
    if (b->len + extra + 1 <= b->cap) return 0;
    size_t cap = b->cap ? b->cap : 4096;
    while (cap < b->len + extra + 1) cap *= 2;
    char *s = gk_malloc(cap);
    if (!s) {
        b->failed = 1;
        return -1;
    }
    if (b->s) memcpy(s, b->s, b->len + 1);
    else s[0] = '\0';
    gk_free(b->s);
    b->s = s;
    b->cap = cap;
    return 0;
}

static void rbuf_append(rbuf *b, const char *text, size_t n)
{
    if (rbuf_reserve(b, n)) return;
    memcpy(b->s + b->len, text, n);
    b->len += n;
    b->s[b->len] = '\0';
}

void rbuf_puts(rbuf *b, const char *text) { rbuf_append(b, text, strlen(text)); }

void rbuf_printf(rbuf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0 || rbuf_reserve(b, (size_t)n)) return;
    va_start(ap, fmt);
    vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

void rbuf_escape(rbuf *b, const char *text)
{
    const char *run = text;
    for (const char *p = text; *p; p++) {
        const char *ent = NULL;
        switch (*p) {
        case '&': ent = "&amp;"; break;
        case '<': ent = "&lt;"; break;
        case '>': ent = "&gt;"; break;
        case '"': ent = "&quot;"; break;
        case '\'': ent = "&#39;"; break;
        default: continue;
        }
        rbuf_append(b, run, (size_t)(p - run));
        rbuf_puts(b, ent);
        run = p + 1;
    }
    rbuf_puts(b, run);
}

void rbuf_number(rbuf *b, double v)
{
    if (!isfinite(v)) rbuf_puts(b, "–");
    else if (fabs(v) >= 1e4) rbuf_printf(b, "%.0f", v);
    else if (v == 0.0) rbuf_puts(b, "0"); /* never "-0" */
    else rbuf_printf(b, "%.4g", v);
}

void rbuf_decimal(rbuf *b, double v, int decimals)
{
    if (!isfinite(v)) rbuf_puts(b, "–");
    else rbuf_printf(b, "%.*f", decimals, v == 0.0 ? 0.0 : v);
}

int rbuf_take(rbuf *b, char **out)
{
    *out = NULL;
    if (!b->failed && !b->s) rbuf_puts(b, "");
    if (b->failed) {
        rbuf_free(b);
        return gk_set_error(GK_ENOMEM, "report: out of memory while writing the page");
    }
    *out = b->s;
    rbuf_init(b);
    return GK_OK;
}
