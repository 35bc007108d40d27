/*
** dist_gather.c — every rank's rows of a result to rank 0, in rank order
** (hence global row order), so that one rank writes the output file once
** (gathered whole, or streamed into the .npy as they arrive); or every
** rank's rows of an input to every rank, for the one fit that keeps rows
** themselves (projdec's memory); and the in-place all-gather of fixed-size
** records (the kNN duplicate table's hashes and first copies).
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

/* Rows per message of gk_dist_write_rows: about 16 MB at d = 1024. */
enum { WRITE_CHUNK = 4096 };

/* Rank 0's side: its own rows, then each rank's in rank order, chunk by
** chunk through buf (WRITE_CHUNK rows), into the stream.  After a write
** error it keeps receiving, so that no sender blocks, and keeps the first
** error. */
static int write_all(gk_npy_stream *st, const gk_mat *mine, int64_t width, float *buf)
{
    int rc = mine && mine->rows ? gk_npy_stream_write(st, mine) : GK_OK;
#ifdef GK_HAVE_MPI
    for (int s = 1; s < gk_dist_size(); s++) {
        int64_t nr = 0;
        MPI_Recv(&nr, 1, MPI_INT64_T, s, 3, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
        for (int64_t i0 = 0; i0 < nr; i0 += WRITE_CHUNK) {
            const int64_t n = nr - i0 < WRITE_CHUNK ? nr - i0 : WRITE_CHUNK;
            MPI_Recv(buf, (int)(n * width), MPI_FLOAT, s, 4, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
            gk_mat blk = {buf, n, width, width, 1, NULL};
            if (rc == GK_OK) rc = gk_npy_stream_write(st, &blk);
        }
    }
#else
    (void)width, (void)buf;
#endif
    return rc;
}

/* A rank's side: its row count, then its rows in WRITE_CHUNK-row messages. */
static void send_mine(const gk_mat *mine, int64_t width)
{
#ifdef GK_HAVE_MPI
    int64_t nr = mine ? mine->rows : 0;
    MPI_Send(&nr, 1, MPI_INT64_T, 0, 3, MPI_COMM_WORLD);
    for (int64_t i0 = 0; i0 < nr; i0 += WRITE_CHUNK) {
        const int64_t n = nr - i0 < WRITE_CHUNK ? nr - i0 : WRITE_CHUNK;
        MPI_Send(gk_mat_row(mine, i0), (int)(n * width), MPI_FLOAT, 0, 4, MPI_COMM_WORLD);
    }
#else
    (void)mine, (void)width;
#endif
}

int gk_dist_write_rows(const gk_mat *mine, int64_t width, const char *path)
{
    GK_FAIL_IF(!path || width < 1 || width > INT_MAX / WRITE_CHUNK, GK_EARG,
               "write rows: bad argument");
    GK_FAIL_IF(mine && mine->rows && (mine->cols != width || mine->cs != 1 ||
                                      mine->rs != width), GK_EARG,
               "write rows: rows must be contiguous and %lld wide", (long long)width);
    const int64_t total = dist_total(mine ? mine->rows : 0);
    const int root = gk_dist_rank() == 0;
    gk_npy_stream *st = NULL;
    float *buf = NULL;
    int rc = root ? gk_npy_stream_open(path, total, width, &st) : GK_OK;
    if (rc == GK_OK && root && gk_dist_size() > 1) {
        buf = gk_malloc((size_t)WRITE_CHUNK * (size_t)width * sizeof *buf);
        if (!buf) rc = GK_ENOMEM;
    }
    if ((rc = gk_dist_agree(rc, NULL)) == GK_OK) {
        if (root) rc = write_all(st, mine, width, buf);
        else send_mine(mine, width);
    }
    gk_free(buf);
    if (root && rc == GK_OK) rc = gk_npy_stream_commit(st);
    else gk_npy_stream_abort(st); /* NULL: no-op */
    int who;
    const int all = gk_dist_agree(rc, &who);
    if (all != GK_OK && rc == GK_OK)
        rc = gk_set_error(all, "%s: not written: rank %d failed (see its message)", path, who);
    return rc;
}

#ifdef GK_HAVE_MPI
#define ROW_CHUNK (1 << 30) /* bytes per broadcast: MPI counts are int */

/* Rows [r0, r0+nr) of the (·, d) float matrix `all`, from rank `root` to all. */
static void bcast_rows(float *all, int64_t r0, int64_t nr, int64_t d, int root)
{
    char *p = (char *)(all + r0 * d);
    const size_t bytes = (size_t)nr * (size_t)d * sizeof(float);
    for (size_t o = 0; o < bytes; o += ROW_CHUNK)
        MPI_Bcast(p + o, (int)(bytes - o < ROW_CHUNK ? bytes - o : ROW_CHUNK), MPI_BYTE, root,
                  MPI_COMM_WORLD);
}
#endif

int dist_all_rows(const gk_mat *X, int64_t n, gk_mat **out)
{
    *out = NULL;
    const int size = gk_dist_size(), me = gk_dist_rank();
    const int64_t d = X->cols;
    int64_t r0, nr;
    gk_dist_row_range(n, me, size, &r0, &nr);
    gk_mat *all = NULL;
    int rc = nr == X->rows ? gk_mat_create(n, d, &all)
                           : gk_set_error(GK_ESHAPE, "gather: rank %d holds %lld rows, expected "
                                          "%lld of %lld", me, (long long)X->rows, (long long)nr,
                                          (long long)n);
    for (int64_t i = 0; rc == GK_OK && i < nr; i++)
        for (int64_t j = 0; j < d; j++) all->data[(r0 + i) * d + j] = gk_mat_at(X, i, j);
    if ((rc = gk_dist_agree(rc, NULL)) != GK_OK) return gk_mat_free(all), rc;
#ifdef GK_HAVE_MPI
    for (int s = 0; gk_dist_active() && s < size; s++) { /* each rank's rows in turn */
        gk_dist_row_range(n, s, size, &r0, &nr);
        bcast_rows(all->data, r0, nr, d, s);
    }
#endif
    *out = all;
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
