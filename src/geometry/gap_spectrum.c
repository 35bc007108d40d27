/*
** gap_spectrum.c — second-moment gap diagnostics (methods.md §2): per-modality
** covariance spectra (effective rank, participation ratio), principal angles
** between the top-k subspaces, the gap's share along the pooled principal
** directions and the W2 uniformity.  Covariances use 1/N and are built with
** the blocked centred cross-product, O(N·D²).  With fewer rows than
** dimensions (N < D, or 2N < D for the pooled W2) most eigenvalues of the
** D×D covariance are zero and its float32 block products turn them into
** rounding noise of ~1e-9 that log and sqrt amplify (W2 off by ~1e-4); the
** spectra are then taken from the m×m Gram matrix of the centred rows in
** double instead, whose eigenvalues are the non-zero ones.
*/
#include <math.h>
#include <string.h>

#include "core/error_internal.h"
#include "gap_internal.h"
#include "gapkit/linalg.h"

/* Eigen-decomposition of C = (1/N)(A − 1μᵀ)ᵀ(A − 1μᵀ): cov (D,D) is filled,
** w (D,) descending, vecs (D,D) eigenvectors in columns. */
static int covariance_eig(const gk_mat *A, const double *mu, const gap_sums *s, double *cov,
                          double *w, double *vecs)
{
    const int64_t d = A->cols;
    GK_TRY(s->gram(A, mu, cov));
    for (int64_t q = 0; q < d * d; q++) cov[q] /= (double)s->n;
    return gk_eigh(cov, d, w, vecs);
}

/* w (m,) = eigenvalues of (1/m) Zc Zcᵀ, Z = the rows of A then of B (B may
** be NULL), each centred by c (D,): the non-zero spectrum of the covariance
** (1/m) Zcᵀ Zc, all in double.  m = rows of A + rows of B. */
static int gram_eigenvalues(const gk_mat *A, const gk_mat *B, const double *c, double *w)
{
    const int64_t na = A->rows, m = na + (B ? B->rows : 0), d = A->cols;
    double *z = gk_malloc((size_t)m * (size_t)d * sizeof *z);
    double *g = gk_malloc(2 * (size_t)m * (size_t)m * sizeof *g);
    if (!z || !g) {
        gk_free(z), gk_free(g);
        return gk_set_error(GK_ENOMEM, "gap: out of memory for a %lld x %lld Gram matrix",
                            (long long)m, (long long)m);
    }
    for (int64_t i = 0; i < m; i++)
        for (int64_t j = 0; j < d; j++)
            z[i * d + j] = (double)(i < na ? gk_mat_at(A, i, j) : gk_mat_at(B, i - na, j)) - c[j];
    for (int64_t i = 0; i < m; i++)
        for (int64_t k = 0; k <= i; k++) {
            double s = 0;
            for (int64_t j = 0; j < d; j++) s += z[i * d + j] * z[k * d + j];
            g[i * m + k] = g[k * m + i] = s / (double)m;
        }
    int rc = gk_eigh(g, m, w, g + m * m);
    gk_free(z), gk_free(g);
    return rc;
}

/* erank = exp(−Σ p_i log p_i), p = λ/Σλ (λ < 0 from rounding clipped to 0);
** PR = (Σλ)² / Σλ².  A zero covariance (every row the same) has rank 0: both
** are 0 then (exp of an empty entropy would say 1). */
static void erank_pr(const double *w, int64_t d, double *erank, double *pr)
{
    double s = 0, s2 = 0, h = 0;
    for (int64_t i = 0; i < d; i++) {
        double l = w[i] > 0 ? w[i] : 0;
        s += l, s2 += l * l;
    }
    for (int64_t i = 0; i < d && s > 0; i++) {
        double p = (w[i] > 0 ? w[i] : 0) / s;
        if (p > 0) h -= p * log(p);
    }
    *erank = s > 0 ? exp(h) : 0.0;
    *pr = s2 > 0 ? s * s / s2 : 0.0;
}

