/*
** align_fit_shift.c — the transforms built from the view means alone:
** mean-centring, the embedding shift of Liang et al. (2022) and the
** gap-dimension ablation of Schrodi et al. (2025) (methods.md §4).
**
** With μ_v the mean of view v and μ̄ = (1/M) Σ_v μ_v:
**   center  offset_v = μ_v
**   shift   offset_v = λ (μ_v − μ̄)      (two views: ±(λ/2)Δ, Δ = μ_X − μ_Y)
**   ablate  scale_j = 0 for the m coordinates j with the largest
**           g_j = Σ_v (μ_vj − μ̄_j)² (two views: g_j = Δ_j²/2), else 1;
**           ties → lower j.
*/
#include <stdlib.h>
#include <string.h>

#include "core/error_internal.h"
#include "core/sort_internal.h"
#include "align_internal.h"

/* μ̄ (D,) = mean of the M view means. */
static void mean_of_means(double *const *mu, int M, int64_t d, double *bar)
{
    for (int64_t j = 0; j < d; j++) {
        double s = 0;
        for (int v = 0; v < M; v++) s += mu[v][j];
        bar[j] = s / M;
    }
}

static int fit_offsets(gk_align *a, double *const *mu, const double *bar)
{
    const int center = a->opts.method == GK_ALIGN_CENTER;
    for (int v = 0; v < a->n_views; v++) {
        al_view *w = &a->view[v];
        GK_TRY(al_view_alloc(w, 1, 0, 0));
        for (int64_t j = 0; j < w->d; j++)
            w->offset[j] = (float)(center ? mu[v][j] : a->opts.lambda * (mu[v][j] - bar[j]));
    }
    return GK_OK;
}

static int fit_ablation(gk_align *a, double *const *mu, const double *bar)
{
    const int64_t d = a->view[0].d, m = a->opts.m;
    gk_val_idx *s = gk_malloc((size_t)d * sizeof *s);
    GK_FAIL_IF(!s, GK_ENOMEM, "align: out of memory");
    for (int64_t j = 0; j < d; j++) {
        double g = 0;
        for (int v = 0; v < a->n_views; v++) g += (mu[v][j] - bar[j]) * (mu[v][j] - bar[j]);
        s[j] = (gk_val_idx){g, j};
    }
    qsort(s, (size_t)d, sizeof *s, gk_cmp_val_idx_desc); /* ties by coordinate */
    int rc = al_diag_alloc(a, m);
    for (int v = 0; rc == GK_OK && v < a->n_views; v++) {
        rc = al_view_alloc(&a->view[v], 0, 0, 1);
        for (int64_t j = 0; rc == GK_OK && j < d; j++) a->view[v].scale[j] = 1.0f;
        for (int64_t i = 0; rc == GK_OK && i < m; i++) a->view[v].scale[s[i].i] = 0.0f;
    }
    for (int64_t i = 0; rc == GK_OK && i < m; i++) a->diag[i] = (float)s[i].i;
    gk_free(s);
    return rc;
}

int al_fit_shift_family(gk_align *a, const gk_mat *const *views)
{
    double *mu[GK_ALIGN_MAX_VIEWS];
    const int64_t d = views[0]->cols;
    GK_TRY(al_view_means(views, a->n_views, mu));
    double *bar = gk_malloc((size_t)d * sizeof *bar);
    int rc = bar ? GK_OK : gk_set_error(GK_ENOMEM, "align: out of memory");
    if (rc == GK_OK && a->opts.method != GK_ALIGN_CENTER) mean_of_means(mu, a->n_views, d, bar);
    if (rc == GK_OK)
        rc = a->opts.method == GK_ALIGN_ABLATE ? fit_ablation(a, mu, bar)
                                               : fit_offsets(a, mu, bar);
    gk_free(bar);
    gk_free(mu[0]);
    return rc;
}
