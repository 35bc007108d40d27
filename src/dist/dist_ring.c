/*
** dist_ring.c — every rank's shard of rows, passed around a ring: at step t
** rank r works on the shard of rank r−t while the shard of rank r−t−1
** arrives from its left neighbour and the current one leaves for its right.
** So a rank holds its own rows plus two travelling buffers of the largest
** shard, never the whole array, and each shard crosses every link once:
** (P−1)·N/P rows sent and received per rank.
*/
#include <limits.h>
#include <string.h>

#include "core/error_internal.h"
#include "dist_internal.h"

/* Largest shard of n rows among the ranks. */
static int64_t largest_shard(int64_t n)
{
    int64_t big = 0, r0, nr;
    for (int s = 0; s < gk_dist_size(); s++) {
        gk_dist_row_range(n, s, gk_dist_size(), &r0, &nr);
        if (nr > big) big = nr;
    }
    return big;
}

#ifdef GK_HAVE_MPI
/* Starts sending `out` (rows of D floats) right and receiving `nin` rows
** from the left into `in`, as step t's messages. */
static void ring_post(const float *out, int64_t nout, float *in, int64_t nin, MPI_Datatype row,
                      int t, MPI_Request req[2])
{
    const int P = gk_dist_size(), me = gk_dist_rank();
    MPI_Irecv(in, (int)nin, row, (me - 1 + P) % P, t, MPI_COMM_WORLD, &req[0]);
    MPI_Isend(out, (int)nout, row, (me + 1) % P, t, MPI_COMM_WORLD, &req[1]);
}
#endif

/* The rows of G as one contiguous float array: G's own, or a packed copy in buf. */
static const float *contiguous(const gk_mat *G, float *buf)
{
    if (G->rows == 0 || (G->rs == G->cols && G->cs == 1)) return G->data;
    for (int64_t i = 0; i < G->rows; i++)
        for (int64_t j = 0; j < G->cols; j++) buf[i * G->cols + j] = gk_mat_at(G, i, j);
    return buf;
}

int dist_ring(const gk_mat *G, int64_t n, dist_ring_visit visit, void *ud)
{
    const int P = gk_dist_size(), me = gk_dist_rank();
    const int64_t D = G->cols, big = P > 1 ? largest_shard(n) : 0;
    float *buf = gk_malloc((size_t)(2 * big * D + 1) * sizeof *buf);
    int rc = buf ? GK_OK : gk_set_error(GK_ENOMEM, "ring: out of memory for two shards of "
                                        "%lld rows (rank %d)", (long long)big, me);
    if (rc == GK_OK && big > INT_MAX)
        rc = gk_set_error(GK_EARG, "ring: shards of %lld rows exceed one message; use more "
                          "ranks", (long long)big);
    if ((rc = gk_dist_agree(rc, NULL)) != GK_OK) return gk_free(buf), rc;
    gk_mat cur = *G;
    int64_t r0, nr;
#ifdef GK_HAVE_MPI
    MPI_Datatype row;
    if (P > 1) MPI_Type_contiguous((int)D, MPI_FLOAT, &row), MPI_Type_commit(&row);
#endif
    for (int t = 0; t < P; t++) {
        const int owner = (me - t + P) % P;
        gk_dist_row_range(n, owner, P, &r0, &nr);
        float *in = buf + (t % 2) * big * D;
#ifdef GK_HAVE_MPI
        MPI_Request req[2];
        int64_t r1, n1;
        gk_dist_row_range(n, (owner - 1 + P) % P, P, &r1, &n1);
        /* step 0 packs into the buffer step 1 does not receive into */
        const float *out = t == 0 ? contiguous(G, buf + big * D) : cur.data;
        if (t < P - 1) ring_post(out, cur.rows, in, n1, row, t, req);
#endif
        if (rc == GK_OK && cur.rows) rc = visit(ud, &cur, r0, owner);
#ifdef GK_HAVE_MPI
        if (t < P - 1) MPI_Waitall(2, req, MPI_STATUSES_IGNORE);
        cur = (gk_mat){in, n1, D, D, 1, NULL};
#else
        (void)in, (void)contiguous;
#endif
    }
#ifdef GK_HAVE_MPI
    if (P > 1) MPI_Type_free(&row);
#endif
    gk_free(buf);
    int who, all = gk_dist_agree(rc, &who);
    if (all != GK_OK && rc == GK_OK)
        rc = gk_set_error(all, "stopped: rank %d failed (see its message)", who);
    return rc;
}
