/*
** procrustes_sim.c — orthogonal Procrustes similarity and distance of two
** spaces, after centring each and scaling it to unit Frobenius norm.
**
** For X̃ = Xc/‖Xc‖_F and Ỹ = Yc/‖Yc‖_F (zero-padded to a common width),
**   min_R ‖X̃R − Ỹ‖²_F = ‖X̃‖² + ‖Ỹ‖² − 2 max_R tr(RᵀX̃ᵀỸ) = 2 − 2‖X̃ᵀỸ‖_*,
** the maximum over orthogonal R being the nuclear norm (sum of singular
** values) of X̃ᵀỸ = XcᵀYc / (‖Xc‖_F ‖Yc‖_F).  Zero padding adds only zero
** rows or columns to XcᵀYc, so unequal widths change nothing.
*/
#include <math.h>
#include <stdio.h>

#include "cka_internal.h"
#include "core/error_internal.h"
#include "gapkit/linalg.h"

int gk_procrustes_sim(const gk_mat *X, const gk_mat *Y, gk_cka_result *out)
{
    cka_moments m;
    GK_TRY(cka_begin(GK_CKA_PROCRUSTES, X, Y, 2, out));
    GK_TRY(cka_moments_compute("procrustes", X, Y, 0, &m));
    int rc = cka_procrustes_finish(&m, out);
    cka_moments_free(&m);
    return rc;
}

int cka_procrustes_finish(const cka_moments *mm, gk_cka_result *out)
{
    const cka_moments m = *mm;
    const int64_t r = m.dx < m.dy ? m.dx : m.dy;
    double *s = gk_malloc((size_t)r * sizeof *s), nuc = 0;
    int rc = s ? gk_svd_values(m.gxy, m.dx, m.dy, s)
               : gk_set_error(GK_ENOMEM, "procrustes: out of memory");
    if (rc == GK_OK) {
        for (int64_t i = 0; i < r; i++) nuc += s[i];
        const double v = nuc / sqrt(m.ssx * m.ssy);
        out->value = v > 1 ? 1 : v; /* Cauchy–Schwarz bound; above only by rounding */
        out->distance = 2 - 2 * out->value;
        out->angle = acos(out->value);
        snprintf(out->estimator, sizeof out->estimator,
                 "orthogonal Procrustes on centred, Frobenius-normalised X~, Y~: value = "
                 "||X~^T Y~||_* (nuclear norm), distance = min_R ||X~ R - Y~||_F^2 = 2 - "
                 "2 value, angle = arccos(value)");
    }
    gk_free(s);
    return rc;
}
