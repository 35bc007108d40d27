/*
** error_internal.h — the few macros library code uses to report and forward
** failures (zstd's RETURN_ERROR_IF / FORWARD_IF_ERROR).  Not installed.
**
**   GK_FAIL_IF(cond, code, fmt, ...)  sets the message and returns code
**   GK_TRY(expr)                      returns expr's status if it is not GK_OK
**   GK_TRY_GOTO(rc, expr, label)      rc = expr; on failure jump to label
*/
#ifndef GAPKIT_ERROR_INTERNAL_H
#define GAPKIT_ERROR_INTERNAL_H

#include "gapkit/core.h"

#define GK_FAIL_IF(cond, code, ...)                                                    \
    do {                                                                               \
        if (cond) return gk_set_error((code), __VA_ARGS__);                            \
    } while (0)

#define GK_TRY(expr)                                                                   \
    do {                                                                               \
        int gk_try_rc_ = (expr);                                                       \
        if (gk_try_rc_ != GK_OK) return gk_try_rc_;                                    \
    } while (0)

#define GK_TRY_GOTO(rc, expr, label)                                                   \
    do {                                                                               \
        (rc) = (expr);                                                                 \
        if ((rc) != GK_OK) goto label;                                                 \
    } while (0)

/* Sets the message and jumps to `label` with rc = code. */
#define GK_FAIL_GOTO(rc, code, label, ...)                                             \
    do {                                                                               \
        (rc) = gk_set_error((code), __VA_ARGS__);                                      \
        goto label;                                                                    \
    } while (0)

#endif
