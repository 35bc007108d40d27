/*
** align_fit_multiview.c — ridge-regularised CCA and, without whitening,
** PLS, for M >= 2 views in one eigenproblem (methods.md §4; docs/compare.md).
**
** With C_vl = (1/N) (X_v − μ_v)ᵀ (X_l − μ_l) and, for CCA, the regularised
** whitening W_v = (C_vv + ρ·(tr C_vv / D_v)·I)^{-1/2} (PLS: W_v = I), the
** symmetric block matrix K (ΣD_v square) has blocks K_vl = W_v C_vl W_l for
** v != l and 0 on the diagonal.  Its leading eigenvectors e_j, split into
** view blocks e_vj, give the directions a_vj = W_v e_vj / ‖e_vj‖.
** For two views K = [[0, T], [Tᵀ, 0]] with T = W_X C_XY W_Y, whose
** eigenpairs are ((u_j; v_j)/√2, σ_j) for the SVD T = U Σ Vᵀ: exactly ridge
** CCA (σ_j = regularised canonical correlations, a_Xjᵀ(C_XX + ρ')a_Xj = 1)
** and, with W = I, exactly PLS-SVD (COMET's axes).  For M > 2 it is the
** SUMCOR relaxation: maximise Σ_{v<l} a_vᵀ C_vl a_l with Σ_v ‖W_v^{-1} a_v‖² = 1.
** Components whose eigenvalue is <= 1e-9·λ_1 (no shared signal: beyond the
** rank of the cross-covariances) are dropped, so K may end below o->k.
** Sign rule: each component is flipped so that the largest-|·| entry of its
** view-0 block is positive.
*/
#include <math.h>
#include <string.h>

#include "core/error_internal.h"
#include "align_internal.h"
#include "gapkit/linalg.h"
#include "linalg/linalg_internal.h"

typedef struct mv_work {
    int M;
    int64_t off[GK_ALIGN_MAX_VIEWS + 1]; /* block offsets in K; off[M] = S */
    double *mu[GK_ALIGN_MAX_VIEWS];      /* view means (one block, free mu[0]) */
    double *W[GK_ALIGN_MAX_VIEWS];       /* (D_v,D_v) whitening, NULL for PLS */
    double *K;                           /* (S,S) */
    double *lam, *vec;                   /* (S,), (S,S) eigenpairs */
} mv_work;

static void mv_free(mv_work *w)
{
    gk_free(w->mu[0]);
    for (int v = 0; v < w->M; v++) gk_free(w->W[v]);
    gk_free(w->K);
    gk_free(w->lam);
    gk_free(w->vec);
}

/* W = (C/N + ρ·(tr/D)·I)^{-1/2} of view v, from its centred scatter C (d,d). */
static int whitening(const gk_align *a, const gk_mat *X, const double *mu, double ridge,
                     double n, double **out)
{
    const int64_t d = X->cols;
    double *C = gk_malloc((size_t)(2 * d * d + d) * sizeof *C);
    GK_FAIL_IF(!C, GK_ENOMEM, "align cca: out of memory");
    double *E = C + d * d, *lam = E + d * d, tr = 0;
    int rc = al_cross(a, X, mu, X, mu, C);
    for (int64_t j = 0; j < d; j++) tr += C[j * d + j] / n;
    for (int64_t i = 0; i < d * d; i++) C[i] /= n;
    for (int64_t j = 0; j < d; j++) C[j * d + j] += ridge * tr / (double)d;
    if (rc == GK_OK) rc = gk_eigh(C, d, lam, E);
    if (rc == GK_OK && !(lam[d - 1] > 1e-12 * lam[0]))
        rc = gk_set_error(GK_ENUMERIC, "align cca: a view's covariance is singular (smallest "
                          "eigenvalue %.3g); use ridge > 0", lam[d - 1]);
    double *Wv = rc == GK_OK ? gk_malloc((size_t)d * (size_t)d * sizeof *Wv) : NULL;
    if (rc == GK_OK && !Wv) rc = gk_set_error(GK_ENOMEM, "align cca: out of memory");
    if (rc == GK_OK) {
        /* W = E diag(λ^{-1/2}) Eᵀ: scale E's columns into C, then C Eᵀ */
        for (int64_t i = 0; i < d; i++)
            for (int64_t j = 0; j < d; j++) C[i * d + j] = E[i * d + j] / sqrt(lam[j]);
        gk_dgemm_rm(0, 1, d, d, d, 1.0, C, d, E, d, 0.0, Wv, d); /* d checked by gk_eigh */
        *out = Wv;
    }
    gk_free(C);
    return rc;
}

/* K_vl = W_v C_vl W_l (or C_vl) and its transpose into K_lv. */
static int fill_block(const gk_align *a, mv_work *w, const gk_mat *const *views, int v, int l,
                      double n)
{
    const int64_t dv = views[v]->cols, dl = views[l]->cols, S = w->off[w->M];
    double *C = gk_malloc((size_t)(2 * dv * dl) * sizeof *C);
    GK_FAIL_IF(!C, GK_ENOMEM, "align: out of memory");
    double *T = C + dv * dl, *B = C;
    int rc = al_cross(a, views[v], w->mu[v], views[l], w->mu[l], C);
    for (int64_t i = 0; i < dv * dl; i++) C[i] /= n;
    if (rc == GK_OK && w->W[v]) {
        /* dv, dl passed gk_blas_check in gk_eigh of their whitening */
        gk_dgemm_rm(0, 0, dv, dl, dv, 1.0, w->W[v], dv, C, dl, 0.0, T, dl);
        gk_dgemm_rm(0, 0, dv, dl, dl, 1.0, T, dl, w->W[l], dl, 0.0, C, dl);
    }
    for (int64_t i = 0; rc == GK_OK && i < dv; i++)
        for (int64_t j = 0; j < dl; j++) {
            w->K[(w->off[v] + i) * S + w->off[l] + j] = B[i * dl + j];
            w->K[(w->off[l] + j) * S + w->off[v] + i] = B[i * dl + j];
        }
    gk_free(C);
    return rc;
}

