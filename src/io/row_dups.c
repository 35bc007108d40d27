/*
** row_dups.c — counting rows that are bit-for-bit copies of an earlier row
** (exact duplicates: a sign of a broken export or a repeated item), through
** gk_mat_first_rows().
*/
#include "core/error_internal.h"
#include "io_internal.h"

int io_count_duplicate_rows(const gk_mat *a, int64_t *n_dup)
{
    int64_t *first = gk_malloc((size_t)(a->rows ? a->rows : 1) * sizeof *first), distinct = 0;
    if (!first) return GK_ENOMEM;
    int rc = gk_mat_first_rows(a, first, &distinct);
    *n_dup = a->rows - distinct;
    gk_free(first);
    return rc;
}
