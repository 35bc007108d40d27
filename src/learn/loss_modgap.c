/*
** loss_modgap.c — the two gap-closing terms of ModGap (Grassucci et al.,
** ICLR 2026; methods.md §6), added to InfoNCE by train_step.c:
**   L_ATP = mean_i ‖a_i − b_i‖²                dL/da_i = 2(a_i − b_i)/N
**   L_CU  = log mean_{i<j} K_ij,  K_ij = exp(−2‖c_i − c_j‖²),
**           c_i = normalize(m_i), m_i = mean_v z_i^v
**           dL/dc_i = −4/ΣK · Σ_{j≠i} K_ij (c_i − c_j)
** (each unordered pair once, as torch.pdist in the reference code).
*/
#include <math.h>
#include <string.h>

#include "gapkit/linalg.h"
#include "train_internal.h"

double loss_atp(const float *A, const float *Bm, int64_t N, int64_t D, double w, float *dA,
                float *dB)
{
    double L = 0;
    const double g = 2.0 * w / (double)N;
    for (int64_t i = 0; i < N * D; i++) {
        const double d = (double)A[i] - Bm[i];
        L += d * d;
        if (dA) dA[i] += (float)(g * d), dB[i] -= (float)(g * d);
    }
    return L / (double)N;
}

/* K (N,N) := exp(−2‖c_i − c_j‖²) off the diagonal, 0 on it, from the Gram
** matrix in K and the squared norms sq; rows (N,) receives Σ_j K_ij.
** @return : Σ_{i<j} K_ij. */
static double cu_kernel(float *K, const double *sq, int64_t N, double *rows)
{
    double S = 0;
    for (int64_t i = 0; i < N; i++) {
        double r = 0;
        for (int64_t j = 0; j < N; j++) {
            const double d2 = fmax(sq[i] + sq[j] - 2.0 * K[i * N + j], 0.0);
            const double k = i == j ? 0.0 : exp(-2.0 * d2);
            K[i * N + j] = (float)k;
            r += k;
            if (j > i) S += k;
        }
        rows[i] = r;
    }
    return S;
}

/* work (doubles): sq (N), rows (N), then as floats m, c, KC (N·D each),
** K (N·N), 1/‖m‖ (N). */
double loss_cu(const float *const *Z, int M, int64_t N, int64_t D, double w, float *const *dZ,
               double *work)
{
    const size_t nd = (size_t)N * (size_t)D, nn = (size_t)N * (size_t)N;
    double *sq = work, *rows = work + N;
    float *m = (float *)(work + 2 * N), *c = m + nd, *KC = c + nd, *K = KC + nd, *rn = K + nn;
    memset(m, 0, nd * sizeof *m);
    for (int v = 0; v < M; v++)
        for (size_t i = 0; i < nd; i++) m[i] += Z[v][i];
    for (size_t i = 0; i < nd; i++) m[i] /= (float)M;
    hd_l2norm_forward(m, N, D, c, rn);
    for (int64_t i = 0; i < N; i++) {
        double s = 0;
        for (int64_t k = 0; k < D; k++) s += (double)c[i * D + k] * c[i * D + k];
        sq[i] = s;
    }
    gk_mat Cm = {c, N, D, D, 1, NULL}, Km = {K, N, N, N, 1, NULL}, KCm = {KC, N, D, D, 1, NULL};
    if (gk_gemm(0, 1, 1.0f, &Cm, &Cm, 0.0f, &Km) != GK_OK) return NAN;
    const double S = cu_kernel(K, sq, N, rows);
    const double L = log(S / (0.5 * (double)N * (double)(N - 1)));
    if (!dZ) return L;
    if (gk_gemm(0, 0, 1.0f, &Km, &Cm, 0.0f, &KCm) != GK_OK) return NAN;
    for (int64_t i = 0; i < N; i++) /* dL/dc_i = −4/S (rows_i c_i − (K C)_i), into KC */
        for (int64_t k = 0; k < D; k++)
            KC[i * D + k] = (float)(-4.0 / S * (rows[i] * c[i * D + k] - KC[i * D + k]));
    hd_l2norm_backward(c, rn, KC, N, D, m); /* dL/dm into m */
    for (int v = 0; v < M; v++)
        for (size_t i = 0; i < nd; i++) dZ[v][i] += (float)(w * m[i] / M);
    return L;
}
