/*
** comet_permutation.c — how many COMET axes are shared beyond chance: a
** step-down permutation test on the singular values of the cross-covariance.
**
** Breaking the pairing (row i of T with row π(i) of A) keeps each modality's
** own covariance but destroys what the two share, so the largest singular
** value of a permuted cross-product is what chance alone produces.  Axis j
** is tested against that null AFTER the axes before it have been projected
** out of both sides (u_1..u_{j−1} from the T side, v_1..v_{j−1} from the A
** side): the observed statistic is then exactly σ_j, and the null no longer
** carries the variance of the strong axes already found, which would
** otherwise mask weak shared axes.  This is the step-down test of Winkler et
** al. (NeuroImage 2020) for CCA, applied to PLS-SVD.  Stopping at the first
** axis that fails keeps the family-wise error at α.
**
** The projections are linear in the data, so the deflated permuted product
** is P M_π Q with M_π = Tcᵀ Π Ac computed once per permutation: every step
** updates each stored M_π by one rank-1 projection per side, O(D_T·D_A).
** Deflation never raises a largest singular value (‖P X Q‖ <= ‖X‖ for
** projections P, Q), so the last exact σ* of a permutation bounds all later
** ones: while that bound is below σ_j the permutation cannot reach σ_j and
** its SVD is skipped.  Strong axes, far above the null, then cost no SVD at
** all; only the axes near the noise level pay for them.
*/
#include <math.h>
#include <string.h>

#include "core/error_internal.h"
#include "comet_internal.h"
#include "core/progress_internal.h"
#include "gapkit/linalg.h"

/* M (D_T,D_A) = (T − 1t̄ᵀ)ᵀ Π (A − 1āᵀ) for one random permutation Π. */
static int permuted_product(const gk_mat *T, const gk_mat *A, const double *mt,
                            const double *ma, gk_rng *rng, int64_t *idx, double *M)
{
    const int64_t n = T->rows;
    for (int64_t i = 0; i < n; i++) idx[i] = i;
    gk_rng_shuffle(rng, idx, n);
    gk_mat *ap;
    GK_TRY(gk_mat_select_rows(A, idx, n, &ap));
    int rc = gk_cross_centered(T, mt, ap, ma, M);
    gk_mat_free(ap);
    return rc;
}

/* M ← (I − u uᵀ) M (I − v vᵀ), M (dt,da) row-major; u (dt,) is column j of the
** row-major (dt,K) U, v likewise of V.  tmp holds max(dt, da) doubles. */
static void deflate(double *M, int64_t dt, int64_t da, const float *U, const float *V,
                    int64_t K, int64_t j, double *tmp)
{
    /* left: tmp = uᵀ M (da,), M −= u tmpᵀ */
    memset(tmp, 0, (size_t)da * sizeof *tmp);
    for (int64_t r = 0; r < dt; r++) {
        const double u = U[r * K + j];
        for (int64_t c = 0; c < da; c++) tmp[c] += u * M[r * da + c];
    }
    for (int64_t r = 0; r < dt; r++) {
        const double u = U[r * K + j];
        for (int64_t c = 0; c < da; c++) M[r * da + c] -= u * tmp[c];
    }
    /* right: tmp = M v (dt,), M −= tmp vᵀ */
    for (int64_t r = 0; r < dt; r++) {
        double acc = 0;
        for (int64_t c = 0; c < da; c++) acc += M[r * da + c] * V[c * K + j];
        tmp[r] = acc;
    }
    for (int64_t r = 0; r < dt; r++)
        for (int64_t c = 0; c < da; c++) M[r * da + c] -= tmp[r] * V[c * K + j];
}

/* Work of one test: B stored permuted products and scratch. */
typedef struct perm_work {
    double *mt, *ma; /* (D_T,), (D_A,) means */
    double *M;       /* (B, D_T, D_A) */
    double *s;       /* (R,) singular values of one product */
    double *tmp;     /* (max D,) */
    double *ub;      /* (B,) an upper bound of each permutation's current σ* */
    int64_t *idx;    /* (N,) */
} perm_work;

static void perm_work_free(perm_work *w)
{
    gk_free(w->mt);
    gk_free(w->M);
    gk_free(w->s);
    gk_free(w->tmp);
    gk_free(w->idx);
    gk_free(w->ub);
}

