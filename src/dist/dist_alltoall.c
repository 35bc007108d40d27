/*
** dist_alltoall.c — records sent to the rank that needs them (the entries
** of a sparse structure to the rank of their column, the edges of a graph to
** the rank of their row), received in source-rank order so that a receiver
** sees them in global row order.
*/
#include <limits.h>
#include <string.h>

#include "core/error_internal.h"
#include "dist_internal.h"

int dist_alltoall_bytes(const void *send, const int *cnt, void **recv, int64_t *nbytes,
                        const char *what)
{
    const int P = gk_dist_size();
    int *off = gk_calloc((size_t)P * 3, sizeof *off), *rcnt = off ? off + P : NULL;
    int *roff = off ? off + 2 * P : NULL;
    *recv = NULL;
    int rc = off ? GK_OK : gk_set_error(GK_ENOMEM, "%s: out of memory (rank %d)", what,
                                        gk_dist_rank());
    if ((rc = gk_dist_agree(rc, NULL)) != GK_OK) return gk_free(off), rc;
    for (int s = 1; s < P; s++) off[s] = off[s - 1] + cnt[s - 1];
    memcpy(rcnt, cnt, (size_t)P * sizeof *cnt);
#ifdef GK_HAVE_MPI
    if (gk_dist_active()) MPI_Alltoall(cnt, 1, MPI_INT, rcnt, 1, MPI_INT, MPI_COMM_WORLD);
#endif
    int64_t tot = 0;
    for (int s = 0; s < P; s++) roff[s] = (int)(tot < INT_MAX ? tot : 0), tot += rcnt[s];
    *recv = gk_malloc((size_t)(tot ? tot : 1));
    rc = *recv && tot <= INT_MAX ? GK_OK
         : gk_set_error(GK_ENOMEM, "%s: out of memory for %lld bytes received (rank %d)", what,
                        (long long)tot, gk_dist_rank());
    if ((rc = gk_dist_agree(rc, NULL)) == GK_OK) {
#ifdef GK_HAVE_MPI
        if (gk_dist_active())
            MPI_Alltoallv(send, cnt, off, MPI_BYTE, *recv, rcnt, roff, MPI_BYTE, MPI_COMM_WORLD);
        else
#endif
            memcpy(*recv, send, (size_t)tot);
        *nbytes = tot;
    } else {
        gk_free(*recv), *recv = NULL;
    }
    gk_free(off);
    return rc;
}
