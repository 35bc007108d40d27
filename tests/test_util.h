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

/*====  a counting allocator that can fail the n-th call  ====*/

static long n_alloc, fail_at = -1;
static size_t bytes_alloc, max_block;

static inline void *counting_alloc(void *ud, size_t size)
{
    (void)ud;
    if (n_alloc++ == fail_at) return NULL;
    bytes_alloc += size;
    if (size > max_block) max_block = size;
    void *p = NULL;
    return posix_memalign(&p, 64, size ? size : 1) == 0 ? p : NULL;
}

static inline void counting_free(void *ud, void *p)
{
    (void)ud;
    free(p);
}

/* Starts counting (and failing call number `fail`, or none for -1). */
static inline void count_from_here(long fail)
{
    static const gk_allocator a = {counting_alloc, counting_free, NULL};
    gk_set_allocator(&a);
    n_alloc = 0;
    bytes_alloc = 0;
    max_block = 0;
    fail_at = fail;
}

static inline int restore_allocator(void **state)
{
    (void)state;
    gk_set_allocator(NULL);
    return 0;
}

#endif
