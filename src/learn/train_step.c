/*
** train_step.c — one forward/backward pass of the heads of M views over a
** batch: heads, then the loss terms of train.h over the view pairs (the
** anchor with every other view, or all pairs u < v), then the backward
** passes into one gradient array.  The logit scale is s = min(e^t, 100)
** (t fixed unless learn_temperature; no gradient past the cap).
**
** The heads run on blocks of o->row_block rows.  A batch of one block is one
** pass over the batch, its gradient written into the gradient array.  With
** several blocks the weight gradient is the blocks' gradients added in block
** order, in float: sgemm does not give the same bits for a slice of rows as
** for the whole product, so fixed blocks (not the rank count) fix the bits,
** and MPI ranks sharing the blocks (dist_train.c) make one process's
** additions.  Float, because each block's gradient is already a float sum
** over its rows: a double running sum would cost n_params doubles and a pass
** more for digits that the float gradient AdamW receives does not keep.
*/
#include <math.h>
#include <string.h>

#include "core/error_internal.h"
#include "train_internal.h"

int train_batch_alloc(train_batch *b, const gk_heads *h, const gk_train_opts *o, int64_t B,
                      const int64_t *tdim)
{
    memset(b, 0, sizeof *b);
    b->M = h->n_views, b->B = B, b->dim = h->dim;
    int64_t wide = 1;
    for (int v = 0; v < b->M; v++) {
        GK_TRY(hd_acts_alloc(&b->act[v], B, h->din[v], h->dim));
        b->din[v] = h->din[v];
        wide = h->din[v] > wide ? h->din[v] : wide;
    }
    for (int v = 0; tdim && v < 2; v++) wide = tdim[v] > wide ? tdim[v] : wide;
    b->mixbuf = gk_malloc((size_t)B * (size_t)wide * sizeof(float));
    b->perm = gk_malloc((size_t)B * sizeof(int64_t));
    GK_FAIL_IF(!b->mixbuf || !b->perm, GK_ENOMEM, "train: out of memory");
    const size_t nn = (size_t)B * (size_t)B;
    b->work = gk_malloc(loss_work_size(B, h->dim) * sizeof(double));
    b->grads = gk_malloc(h->n_params * sizeof(float));
    GK_FAIL_IF(!b->work || !b->grads, GK_ENOMEM, "train: out of memory");
    b->block = o->row_block;
    GK_TRY(train_batch_ranks(b, h->n_params, 0, 1));
    if (o->loss != GK_LOSS_SOFTCLAP) return GK_OK;
    b->Qa = gk_malloc(nn * sizeof(double));
    b->Qb = gk_malloc(nn * sizeof(double));
    GK_FAIL_IF(!b->Qa || !b->Qb, GK_ENOMEM, "train: out of memory");
    for (int v = 0; v < 2; v++) {
        b->tdim[v] = tdim[v];
        b->teach[v] = gk_malloc((size_t)B * (size_t)tdim[v] * sizeof(float));
        GK_FAIL_IF(!b->teach[v], GK_ENOMEM, "train: out of memory");
    }
    return GK_OK;
}

void train_batch_free(train_batch *b)
{
    for (int v = 0; v < b->M; v++) hd_acts_free(&b->act[v]);
    gk_free(b->work);
    gk_free(b->grads);
    gk_free(b->mixbuf);
    gk_free(b->perm);
    gk_free(b->Qa);
    gk_free(b->Qb);
    gk_free(b->teach[0]);
    gk_free(b->teach[1]);
    gk_free(b->gblk);
    gk_free(b->share);
    memset(b, 0, sizeof *b);
}

void train_rank_blocks(int64_t B, int64_t block, int rank, int size, int64_t *k0, int64_t *k1)
{
    const int64_t nb = (B + block - 1) / block, q = nb / size, rem = nb % size;
    *k0 = rank * q + (rank < rem ? rank : rem);
    *k1 = *k0 + q + (rank < rem);
}

/* The first of this rank's blocks that goes to a slot (block 0 goes to grads). */
static int64_t first_slotted(int64_t k0) { return k0 > 1 ? k0 : 1; }