/* The rows enter only through the means and centred cross-products
** (al_means, al_cross: summed over the ranks' blocks in block order under
** MPI, so K has the bits of one process). */
static int build_k(const gk_align *a, mv_work *w, const gk_mat *const *views, int whiten)
{
    const double n = (double)a->n_fit;
    const int64_t S = w->off[w->M];
    GK_TRY(al_means(a, views, w->mu));
    for (int v = 0; whiten && v < w->M; v++)
        GK_TRY(whitening(a, views[v], w->mu[v], a->opts.ridge, n, &w->W[v]));
    w->K = gk_calloc((size_t)S * (size_t)S, sizeof *w->K);
    w->lam = gk_malloc((size_t)S * sizeof *w->lam);
    w->vec = gk_malloc((size_t)S * (size_t)S * sizeof *w->vec);
    GK_FAIL_IF(!w->K || !w->lam || !w->vec, GK_ENOMEM, "align: out of memory for a (%lld, "
               "%lld) eigenproblem", (long long)S, (long long)S);
    for (int v = 0; v < w->M; v++)
        for (int l = v + 1; l < w->M; l++) GK_TRY(fill_block(a, w, views, v, l, n));
    return gk_eigh(w->K, S, w->lam, w->vec);
}

/* Components kept: at most k and min D_v, with eigenvalue > 1e-9·λ_1. */
static int64_t kept(const mv_work *w, const gk_mat *const *views, int64_t k)
{
    int64_t kk = k;
    for (int v = 0; v < w->M; v++) kk = views[v]->cols < kk ? views[v]->cols : kk;
    int64_t pos = 0;
    while (pos < kk && w->lam[pos] > 1e-9 * w->lam[0] && w->lam[pos] > 0) pos++;
    return pos;
}

/* Column j of view v's direction matrix, into a (d, k) float array. */
static void direction(const mv_work *w, int v, int64_t d, int64_t j, int64_t k, double sign,
                      float *proj, double *e)
{
    const int64_t S = w->off[w->M];
    double nrm = 0;
    for (int64_t i = 0; i < d; i++) {
        e[i] = w->vec[(w->off[v] + i) * S + j];
        nrm += e[i] * e[i];
    }
    nrm = nrm > 0 ? sign / sqrt(nrm) : 0;
    for (int64_t i = 0; i < d; i++) {
        double a = 0;
        if (!w->W[v]) a = e[i];
        else
            for (int64_t l = 0; l < d; l++) a += w->W[v][i * d + l] * e[l];
        proj[i * k + j] = (float)(a * nrm);
    }
}

/* +1 or −1 so that the largest-|·| entry of the view-0 block of j is positive. */
static double sign_of(const mv_work *w, int64_t j)
{
    const int64_t S = w->off[w->M];
    double best = 0;
    for (int64_t i = 0; i < w->off[1]; i++) {
        double x = w->vec[i * S + j];
        if (fabs(x) > fabs(best)) best = x;
    }
    return best < 0 ? -1.0 : 1.0;
}

static int store(gk_align *a, const mv_work *w, int64_t k)
{
    double *e = gk_malloc((size_t)w->off[w->M] * sizeof *e);
    GK_FAIL_IF(!e, GK_ENOMEM, "align: out of memory");
    int rc = al_diag_alloc(a, k);
    for (int v = 0; rc == GK_OK && v < w->M; v++) {
        al_view *av = &a->view[v];
        rc = al_view_alloc(av, 1, k, 0);
        for (int64_t i = 0; rc == GK_OK && i < av->d; i++) av->offset[i] = (float)w->mu[v][i];
        for (int64_t j = 0; rc == GK_OK && j < k; j++)
            direction(w, v, av->d, j, k, sign_of(w, j), av->proj, e);
    }
    for (int64_t j = 0; rc == GK_OK && j < k; j++) a->diag[j] = (float)w->lam[j];
    gk_free(e);
    return rc;
}

int al_fit_multiview(gk_align *a, const gk_mat *const *views, int whiten)
{
    mv_work w;
    memset(&w, 0, sizeof w);
    w.M = a->n_views;
    for (int v = 0; v < w.M; v++) w.off[v + 1] = w.off[v] + views[v]->cols;
    int rc = build_k(a, &w, views, whiten);
    int64_t k = rc == GK_OK ? kept(&w, views, a->opts.k) : 0;
    if (rc == GK_OK && k == 0)
        rc = gk_set_error(GK_ENUMERIC, "align %s: the views share no direction (all "
                          "cross-covariances are zero)", whiten ? "cca" : "comet");
    if (rc == GK_OK) {
        a->opts.k = k;
        rc = store(a, &w, k);
    }
    mv_free(&w);
    return rc;
}
