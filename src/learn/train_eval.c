/*
** train_eval.c — the validation measures of gk_train(): the loss over the
** validation items (no dropout, no mixup; batches of near-equal size ≤ B,
** in item order) and R@1 between the view pairs of the loss (both
** directions, averaged), from the heads' unit outputs.
*/
#include <math.h>
#include <string.h>

#include "core/error_internal.h"
#include "gapkit/linalg.h"
#include "train_internal.h"

int train_val_loss(const gk_heads *h, const gk_train_opts *o, const gk_train_data *d,
                   train_batch *b, double alpha, double beta, double *out)
{
    const int64_t n = d->n_val, full = b->B, chunks = (n + full - 1) / full;
    double sum = 0;
    for (int64_t c = 0; c < chunks; c++) {
        const int64_t r0 = n * c / chunks, r1 = n * (c + 1) / chunks;
        b->B = r1 - r0;
        for (int v = 0; v < b->M; v++) b->act[v].B = b->B;
        train_terms t;
        int rc = train_fill(d, o, b, d->val + r0, NULL, 0);
        if (rc == GK_OK) rc = train_forward_backward(h, o, b, alpha, beta, 0, &t);
        if (rc != GK_OK) {
            b->B = full;
            for (int v = 0; v < b->M; v++) b->act[v].B = full;
            return rc;
        }
        sum += t.total * (double)(r1 - r0);
    }
    b->B = full;
    for (int v = 0; v < b->M; v++) b->act[v].B = full;
    *out = sum / (double)n;
    return GK_OK;
}

/* Share of rows i of Q (n,D) whose most similar row of G (n,D) is row i
** (first index on ties). */
static int r1_dir(const float *Q, const float *G, int64_t n, int64_t D, float *S, double *out)
{
    const int64_t blk = 256;
    int64_t hits = 0;
    gk_mat Gm = {(float *)G, n, D, D, 1, NULL};
    for (int64_t r0 = 0; r0 < n; r0 += blk) {
        const int64_t nr = n - r0 < blk ? n - r0 : blk;
        gk_mat Qm = {(float *)Q + r0 * D, nr, D, D, 1, NULL}, Sm = {S, nr, n, n, 1, NULL};
        GK_TRY(gk_gemm(0, 1, 1.0f, &Qm, &Gm, 0.0f, &Sm));
        for (int64_t i = 0; i < nr; i++) {
            int64_t best = 0;
            for (int64_t j = 1; j < n; j++)
                if (S[i * n + j] > S[i * n + best]) best = j;
            hits += best == r0 + i;
        }
    }
    *out = (double)hits / (double)n;
    return GK_OK;
}

/* Unit outputs of view v for the validation items, (n_val, D). */
static int embed_val(const gk_heads *h, const gk_train_data *d, int v, gk_mat **out)
{
    const int64_t n = d->n_val, Din = h->din[v];
    gk_mat *X = NULL;
    GK_TRY(gk_mat_create(n, Din, &X));
    for (int64_t i = 0; i < n; i++)
        memcpy(gk_mat_row(X, i), gk_mat_row(d->views[v], train_row_of(d, v, d->val[i])),
               (size_t)Din * sizeof(float));
    int rc = gk_heads_apply(h, v, X, out);
    gk_mat_free(X);
    return rc;
}

int train_val_r1(const gk_heads *h, const gk_train_opts *o, const gk_train_data *d,
                 double *out)
{
    gk_mat *Z[GK_TRAIN_MAX_VIEWS] = {0};
    const int64_t n = d->n_val;
    float *S = gk_malloc((size_t)(n < 256 ? n : 256) * (size_t)n * sizeof *S);
    int rc = S ? GK_OK : gk_set_error(GK_ENOMEM, "train: out of memory for validation");
    for (int v = 0; rc == GK_OK && v < h->n_views; v++) rc = embed_val(h, d, v, &Z[v]);
    double sum = 0;
    int np = 0;
    const int a = o->loss == GK_LOSS_SOFTCLAP ? 0 : o->anchor;
    for (int u = 0; rc == GK_OK && u < h->n_views; u++)
        for (int v = u + 1; rc == GK_OK && v < h->n_views; v++) {
            if (a >= 0 && u != a && v != a) continue;
            double r_uv = 0, r_vu = 0;
            rc = r1_dir(Z[u]->data, Z[v]->data, n, h->dim, S, &r_uv);
            if (rc == GK_OK) rc = r1_dir(Z[v]->data, Z[u]->data, n, h->dim, S, &r_vu);
            sum += 0.5 * (r_uv + r_vu);
            np++;
        }
    for (int v = 0; v < h->n_views; v++) gk_mat_free(Z[v]);
    gk_free(S);
    if (rc == GK_OK) *out = sum / np;
    return rc;
}