/* One process adds each later block's gradient as it comes (one slot; none
** for a batch of one block); a rank keeps its blocks' until the running sum
** reaches it. */
int train_batch_ranks(train_batch *b, size_t n_params, int rank, int size)
{
    int64_t k0, k1;
    train_rank_blocks(b->B, b->block, rank, size, &k0, &k1);
    const int64_t slots = size == 1 ? k1 > 1 : k1 - first_slotted(k0);
    b->rank = rank, b->size = size;
    gk_free(b->gblk);
    b->gblk = NULL;
    gk_free(b->share);
    b->share = size > 1 ? gk_malloc(2 * (size_t)size * sizeof *b->share) : NULL;
    if (slots > 0) b->gblk = gk_malloc((size_t)slots * n_params * sizeof(float));
    GK_FAIL_IF((slots > 0 && !b->gblk) || (size > 1 && !b->share), GK_ENOMEM, "train: out of "
               "memory for %lld block gradients of %zu floats", (long long)slots, n_params);
    return GK_OK;
}

/* The view pairs the loss averages over: (anchor, v) or every (u, v), u < v. */
static int view_pairs(int M, int anchor, int pairs[][2])
{
    int n = 0;
    for (int u = 0; u < M; u++)
        for (int v = u + 1; v < M; v++)
            if (anchor < 0 || u == anchor || v == anchor) {
                pairs[n][0] = u == anchor || anchor < 0 ? u : v;
                pairs[n][1] = u == pairs[n][0] ? v : u;
                n++;
            }
    return n;
}

/* The contrastive and ModGap terms, gradients into act[].dz and *ds. */
static int losses(const gk_train_opts *o, train_batch *b, int64_t D, double s, double alpha,
                  double beta, int backward, double *ds, train_terms *t)
{
    int pairs[GK_TRAIN_MAX_VIEWS * GK_TRAIN_MAX_VIEWS][2];
    const int np = view_pairs(b->M, o->anchor, pairs);
    const double w = 1.0 / np;
    const int64_t B = b->B;
    if (o->loss == GK_LOSS_SOFTCLAP) {
        GK_TRY(loss_softclap_targets(b->teach[0], B, b->tdim[0], o->soft_beta,
                                     (float *)b->work, b->Qa));
        GK_TRY(loss_softclap_targets(b->teach[1], B, b->tdim[1], o->soft_beta,
                                     (float *)b->work, b->Qb));
        t->soft = loss_softclap(b->act[0].z, b->act[1].z, b->Qa, b->Qb, B, D, s, 1.0,
                                backward ? b->act[0].dz : NULL, backward ? b->act[1].dz : NULL,
                                ds, b->work);
        t->total = t->soft;
        return GK_OK;
    }
    for (int p = 0; p < np; p++) {
        hd_acts *x = &b->act[pairs[p][0]], *y = &b->act[pairs[p][1]];
        t->nce += w * loss_infonce(x->z, y->z, B, D, s, w, backward ? x->dz : NULL,
                                   backward ? y->dz : NULL, ds, b->work);
        if (o->loss == GK_LOSS_MODGAP)
            t->atp += w * loss_atp(x->z, y->z, B, D, alpha * w, backward ? x->dz : NULL,
                                   backward ? y->dz : NULL);
    }
    t->total = t->nce;
    if (o->loss != GK_LOSS_MODGAP) return GK_OK;
    const float *Z[GK_TRAIN_MAX_VIEWS];
    float *dZ[GK_TRAIN_MAX_VIEWS];
    for (int v = 0; v < b->M; v++) Z[v] = b->act[v].z, dZ[v] = b->act[v].dz;
    t->cu = loss_cu(Z, b->M, B, D, beta, backward ? dZ : NULL, b->work);
    t->total += alpha * t->atp + beta * t->cu;
    return GK_OK;
}

#define ROWS_AT(p, k) ((p) ? (p) + (k) : NULL)

