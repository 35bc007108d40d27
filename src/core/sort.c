/*
** sort.c — qsort comparators shared by the modules (sort_internal.h).
*/
#include <math.h>
#include <stdint.h>

#include "sort_internal.h"

int gk_cmp_i64(const void *a, const void *b)
{
    const int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* Ties of v (NaN ties NaN) go to the smaller index. */
static int by_index(const gk_val_idx *x, const gk_val_idx *y)
{
    const int nx = isnan(x->v), ny = isnan(y->v);
    if (nx != ny) return nx - ny; /* NaN last */
    return (x->i > y->i) - (x->i < y->i);
}

int gk_cmp_val_idx(const void *a, const void *b)
{
    const gk_val_idx *x = a, *y = b;
    if (x->v < y->v) return -1;
    if (x->v > y->v) return 1;
    return by_index(x, y);
}

int gk_cmp_val_idx_desc(const void *a, const void *b)
{
    const gk_val_idx *x = a, *y = b;
    if (x->v > y->v) return -1;
    if (x->v < y->v) return 1;
    return by_index(x, y);
}
