/*
** fuzz_common.h — what the libFuzzer targets of tests/fuzz share: invariant
** checks that abort (so libFuzzer records the input), and the check that a
** failing call left a message naming the input and no result behind.
** Also compiled without libFuzzer into the replay programs of the test suite.
*/
#ifndef GAPKIT_FUZZ_COMMON_H
#define GAPKIT_FUZZ_COMMON_H

#define _GNU_SOURCE /* memfd_create */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "gapkit/gapkit.h"

/* Aborts with the failed condition: a finding, not a parse error. */
#define FUZZ_CHECK(cond)                                                               \
    do {                                                                               \
        if (!(cond)) {                                                                 \
            fprintf(stderr, "%s:%d: invariant failed: %s (last error: %s)\n", __FILE__, \
                    __LINE__, #cond, gk_last_error());                                 \
            abort();                                                                   \
        }                                                                              \
    } while (0)

/* A failure must be a known code with a message that names the input. */
static inline void fuzz_check_failure(int rc, const char *name)
{
    FUZZ_CHECK(rc > GK_OK && rc <= GK_EINTERNAL && rc != GK_EINTERNAL);
    FUZZ_CHECK(strstr(gk_last_error(), name) != NULL);
}

/* Every element of a parsed matrix is finite and the shape is positive
** (the parsers promise both); reading them all also lets ASan check the
** whole storage. */
static inline void fuzz_check_matrix(const gk_mat *m)
{
    FUZZ_CHECK(m && m->rows > 0 && m->cols > 0);
    for (int64_t i = 0; i < m->rows; i++)
        for (int64_t j = 0; j < m->cols; j++) {
            float v = gk_mat_at(m, i, j);
            FUZZ_CHECK(v - v == 0.0f);
        }
}

/* A reader of an array held in memory: gk_npy_read_mem, gk_npz_read_mem. */
typedef int (*fuzz_matrix_reader)(const void *buf, size_t len, const char *sel, const char *name,
                                  gk_mat **out);

/* Runs one reader on the input: a failure leaves no matrix and a message
** naming the input; a success gives a finite matrix of positive shape. */
static inline void fuzz_read_matrix(fuzz_matrix_reader read, const uint8_t *data, size_t size,
                                    const char *sel, const char *name)
{
    gk_mat *m = (gk_mat *)1;
    int rc = read(data, size, sel, name, &m);
    if (rc != GK_OK) {
        FUZZ_CHECK(m == NULL);
        fuzz_check_failure(rc, name);
        return;
    }
    fuzz_check_matrix(m);
    gk_mat_free(m);
}

/* The input as a file for the readers that take a path: an anonymous
** in-memory file (memfd), created once, named /proc/self/fd/N (no extension:
** the kind is found from the magic bytes).  @return : its name. */
static inline const char *fuzz_as_file(const uint8_t *data, size_t size)
{
    static int fd = -1;
    static char path[64];
    if (fd < 0) {
        fd = memfd_create("gk-fuzz", 0);
        FUZZ_CHECK(fd >= 0);
        snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
    }
    FUZZ_CHECK(ftruncate(fd, 0) == 0);
    FUZZ_CHECK(size == 0 || pwrite(fd, data, size, 0) == (ssize_t)size);
    return path;
}

/* gk_load_matrix_ex() on the input as a file, with a selector: the memory
** map and copy-on-write normalisation of .npy, the map of .npz. */
static inline void fuzz_load_file(const uint8_t *data, size_t size, const char *sel)
{
    const char *path = fuzz_as_file(data, size);
    char spec[80];
    snprintf(spec, sizeof spec, sel ? "%s:%s" : "%s", path, sel);
    gk_mat *m = (gk_mat *)1;
    int rc = gk_load_matrix_ex(spec, NULL, &m, NULL);
    if (rc == GK_OK) {
        fuzz_check_matrix(m);
        gk_mat_free(m);
    } else {
        FUZZ_CHECK(m == NULL);
        fuzz_check_failure(rc, path);
    }
}

/* One thread: the parsers are serial, and libomp threads only slow fuzzing. */
static inline void fuzz_init_threads(void)
{
    gk_set_threads(1);
}

#endif
