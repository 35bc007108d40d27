/*
** loss_infonce.c — the symmetric contrastive loss of a view pair and its
** closed-form gradient (methods.md §6).  With logits S = s·A Bᵀ (N,N),
** row softmax P^r and column softmax P^c, and targets Qa (rows) and Qb
** (columns; the identity for InfoNCE):
**   L     = ½[ mean_i KL(Qa_i ‖ P^r_i) + mean_j KL(Qb_j ‖ P^c_·j) ]
**   dL/dS = (P^r − Qa)/(2N) + (P^c − Qbᵀ)/(2N)
**   dL/dA = s·dS·B,  dL/dB = s·dSᵀ·A,  dL/ds = Σ dS ⊙ (A Bᵀ)
** With identity targets KL is the cross-entropy of the true pair.  Softmax
** and sums in double; the two GEMMs in float through gk_gemm.
*/
#include <math.h>

#include "gapkit/linalg.h"
#include "train_internal.h"

size_t loss_work_size(int64_t N, int64_t D)
{
    const size_t n = (size_t)N;
    return 3 * n * n + 4 * n * (size_t)D + 4 * n;
}

/* Σ_k q_k (log q_k − log p_k) for one target line, log p_k = s·G_k − lse;
** q == NULL is e_t. */
static double kl_row(const double *q, int64_t stride, const float *G, int64_t gstride,
                     double s, double lse, int64_t n, int64_t t)
{
    if (!q) return lse - s * G[t * gstride];
    double sum = 0;
    for (int64_t k = 0; k < n; k++) {
        const double qk = q[k * stride];
        if (qk > 0) sum += qk * (log(qk) - (s * G[k * gstride] - lse));
    }
    return sum;
}

/* p (N,N) := softmax of s·G along rows (cols == 0) or columns, lse (N,) the
** log-sum-exp of each line: one exp per entry. */
static void softmax(const float *G, int64_t N, double s, int cols, double *p, double *lse)
{
    const int64_t si = cols ? 1 : N, sj = cols ? N : 1; /* step between lines / within one */
    for (int64_t a = 0; a < N; a++) {
        double mx = -INFINITY, z = 0;
        for (int64_t b = 0; b < N; b++) { /* fmax without the call: NaN skipped alike */
            const double x = s * G[a * si + b * sj];
            mx = x > mx ? x : mx;
        }
        for (int64_t b = 0; b < N; b++) z += p[a * si + b * sj] = exp(s * G[a * si + b * sj] - mx);
        const double inv = 1.0 / z;
        for (int64_t b = 0; b < N; b++) p[a * si + b * sj] *= inv;
        lse[a] = mx + log(z);
    }
}

double loss_contrastive(const float *A, const float *Bm, const double *Qa, const double *Qb,
                        int64_t N, int64_t D, double s, double w, float *dA, float *dB,
                        double *ds, double *work)
{
    const size_t nn = (size_t)N * (size_t)N;
    double *pr = work, *pc = work + nn, *lse_r = work + 3 * nn, *lse_c = lse_r + N;
    float *G = (float *)(work + 2 * nn), *dS = G + nn;
    gk_mat Am = {(float *)A, N, D, D, 1, NULL}, Bv = {(float *)Bm, N, D, D, 1, NULL};
    gk_mat Gm = {G, N, N, N, 1, NULL}, dSm = {dS, N, N, N, 1, NULL};
    if (gk_gemm(0, 1, 1.0f, &Am, &Bv, 0.0f, &Gm) != GK_OK) return NAN;
    softmax(G, N, s, 0, pr, lse_r);
    softmax(G, N, s, 1, pc, lse_c);
    double Lr = 0, Lc = 0, dsum = 0;
    for (int64_t i = 0; i < N; i++) {
        Lr += kl_row(Qa ? Qa + i * N : NULL, 1, G + i * N, 1, s, lse_r[i], N, i);
        Lc += kl_row(Qb ? Qb + i * N : NULL, 1, G + i, N, s, lse_c[i], N, i);
    }
    const double h = 0.5 / (double)N;
    for (int64_t i = 0; i < N; i++)
        for (int64_t j = 0; j < N; j++) {
            const double qa = Qa ? Qa[i * N + j] : (i == j), qb = Qb ? Qb[j * N + i] : (i == j);
            const double g = h * (pr[i * N + j] - qa) + h * (pc[i * N + j] - qb);
            dsum += g * G[i * N + j];
            dS[i * N + j] = (float)g;
        }
    if (ds) *ds += w * dsum;
    if (dA && dB) {
        gk_mat dAm = {dA, N, D, D, 1, NULL}, dBm = {dB, N, D, D, 1, NULL};
        if (gk_gemm(0, 0, (float)(w * s), &dSm, &Bv, 1.0f, &dAm) != GK_OK ||
            gk_gemm(1, 0, (float)(w * s), &dSm, &Am, 1.0f, &dBm) != GK_OK)
            return NAN;
    }
    return 0.5 * (Lr + Lc) / (double)N;
}

double loss_infonce(const float *A, const float *Bm, int64_t N, int64_t D, double s, double w,
                    float *dA, float *dB, double *ds, double *work)
{
    return loss_contrastive(A, Bm, NULL, NULL, N, D, s, w, dA, dB, ds, work);
}
