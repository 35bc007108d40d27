/*
** head_mlp.c — the MS-CLAP projection block:
**   e1 = x W1 + b1                 (B,D)
**   e2 = Dropout(GELU(e1) W2 + b2) (B,D)
**   y  = LayerNorm(e1 + e2)        (B,D), gain g, bias β
** Dropout is inverted (kept entries scaled by 1/(1−p)); its mask is drawn by
** the caller (a->mask, NULL at inference).
*/
#include "core/error_internal.h"
#include "train_internal.h"

int hd_mlp_forward(const hd_tensors *p, int64_t din, int64_t D, hd_acts *a)
{
    const int64_t n = a->B * D;
    GK_TRY(hd_affine_forward(a->x, p->w1, p->b1, a->B, din, D, a->e1));
    hd_gelu_forward(a->e1, n, a->gel, a->dgel);
    GK_TRY(hd_affine_forward(a->gel, p->w2, p->b2, a->B, D, D, a->h)); /* h = e2 for now */
    float *h = a->h;
    const float *e1 = a->e1, *mask = a->mask;
    if (mask) {
#pragma omp simd
        for (int64_t i = 0; i < n; i++) h[i] = e1[i] + h[i] * mask[i];
    } else {
#pragma omp simd
        for (int64_t i = 0; i < n; i++) h[i] = e1[i] + h[i];
    }
    hd_layernorm_forward(a->h, p->g, p->be, a->B, D, a->y, a->mean, a->rstd);
    return GK_OK;
}

/* dh = LayerNorm backward of dy; de2 = dh ⊙ mask; dgel = de2 W2ᵀ;
** de1 = dh + GELU'(e1) ⊙ dgel (the residual path adds dh), in one pass. */
int hd_mlp_backward(const hd_tensors *p, const hd_tensors *g, int64_t din, int64_t D,
                    hd_acts *a, const float *dy)
{
    const int64_t n = a->B * D;
    float *dh = a->tmp, *dgel = a->tmp2;
    hd_layernorm_backward(a->h, a->mean, a->rstd, p->g, dy, a->B, D, dh, g->g, g->be);
    /* a->h (the LayerNorm input) is no longer needed: it holds de2 */
    float *de2 = a->mask ? a->h : dh;
    for (int64_t i = 0; a->mask && i < n; i++) de2[i] = dh[i] * a->mask[i];
    GK_TRY(hd_affine_backward(a->gel, p->w2, de2, a->B, D, D, g->w2, g->b2, dgel));
    const float *dg = a->dgel;
#pragma omp simd
    for (int64_t i = 0; i < n; i++) dgel[i] = dgel[i] * dg[i] + dh[i];
    return hd_affine_backward(a->x, p->w1, dgel, a->B, din, D, g->w1, g->b1, NULL);
}
