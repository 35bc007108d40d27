/*
** head_linear.c — the linear head: y = x W + b, W (Din,D), b (D,).
*/
#include "train_internal.h"

int hd_linear_forward(const hd_tensors *p, int64_t din, int64_t D, hd_acts *a)
{
    return hd_affine_forward(a->x, p->w1, p->b1, a->B, din, D, a->y);
}

/* dW = xᵀ dy, db = Σ dy; the input is frozen, so no dx. */
int hd_linear_backward(const hd_tensors *p, const hd_tensors *g, int64_t din, int64_t D,
                       hd_acts *a, const float *dy)
{
    return hd_affine_backward(a->x, p->w1, dy, a->B, din, D, g->w1, g->b1, NULL);
}
