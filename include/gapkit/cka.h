/*
** cka.h — the CKA family of similarity measures between two spaces holding
** the same N items (methods.md §3): linear CKA, RBF-kernel CKA, unbiased
** (debiased) CKA, SVCCA and orthogonal Procrustes similarity.
**
** X is (N,Dx) and Y is (N,Dy), any strides: row i of X and row i of Y are the
** same item; Dx and Dy may differ.  Every measure returns a SIMILARITY
** (1 = the same up to the measure's invariances) in gk_cka_result.value, and
** the result names the estimator and its parameters.  All five are unchanged
** by a translation, an orthogonal transform or an isotropic scaling of
** either space.  Data are float32; every sum is accumulated in double.
**
** Costs: the feature-space measures (cka-linear, cka-unbiased, svcca,
** procrustes) read the data in row blocks, O(N·(Dx+Dy)²) time and
** O((Dx+Dy)²) memory, never an N×N matrix.  cka-rbf needs every pair of
** items: O(N²·(Dx+Dy)) time, streamed in row blocks with O(N) memory per
** thread, and refuses N above gk_cka_opts.max_n.
*/
#ifndef GAPKIT_CKA_H
#define GAPKIT_CKA_H

#include "matrix.h"

#ifdef __cplusplus
extern "C" {
#endif
GK_API_BEGIN

/*====  options and result  ====*/

/* Largest N cka-rbf accepts by default.  Its cost is 4·N²·(Dx+Dy) flops
** of GEMM (3 passes over the pairs): at N = 50 000, D = 512, about a minute
** at 200 GFLOP/s (docs/cka.md). */
#define GK_CKA_RBF_MAX_N 50000

typedef enum gk_cka_kind {
    GK_CKA_LINEAR = 1,   /* "cka-linear" */
    GK_CKA_RBF = 2,      /* "cka-rbf" */
    GK_CKA_UNBIASED = 3, /* "cka-unbiased" */
    GK_CKA_SVCCA = 4,    /* "svcca" */
    GK_CKA_PROCRUSTES = 5 /* "procrustes" */
} gk_cka_kind;

typedef struct gk_cka_opts {
    double sigma_factor;   /* rbf: σ = factor × median pairwise distance, per space (1.0) */
    int rbf_unbiased;      /* rbf: 1 = unbiased HSIC estimator instead of the biased one (0) */
    int64_t max_n;         /* rbf: refuse N above this (GK_CKA_RBF_MAX_N) */
    double svcca_variance; /* svcca: keep the fewest directions holding this share of the
                              variance of each space (0.99) */
    int64_t svcca_dims;    /* svcca: > 0 keeps exactly this many directions per space
                              instead (0 = use svcca_variance) */
} gk_cka_opts;

/*! gk_cka_opts_default() : @return : {1.0, 0, GK_CKA_RBF_MAX_N, 0.99, 0}. */
gk_cka_opts gk_cka_opts_default(void);

typedef struct gk_cka_result {
    gk_cka_kind kind;
    char measure[24];     /* "cka-linear", "cka-rbf", "cka-unbiased", "svcca", "procrustes" */
    char estimator[256];  /* the estimator and its parameters, in words */
    int64_t n, dx, dy;    /* N, Dx, Dy */
    double value;         /* the similarity (1 = same) */
    /* CKA (NaN otherwise): value = hsic_xy / sqrt(hsic_xx · hsic_yy) */
    double hsic_xy, hsic_xx, hsic_yy;
    /* cka-rbf (NaN otherwise): σ of each space, and the factor used */
    double sigma_factor, sigma_x, sigma_y;
    double median_x, median_y; /* median distance over the pairs i < j */
    /* svcca (0 / NaN otherwise) */
    double variance;       /* share asked for, NaN when dims were given */
    int64_t kx, ky;        /* directions kept in X and in Y */
    double kept_x, kept_y; /* share of each space's variance they hold */
    int64_t n_rho;         /* min(kx, ky) canonical correlations ... */
    double *rho;           /* ... (n_rho,), descending; owned, gk_cka_result_free() */
    /* procrustes (NaN otherwise), on centred, Frobenius-normalised X̃, Ỹ:
    ** value = max over orthogonal R of tr(RᵀX̃ᵀỸ) = ‖X̃ᵀỸ‖_* (nuclear norm) */
    double distance;       /* min_R ‖X̃R − Ỹ‖²_F = 2 − 2·value (Ding et al. 2021) */
    double angle;          /* arccos(value), radians (Williams et al. 2021) */
} gk_cka_result;

/*! gk_cka_result_free() : frees what the result owns (rho) and clears the
 *  pointer; the struct itself is the caller's.  NULL is a no-op.  Every
 *  measure overwrites *out whole: free a previous svcca result first. */
void gk_cka_result_free(gk_cka_result *r);

/*====  the measures  ====*/

/*! gk_cka_linear() : linear CKA (Kornblith et al. 2019) in feature space:
 *    value = ‖Ycᵀ Xc‖²_F / (‖Xcᵀ Xc‖_F · ‖Ycᵀ Yc‖_F),
 *  Xc = X − 1μxᵀ (column means).  Equal to the Gram (HSIC) form
 *  tr(KHLH)/sqrt(tr(KHKH)·tr(LHLH)), K = XXᵀ, L = YYᵀ, H = I − 11ᵀ/N.
 *  hsic_* are the biased HSIC terms with the 1/(N−1)² of Gretton et al.
 *  Three blocked passes (gk_cross_moments, then XᵀX and YᵀY with ssyrk),
 *  O(N·(Dx+Dy)²).  N >= 2.
 *  @return : GK_OK; GK_EARG (NULL, N < 2), GK_ESHAPE (row counts differ),
 *  GK_ENUMERIC (NaN/Inf, naming the row; a space with all rows equal),
 *  GK_ENOMEM.  *out is filled on success.  Thread-safe on distinct outputs. */
int gk_cka_linear(const gk_mat *X, const gk_mat *Y, gk_cka_result *out);

/*! gk_cka_unbiased() : linear CKA with the unbiased HSIC estimator of Song
 *  et al. (2012, eq. 5), as platonic-rep's unbiased_cka (without its +1e-6
 *  in the denominator):
 *    HSIC_u(K,L) = [tr(K̃L̃) + 1ᵀK̃1·1ᵀL̃1/((N−1)(N−2)) − 2·1ᵀK̃L̃1/(N−2)] / (N(N−3)),
 *  K̃ = K with its diagonal set to 0, K = XXᵀ.  The estimator is unchanged by
 *  translating X, so it is computed on centred rows in feature space:
 *  tr(K̃L̃) = ‖XcᵀYc‖²_F − S, 1ᵀK̃1 = −Σ‖x̃_i‖², 1ᵀK̃L̃1 = S, S = Σ_i ‖x̃_i‖²‖ỹ_i‖²
 *  (one more O(N·D) pass for the row norms).  N >= 4.  value may be < 0.
 *  @return : as gk_cka_linear(), GK_EARG for N < 4, GK_ENUMERIC when an
 *  HSIC_u(X,X) or HSIC_u(Y,Y) is not positive. */
int gk_cka_unbiased(const gk_mat *X, const gk_mat *Y, gk_cka_result *out);

/*! gk_cka_rbf() : CKA with the Gaussian kernel k(a,b) = exp(−‖a−b‖²/(2σ²)),
 *  σ = opts->sigma_factor × the median of ‖x_i − x_j‖ over the pairs i < j
 *  of the same space (numpy's median: the mean of the two middle values when
 *  their count is even), found exactly by a two-pass radix selection on the
 *  float bits of the squared distances.  HSIC is biased (1/(N−1)² tr(KHLH)),
 *  or with opts->rbf_unbiased the estimator of gk_cka_unbiased().  Squared
 *  distances are ‖a‖² + ‖b‖² − 2a·b with a·b from single-precision GEMM
 *  tiles; kernels in float, sums in double, per row, in a fixed order (the
 *  value does not depend on the thread count).  3 passes over the N² pairs,
 *  memory O(64·N) floats per thread.  opts may be NULL (defaults).
 *  @return : GK_OK; GK_EARG (NULL, N < 2 (4 unbiased), N > opts->max_n — the
 *  message gives the limit and the alternatives, factor <= 0), GK_ESHAPE,
 *  GK_ENUMERIC (NaN/Inf; median distance 0), GK_ENOMEM. */
int gk_cka_rbf(const gk_mat *X, const gk_mat *Y, const gk_cka_opts *opts, gk_cka_result *out);

/*! gk_svcca() : SVCCA (Raghu et al. 2017).  SV step: the principal
 *  directions of each centred space (eigenvectors of XcᵀXc), keeping the
 *  fewest that hold opts->svcca_variance of the variance, or exactly
 *  opts->svcca_dims (capped at the numerical rank: eigenvalues above 1e-6 ×
 *  the largest).  CCA step: the canonical correlations ρ of the two reduced
 *  spaces = singular values of Λx^{-1/2} Vxᵀ (XcᵀYc) Vy Λy^{-1/2} (the PCA
 *  scores are already uncorrelated).  value = mean ρ over min(kx, ky).
 *  Feature space, O(N·(Dx+Dy)²) + O(D³).  Requires kx + ky <= N − 1: with
 *  fewer items CCA matches any two spaces (some ρ are forced to 1).
 *  opts may be NULL.
 *  @return : GK_OK; GK_EARG (NULL, share outside (0,1], kx + ky >= N),
 *  GK_ESHAPE, GK_ENUMERIC, GK_ENOMEM, GK_EBLAS.  out->rho is owned: free
 *  with gk_cka_result_free(). */
int gk_svcca(const gk_mat *X, const gk_mat *Y, const gk_cka_opts *opts, gk_cka_result *out);

/*! gk_procrustes_sim() : orthogonal Procrustes similarity of the centred,
 *  Frobenius-normalised spaces X̃ = Xc/‖Xc‖_F, Ỹ = Yc/‖Yc‖_F (the smaller
 *  dimension padded with zeros): value = ‖X̃ᵀỸ‖_* in [0,1], distance =
 *  2 − 2·value = min over orthogonal R of ‖X̃R − Ỹ‖²_F, angle = arccos(value).
 *  scipy.spatial.procrustes' disparity (which also fits a scale) is 1 − value².
 *  One blocked pass (gk_cross_moments) and an SVD of the (Dx,Dy) product.
 *  @return : as gk_cka_linear(), GK_EBLAS. */
int gk_procrustes_sim(const gk_mat *X, const gk_mat *Y, gk_cka_result *out);

/*! gk_cka_measure() : the measure named `name` ("cka-linear", "cka-rbf",
 *  "cka-unbiased", "svcca", "procrustes"); opts may be NULL.
 *  @return : as the measure; GK_EARG naming the known measures for an
 *  unknown name. */
int gk_cka_measure(const char *name, const gk_mat *X, const gk_mat *Y, const gk_cka_opts *opts,
                   gk_cka_result *out);

/*====  reference twins (tests)  ====*/

/*! gk_cka_linear_naive() : linear CKA from the N×N Gram matrices in double,
 *  tr(KHLH)/sqrt(tr(KHKH)·tr(LHLH)); with `unbiased`, the Song et al.
 *  estimator on K̃, L̃ as written above (no centring).  O(N²) memory: tests.
 *  @return : GK_OK, GK_EARG, GK_ESHAPE, GK_ENOMEM.  *value set. */
int gk_cka_linear_naive(const gk_mat *X, const gk_mat *Y, int unbiased, double *value);

/*! gk_cka_rbf_naive() : gk_cka_rbf() from full N×N distance and kernel
 *  matrices in double with the median found by sorting.  O(N²) memory: tests. */
int gk_cka_rbf_naive(const gk_mat *X, const gk_mat *Y, const gk_cka_opts *opts,
                     double *value);

/*====  output  ====*/

/*! gk_cka_to_json() : {"measure","estimator","value","n","dims":[Dx,Dy]} plus
 *  the measure's own fields (hsic, sigma, kept directions and rho, distance
 *  and angle).  *json : caller frees with gk_free().
 *  @return : GK_OK, GK_EARG, GK_ENOMEM. */
int gk_cka_to_json(const gk_cka_result *r, char **json);

GK_API_END
#ifdef __cplusplus
}
#endif
#endif /* GAPKIT_CKA_H */
