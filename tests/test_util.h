/*
** test_util.h — small helpers shared by the cmocka unit tests.
*/
#ifndef GAPKIT_TEST_UTIL_H
#define GAPKIT_TEST_UTIL_H

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "gapkit/gapkit.h"

/* Path of a file in ../shared/data, into a static buffer. */
static inline const char *shared_path(const char *rel)
{
    static char buf[4096];
    snprintf(buf, sizeof buf, "%s/%s", GK_SHARED_DATA, rel);
    return buf;
}

/* Fails the test with gk_last_error() when rc is not GK_OK. */
#define assert_gk_ok(expr)                                                             \
    do {                                                                               \
        int rc_ = (expr);                                                              \
        if (rc_ != GK_OK) fail_msg("%s -> %d: %s", #expr, rc_, gk_last_error());       \
    } while (0)

/* |a - b| <= tol, printing both and the difference (llm.c check_tensor). */
#define assert_close(a, b, tol)                                                        \
    do {                                                                               \
        double a_ = (a), b_ = (b);                                                     \
        if (!(fabs(a_ - b_) <= (tol)))                                                 \
            fail_msg("%s = %.9g, expected %.9g (diff %.3g > %.3g)", #a, a_, b_,       \
                     fabs(a_ - b_), (double)(tol));                                    \
    } while (0)

/* The error message contains `needle`. */
#define assert_error_has(needle)                                                       \
    do {                                                                               \
        if (!strstr(gk_last_error(), (needle)))                                        \
            fail_msg("error \"%s\" lacks \"%s\"", gk_last_error(), (needle));          \
    } while (0)

#endif
