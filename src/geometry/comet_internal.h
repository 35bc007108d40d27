/*
** comet_internal.h — the layout of a fitted COMET model and the block
** projection shared by fit, apply and dissection.  Not installed.
*/
#ifndef GAPKIT_COMET_INTERNAL_H
#define GAPKIT_COMET_INTERNAL_H

#include "gapkit/comet.h"

struct gk_comet {
    int64_t n_fit;           /* N of the fit */
    int64_t dt, da;          /* D_T, D_A */
    int64_t k, r;            /* kept axes K, axes with σ R = min(D_T, D_A) */
    float *t_mean;           /* (D_T,) t̄ */
    float *a_mean;           /* (D_A,) ā */
    float *U;                /* (D_T,K) row-major, axis j = column j */
    float *V;                /* (D_A,K) row-major */
    float *sigma;            /* (R,) */
    float *align;            /* (R,) u_j·v_j; NULL when D_T != D_A */
    float *corr;             /* (K,) */
    float *t_var, *a_var;    /* (K,) Σ_i t̂_ij², Σ_i â_ij² over the fit */
    double t_total, a_total; /* Σ_i ‖t_i − t̄‖², Σ_i ‖a_i − ā‖² */
};

/* An empty model with every array allocated for the given sizes. */
int comet_alloc(int64_t dt, int64_t da, int64_t k, int64_t r, int has_align, gk_comet **out);

/* out (nr,kk) row-major, row stride ldo = (rows [r0,r0+nr) of X − mean) · axes[:, :kk].
** axes is (D,K) row-major; scratch holds nr·D floats.  The sgemm uses the
** current BLAS threads: inside an OpenMP region set BLAS to one thread first
** (the fit does). */
void comet_project_block(const gk_mat *X, const float *mean, const float *axes, int64_t K,
                         int64_t kk, int64_t r0, int64_t nr, float *scratch, float *out,
                         int64_t ldo);

/*====  the fit in stages (gk_comet_fit, and the distributed fit of src/dist)  ====*/

/* Work arrays of one fit. */
typedef struct comet_fit_work {
    int64_t dt, da;
    double *mt, *ma;    /* (D_T,), (D_A,) means */
    double *M;          /* (D_T,D_A) centred cross-product */
    double *u, *s, *vt; /* (D_T,R), (R,), (R,D_A) */
    double ss_t, ss_a;  /* Σ_i ‖t_i − t̄‖², Σ_i ‖a_i − ā‖² */
} comet_fit_work;

int comet_fit_work_alloc(comet_fit_work *w, int64_t dt, int64_t da, int64_t r);
void comet_fit_work_free(comet_fit_work *w);

/* From the moments in w (means, M, sums of squares over N pairs) to a model
** with K axes, σ, align (SVD of w->M, which it overwrites; sign rule).
** corr and the per-axis energies are left for comet_fit_finish(). */
int comet_fit_axes(comet_fit_work *w, int64_t n, int64_t k, gk_comet **out);

/* parts (nblocks,5K): per GK_CROSS_BLOCK-row block of the rows of T, A (a
** run of whole blocks of the fit), Σ t̂_j, Σ â_j, Σ t̂_j², Σ â_j², Σ t̂_j â_j. */
int comet_fit_parts(const gk_comet *m, const gk_mat *T, const gk_mat *A, double *parts);

/* corr and energies from the parts' total over every block (5K,). */
void comet_fit_finish(gk_comet *m, const double *sums, double ss_t, double ss_a);

/* The two passes over the rows of a fit, in one process or over ranks:
** moments fills w's means, M and sums of squares over all n pairs;
** axis_stats gives m its corr and energies (comet_fit_finish); agree turns
** a local code into the code every participant takes. */
typedef struct comet_fit_passes {
    int (*moments)(const gk_mat *T, const gk_mat *A, int64_t n, comet_fit_work *w);
    int (*axis_stats)(gk_comet *m, const gk_mat *T, const gk_mat *A, const comet_fit_work *w);
    int (*agree)(int rc);
} comet_fit_passes;

/* The fit's outline (gk_comet_fit, gk_dist_comet_fit): work, moments, axes
** (K clamped to 1..R), per-axis statistics.  n: the pairs of the whole fit. */
int comet_fit_run(const gk_mat *T, const gk_mat *A, int64_t n, int64_t k,
                  const comet_fit_passes *p, gk_comet **out);

#endif
