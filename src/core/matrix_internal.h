/*
** matrix_internal.h — how a gk_mat owns its storage.  Not installed.
** The io layer uses gk_mat_from_map() to hand out memory-mapped matrices.
*/
#ifndef GAPKIT_MATRIX_INTERNAL_H
#define GAPKIT_MATRIX_INTERNAL_H

#include "gapkit/matrix.h"

typedef enum { GK_STORE_HEAP = 1, GK_STORE_MAP = 2 } gk_store_kind;

struct gk_store {
    gk_store_kind kind;
    void *base;    /* heap block or mmap base */
    size_t length; /* bytes of the mapping (GK_STORE_MAP) */
};

/* A matrix viewing `data` inside the mapping [base, base+length), which it
** takes over: gk_mat_free() unmaps it.  On failure the mapping is unmapped. */
int gk_mat_from_map(void *base, size_t length, float *data, int64_t rows, int64_t cols,
                    int64_t rs, int64_t cs, gk_mat **out);

/* gk_mat_normalize_rows() of a matrix its loader has just made: *owner owns
** the rows, `view` (NULL: all of *owner) is the part to normalise.  When
** rows of a file mapping need rescaling, *owner is replaced by a heap matrix
** holding only the normalised rows of the view (the mapping is released)
** and *view becomes all of it; otherwise the rows are normalised in place.
** Borrowed views of the old *owner die with it.  @return : as
** gk_mat_normalize_rows(), GK_ENOMEM. */
int mat_normalize_loaded(gk_mat **owner, gk_mat *view);

/* Every non-zero row norm must lie in [GK_NORM_MIN, GK_NORM_MAX] (see
** magnitude.c); the message starts with `who` and names the first bad row.
** @return : GK_OK or GK_ENUMERIC. */
#define GK_NORM_MIN 1e-15
#define GK_NORM_MAX 1e15
int gk_mat_check_magnitude(const gk_mat *a, const char *who);

/* Some row of b bit-for-bit equal to a row of a (same width): *ia, *ib
** their indices (the first such row of b), or −1 when none.  Hash table of
** a's rows, O((rows of a + rows of b)·D).  @return : GK_OK, GK_ENOMEM. */
int mat_shared_row(const gk_mat *a, const gk_mat *b, int64_t *ia, int64_t *ib);

/* FNV-1a over the bytes of row i of a: the hash gk_mat_first_rows() groups
** rows by (src/dist: the global duplicate table hashes with it too). */
uint64_t mat_row_hash(const gk_mat *a, int64_t i);

/* 1 when row r of a and row s of b (same width) are bit-for-bit equal. */
int mat_rows_equal(const gk_mat *a, int64_t r, const gk_mat *b, int64_t s);

#endif
