/*
** linalg_internal.h — the products and means that the library's own
** modules build on (thread-count-independent tiles, one-pass moments); a
** library user calls gk_gemm and gk_cross_centered (linalg.h).  Not installed.
*/
#ifndef GAPKIT_LINALG_INTERNAL_H
#define GAPKIT_LINALG_INTERNAL_H

#include "gapkit/linalg.h"

/*! gk_gemm_rows() : C := alpha · A · op(B) + beta · C like gk_gemm() with
 *  A not transposed, computed in fixed tiles of GK_GEMM_TILE rows of A and C:
 *  the tiles are spread over the OpenMP threads (gk_get_threads()) and each
 *  runs single-threaded BLAS, so every element of C comes from the same
 *  kernel call whatever the thread count: bit-identical results for any
 *  number of threads (a whole-matrix threaded sgemm partitions the work by
 *  thread count, which can change the last bits).  Not inside an OpenMP
 *  region.  @return : as gk_gemm(). */
#define GK_GEMM_TILE 1024
int gk_gemm_rows(int transb, float alpha, const gk_mat *A, const gk_mat *B, float beta,
                 gk_mat *C);

/*! gk_cross_moments() : gk_cross_centered() with the means computed in the
 *  same pass: mux (Dx,) and muy (Dy,) receive the column means of X (N,Dx)
 *  and Y (N,Dy), *ssx = Σ_i ‖x_i − μx‖², *ssy likewise, and M (Dx,Dy) the
 *  centred cross-product.  X is centred by the mean of its first block before
 *  the GEMM, the exact means are found during the pass and the difference is
 *  corrected afterwards, so the data is read once instead of twice.
 *  Thread-independent like gk_cross_centered().
 *  @return : GK_OK, GK_EARG, GK_ESHAPE, GK_ENOMEM. */
int gk_cross_moments(const gk_mat *X, const gk_mat *Y, double *mux, double *muy, double *ssx,
                     double *ssy, double *M);

/*! gk_col_mean_blocked() : mean (D,) = column means of X (N,D), any strides,
 *  in double, and, if sumsq != NULL, *sumsq = Σ_i ‖x_i‖².  Partial sums of
 *  GK_CROSS_BLOCK-row blocks are computed in parallel (OpenMP) and added in
 *  block order, so the result does not depend on the thread count.
 *  @return : GK_OK, GK_EARG (N == 0), GK_ENOMEM. */
int gk_col_mean_blocked(const gk_mat *X, double *mean, double *sumsq);

/*! gk_row_cos() : cosine of row i of A and row j of B (A->cols columns
 *  each, any strides), accumulated in double.  A zero row gives NaN. */
double gk_row_cos(const gk_mat *A, int64_t i, const gk_mat *B, int64_t j);

/*====  raw BLAS on plain row-major arrays  ====*/

/*! gk_blas_check() : GK_OK if each of the `count` int64_t sizes that follow
 *  fits the BLAS integer (blasint / lapack_int), else GK_EARG naming
 *  `routine` and the size.  Every call into BLAS or LAPACK passes its sizes
 *  through here first: the one place where 64-bit sizes are narrowed.
 *  Pass int64_t values (the arguments are read with va_arg). */
int gk_blas_check(const char *routine, int count, ...);

/*! gk_sgemm_rm() / gk_dgemm_rm() : C (m,n) := alpha · op(A) · op(B) + beta · C
 *  on row-major arrays with row strides lda, ldb, ldc; transa/transb = 0 (as
 *  is) or 1 (transposed).  Sizes must have passed gk_blas_check() (these run
 *  inside OpenMP loops, where there is no error to return).  Uses the BLAS
 *  threads of the moment (blas_threads_internal.h). */
void gk_sgemm_rm(int transa, int transb, int64_t m, int64_t n, int64_t k, float alpha,
                 const float *A, int64_t lda, const float *B, int64_t ldb, float beta, float *C,
                 int64_t ldc);
void gk_dgemm_rm(int transa, int transb, int64_t m, int64_t n, int64_t k, double alpha,
                 const double *A, int64_t lda, const double *B, int64_t ldb, double beta,
                 double *C, int64_t ldc);

/*! gk_qr_basis() : overwrites Q (D,D) column-major with the orthonormal
 *  factor of its QR decomposition (LAPACK dgeqrf + dorgqr).
 *  @return : GK_OK, GK_EARG (size), GK_ENOMEM, GK_EBLAS. */
int gk_qr_basis(double *Q, int64_t d);

#endif
