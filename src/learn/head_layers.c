/*
** head_layers.c — the layers of a projection head, forward next to
** backward (llm.c style): affine map (GEMM through src/linalg), GELU,
** LayerNorm and L2 normalisation.  Row sums in double.  B rows, D columns.
*/
#include <math.h>
#include <string.h>

#include "core/error_internal.h"
#include "gapkit/linalg.h"
#include "train_internal.h"

/* out (B,D) = x (B,K) · w (K,D) + bias. */
int hd_affine_forward(const float *x, const float *w, const float *bias, int64_t B, int64_t K,
                      int64_t D, float *out)
{
    for (int64_t i = 0; i < B; i++) memcpy(out + i * D, bias, (size_t)D * sizeof *out);
    gk_mat X = {(float *)x, B, K, K, 1, NULL}, W = {(float *)w, K, D, D, 1, NULL};
    gk_mat O = {out, B, D, D, 1, NULL};
    return gk_gemm(0, 0, 1.0f, &X, &W, 1.0f, &O);
}

/* Columns summed per block of HD_COLS: each block's sums run down the rows
** in order (the same sums as one column at a time), but every row read is
** a contiguous run the compiler vectorises, not a stride-D walk. */
enum { HD_COLS = 64 };

/* db (D,) = Σ_i dout_i in double, i in order. */
static void column_sums(const float *dout, int64_t B, int64_t D, float *db)
{
    for (int64_t j0 = 0; j0 < D; j0 += HD_COLS) {
        const int64_t nj = D - j0 < HD_COLS ? D - j0 : HD_COLS;
        double s[HD_COLS] = {0};
        for (int64_t i = 0; i < B; i++) {
            const float *r = dout + i * D + j0;
#pragma omp simd
            for (int64_t j = 0; j < nj; j++) s[j] += r[j];
        }
        for (int64_t j = 0; j < nj; j++) db[j0 + j] = (float)s[j];
    }
}

/* dw (K,D) = xᵀ dout;  db (D,) = Σ_i dout_i;  dx (B,K) = dout wᵀ. */
int hd_affine_backward(const float *x, const float *w, const float *dout, int64_t B, int64_t K,
                       int64_t D, float *dw, float *db, float *dx)
{
    gk_mat X = {(float *)x, B, K, K, 1, NULL}, W = {(float *)w, K, D, D, 1, NULL};
    gk_mat G = {(float *)dout, B, D, D, 1, NULL}, DW = {dw, K, D, D, 1, NULL};
    GK_TRY(gk_gemm(1, 0, 1.0f, &X, &G, 0.0f, &DW));
    column_sums(dout, B, D, db);
    if (!dx) return GK_OK;
    gk_mat DX = {dx, B, K, K, 1, NULL};
    return gk_gemm(0, 1, 1.0f, &G, &W, 0.0f, &DX);
}

/* Row sums in double are chains of dependent additions, each waiting for
** the last: HD_ROWS rows are summed side by side, every row still in its own
** order j = 0, 1, …, so the sums are those of one row at a time, only
** overlapped.  A group past the last row repeats it (its sums are unused). */
enum { HD_ROWS = 4 };

static void group_rows(const float *base, int64_t i, int64_t B, int64_t D,
                       const float *r[HD_ROWS])
{
    for (int k = 0; k < HD_ROWS; k++) r[k] = base + (i + k < B ? i + k : B - 1) * D;
}

/* s[k] = Σ_j a_k[j]·b_k[j]. */
static void dots(const float *const a[HD_ROWS], const float *const b[HD_ROWS], int64_t D,
                 double s[HD_ROWS])
{
    for (int k = 0; k < HD_ROWS; k++) s[k] = 0;
    for (int64_t j = 0; j < D; j++)
        for (int k = 0; k < HD_ROWS; k++) s[k] += (double)a[k][j] * b[k][j];
}

void hd_l2norm_forward(const float *y, int64_t B, int64_t D, float *z, float *rnorm)
{
    for (int64_t i0 = 0; i0 < B; i0 += HD_ROWS) {
        const float *rows[HD_ROWS];
        double ss[HD_ROWS];
        group_rows(y, i0, B, D, rows);
        dots(rows, rows, D, ss);
        for (int64_t k = 0; k < HD_ROWS && i0 + k < B; k++) {
            const float *r = rows[k];
            float *zr = z + (i0 + k) * D;
            const double inv = ss[k] > 0 ? 1.0 / sqrt(ss[k]) : 0.0;
            rnorm[i0 + k] = (float)inv;
#pragma omp simd
            for (int64_t j = 0; j < D; j++) zr[j] = (float)(r[j] * inv);
        }
    }
}

/* z = y/‖y‖ has Jacobian (I − z zᵀ)/‖y‖. */
void hd_l2norm_backward(const float *z, const float *rnorm, const float *dz, int64_t B,
                        int64_t D, float *dy)
{
    for (int64_t i0 = 0; i0 < B; i0 += HD_ROWS) {
        const float *zs[HD_ROWS], *gs[HD_ROWS];
        double dot[HD_ROWS];
        group_rows(z, i0, B, D, zs);
        group_rows(dz, i0, B, D, gs);
        dots(zs, gs, D, dot);
        for (int64_t k = 0; k < HD_ROWS && i0 + k < B; k++) {
            const float *zr = zs[k], *g = gs[k], rn = rnorm[i0 + k];
            const double d = dot[k];
            float *out = dy + (i0 + k) * D;
#pragma omp simd
            for (int64_t j = 0; j < D; j++) out[j] = (float)((g[j] - zr[j] * d) * rn);
        }
    }
}

