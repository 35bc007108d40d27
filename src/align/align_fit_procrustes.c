/*
** align_fit_procrustes.c — orthogonal Procrustes onto the anchor view
** (methods.md §4): for every other view v,
**   C = (X_v − 1μ_vᵀ)ᵀ (X_a − 1μ_aᵀ)   (D_v, D_a), no 1/N,
**   C = P Σ Qᵀ (thin SVD),  W_v = P Qᵀ,
** the rotation (semi-orthogonal when D_v != D_a) maximising tr(Wᵀ C), i.e.
** minimising ‖(X_v − μ_v) W − (X_a − μ_a)‖_F.  Then x' = normalize((x − μ_v) W_v)
** and the anchor's rows are only centred, x' = normalize(x − μ_a).
*/
#include <string.h>

#include "core/error_internal.h"
#include "align_internal.h"
#include "gapkit/linalg.h"
#include "linalg/linalg_internal.h"

/* W (dv, da) = P Qᵀ of the SVD of C (dv, da), into the float view arrays. */
static int rotation(gk_align *a, al_view *w, const double *C, int64_t dv, int64_t da,
                    int first)
{
    const int64_t r = dv < da ? dv : da;
    double *P = gk_malloc((size_t)(dv * r + r + r * da) * sizeof *P);
    GK_FAIL_IF(!P, GK_ENOMEM, "align procrustes: out of memory");
    double *s = P + dv * r, *Qt = s + r;
    double *W = gk_malloc((size_t)dv * (size_t)da * sizeof *W);
    int rc = W ? gk_svd(C, dv, da, P, s, Qt) : gk_set_error(GK_ENOMEM, "align: out of memory");
    if (rc == GK_OK) rc = al_view_alloc(w, 1, da, 0);
    if (rc == GK_OK) {
        /* sizes passed gk_blas_check in gk_svd */
        gk_dgemm_rm(0, 0, dv, da, r, 1.0, P, r, Qt, da, 0.0, W, da);
        for (int64_t i = 0; i < dv * da; i++) w->proj[i] = (float)W[i];
    }
    if (rc == GK_OK && first) rc = al_diag_alloc(a, r);
    for (int64_t l = 0; rc == GK_OK && first && l < r; l++) a->diag[l] = (float)s[l];
    gk_free(P);
    gk_free(W);
    return rc;
}

int al_fit_procrustes(gk_align *a, const gk_mat *const *views)
{
    double *mu[GK_ALIGN_MAX_VIEWS];
    const int an = a->opts.anchor;
    const int64_t da = views[an]->cols;
    int64_t dmax = 0;
    for (int v = 0; v < a->n_views; v++) dmax = views[v]->cols > dmax ? views[v]->cols : dmax;
    GK_TRY(al_means(a, views, mu));
    double *C = gk_malloc((size_t)dmax * (size_t)da * sizeof *C);
    int rc = C ? GK_OK : gk_set_error(GK_ENOMEM, "align procrustes: out of memory");
    for (int v = 0, first = 1; rc == GK_OK && v < a->n_views; v++) {
        al_view *w = &a->view[v];
        if (v == an) {
            rc = al_view_alloc(w, 1, 0, 0);
        } else {
            rc = al_cross(a, views[v], mu[v], views[an], mu[an], C);
            if (rc == GK_OK) rc = rotation(a, w, C, w->d, da, first);
            first = 0;
        }
        for (int64_t j = 0; rc == GK_OK && j < w->d; j++) w->offset[j] = (float)mu[v][j];
    }
    gk_free(C);
    gk_free(mu[0]);
    return rc;
}
