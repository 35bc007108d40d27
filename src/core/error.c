/*
** error.c — status-code strings and the per-thread "last error" text.
*/
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "gapkit/core.h"

#define GK_ERRMSG_LEN 1024

static _Thread_local char last_msg[GK_ERRMSG_LEN];

const char *gk_strerror(int code)
{
    switch (code) {
    case GK_OK:        return "ok";
    case GK_ENOMEM:    return "out of memory";
    case GK_EIO:       return "input/output error";
    case GK_EFORMAT:   return "malformed input";
    case GK_ESHAPE:    return "shape mismatch";
    case GK_EARG:      return "invalid argument";
    case GK_EBLAS:     return "BLAS/LAPACK failure";
    case GK_ENUMERIC:  return "invalid numeric value";
    case GK_EINTERNAL: return "internal error";
    default:           return "unknown error";
    }
}

const char *gk_last_error(void)
{
    return last_msg[0] ? last_msg : "no error";
}

int gk_set_error(int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(last_msg, sizeof last_msg, fmt, ap);
    va_end(ap);
    return code;
}

int gk_error_prepend(int code, const char *prefix)
{
    char tmp[GK_ERRMSG_LEN];
    size_t np = strlen(prefix);
    if (np > GK_ERRMSG_LEN / 2) np = GK_ERRMSG_LEN / 2;
    memcpy(tmp, last_msg, sizeof tmp);
    memcpy(last_msg, prefix, np);
    memcpy(last_msg + np, ": ", 2);
    size_t room = GK_ERRMSG_LEN - np - 3;
    size_t nt = strnlen(tmp, room);
    memcpy(last_msg + np + 2, tmp, nt);
    last_msg[np + 2 + nt] = '\0';
    return code;
}

int gk_version_number(void) { return GK_VERSION_NUMBER; }
const char *gk_version_string(void) { return GK_VERSION_STRING; }