/* Φ(x) = ½(1 + erf(x/√2)), φ(x) = exp(−x²/2)/√(2π).  The forward pass of
** training also keeps GELU'(x) = Φ(x) + x φ(x), while erf(x) is at hand, so
** the backward pass is one product instead of erf and exp again. */
void hd_gelu_forward(const float *x, int64_t n, float *out, float *deriv)
{
    /* float erff/expf (< 1 ulp in float, as torch computes GELU in float): the
    ** double versions were most of the MLP's elementwise time */
    const float c = (float)(0.5 * M_2_SQRTPI * M_SQRT1_2), r2 = (float)M_SQRT1_2; /* 1/√(2π), 1/√2 */
    for (int64_t i = 0; i < n; i++) {
        const float v = x[i], cdf = 0.5f * (1.0f + erff(v * r2));
        out[i] = v * cdf;
        if (deriv) deriv[i] = cdf + v * c * expf(-0.5f * v * v);
    }
}

void hd_gelu_backward(const float *deriv, const float *dout, int64_t n, float *dx)
{
    for (int64_t i = 0; i < n; i++) dx[i] = dout[i] * deriv[i];
}

void hd_layernorm_forward(const float *x, const float *g, const float *b, int64_t B,
                          int64_t D, float *out, float *mean, float *rstd)
{
    for (int64_t i0 = 0; i0 < B; i0 += HD_ROWS) {
        const float *r[HD_ROWS];
        double m[HD_ROWS] = {0}, v[HD_ROWS] = {0};
        group_rows(x, i0, B, D, r);
        for (int64_t j = 0; j < D; j++)
            for (int k = 0; k < HD_ROWS; k++) m[k] += r[k][j];
        for (int k = 0; k < HD_ROWS; k++) m[k] /= (double)D;
        for (int64_t j = 0; j < D; j++)
            for (int k = 0; k < HD_ROWS; k++) v[k] += (r[k][j] - m[k]) * (r[k][j] - m[k]);
        for (int64_t k = 0; k < HD_ROWS && i0 + k < B; k++) {
            const float *rk = r[k];
            const double mk = m[k], s = 1.0 / sqrt(v[k] / (double)D + HD_LN_EPS);
            float *o = out + (i0 + k) * D;
            mean[i0 + k] = (float)mk, rstd[i0 + k] = (float)s;
#pragma omp simd
            for (int64_t j = 0; j < D; j++) o[j] = (float)((rk[j] - mk) * s * g[j] + b[j]);
        }
    }
}

/* With n = (x − μ)/σ and dn = dout ⊙ g:
**   dx = (dn − mean(dn) − n · mean(dn ⊙ n)) / σ;  dg = Σ dout ⊙ n;  db = Σ dout. */
void hd_layernorm_backward(const float *x, const float *mean, const float *rstd,
                           const float *g, const float *dout, int64_t B, int64_t D, float *dx,
                           float *dg, float *db)
{
    for (int64_t i0 = 0; i0 < B; i0 += HD_ROWS) {
        const float *r[HD_ROWS], *go[HD_ROWS];
        float mu[HD_ROWS];
        double rs[HD_ROWS], mdn[HD_ROWS] = {0}, mdnn[HD_ROWS] = {0};
        group_rows(x, i0, B, D, r);
        group_rows(dout, i0, B, D, go);
        for (int k = 0; k < HD_ROWS; k++) {
            const int64_t i = i0 + k < B ? i0 + k : B - 1;
            mu[k] = mean[i], rs[k] = rstd[i];
        }
        for (int64_t j = 0; j < D; j++)
            for (int k = 0; k < HD_ROWS; k++) {
                const double n = (r[k][j] - mu[k]) * rs[k], dn = (double)go[k][j] * g[j];
                mdn[k] += dn;
                mdnn[k] += dn * n;
            }
        for (int64_t k = 0; k < HD_ROWS && i0 + k < B; k++) {
            const float *rk = r[k], *gk = go[k], mk = mu[k];
            const double sk = rs[k], a = mdn[k] / (double)D, c = mdnn[k] / (double)D;
            float *dr = dx + (i0 + k) * D;
#pragma omp simd
            for (int64_t j = 0; j < D; j++) {
                const double n = (rk[j] - mk) * sk, dn = (double)gk[j] * g[j];
                dr[j] = (float)((dn - a - n * c) * sk);
            }
        }
    }
    column_sums(dout, B, D, db);
    for (int64_t j0 = 0; j0 < D; j0 += HD_COLS) { /* Σ_i dout ⊙ n, i in order */
        const int64_t nj = D - j0 < HD_COLS ? D - j0 : HD_COLS;
        double sg[HD_COLS] = {0};
        for (int64_t i = 0; i < B; i++) {
            const float *r = x + i * D + j0, *go = dout + i * D + j0;
            const float mu = mean[i]; /* x − μ in float, as the row pass */
            const double rs = rstd[i];
#pragma omp simd
            for (int64_t j = 0; j < nj; j++) sg[j] += (double)go[j] * ((r[j] - mu) * rs);
        }
        for (int64_t j = 0; j < nj; j++) dg[j0 + j] = (float)sg[j];
    }
}
