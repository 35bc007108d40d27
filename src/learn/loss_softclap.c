/*
** loss_softclap.c — the soft-labelled contrastive loss (Wang et al., WASPAA
** 2023; methods.md §6): the contrastive loss of loss_infonce.c with targets
** built from a teacher's same-batch similarities,
**   Q = rownormalise((1−β)I + β·max(T̂T̂ᵀ, 0)).
** Decision: negative teacher cosines are clamped at 0 and every row of Q is
** scaled to sum 1.  The reference code keeps both the negatives (KL of a
** negative target is undefined: NaN in PyTorch) and the row sums (an
** unnormalised row i rescales the softmax term of its gradient,
** (rowsum(Q_i)·P_i − Q_i)/B); with rows summing to 1 the loss is a true KL
** divergence, ≥ 0 and 0 exactly when the model's softmax equals Q.
*/
#include <math.h>

#include "core/error_internal.h"
#include "gapkit/linalg.h"
#include "train_internal.h"

/* G = T̂T̂ᵀ in float (one GEMM), then the targets in double. */
int loss_softclap_targets(const float *T, int64_t N, int64_t Dt, double beta, float *G,
                          double *Q)
{
    gk_mat Tm = {(float *)T, N, Dt, Dt, 1, NULL}, Gm = {G, N, N, N, 1, NULL};
    GK_TRY(gk_gemm(0, 1, 1.0f, &Tm, &Tm, 0.0f, &Gm));
    for (int64_t i = 0; i < N; i++) {
        double sum = 0;
        for (int64_t j = 0; j < N; j++) {
            const double q = (1.0 - beta) * (i == j) + beta * fmax((double)G[i * N + j], 0.0);
            Q[i * N + j] = q;
            sum += q;
        }
        for (int64_t j = 0; j < N; j++) Q[i * N + j] = sum > 0 ? Q[i * N + j] / sum : 0.0;
    }
    return GK_OK;
}

double loss_softclap(const float *A, const float *Bm, const double *Qa, const double *Qb,
                     int64_t N, int64_t D, double s, double w, float *dA, float *dB,
                     double *ds, double *work)
{
    return loss_contrastive(A, Bm, Qa, Qb, N, D, s, w, dA, dB, ds, work);
}
