/*
** alloc_test_util.h — for the tests of hostile sizes and memory: an allocator
** (count_from_here(), in test_util.h), and the seed files of tests/fuzz/corpus
** as inputs.
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
