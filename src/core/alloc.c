/*
** alloc.c — the single allocation path of the library, with a replaceable
** allocator so tests can inject failures.
*/
#include <stdlib.h>
#include <string.h>

#include "error_internal.h"

static void *default_alloc(void *ud, size_t size)
{
    (void)ud;
    void *p = NULL;
    /* 64-byte alignment keeps rows friendly to SIMD loads and cache lines. */
    if (posix_memalign(&p, 64, size ? size : 1) != 0) return NULL;
    return p;
}

static void default_free(void *ud, void *ptr)
{
    (void)ud;
    free(ptr);
}

static gk_allocator current = {default_alloc, default_free, NULL};

void gk_set_allocator(const gk_allocator *a)
{
    if (a) current = *a;
    else {
        current.alloc = default_alloc;
        current.free = default_free;
        current.ud = NULL;
    }
}

void *gk_malloc(size_t size)
{
    void *p = current.alloc(current.ud, size);
    if (!p) gk_set_error(GK_ENOMEM, "out of memory allocating %zu bytes", size);
    return p;
}

void *gk_calloc(size_t n, size_t size)
{
    if (size && n > SIZE_MAX / size) {
        gk_set_error(GK_ENOMEM, "allocation of %zu x %zu bytes overflows", n, size);
        return NULL;
    }
    void *p = gk_malloc(n * size);
    if (p) memset(p, 0, n * size);
    return p;
}

void gk_free(void *ptr)
{
    if (ptr) current.free(current.ud, ptr);
}

char *gk_strdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *p = gk_malloc(n);
    if (p) memcpy(p, s, n);
    return p;
}
