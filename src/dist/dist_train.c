/*
** dist_train.c — `gapkit train` data-parallel over MPI ranks.  Every rank
** holds every row and draws the same shuffles, dropout and mixup; of each
** batch a rank runs the heads on its blocks of o->row_block rows only
** (train_step.c).  The unit outputs are all-gathered so every rank computes
** the same loss over the whole batch, and the block gradients are added in
** block order along the ranks (dist_chain), the additions one process makes:
** the heads are those of gk_train() in one process with the same options,
** bit for bit.
*/
#include <limits.h>

#include "core/error_internal.h"
#include "dist_internal.h"
#include "learn/train_internal.h"

void train_share_rows(const train_batch *b, float *z)
{
#ifdef GK_HAVE_MPI
    int *cnt = b->share, *at = b->share + b->size;
    for (int r = 0; r < b->size; r++) {
        int64_t k0, k1;
        train_rank_blocks(b->B, b->block, r, b->size, &k0, &k1);
        const int64_t r0 = k0 * b->block < b->B ? k0 * b->block : b->B;
        const int64_t r1 = k1 * b->block < b->B ? k1 * b->block : b->B;
        cnt[r] = (int)((r1 - r0) * b->dim), at[r] = (int)(r0 * b->dim);
    }
    MPI_Allgatherv(MPI_IN_PLACE, 0, MPI_DATATYPE_NULL, z, cnt, at, MPI_FLOAT, MPI_COMM_WORLD);
#else
    (void)b, (void)z;
#endif
}

/* dist_chain's step: this rank's slotted block gradients added in block order. */
typedef struct chain_ctx {
    const train_batch *b;
    size_t n, stride; /* gradients summed, floats per slot */
} chain_ctx;

static void add_blocks(void *state, void *ud)
{
    const chain_ctx *c = ud;
    const train_batch *b = c->b;
    float *acc = state;
    int64_t k0, k1;
    train_rank_blocks(b->B, b->block, b->rank, b->size, &k0, &k1);
    const int64_t first = k0 > 1 ? k0 : 1; /* rank 0's block 0 is in the state already */
    for (int64_t k = first; k < k1; k++) {
        const float *g = b->gblk + (size_t)(k - first) * c->stride;
        for (size_t q = 0; q < c->n; q++) acc[q] += g[q];
    }
}

void train_share_grads(train_batch *b, size_t n)
{
    chain_ctx c = {b, n, n + 1};
    dist_chain(b->grads, n * sizeof *b->grads, add_blocks, &c);
}

int train_agree(int size, int rc, int *agreed)
{
    if (size == 1) return rc;
    int failed;
    const int all = gk_dist_agree(rc, &failed);
    if (all != GK_OK) *agreed = 1;
    if (rc != GK_OK || all == GK_OK) return rc;
    return gk_set_error(all, "train: stopped: rank %d failed (see its message)", failed);
}

int gk_dist_train(const gk_train_opts *o, const gk_train_data *d, gk_train_progress_fn progress,
                  void *ud, gk_train_result **out)
{
    const int size = gk_dist_size();
    GK_FAIL_IF(!out || !o, GK_EARG, "train: NULL argument");
    *out = NULL;
    const int64_t R = o->row_block, blocks = R > 0 ? (o->batch + R - 1) / R : 0;
    /* a rank without a block would only wait for the others */
    GK_FAIL_IF(size > 1 && o->batch >= 2 && R >= 1 && size > blocks, GK_EARG, "train: %d MPI "
               "ranks but a batch of %lld items has %lld block%s of %lld rows (one per rank "
               "at least): use at most %lld rank%s, --batch >= %lld or --row-block <= %lld",
               size, (long long)o->batch, (long long)blocks, blocks == 1 ? "" : "s",
               (long long)R, (long long)blocks, blocks == 1 ? "" : "s",
               (long long)(size - 1) * R + 1, (long long)(o->batch / size));
    GK_FAIL_IF(size > 1 && o->batch > INT_MAX / (o->dim > 0 ? o->dim : 1), GK_EARG, "train: a "
               "batch of %lld×%lld floats is too large to share in one MPI message",
               (long long)o->batch, (long long)o->dim);
    int agreed;
    const int rc = train_run(o, d, progress, ud, out, gk_dist_rank(), size, &agreed);
    if (agreed || size == 1) return rc;
    /* a failure of this rank alone meets the others' next agreement */
    int failed;
    const int all = gk_dist_agree(rc, &failed);
    if (rc != GK_OK || all == GK_OK) return rc;
    gk_train_result_free(*out);
    *out = NULL;
    return gk_set_error(all, "train: stopped: rank %d failed (see its message)", failed);
}
