/*
** cka_internal.h — what the CKA-family files of src/similarity share: input
** checks, result set-up, the centred second moments of two spaces, and the
** blocked pass over the squared distances of all pairs of items (cka-rbf).
** Not installed.
*/
#ifndef GAPKIT_CKA_INTERNAL_H
#define GAPKIT_CKA_INTERNAL_H

#include "gapkit/cka.h"
#include "linalg/linalg_internal.h"

/* Checks X, Y, out for measure `what`: not NULL, same row count, N >= min_n;
** then fills *out with the measure's kind and name, N, Dx, Dy and NaN in
** every number (out->rho = NULL). */
int cka_begin(gk_cka_kind kind, const gk_mat *X, const gk_mat *Y, int64_t min_n,
              gk_cka_result *out);

/* The measure's name ("cka-linear", …) of a kind. */
const char *cka_kind_name(gk_cka_kind kind);

/* Centred second moments of X (N,Dx) and Y (N,Dy), sums without 1/N. */
typedef struct cka_moments {
    int64_t n, dx, dy;
    double *mux, *muy; /* (Dx,), (Dy,) column means */
    double *gxy;       /* (Dx,Dy) Xcᵀ Yc */
    double *gx, *gy;   /* (Dx,Dx) Xcᵀ Xc, (Dy,Dy) Yc ᵀ Yc; NULL unless with_grams */
    double ssx, ssy;   /* Σ‖x_i − μx‖², Σ‖y_i − μy‖² (the traces) */
} cka_moments;

/* Fills *m with one gk_cross_moments pass and, with_grams, the two ssyrk
** passes.  A NaN/Inf anywhere is reported by gk_mat_check_finite (message
** prefixed "X" / "Y"); a space whose rows are all equal is GK_ENUMERIC.
** On failure everything is freed.  Free with cka_moments_free(). */
int cka_moments_compute(const char *what, const gk_mat *X, const gk_mat *Y, int with_grams,
                        cka_moments *m);
void cka_moments_free(cka_moments *m);

/* The pieces of cka_moments_compute() for moments gathered elsewhere (the
** distributed measures of src/dist): allocation, and the zero-variance test. */
int cka_moments_alloc(cka_moments *m, int64_t n, int64_t dx, int64_t dy, int with_grams);
int cka_check_variance(const char *what, const char *side, int64_t n, int64_t d, double ss,
                       const double *mu);

/* The measures that need only the moments (m->n is N): value and details. */
void cka_linear_finish(const cka_moments *m, gk_cka_result *out);
int cka_procrustes_finish(const cka_moments *m, gk_cka_result *out);

/* cka-unbiased's row sums, per block of GK_CROSS_BLOCK rows of X, Y (N,D*)
** centred by mux, muy: part (nb,3) = Σ‖x̃_i‖²‖ỹ_i‖², Σ‖x̃_i‖⁴, Σ‖ỹ_i‖⁴ over
** the block's rows, nb = ⌈N/GK_CROSS_BLOCK⌉ (caller's storage).  Each block
** is summed in row order, so a block's bits do not depend on the threads. */
int cka_unbiased_parts(const gk_mat *X, const gk_mat *Y, const double *mux, const double *muy,
                       double *part);

/* cka-unbiased from the moments (with grams) and p, the parts summed over
** all blocks in block order.  @return : GK_OK; GK_ENUMERIC when an HSIC_u of
** a space with itself is not > 0. */
int cka_unbiased_finish(const cka_moments *m, const double p[3], gk_cka_result *out);

/* GK_EARG, message set, when svcca's options (dims, variance share) are bad. */
int cka_svcca_check(const gk_cka_opts *o);

/* svcca from the moments (with grams) under checked options o: fills
** out->kx, ky, kept_*, rho (gk_cka_result_free), value, variance, estimator. */
int cka_svcca_finish(const cka_moments *m, const gk_cka_opts *o, gk_cka_result *out);

/* Σ a_ij² of an (r,c) row-major double matrix. */
double cka_frob2(const double *a, int64_t r, int64_t c);

/*====  pairwise passes (cka-rbf)  ====*/

/* One space: A (N,D), any layout gk_gemm accepts, and its squared row norms. */
typedef struct cka_space {
    const gk_mat *a;
    double *sq; /* (N,) ‖a_i‖² */
} cka_space;

/* Called for each row i of a block with the squared distances of that row:
** d2[s][j − j0] = ‖a_i − a_j‖² in space s for j in [j0, N) (j0 = i's block
** start with `upper`, else 0), d2 of i with itself exactly 0.  Runs in an
** OpenMP thread `t`; must only write to row i's or thread t's storage. */
typedef void (*cka_row_fn)(void *ctx, int64_t i, int64_t j0, const float *const *d2, int t);

/* Runs fn over every row, two spaces at a time (sp[0], sp[1]): blocks of rows
** get their dot products from one gk_gemm each (threaded BLAS), then their
** rows are handed to fn in parallel (OpenMP).  The block layout depends only
** on N, so every d2 value is the same in every pass and for any thread count.
** @return : GK_OK, GK_ENOMEM, GK_ESHAPE. */
int cka_pairs_run(const cka_space *sp, int upper, cka_row_fn fn, void *ctx);

/* Number of OpenMP threads cka_pairs_run may use (per-thread storage). */
int cka_pairs_threads(void);

/* Exact median of ‖a_i − a_j‖ over the pairs i < j of each of the two
** spaces (mean of the two middle values when N(N−1)/2 is even). */
int cka_median_distances(const cka_space *sp, double med[2]);

#endif
