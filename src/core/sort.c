/*
** sort.c — qsort comparators shared by the modules (sort_internal.h).
*/
#include <stdint.h>

#include "sort_internal.h"

int gk_cmp_i64(const void *a, const void *b)
{
    const int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}
