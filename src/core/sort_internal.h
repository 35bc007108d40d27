/*
** sort_internal.h — comparators for qsort shared by the modules.  Not
** installed.
*/
#ifndef GAPKIT_SORT_INTERNAL_H
#define GAPKIT_SORT_INTERNAL_H

#include <stdint.h>

/* qsort comparator of int64_t values, ascending. */
int gk_cmp_i64(const void *a, const void *b);

/* A value and where it came from, for sorting values and keeping their
** indices (ranks, k smallest, Holm's order). */
typedef struct gk_val_idx {
    double v;
    int64_t i;
} gk_val_idx;

/* qsort comparators of gk_val_idx: by v ascending (gk_cmp_val_idx) or
** descending (gk_cmp_val_idx_desc), NaN last either way, ties by ascending
** i, so the order is total and the same on every platform. */
int gk_cmp_val_idx(const void *a, const void *b);
int gk_cmp_val_idx_desc(const void *a, const void *b);

#endif