/* Rows [i0, i0 + n) of a, as activations of their own. */
static hd_acts rows_of(const hd_acts *a, int64_t i0, int64_t n, int64_t din, int64_t D)
{
    hd_acts s = *a;
    s.B = n;
    s.x = ROWS_AT(a->x, i0 * din);
    s.e1 = ROWS_AT(a->e1, i0 * D), s.gel = ROWS_AT(a->gel, i0 * D);
    s.dgel = ROWS_AT(a->dgel, i0 * D), s.mask = ROWS_AT(a->mask, i0 * D);
    s.mask_buf = ROWS_AT(a->mask_buf, i0 * D), s.h = ROWS_AT(a->h, i0 * D);
    s.y = ROWS_AT(a->y, i0 * D), s.z = ROWS_AT(a->z, i0 * D), s.dz = ROWS_AT(a->dz, i0 * D);
    s.tmp = ROWS_AT(a->tmp, i0 * D), s.tmp2 = ROWS_AT(a->tmp2, i0 * D);
    s.mean = ROWS_AT(a->mean, i0), s.rstd = ROWS_AT(a->rstd, i0);
    s.rnorm = ROWS_AT(a->rnorm, i0);
    return s;
}

/* View v over this rank's blocks: forward, or backward with block 0's
** gradient into grads and a later block's into its slot (one process: then
** added to grads at once; the views' floats are disjoint, so the views'
** threads share the slot). */
static int view_blocks(const gk_heads *h, train_batch *b, int v, int backward)
{
    int64_t k0, k1;
    train_rank_blocks(b->B, b->block, b->rank, b->size, &k0, &k1);
    const size_t lo = h->off[v], hi = h->off[v + 1];
    for (int64_t k = k0; k < k1; k++) {
        const int64_t i0 = k * b->block, n = b->B - i0 < b->block ? b->B - i0 : b->block;
        hd_acts a = rows_of(&b->act[v], i0, n, h->din[v], h->dim);
        if (!backward) {
            GK_TRY(hd_forward(h, v, &a));
            continue;
        }
        const int64_t slot = b->size == 1 ? 0 : k - first_slotted(k0);
        float *g = k == 0 ? b->grads : b->gblk + (size_t)slot * h->n_params;
        GK_TRY(hd_backward(h, v, &a, g));
        for (size_t q = lo; b->size == 1 && k > 0 && q < hi; q++) b->grads[q] += g[q];
    }
    return GK_OK;
}

/* The views' heads are independent: with several threads each view runs on
** its own thread (BLAS is single-threaded during training), which changes
** no result.  A failing view's message is replaced by a generic one (the
** message buffer is per thread). */
static int each_view(const gk_heads *h, train_batch *b, int backward)
{
    int bad = GK_OK;
    const int nt = gk_get_threads() < b->M ? gk_get_threads() : b->M;
#pragma omp parallel for schedule(static) num_threads(nt) if (nt > 1)
    for (int v = 0; v < b->M; v++) {
        hd_acts *a = &b->act[v];
        int rc = view_blocks(h, b, v, backward);
        if (!backward) memset(a->dz, 0, (size_t)b->B * (size_t)h->dim * sizeof(float));
        if (rc != GK_OK) {
#pragma omp atomic write
            bad = rc;
        }
    }
    GK_FAIL_IF(bad != GK_OK, bad, "train: the %s pass of a head failed",
               backward ? "backward" : "forward");
    return GK_OK;
}

int train_forward_backward(const gk_heads *h, const gk_train_opts *o, train_batch *b,
                           double alpha, double beta, int backward, train_terms *out)
{
    memset(out, 0, sizeof *out);
    const double et = exp((double)h->params[h->n_params - 1]), s = fmin(et, 100.0);
    GK_TRY(train_agree(b->size, each_view(h, b, 0), &b->agreed));
    for (int v = 0; b->size > 1 && v < b->M; v++) train_share_rows(b, b->act[v].z);
    double ds = 0;
    GK_TRY(losses(o, b, h->dim, s, alpha, beta, backward, &ds, out));
    if (!backward) return GK_OK;
    /* every gradient but the logit scale's */
    GK_TRY(train_agree(b->size, each_view(h, b, 1), &b->agreed));
    if (b->size > 1) train_share_grads(b, h->n_params - 1);
    /* s = e^t below the cap: dL/dt = s·dL/ds */
    b->grads[h->n_params - 1] = o->learn_temperature && et < 100.0 ? (float)(ds * s) : 0.0f;
    return GK_OK;
}