/* Principal angles (degrees, ascending) between span(ex[:, :k]) and
** span(ey[:, :k]): θ_i = acos σ_i(Exᵀ Ey). */
static int principal_angles(const double *ex, const double *ey, int64_t d, int64_t k,
                            double *angles)
{
    int rc;
    double *b = gk_malloc(3 * (size_t)k * (size_t)k * sizeof *b);
    GK_FAIL_IF(!b, GK_ENOMEM, "gap: out of memory");
    double *u = b + k * k, *vt = u + k * k;
    for (int64_t i = 0; i < k; i++)
        for (int64_t j = 0; j < k; j++) {
            double s = 0;
            for (int64_t l = 0; l < d; l++) s += ex[l * d + i] * ey[l * d + j];
            b[i * k + j] = s;
        }
    rc = gk_svd(b, k, k, u, angles, vt);
    for (int64_t i = 0; rc == GK_OK && i < k; i++) {
        double c = angles[i] > 1 ? 1 : (angles[i] < -1 ? -1 : angles[i]);
        angles[i] = acos(c) * 180.0 / M_PI;
    }
    gk_free(b);
    return rc;
}

/* Rank of a covariance with eigenvalues w (D,): those above 1e-9 of the
** rows' mean square norm tr C + ‖μ‖² (rounding leaves ~1e-16 where rows are
** all equal, so a threshold relative to the largest eigenvalue would not do). */
static int64_t cov_rank(const double *w, const double *mu, int64_t d)
{
    double tr = 0, mu2 = 0;
    for (int64_t i = 0; i < d; i++) tr += w[i] > 0 ? w[i] : 0, mu2 += mu[i] * mu[i];
    int64_t rank = 0;
    for (int64_t i = 0; i < d; i++) rank += w[i] > 1e-9 * (tr + mu2);
    return rank;
}

/* Angles past the smaller rank compare directions the data does not have
** (any basis of the null space would do): undefined, NaN. */
static void undefine_angles(const double *wx, const double *wy, const double *mux,
                            const double *muy, gk_gap_result *r)
{
    int64_t rx = cov_rank(wx, mux, r->dx), ry = cov_rank(wy, muy, r->dy);
    int64_t defined = rx < ry ? rx : ry;
    for (int64_t i = defined; i < r->subspace_k; i++) r->angles[i] = NAN;
}

static double w2_from(const double *w, int64_t m, double mu2, double tr, int64_t d);

/* Pooled covariance of the 2N stacked rows about μ = (μX + μY)/2:
** Cp = (Cx + Cy)/2 + ΔΔᵀ/4.  Then the gap's cumulative share on its top PCs
** and W2 = −sqrt(‖μ‖² + 1 + tr Cp − (2/√D) Σ sqrt(λ_i(Cp))). */
static int pooled(double *cx, const double *cy, const double *mux, const double *muy,
                  double *w, double *vecs, gk_gap_result *r)
{
    const int64_t d = r->dx;
    const double *g = r->gap_vector;
    for (int64_t i = 0; i < d; i++)
        for (int64_t j = 0; j < d; j++) cx[i * d + j] = (cx[i * d + j] + cy[i * d + j]) / 2 +
                                                        g[i] * g[j] / 4;
    double tr = 0, mu2 = 0, g2 = 0, run = 0;
    for (int64_t i = 0; i < d; i++) {
        tr += cx[i * d + i];
        mu2 += (mux[i] + muy[i]) * (mux[i] + muy[i]) / 4;
        g2 += g[i] * g[i];
    }
    GK_TRY(gk_eigh(cx, d, w, vecs));
    for (int64_t j = 0; j < r->n_pc; j++) {
        double p = 0;
        for (int64_t i = 0; i < d; i++) p += vecs[i * d + j] * g[i];
        run += p * p;
        r->pc_share[j] = g2 > 0 ? run / g2 : 0.0;
    }
    r->w2_uniformity = w2_from(w, d, mu2, tr, d);
    return GK_OK;
}

/* W2 from the pooled spectrum w (m,), ‖μ‖², tr Cp and the dimension D. */
static double w2_from(const double *w, int64_t m, double mu2, double tr, int64_t d)
{
    double sq = 0;
    for (int64_t i = 0; i < m; i++) sq += w[i] > 0 ? sqrt(w[i]) : 0;
    const double w2 = mu2 + 1 + tr - 2 / sqrt((double)d) * sq;
    return -sqrt(w2 > 0 ? w2 : 0);
}

