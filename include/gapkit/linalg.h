/*
** linalg.h — thin, documented wrappers over OpenBLAS (CBLAS) and LAPACKE for
** gk_mat views and small double matrices: GEMM, the blocked centred
** cross-product, SVD and the symmetric eigen-decomposition.
**
** Stride mapping (matrix.h): a gk_mat with cs == 1 is row-major with leading
** dimension lda = rs, i.e. CblasRowMajor, lda = rs.  A view with rs == 1 and
** cs >= rows is column-major: it is passed as the transpose of a row-major
** matrix (CblasRowMajor, trans flipped, lda = cs).  Any other layout is
** rejected with GK_ESHAPE, or (for the cross-product) copied block by block.
** LAPACK info != 0 becomes GK_EBLAS naming the routine.
*/
#ifndef GAPKIT_LINALG_H
#define GAPKIT_LINALG_H

#include "matrix.h"

#ifdef __cplusplus
extern "C" {
#endif
GK_API_BEGIN

/*====  matrix products  ====*/

/*! gk_gemm() : C := alpha · op(A) · op(B) + beta · C  (single precision).
 *  op(A) is (M,K) and op(B) is (K,N), C is (M,N) row-major with cs == 1;
 *  transa/transb = 0 (as is) or 1 (transposed).  A, B: cs == 1 or rs == 1
 *  (see the stride mapping above).  Uses the BLAS threads; do not call it
 *  inside an OpenMP parallel region.
 *  @return : GK_OK, GK_EARG (NULL), GK_ESHAPE (sizes or strides). */
int gk_gemm(int transa, int transb, float alpha, const gk_mat *A, const gk_mat *B, float beta,
            gk_mat *C);

/*! gk_gemm_naive() : the reference twin of gk_gemm(): triple loop with a
 *  double accumulator, any strides.  For tests. */
int gk_gemm_naive(int transa, int transb, float alpha, const gk_mat *A, const gk_mat *B,
                  float beta, gk_mat *C);

/*! gk_cross_centered() : M = (X − 1μxᵀ)ᵀ (Y − 1μyᵀ), no 1/N.
 *  X is (N,Dx), Y is (N,Dy), any strides; mux (Dx,) and muy (Dy,) are the
 *  vectors to subtract (NULL = zero: the plain cross-product XᵀY).
 *  M is (Dx,Dy) row-major double, overwritten.
 *  Blocked: rows are centred GK_CROSS_BLOCK at a time into float scratch
 *  (2 · block · D floats), multiplied with sgemm into a float block product
 *  and summed into the double M, so memory stays ~ input + Dx·Dy doubles
 *  and sums over blocks are in double.  X == Y (same view, same mean) uses
 *  ssyrk and fills both triangles.
 *  @return : GK_OK, GK_EARG, GK_ESHAPE (row counts), GK_ENOMEM. */
#define GK_CROSS_BLOCK 4096
int gk_cross_centered(const gk_mat *X, const double *mux, const gk_mat *Y, const double *muy,
                      double *M);

/*! gk_cross_centered_naive() : the double-precision triple-loop twin of
 *  gk_cross_centered(), O(N·Dx·Dy).  For tests. */
int gk_cross_centered_naive(const gk_mat *X, const double *mux, const gk_mat *Y,
                            const double *muy, double *M);

/*====  decompositions (double, row-major, caller buffers)  ====*/

/*! gk_svd() : thin SVD of the (M,N) row-major double matrix `a`:
 *  a = U diag(s) Vᵀ, R = min(M,N), s (R,) descending, u (M,R) row-major,
 *  vt (R,N) row-major.  `a` is not modified (a copy is decomposed).
 *  LAPACKE_dgesdd.  @return : GK_OK, GK_EARG, GK_ENOMEM, GK_EBLAS. */
int gk_svd(const double *a, int64_t m, int64_t n, double *u, double *s, double *vt);

/*! gk_svd_values() : the R = min(M,N) singular values of `a` (M,N) only,
 *  descending into s (R,); cheaper than gk_svd() when no vectors are needed.
 *  @return : GK_OK, GK_EARG, GK_ENOMEM, GK_EBLAS. */
int gk_svd_values(const double *a, int64_t m, int64_t n, double *s);

/*! gk_eigh() : eigen-decomposition of the symmetric (N,N) row-major double
 *  matrix `a` (upper triangle read): a = W diag(w) Wᵀ, w (N,) DESCENDING, and,
 *  if vecs != NULL, vecs (N,N) row-major with eigenvector j in COLUMN j.
 *  LAPACKE_dsyevd.  @return : GK_OK, GK_EARG, GK_ENOMEM, GK_EBLAS. */
int gk_eigh(const double *a, int64_t n, double *w, double *vecs);

/*! gk_svd_flip_u() : for each column j of u (M,R) row-major, if its entry of
 *  largest absolute value (first such, in row order) is negative, negate
 *  column j of u and row j of vt (R,N) — scikit-learn's svd_flip(u_based). */
void gk_svd_flip_u(double *u, int64_t m, int64_t r, double *vt, int64_t n);

/*====  memory  ====*/

/*! gk_blas_reserve() : makes the BLAS take its work buffer now.  OpenBLAS
 *  allocates a buffer per thread on first use (128 MiB in its x86-64 builds)
 *  and, when the allocation fails under an address-space limit (ulimit -v),
 *  retries forever instead of failing.  Call it once at start, single
 *  threaded, where such a limit is set: afterwards the buffer is kept, and
 *  a later shortage fails an ordinary allocation (GK_ENOMEM) instead.
 *  @return : GK_OK, or GK_ENOMEM (the message says how much is missing). */
int gk_blas_reserve(void);

GK_API_END
#ifdef __cplusplus
}
#endif
#endif /* GAPKIT_LINALG_H */
