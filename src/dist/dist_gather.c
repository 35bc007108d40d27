/*
** dist_gather.c — every rank's rows of a result to rank 0, in rank order
** (hence global row order), so that one rank writes the output file once.
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