/* The Gram route when there are fewer rows than dimensions: erank and PR of
** a side with N < D, and W2 when 2N < D, from the non-zero spectrum. */
static int small_n_spectra(const gk_mat *X, const gk_mat *Y, const double *mux,
                           const double *muy, gk_gap_result *r)
{
    const int64_t n = X->rows;
    double *w = gk_malloc(2 * (size_t)n * sizeof *w), *mu = NULL;
    GK_FAIL_IF(!w, GK_ENOMEM, "gap: out of memory");
    int rc = GK_OK;
    if (n < r->dx) rc = gram_eigenvalues(X, NULL, mux, w);
    if (n < r->dx && rc == GK_OK) erank_pr(w, n, &r->erank_x, &r->pr_x);
    if (n < r->dy && rc == GK_OK) rc = gram_eigenvalues(Y, NULL, muy, w);
    if (n < r->dy && rc == GK_OK) erank_pr(w, n, &r->erank_y, &r->pr_y);
    if (rc == GK_OK && r->same_dim && 2 * n < r->dx) {
        double mu2 = 0, tr = 0;
        mu = gk_malloc((size_t)r->dx * sizeof *mu); /* the centre of the stacked rows */
        for (int64_t j = 0; mu && j < r->dx; j++) {
            mu[j] = (mux[j] + muy[j]) / 2;
            mu2 += mu[j] * mu[j];
        }
        rc = mu ? gram_eigenvalues(X, Y, mu, w) : GK_ENOMEM;
        for (int64_t i = 0; rc == GK_OK && i < 2 * n; i++) tr += w[i] > 0 ? w[i] : 0;
        if (rc == GK_OK) r->w2_uniformity = w2_from(w, 2 * n, mu2, tr, r->dx);
    }
    gk_free(w), gk_free(mu);
    return rc;
}

/* Scratch of the spectral diagnostics. */
typedef struct spec_work {
    double *cx, *cy, *wx, *wy, *ex, *ey;
} spec_work;

static int spec_alloc(spec_work *s, int64_t dx, int64_t dy)
{
    size_t ax = (size_t)dx * (size_t)dx, ay = (size_t)dy * (size_t)dy;
    double *b = gk_malloc((2 * ax + 2 * ay + (size_t)dx + (size_t)dy) * sizeof *b);
    GK_FAIL_IF(!b, GK_ENOMEM, "gap: out of memory for (%lld,%lld) covariances", (long long)dx,
               (long long)dy);
    s->cx = b, s->ex = b + ax, s->cy = s->ex + ax, s->ey = s->cy + ay;
    s->wx = s->ey + ay, s->wy = s->wx + dx;
    return GK_OK;
}

int gap_spectrum(const gk_mat *X, const gk_mat *Y, const double *mux, const double *muy,
                 const gap_sums *g, gk_gap_result *r)
{
    spec_work s = {0};
    int rc;
    GK_TRY(spec_alloc(&s, r->dx, r->dy));
    GK_TRY_GOTO(rc, covariance_eig(X, mux, g, s.cx, s.wx, s.ex), cleanup);
    GK_TRY_GOTO(rc, covariance_eig(Y, muy, g, s.cy, s.wy, s.ey), cleanup);
    erank_pr(s.wx, r->dx, &r->erank_x, &r->pr_x);
    erank_pr(s.wy, r->dy, &r->erank_y, &r->pr_y);
    if (!r->same_dim) goto cleanup;
    GK_TRY_GOTO(rc, principal_angles(s.ex, s.ey, r->dx, r->subspace_k, r->angles), cleanup);
    undefine_angles(s.wx, s.wy, mux, muy, r);
    /* covariance_eig left cx, cy intact (eigh works on a copy into vecs) */
    GK_TRY_GOTO(rc, pooled(s.cx, s.cy, mux, muy, s.wx, s.ex, r), cleanup);
cleanup:
    if (rc == GK_OK && (r->n < r->dx || r->n < r->dy))
        rc = small_n_spectra(X, Y, mux, muy, r);
    gk_free(s.cx);
    return rc;
}
