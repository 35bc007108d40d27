/*
** svcca.c — SVCCA (Raghu et al. 2017) in feature space: principal directions
** of each centred space (SV step), then canonical correlations between the
** two reduced spaces (CCA step), all from the centred cross-products.
**
** With Gx = XcᵀXc = Vx Λx Vxᵀ, the reduced space Xc Vx,k has the uncorrelated
** columns Λx,k, so the whitened cross-covariance of the two reduced spaces is
**   B = Λx,k^{-1/2} Vx,kᵀ (XcᵀYc) Vy,k Λy,k^{-1/2}   (kx, ky)
** and its singular values are the canonical correlations.
*/
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "cka_internal.h"
#include "core/error_internal.h"
#include "gapkit/linalg.h"

/* Eigenvalues below this share of the largest are rounding, not directions. */
#define RANK_TOL 1e-6

/* Directions kept from eigenvalues w (d,) descending; *kept = their share. */
static int64_t directions(const double *w, int64_t d, const gk_cka_opts *o, double *kept)
{
    double total = 0, run = 0;
    int64_t rank = 0, k;
    for (int64_t i = 0; i < d; i++) total += w[i] > 0 ? w[i] : 0;
    while (rank < d && w[rank] > RANK_TOL * w[0]) rank++;
    if (o->svcca_dims > 0) {
        k = o->svcca_dims < rank ? o->svcca_dims : rank;
        for (int64_t i = 0; i < k; i++) run += w[i];
    } else {
        for (k = 0; k < rank && run < o->svcca_variance * total; k++) run += w[k];
    }
    *kept = run / total;
    return k;
}

/* b (kx,ky) = diag(wx^-1/2) vxᵀ g vy diag(wy^-1/2), with vx (dx,dx) and vy
** (dy,dy) holding eigenvectors in columns and g (dx,dy); t is (dx,ky) scratch. */
static void whitened_cross(const cka_moments *m, const double *vx, const double *wx,
                           int64_t kx, const double *vy, const double *wy, int64_t ky,
                           double *t, double *b)
{
    const int64_t dx = m->dx, dy = m->dy;
    memset(t, 0, (size_t)dx * (size_t)ky * sizeof *t);
    for (int64_t i = 0; i < dx; i++)
        for (int64_t l = 0; l < dy; l++) {
            const double g = m->gxy[i * dy + l];
            for (int64_t j = 0; j < ky; j++) t[i * ky + j] += g * vy[l * dy + j];
        }
    memset(b, 0, (size_t)kx * (size_t)ky * sizeof *b);
    for (int64_t i = 0; i < dx; i++)
        for (int64_t a = 0; a < kx; a++) {
            const double v = vx[i * dx + a];
            for (int64_t j = 0; j < ky; j++) b[a * ky + j] += v * t[i * ky + j];
        }
    for (int64_t a = 0; a < kx; a++)
        for (int64_t j = 0; j < ky; j++) b[a * ky + j] /= sqrt(wx[a] * wy[j]);
}

int cka_svcca_check(const gk_cka_opts *o)
{
    GK_FAIL_IF(o->svcca_dims < 0, GK_EARG, "svcca: dims %lld (expected > 0, or 0 to keep a "
               "share of the variance)", (long long)o->svcca_dims);
    GK_FAIL_IF(o->svcca_dims == 0 && !(o->svcca_variance > 0 && o->svcca_variance <= 1),
               GK_EARG, "svcca: variance share %g (expected 0 < share <= 1)",
               o->svcca_variance);
    return GK_OK;
}

/* Canonical correlations of the reduced spaces into out->rho and value. */
static int correlate(const cka_moments *m, const double *e, const gk_cka_opts *o,
                     gk_cka_result *out)
{
    const int64_t dx = m->dx, dy = m->dy;
    const double *wx = e, *wy = wx + dx, *vx = wy + dy, *vy = vx + dx * dx;
    out->kx = directions(wx, dx, o, &out->kept_x);
    out->ky = directions(wy, dy, o, &out->kept_y);
    GK_FAIL_IF(out->kx + out->ky >= m->n, GK_EARG,
               "svcca: kept %lld + %lld directions for %lld items: CCA needs kx + ky <= N - 1, "
               "else some correlations are 1 whatever the data; keep fewer (dims or a smaller "
               "variance share) or use more items", (long long)out->kx, (long long)out->ky,
               (long long)m->n);
    const int64_t kx = out->kx, ky = out->ky, r = kx < ky ? kx : ky;
    double *t = gk_malloc(((size_t)dx * (size_t)ky + (size_t)kx * (size_t)ky) * sizeof *t);
    out->rho = gk_malloc((size_t)r * sizeof *out->rho);
    int rc = t && out->rho ? GK_OK : gk_set_error(GK_ENOMEM, "svcca: out of memory");
    if (rc == GK_OK) {
        whitened_cross(m, vx, wx, kx, vy, wy, ky, t, t + dx * ky);
        rc = gk_svd_values(t + dx * ky, kx, ky, out->rho);
    }
    gk_free(t);
    if (rc != GK_OK) return gk_cka_result_free(out), rc;
    double s = 0;
    for (int64_t i = 0; i < r; i++) s += out->rho[i] = out->rho[i] > 1 ? 1 : out->rho[i];
    out->n_rho = r;
    out->value = s / (double)r;
    return GK_OK;
}

int cka_svcca_finish(const cka_moments *m, const gk_cka_opts *o, gk_cka_result *out)
{
    const int64_t dx = m->dx, dy = m->dy;
    /* e: wx (dx), wy (dy), vx (dx,dx), vy (dy,dy) */
    double *e = gk_malloc(((size_t)dx * (dx + 1) + (size_t)dy * (dy + 1)) * sizeof *e);
    int rc = e ? GK_OK : gk_set_error(GK_ENOMEM, "svcca: out of memory");
    if (rc == GK_OK) rc = gk_eigh(m->gx, dx, e, e + dx + dy);
    if (rc == GK_OK) rc = gk_eigh(m->gy, dy, e + dx, e + dx + dy + dx * dx);
    if (rc == GK_OK) rc = correlate(m, e, o, out);
    if (rc == GK_OK) {
        out->variance = o->svcca_dims > 0 ? NAN : o->svcca_variance;
        char keep[64];
        if (o->svcca_dims > 0) snprintf(keep, sizeof keep, "%lld dims", (long long)o->svcca_dims);
        else snprintf(keep, sizeof keep, "%g%% of the variance", 100 * o->svcca_variance);
        snprintf(out->estimator, sizeof out->estimator,
                 "SVD of each centred space keeping %s (kx = %lld, ky = %lld), then CCA: mean "
                 "of %lld canonical correlations", keep, (long long)out->kx,
                 (long long)out->ky, (long long)out->n_rho);
    }
    gk_free(e);
    return rc;
}

int gk_svcca(const gk_mat *X, const gk_mat *Y, const gk_cka_opts *opts, gk_cka_result *out)
{
    const gk_cka_opts o = opts ? *opts : gk_cka_opts_default();
    cka_moments m;
    GK_TRY(cka_begin(GK_CKA_SVCCA, X, Y, 3, out));
    GK_TRY(cka_svcca_check(&o));
    GK_TRY(cka_moments_compute("svcca", X, Y, 1, &m));
    const int rc = cka_svcca_finish(&m, &o, out);
    cka_moments_free(&m);
    return rc;
}
