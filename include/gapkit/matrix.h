/*
** matrix.h — the one matrix layout of gapkit.
**
** A gk_mat holds float32 embeddings, ONE EMBEDDING PER ROW.  Strides are in
** ELEMENTS (not bytes), the row stride `rs` listed before the column stride
** `cs`; the default is row-major: cs == 1, rs == cols.  Every kernel either
** honours the strides or checks gk_mat_is_contiguous() and returns GK_ESHAPE.
**
** Dimension letters used in shape comments throughout gapkit:
**   N = items (rows), D = embedding dimension, Q = queries, K = neighbours or
**   kept axes, C = classes or clusters, M = modalities (views).
*/
#ifndef GAPKIT_MATRIX_H
#define GAPKIT_MATRIX_H

#include "core.h"

#ifdef __cplusplus
extern "C" {
#endif
GK_API_BEGIN

struct gk_store; /* opaque owner of the storage: heap block or memory map */

typedef struct gk_mat {
    float *data;            /* element (i,j) is data[i*rs + j*cs] */
    int64_t rows, cols;     /* (N, D) */
    int64_t rs, cs;         /* strides in elements */
    struct gk_store *store; /* NULL for a borrowed view */
} gk_mat;

/*! gk_mat_create() : allocates a zeroed, row-major (rows, cols) matrix.
 *  @return : GK_OK, GK_EARG (negative size), GK_ENOMEM.  *out is the new
 *  matrix (caller owns; free with gk_mat_free()), or NULL on failure. */
int gk_mat_create(int64_t rows, int64_t cols, gk_mat **out);

/*! gk_mat_clone() : a row-major, owned copy of any view `a`. */
int gk_mat_clone(const gk_mat *a, gk_mat **out);

/*! gk_mat_wrap() : a heap gk_mat that borrows `data` (row-major, rs = cols);
 *  gk_mat_free() then frees only the struct.  Never fails except GK_ENOMEM. */
int gk_mat_wrap(float *data, int64_t rows, int64_t cols, gk_mat **out);

/*! gk_mat_free() : releases the matrix and, if it owns it, its storage
 *  (heap block or memory map).  NULL is a no-op. */
void gk_mat_free(gk_mat *m);

/*! gk_mat_view_rows() : @return : a borrowed view of rows [r0, r0+nr) of a,
 *  valid while `a` lives.  Requires 0 <= r0 <= r0+nr <= a->rows. */
gk_mat gk_mat_view_rows(const gk_mat *a, int64_t r0, int64_t nr);

/*! gk_mat_is_contiguous() : @return : 1 if row-major with cs == 1, rs == cols. */
int gk_mat_is_contiguous(const gk_mat *a);

/*! gk_mat_row() : @return : pointer to row i (valid only when cs == 1). */
static inline float *gk_mat_row(const gk_mat *a, int64_t i) { return a->data + i * a->rs; }

/*! gk_mat_at() : @return : element (i, j), honouring both strides. */
static inline float gk_mat_at(const gk_mat *a, int64_t i, int64_t j)
{
    return a->data[i * a->rs + j * a->cs];
}

/*! gk_mat_check_finite() : scans every element.
 *  @return : GK_OK, or GK_ENUMERIC naming the first row and column holding a
 *  NaN or Inf ("row 17, column 3 is NaN"). */
int gk_mat_check_finite(const gk_mat *a);

/*! gk_mat_normalize_rows() : divides every row by its L2 norm, in place
 *  (norms accumulated in double).  a must have cs == 1.
 *  @return : GK_OK, GK_ENUMERIC if a row has zero norm or is not finite
 *  (the message names the row), GK_ESHAPE if cs != 1. */
int gk_mat_normalize_rows(gk_mat *a);

/*! gk_mat_row_norms() : norms[i] = ||row i||_2, norms is (N,), double accumulation. */
int gk_mat_row_norms(const gk_mat *a, double *norms);

/*! gk_mat_col_mean() : mean[j] = (1/N) sum_i a(i,j), accumulated in double.
 *  mean is (D,) in double.  @return : GK_OK, GK_EARG when N == 0. */
int gk_mat_col_mean(const gk_mat *a, double *mean);

/*! gk_mat_select_rows() : owned row-major copy of rows idx[0..n) of a. */
int gk_mat_select_rows(const gk_mat *a, const int64_t *idx, int64_t n, gk_mat **out);

/*! gk_mat_vstack() : owned row-major copy of a on top of b (same cols). */
int gk_mat_vstack(const gk_mat *a, const gk_mat *b, gk_mat **out);

/*! gk_mat_first_rows() : exact duplicates: first[i] (N,) = the smallest row
 *  index whose row is bit-for-bit equal to row i (first[i] == i for a row
 *  seen for the first time); *n_distinct = the number of such rows.  Any
 *  strides.  @return : GK_OK, GK_EARG, GK_ENOMEM. */
int gk_mat_first_rows(const gk_mat *a, int64_t *first, int64_t *n_distinct);

GK_API_END
#ifdef __cplusplus
}
#endif
#endif /* GAPKIT_MATRIX_H */