static int perm_work_alloc(perm_work *w, const gk_comet *m, int64_t n, int n_perm)
{
    const size_t dd = (size_t)m->dt * (size_t)m->da;
    const int64_t dmax = m->dt > m->da ? m->dt : m->da;
    memset(w, 0, sizeof *w);
    w->mt = gk_malloc((size_t)(m->dt + m->da) * sizeof(double));
    w->M = dd <= SIZE_MAX / sizeof(double) / (size_t)n_perm
               ? gk_malloc(dd * (size_t)n_perm * sizeof(double)) : NULL;
    w->s = gk_malloc((size_t)m->r * sizeof(double));
    w->tmp = gk_malloc((size_t)dmax * sizeof(double));
    w->idx = gk_malloc((size_t)n * sizeof(int64_t));
    w->ub = gk_malloc((size_t)n_perm * sizeof(double));
    if (w->mt && w->M && w->s && w->tmp && w->idx && w->ub) {
        for (int b = 0; b < n_perm; b++) w->ub[b] = INFINITY;
        w->ma = w->mt + m->dt;
        for (int64_t j = 0; j < m->dt; j++) w->mt[j] = m->t_mean[j];
        for (int64_t j = 0; j < m->da; j++) w->ma[j] = m->a_mean[j];
        return GK_OK;
    }
    perm_work_free(w);
    return gk_set_error(GK_ENOMEM, "comet permutation test: out of memory for %d products of "
                        "%lld x %lld doubles", n_perm, (long long)m->dt, (long long)m->da);
}

static int check_args(const gk_comet *m, const gk_mat *T, const gk_mat *A, int n_perm,
                      double alpha, const double *p_values)
{
    GK_FAIL_IF(!m || !T || !A || !p_values, GK_EARG, "comet permutation test: NULL argument");
    GK_FAIL_IF(n_perm < 1, GK_EARG, "comet permutation test: %d permutations (need >= 1)",
               n_perm);
    GK_FAIL_IF(!(alpha > 0 && alpha < 1), GK_EARG,
               "comet permutation test: alpha %g (expected 0 < alpha < 1)", alpha);
    GK_FAIL_IF(T->rows != A->rows || T->cols != m->dt || A->cols != m->da, GK_ESHAPE,
               "comet permutation test: inputs (%lld,%lld) and (%lld,%lld) do not match the "
               "model's (N,%lld) and (N,%lld)", (long long)T->rows, (long long)T->cols,
               (long long)A->rows, (long long)A->cols, (long long)m->dt, (long long)m->da);
    return GK_OK;
}

int gk_comet_permutation_test(const gk_comet *m, const gk_mat *T, const gk_mat *A, int n_perm,
                              double alpha, uint64_t seed, double *p_values, int64_t *n_shared)
{
    *n_shared = 0;
    GK_TRY(check_args(m, T, A, n_perm, alpha, p_values));
    const int64_t dt = m->dt, da = m->da, K = m->k;
    const size_t dd = (size_t)dt * (size_t)da;
    for (int64_t j = 0; j < m->r; j++) p_values[j] = NAN;
    perm_work w;
    GK_TRY(perm_work_alloc(&w, m, T->rows, n_perm));
    int rc = GK_OK;
    gk_rng rng;
    gk_rng_seed(&rng, seed);
    for (int b = 0; b < n_perm; b++) {
        GK_TRY_GOTO(rc, permuted_product(T, A, w.mt, w.ma, &rng, w.idx, w.M + b * dd), done);
        gk_progress("permutation test: shuffled cross-products", b + 1, n_perm);
    }
    /* Axes beyond K have no stored vectors to deflate with: K bounds the test. */
    /* σ below this is rounding noise of the float block products (relative
    ** ~1e-6), e.g. beyond the rank of a side whose rows repeat: comparing such
    ** noise with permuted noise means nothing, so the test stops there */
    const double floor_sigma = 1e-5 * (m->r > 0 ? (double)m->sigma[0] : 0.0);
    for (int64_t j = 0; j < K && j < m->r; j++) {
        if ((double)m->sigma[j] <= floor_sigma) {
            p_values[j] = 1.0;
            break;
        }
        int ge = 0;
        for (int b = 0; b < n_perm; b++) {
            if (j > 0) deflate(w.M + b * dd, dt, da, m->U, m->V, K, j - 1, w.tmp);
            if (w.ub[b] < (double)m->sigma[j]) continue; /* cannot reach σ_j */
            GK_TRY_GOTO(rc, gk_svd_values(w.M + b * dd, dt, da, w.s), done);
            w.ub[b] = w.s[0];
            ge += w.s[0] >= (double)m->sigma[j];
        }
        gk_progress("permutation test: axes tested", j + 1, 0);
        /* the +1 counts the observed pairing as one of the permutations */
        p_values[j] = (1.0 + ge) / (1.0 + n_perm);
        if (p_values[j] > alpha) break;
        (*n_shared)++;
    }
    gk_progress("permutation test: axes tested", *n_shared + 1, *n_shared + 1);
done:
    perm_work_free(&w);
    return rc;
}
