/*
** sort_internal.h — comparators for qsort shared by the modules.  Not
** installed.
*/
#ifndef GAPKIT_SORT_INTERNAL_H
#define GAPKIT_SORT_INTERNAL_H

/* qsort comparator of int64_t values, ascending. */
int gk_cmp_i64(const void *a, const void *b);

#endif
