/*
** train_step.c — one forward/backward pass of the heads of M views over a
** batch: heads, then the loss terms of train.h over the view pairs (the
** anchor with every other view, or all pairs u < v), then the backward
** passes into one gradient array.  The logit scale is s = min(e^t, 100)
** (t fixed unless learn_temperature; no gradient past the cap).
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
    memset(b, 0, sizeof *b);
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
        int rc = backward ? hd_backward(h, v, a, b->grads) : hd_forward(h, v, a);
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
    GK_TRY(each_view(h, b, 0));
    double ds = 0;
    GK_TRY(losses(o, b, h->dim, s, alpha, beta, backward, &ds, out));
    if (!backward) return GK_OK;
    GK_TRY(each_view(h, b, 1)); /* writes every gradient but the logit scale's */
    /* s = e^t below the cap: dL/dt = s·dL/ds */
    b->grads[h->n_params - 1] = o->learn_temperature && et < 100.0 ? (float)(ds * s) : 0.0f;
    return GK_OK;
}
