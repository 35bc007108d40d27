/*
** dist_reduce.c — sums over blocks in a fixed order across ranks.
**
** Floating-point addition is not associative, so an MPI_Allreduce (whose
** order depends on the rank count and the network) would change the last
** bits of a result with the number of ranks.  Here one running sum starts at
** 0 on rank 0, which adds its blocks' partial sums in order and hands it to
** rank 1, and so on; the last rank broadcasts the total.  The additions are
** then exactly those of one process adding every block in order.  The cost
** is P−1 sequential messages of `len` doubles: small next to the per-block
** work (a block's partial sum costs GK_CROSS_BLOCK times more flops than
** adding it).
*/
#include <string.h>

#include "core/error_internal.h"
#include "dist_internal.h"

#define CHUNK (1 << 26) /* doubles per message: MPI counts are int */

#ifdef GK_HAVE_MPI
static void send_doubles(double *v, int64_t len, int peer, int recv)
{
    for (int64_t o = 0; o < len; o += CHUNK) {
        const int c = (int)(len - o < CHUNK ? len - o : CHUNK);
        if (recv) MPI_Recv(v + o, c, MPI_DOUBLE, peer, 0, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
        else MPI_Send(v + o, c, MPI_DOUBLE, peer, 0, MPI_COMM_WORLD);
    }
}

static void bcast_doubles(double *v, int64_t len, int root)
{
    for (int64_t o = 0; o < len; o += CHUNK)
        MPI_Bcast(v + o, (int)(len - o < CHUNK ? len - o : CHUNK), MPI_DOUBLE, root,
                  MPI_COMM_WORLD);
}
#endif

#ifdef GK_HAVE_MPI
#define BYTE_CHUNK (1 << 30) /* bytes per message */

static void pass_bytes(void *v, size_t len, int peer, int recv)
{
    for (size_t o = 0; o < len; o += BYTE_CHUNK) {
        const int c = (int)(len - o < BYTE_CHUNK ? len - o : BYTE_CHUNK);
        if (recv) MPI_Recv((char *)v + o, c, MPI_BYTE, peer, 3, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
        else MPI_Send((char *)v + o, c, MPI_BYTE, peer, 3, MPI_COMM_WORLD);
    }
}
#endif

void dist_chain(void *state, size_t bytes, void (*add)(void *state, void *ud), void *ud)
{
#ifdef GK_HAVE_MPI
    const int rank = gk_dist_rank(), size = gk_dist_size();
    if (rank > 0) pass_bytes(state, bytes, rank - 1, 1);
    add(state, ud);
    if (rank < size - 1) pass_bytes(state, bytes, rank + 1, 0);
    for (size_t o = 0; size > 1 && o < bytes; o += BYTE_CHUNK)
        MPI_Bcast((char *)state + o, (int)(bytes - o < BYTE_CHUNK ? bytes - o : BYTE_CHUNK),
                  MPI_BYTE, size - 1, MPI_COMM_WORLD);
#else
    (void)bytes;
    add(state, ud);
#endif
}

int gk_dist_sum_blocks(const double *parts, int64_t nb, int64_t len, double *total)
{
    GK_FAIL_IF(!total || (nb > 0 && !parts) || len < 0, GK_EARG, "sum over blocks: bad argument");
    const int rank = gk_dist_rank(), size = gk_dist_size();
    memset(total, 0, (size_t)len * sizeof *total);
#ifdef GK_HAVE_MPI
    if (rank > 0) send_doubles(total, len, rank - 1, 1);
#endif
    for (int64_t b = 0; b < nb; b++)
        for (int64_t q = 0; q < len; q++) total[q] += parts[b * len + q];
#ifdef GK_HAVE_MPI
    if (rank < size - 1) send_doubles(total, len, rank + 1, 0);
    if (size > 1) bcast_doubles(total, len, size - 1);
#else
    (void)rank, (void)size;
#endif
    return GK_OK;
}
