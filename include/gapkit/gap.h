/*
** gap.h — modality-gap diagnostics of paired embedding spaces (methods.md
** §2) and a 2-D picture of two modalities.
**
** Inputs are gk_mat views, one embedding per row.  X (N,Dx) and Y (N,Dy) are
** paired: row i of X belongs with row i of Y.  Every measure here is meant for
** unit rows (normalise first); all sums are accumulated in double.
*/
#ifndef GAPKIT_GAP_H
#define GAPKIT_GAP_H

#include "matrix.h"

#ifdef __cplusplus
extern "C" {
#endif
GK_API_BEGIN

/*====  modality-gap diagnostics (methods.md §2)  ====*/

#define GK_GAP_MAX_TOP_M 16

typedef struct gk_gap_opts {
    int64_t top_m[GK_GAP_MAX_TOP_M]; /* m values for the top-m concentration */
    int n_top_m;                     /* how many (default 7: 1,5,10,20,50,100,200) */
    int64_t n_pc;                    /* principal directions for concentration (10) */
    int64_t subspace_k;              /* principal angles between top-k subspaces (10) */
    int separability;                /* 1: run the logistic-regression CV (default) */
    int cv_folds;                    /* folds (5) */
    int64_t sep_cap;                 /* rows per modality, subsampled above (20000) */
    double sep_lambda;               /* L2 strength λ of the classifier (1e-4) */
    uint64_t seed;                   /* subsampling and fold assignment (0) */
} gk_gap_opts;

/*! gk_gap_opts_default() : @return : the defaults listed above. */
gk_gap_opts gk_gap_opts_default(void);

typedef struct gk_gap_result {
    int64_t n, dx, dy;       /* pairs and dimensions */
    int same_dim;            /* 1 if Dx == Dy.  If 0, only the per-modality
                                measures (cone, erank, pr) are computed and
                                every cross-modal field is NaN / NULL */
    /* centroids (need Dx == Dy) */
    double gap;              /* ‖μX − μY‖ (L2M) */
    double *gap_vector;      /* (D,) Δ = μX − μY */
    double norm_mean_x, norm_mean_y; /* ‖μX‖, ‖μY‖ */
    double rmg;              /* relative modality gap, after Schrodi et al. 2025:
                                d(u,v) = (1 − cos(u,v))/2,
                                RMG = d_tp / ((d_xx + d_yy)/2 + d_tp), with
                                d_tp the mean over true pairs and d_xx, d_yy
                                the mean over distinct rows of one modality
                                (0 = no gap, → 1 = pairs farther apart than
                                anything within a modality) */
    /* cosines */
    double cone_x, cone_y;   /* mean off-diagonal cosine within each modality */
    double cos_true;         /* mean cosine of the N true pairs */
    double cos_nonpair;      /* mean cosine over the N(N−1) non-pairs */
    /* mean share: x·y = μX·μY + linear terms + (x − μX)·(y − μY) */
    double mean_term;        /* μX·μY */
    double centred_true;     /* mean (x_i − μX)·(y_i − μY) */
    double centred_nonpair;  /* mean over i≠j of (x_i − μX)·(y_j − μY) */
    double mean_share_true;  /* mean_term / cos_true */
    double mean_share_nonpair; /* mean_term / cos_nonpair */
    /* linear separability */
    int sep_done;            /* 0 if skipped */
    double sep_accuracy;     /* mean CV accuracy predicting the modality */
    double sep_accuracy_sd;  /* standard deviation over the folds */
    int sep_folds;
    int64_t sep_rows;        /* rows per modality used */
    int sep_subsampled;      /* 1 if sep_rows < N */
    /* gap concentration */
    int n_top_m;
    int64_t top_m[GK_GAP_MAX_TOP_M];
    double top_m_share[GK_GAP_MAX_TOP_M]; /* share of ‖Δ‖² in the m largest |Δ_j| */
    int64_t n_pc;
    double *pc_share;        /* (n_pc,) cumulative share of ‖Δ‖² on pooled PCs 1..j */
    /* dimensionality */
    double erank_x, erank_y; /* exp(entropy of normalised covariance eigenvalues);
                                0 when the covariance is zero (all rows equal) */
    double pr_x, pr_y;       /* participation ratio (Σλ)²/Σλ² */
    int64_t subspace_k;
    double *angles;          /* (subspace_k,) principal angles, degrees, ascending;
                                NaN past the smaller covariance rank (undefined:
                                rank 0 when all rows of a view are equal) */
    /* uniformity */
    double w2_uniformity;    /* ModGap W2 uniformity of the 2N stacked rows:
                                −sqrt(‖μ‖² + 1 + tr Σ − (2/√D) tr Σ^{1/2}),
                                Σ the 1/(2N) covariance of the stacked rows */
} gk_gap_result;

/*! gk_gap_diagnose() : every diagnostic of methods.md §2 for paired X (N,Dx)
 *  and Y (N,Dy), unit rows, any strides; N >= 2 (the separability needs
 *  N >= cv_folds).  With Dx != Dy only the per-modality measures are
 *  computed (same_dim = 0); the gap and every cross-modal measure need
 *  equal D.
 *  opts may be NULL (defaults).  Cost: O(N·D²) for the covariances plus the
 *  classifier.  @return : GK_OK, GK_EARG, GK_ESHAPE, GK_ENOMEM, GK_EBLAS,
 *  GK_ENUMERIC (a non-zero row norm outside [1e-15, 1e15], which float32
 *  products cannot carry).
 *  *out : caller owns, free with gk_gap_result_free(); NULL on failure. */
int gk_gap_diagnose(const gk_mat *X, const gk_mat *Y, const gk_gap_opts *opts,
                    gk_gap_result **out);

/*! gk_gap_result_free() : NULL is a no-op. */
void gk_gap_result_free(gk_gap_result *r);

/*! gk_gap_to_json() : the result as a JSON object (keys as the struct fields).
 *  @return : GK_OK, GK_ENOMEM.  *json : caller frees with gk_free(). */
int gk_gap_to_json(const gk_gap_result *r, char **json);

/*! gk_gap_views_to_json() : the diagnostics of every pair of M >= 2 views as
 *  {"views": [names], "pairs": [{"x": a, "y": b, "result": {…}}, …]}, each
 *  result the object of gk_gap_to_json().  r holds the M(M−1)/2 results in
 *  pair order (0,1), (0,2), …, (0,M−1), (1,2), …; names (M,) may be NULL
 *  (views are then numbered).  @return : GK_OK, GK_EARG, GK_ENOMEM.
 *  *json : caller frees with gk_free(). */
int gk_gap_views_to_json(const gk_gap_result *const *r, int m, const char *const *names,
                         char **json);

/*====  a 2-D picture of two modalities  ====*/

typedef struct gk_projection2 {
    int64_t n_x, n_y;     /* points kept of each set (at most max_points) */
    float *x, *y;         /* (n_x,2), (n_y,2) coordinates on the two leading axes */
    int64_t *idx_x, *idx_y; /* (n_x,), (n_y,) which rows they are, ascending */
    double var_share[2];  /* share of the joint variance on each axis */
} gk_projection2;

/*! gk_projection2_joint() : rows of X (NX,D) and Y (NY,D) projected on the two
 *  leading eigenvectors of their joint scatter Σ over both sets of
 *  (r − μ)(r − μ)ᵀ, μ the mean of all NX + NY rows (signs: LAPACK's).  The gap
 *  (between-set variance) is part of that scatter, so the picture shows it.
 *  At most max_points evenly spaced rows of each set are projected (all are
 *  used for the axes).  Cost O((NX+NY)·D²) plus one D×D eigendecomposition.
 *  @return : GK_OK, GK_EARG, GK_ESHAPE (D differs or D < 2), GK_ENOMEM, GK_EBLAS.
 *  *out : caller owns (gk_projection2_free). */
int gk_projection2_joint(const gk_mat *X, const gk_mat *Y, int64_t max_points,
                         gk_projection2 **out);

/*! gk_projection2_free() : NULL is a no-op. */
void gk_projection2_free(gk_projection2 *p);

GK_API_END
#ifdef __cplusplus
}
#endif
#endif /* GAPKIT_GAP_H */
