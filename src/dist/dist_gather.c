/*
** dist_gather.c — every rank's rows of a result to rank 0, in rank order
** (hence global row order), so that one rank writes the output file once;
** and the all-gather of rows shared by every rank (the duplicate table).
*/
#include <limits.h>
#include <string.h>

#include "core/error_internal.h"
#include "dist_internal.h"

int gk_dist_gather_rows(const void *mine, int64_t rows, int64_t width, size_t elem, void **all)
{
    GK_FAIL_IF(!all || (rows > 0 && !mine) || width < 1 || elem < 1, GK_EARG,
               "gather: bad argument");
    *all = NULL;
    const int64_t total = dist_total(rows), row_bytes = width * (int64_t)elem;
    char *out = NULL;
    int rc = GK_OK;
    if (gk_dist_rank() == 0) {
        out = gk_malloc((size_t)(total ? total : 1) * (size_t)row_bytes);
        if (!out) rc = gk_set_error(GK_ENOMEM, "gather: out of memory for %lld rows on rank 0",
                                    (long long)total);
        else if (rows) memcpy(out, mine, (size_t)(rows * row_bytes));
    }
    if (rc == GK_OK && row_bytes > INT_MAX)
        rc = gk_set_error(GK_EARG, "gather: rows of %lld bytes", (long long)row_bytes);
    if ((rc = gk_dist_agree(rc, NULL)) != GK_OK) return gk_free(out), rc;
#ifdef GK_HAVE_MPI
    if (gk_dist_active() && gk_dist_size() > 1) {
        MPI_Datatype row;
        MPI_Type_contiguous((int)row_bytes, MPI_BYTE, &row);
        MPI_Type_commit(&row);
        int64_t at = rows;
        for (int s = 1; s < gk_dist_size(); s++) { /* one rank at a time, in order */
            int64_t nr = rows;
            if (gk_dist_rank() == 0) {
                MPI_Recv(&nr, 1, MPI_INT64_T, s, 1, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
                MPI_Recv(out + at * row_bytes, (int)nr, row, s, 2, MPI_COMM_WORLD,
                         MPI_STATUS_IGNORE);
                at += nr;
            } else if (gk_dist_rank() == s) {
                MPI_Send(&nr, 1, MPI_INT64_T, 0, 1, MPI_COMM_WORLD);
                MPI_Send(mine, (int)nr, row, 0, 2, MPI_COMM_WORLD);
            }
        }
        MPI_Type_free(&row);
    }
#endif
    *all = out;
    return GK_OK;
}

int dist_allgather_rows(void *all, int64_t n, size_t row_bytes, const char *what)
{
    const int P = gk_dist_size();
    int rc = n <= INT_MAX && row_bytes <= INT_MAX ? GK_OK
             : gk_set_error(GK_EARG, "%s: %lld rows of %zu bytes exceed one message", what,
                            (long long)n, row_bytes);
    int *cnt = gk_malloc((size_t)P * 2 * sizeof *cnt), *off = cnt ? cnt + P : NULL;
    if (rc == GK_OK && !cnt) rc = gk_set_error(GK_ENOMEM, "%s: out of memory", what);
    if ((rc = gk_dist_agree(rc, NULL)) != GK_OK) return gk_free(cnt), rc;
    for (int s = 0; s < P; s++) { /* the shares of gk_dist_row_range: known to every rank */
        int64_t r0, nr;
        gk_dist_row_range(n, s, P, &r0, &nr);
        cnt[s] = (int)nr, off[s] = (int)r0;
    }
#ifdef GK_HAVE_MPI
    if (gk_dist_active() && P > 1) {
        MPI_Datatype row;
        MPI_Type_contiguous((int)row_bytes, MPI_BYTE, &row);
        MPI_Type_commit(&row);
        MPI_Allgatherv(MPI_IN_PLACE, 0, MPI_DATATYPE_NULL, all, cnt, off, row, MPI_COMM_WORLD);
        MPI_Type_free(&row);
    }
#else
    (void)all;
#endif
    gk_free(cnt);
    return GK_OK;
}
