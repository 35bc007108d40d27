/*
** alloc_test_util.h — for the tests of hostile sizes and memory: an allocator
** (installed with gk_set_allocator) that counts calls and bytes and can fail
** the n-th call, and the seed files of tests/fuzz/corpus as inputs.
*/
#ifndef GAPKIT_ALLOC_TEST_UTIL_H
#define GAPKIT_ALLOC_TEST_UTIL_H

#include "io_test_util.h"

/* tests/fuzz/corpus/<target>/<name>, found from this source file's path. */
static inline const char *corpus(const char *rel)
{
    static char buf[4096];
    const char *slash = strrchr(__FILE__, '/');
    int dir = slash ? (int)(slash - __FILE__) : 1;
    snprintf(buf, sizeof buf, "%.*s/fuzz/corpus/%s", dir, slash ? __FILE__ : ".", rel);
    return buf;
}

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

/* Whole file into a malloc block (outside the counted allocator). */
static inline unsigned char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) fail_msg("cannot open %s (run tests/fuzz/make-corpus)", path);
    unsigned char *b = malloc(1 << 20);
    assert_non_null(b);
    *len = fread(b, 1, 1 << 20, f);
    fclose(f);
    return b;
}

#endif
