/*
** dist_train.c — `gapkit train` data-parallel over MPI ranks.  Every rank
** holds every row and draws the same shuffles, dropout and mixup; of each
** batch a rank runs the heads on its TRAIN_BLOCK-row blocks only.  The unit
** outputs are all-gathered so every rank computes the same loss over the
** whole batch, and the block gradients are added in block order along the
** ranks (dist_chain), the additions one process makes: the heads are those
** of gk_train() in one process, bit for bit.
*/
#include <limits.h>

#include "core/error_internal.h"
#include "dist_internal.h"
#include "learn/train_internal.h"

int train_share_rows(float *z, int64_t B, int64_t D, int rank, int size)
{
#ifdef GK_HAVE_MPI
    GK_FAIL_IF(B * D > INT_MAX, GK_EARG, "train: a batch of %lld×%lld floats is too large "
               "to share in one message", (long long)B, (long long)D);
    int *cnt = gk_malloc(2 * (size_t)size * sizeof *cnt), *at = cnt + size;
    GK_FAIL_IF(!cnt, GK_ENOMEM, "train: out of memory");
    for (int r = 0; r < size; r++) {
        int64_t r0, nr;
        train_rank_rows(B, r, size, &r0, &nr);
        cnt[r] = (int)(nr * D), at[r] = (int)(r0 * D);
    }
    (void)rank;
    MPI_Allgatherv(MPI_IN_PLACE, 0, MPI_DATATYPE_NULL, z, cnt, at, MPI_FLOAT, MPI_COMM_WORLD);
    gk_free(cnt);
    return GK_OK;
#else
    (void)z, (void)B, (void)D, (void)rank;
    GK_FAIL_IF(size > 1, GK_EARG, "train: %d ranks in a build without MPI", size);
    return GK_OK;
#endif
}

int gk_dist_train(const gk_train_opts *o, const gk_train_data *d, gk_train_progress_fn progress,
                  void *ud, gk_train_result **out)
{
    const int size = gk_dist_size();
    GK_FAIL_IF(!out || !o, GK_EARG, "train: NULL argument");
    *out = NULL;
    const int64_t blocks = (o->batch + TRAIN_BLOCK - 1) / TRAIN_BLOCK;
    /* a rank without a block would only wait for the others */
    GK_FAIL_IF(size > 1 && o->batch >= 2 && size > blocks, GK_EARG, "train: %d MPI ranks but "
               "a batch of %lld items has %lld block%s of %d rows (one per rank at least): use "
               "at most %lld ranks or --batch >= %lld", size, (long long)o->batch,
               (long long)blocks, blocks == 1 ? "" : "s", TRAIN_BLOCK, (long long)blocks,
               (long long)(size - 1) * TRAIN_BLOCK + 1);
    const int rc = train_run(o, d, progress, ud, out, gk_dist_rank(), size);
    int failed;
    const int all = gk_dist_agree(rc, &failed);
    if (rc != GK_OK || all == GK_OK) return rc;
    gk_train_result_free(*out);
    *out = NULL;
    return gk_set_error(all, "train: rank %d failed", failed);
}
