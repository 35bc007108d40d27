/*
** train_data.c — filling a batch: the rows of each view for a list of
** items, FuseMix's paired mixup (one λ ~ Beta(a, a) and one partner
** permutation per batch, shared by every view and the teacher), the
** normalised teacher rows of SoftCLAP, and dropout masks.  Every random
** draw comes from the caller's generator in a fixed order.
*/
#include <math.h>
#include <string.h>

#include "core/error_internal.h"
#include "train_internal.h"

int64_t train_row_of(const gk_train_data *d, int v, int64_t item)
{
    return d->rows ? d->rows[(size_t)v * (size_t)d->n_items + (size_t)item] : item;
}

/* Gamma(a, 1) by Marsaglia & Tsang (a < 1 boosted by U^(1/a)). */
static double gamma_draw(gk_rng *r, double a)
{
    if (a < 1.0) return gamma_draw(r, a + 1.0) * pow(1.0 - gk_rng_uniform(r), 1.0 / a);
    const double d = a - 1.0 / 3.0, c = 1.0 / sqrt(9.0 * d);
    for (;;) {
        double x, v;
        do {
            x = gk_rng_normal(r);
            v = 1.0 + c * x;
        } while (v <= 0);
        v = v * v * v;
        const double u = 1.0 - gk_rng_uniform(r);
        if (log(u) < 0.5 * x * x + d - d * v + d * log(v)) return d * v;
    }
}

double train_beta_draw(gk_rng *r, double a)
{
    const double x = gamma_draw(r, a), y = gamma_draw(r, a);
    return x + y > 0 ? x / (x + y) : 0.5;
}

/* dst (B, D) := rows of m for `items` (optionally unit-normalised). */
static void gather(const gk_train_data *d, const gk_mat *m, int v, const int64_t *items,
                   int64_t B, int unit, float *dst)
{
    const int64_t D = m->cols;
    for (int64_t i = 0; i < B; i++) {
        const float *src = gk_mat_row(m, train_row_of(d, v, items[i]));
        if (!unit) {
            memcpy(dst + i * D, src, (size_t)D * sizeof *dst);
            continue;
        }
        double ss = 0;
        for (int64_t k = 0; k < D; k++) ss += (double)src[k] * src[k];
        const double inv = ss > 0 ? 1.0 / sqrt(ss) : 1.0;
        for (int64_t k = 0; k < D; k++) dst[i * D + k] = (float)(src[k] * inv);
    }
}

/* x_i ← λ x_i + (1−λ) x_perm(i), on a copy of the unmixed rows in tmp. */
static void mix(float *x, int64_t B, int64_t D, double lam, const int64_t *perm, float *tmp)
{
    memcpy(tmp, x, (size_t)B * (size_t)D * sizeof *x);
    for (int64_t i = 0; i < B; i++)
        for (int64_t k = 0; k < D; k++)
            x[i * D + k] = (float)(lam * tmp[i * D + k] + (1.0 - lam) * tmp[perm[i] * D + k]);
}

static void unit_rows(float *x, int64_t B, int64_t D)
{
    for (int64_t i = 0; i < B; i++) {
        double ss = 0;
        for (int64_t k = 0; k < D; k++) ss += (double)x[i * D + k] * x[i * D + k];
        const double inv = ss > 0 ? 1.0 / sqrt(ss) : 0.0;
        for (int64_t k = 0; k < D; k++) x[i * D + k] = (float)(x[i * D + k] * inv);
    }
}

/* One λ and one partner permutation for every view and the teacher. */
static void mixup(const gk_train_opts *o, train_batch *b, gk_rng *r)
{
    const int64_t B = b->B;
    const double lam = train_beta_draw(r, o->mixup);
    for (int64_t i = 0; i < B; i++) b->perm[i] = i;
    gk_rng_shuffle(r, b->perm, B);
    for (int v = 0; v < b->M; v++) mix(b->act[v].x, B, b->din[v], lam, b->perm, b->mixbuf);
    for (int v = 0; o->loss == GK_LOSS_SOFTCLAP && v < 2; v++) {
        mix(b->teach[v], B, b->tdim[v], lam, b->perm, b->mixbuf);
        unit_rows(b->teach[v], B, b->tdim[v]); /* the teacher compares directions */
    }
}

/* Inverted dropout: each entry kept with probability 1 − p, scaled by 1/(1−p). */
static void dropout_masks(const gk_train_opts *o, train_batch *b, gk_rng *r)
{
    const size_t n = (size_t)b->B * (size_t)b->dim;
    const float keep = (float)(1.0 / (1.0 - o->dropout));
    for (int v = 0; v < b->M; v++) {
        hd_acts *a = &b->act[v];
        for (size_t i = 0; i < n; i++)
            a->mask_buf[i] = gk_rng_uniform(r) < o->dropout ? 0.0f : keep;
        a->mask = a->mask_buf;
    }
}

int train_fill(const gk_train_data *d, const gk_train_opts *o, train_batch *b,
               const int64_t *items, gk_rng *r, int training)
{
    for (int v = 0; v < b->M; v++) {
        gather(d, d->views[v], v, items, b->B, 0, b->act[v].x);
        b->act[v].mask = NULL;
    }
    for (int v = 0; o->loss == GK_LOSS_SOFTCLAP && v < 2; v++)
        gather(d, d->teacher ? d->teacher[v] : d->views[v], v, items, b->B, 1, b->teach[v]);
    if (training && o->mixup > 0) mixup(o, b, r);
    if (training && o->head == GK_HEAD_MLP && o->dropout > 0) dropout_masks(o, b, r);
    return GK_OK;
}
