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

void hd_l2norm_forward(const float *y, int64_t B, int64_t D, float *z, float *rnorm)
{
    for (int64_t i = 0; i < B; i++) {
        const float *r = y + i * D;
        double ss = 0;
        for (int64_t j = 0; j < D; j++) ss += (double)r[j] * r[j];
        const double inv = ss > 0 ? 1.0 / sqrt(ss) : 0.0;
        rnorm[i] = (float)inv;
#pragma omp simd
        for (int64_t j = 0; j < D; j++) z[i * D + j] = (float)(r[j] * inv);
    }
}

/* z = y/‖y‖ has Jacobian (I − z zᵀ)/‖y‖. */
void hd_l2norm_backward(const float *z, const float *rnorm, const float *dz, int64_t B,
                        int64_t D, float *dy)
{
    for (int64_t i = 0; i < B; i++) {
        const float *zr = z + i * D, *g = dz + i * D;
        double dot = 0;
        for (int64_t j = 0; j < D; j++) dot += (double)zr[j] * g[j];
#pragma omp simd
        for (int64_t j = 0; j < D; j++)
            dy[i * D + j] = (float)((g[j] - zr[j] * dot) * rnorm[i]);
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
    for (int64_t i = 0; i < B; i++) {
        const float *r = x + i * D;
        double m = 0, v = 0;
        for (int64_t j = 0; j < D; j++) m += r[j];
        m /= (double)D;
        for (int64_t j = 0; j < D; j++) v += (r[j] - m) * (r[j] - m);
        const double s = 1.0 / sqrt(v / (double)D + HD_LN_EPS);
        mean[i] = (float)m, rstd[i] = (float)s;
#pragma omp simd
        for (int64_t j = 0; j < D; j++)
            out[i * D + j] = (float)((r[j] - m) * s * g[j] + b[j]);
    }
}

/* With n = (x − μ)/σ and dn = dout ⊙ g:
**   dx = (dn − mean(dn) − n · mean(dn ⊙ n)) / σ;  dg = Σ dout ⊙ n;  db = Σ dout. */
void hd_layernorm_backward(const float *x, const float *mean, const float *rstd,
                           const float *g, const float *dout, int64_t B, int64_t D, float *dx,
                           float *dg, float *db)
{
    for (int64_t i = 0; i < B; i++) {
        const float *r = x + i * D, *go = dout + i * D, mu = mean[i];
        const double rs = rstd[i];
        float *dr = dx + i * D;
        double mdn = 0, mdnn = 0;
        for (int64_t j = 0; j < D; j++) {
            const double n = (r[j] - mu) * rs, dn = (double)go[j] * g[j];
            mdn += dn;
            mdnn += dn * n;
        }
        mdn /= (double)D, mdnn /= (double)D;
#pragma omp simd
        for (int64_t j = 0; j < D; j++) {
            const double n = (r[j] - mu) * rs, dn = (double)go[j] * g[j];
            dr[j] = (float)((dn - mdn - n * mdnn) * rs);
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
