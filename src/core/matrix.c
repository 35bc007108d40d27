/*
** matrix.c — creation, views and elementwise helpers of gk_mat.
*/
#include <math.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "error_internal.h"
#include "matrix_internal.h"
#include "simd_internal.h"

static int mat_alloc_struct(gk_mat **out)
{
    *out = gk_calloc(1, sizeof(gk_mat));
    return *out ? GK_OK : GK_ENOMEM;
}

/* A row-major (rows, cols) matrix, zeroed or not (a matrix about to be
** written whole need not touch its pages twice). */
static int mat_create(int64_t rows, int64_t cols, int zeroed, gk_mat **out)
{
    *out = NULL;
    GK_FAIL_IF(rows < 0 || cols < 0, GK_EARG, "matrix shape (%lld, %lld) is negative",
               (long long)rows, (long long)cols);
    GK_FAIL_IF(cols && (uint64_t)rows > SIZE_MAX / sizeof(float) / (uint64_t)cols, GK_ENOMEM,
               "matrix shape (%lld, %lld) overflows memory size", (long long)rows,
               (long long)cols);
    gk_mat *m;
    GK_TRY(mat_alloc_struct(&m));
    struct gk_store *st = gk_calloc(1, sizeof *st);
    const size_t n = (size_t)rows * (size_t)cols;
    float *data = zeroed ? gk_calloc(n, sizeof(float)) : gk_malloc(n * sizeof(float));
    if (!st || !data) {
        gk_free(st);
        gk_free(data);
        gk_free(m);
        return GK_ENOMEM;
    }
    st->kind = GK_STORE_HEAP;
    st->base = data;
    *m = (gk_mat){data, rows, cols, cols, 1, st};
    *out = m;
    return GK_OK;
}

int gk_mat_create(int64_t rows, int64_t cols, gk_mat **out)
{
    return mat_create(rows, cols, 1, out);
}

int gk_mat_wrap(float *data, int64_t rows, int64_t cols, gk_mat **out)
{
    GK_TRY(mat_alloc_struct(out));
    **out = (gk_mat){data, rows, cols, cols, 1, NULL};
    return GK_OK;
}

int gk_mat_from_map(void *base, size_t length, float *data, int64_t rows, int64_t cols,
                    int64_t rs, int64_t cs, gk_mat **out)
{
    gk_mat *m = NULL;
    struct gk_store *st = gk_calloc(1, sizeof *st);
    if (!st || mat_alloc_struct(&m) != GK_OK) {
        gk_free(st);
        munmap(base, length);
        *out = NULL;
        return GK_ENOMEM;
    }
    st->kind = GK_STORE_MAP;
    st->base = base;
    st->length = length;
    *m = (gk_mat){data, rows, cols, rs, cs, st};
    *out = m;
    return GK_OK;
}

void gk_mat_free(gk_mat *m)
{
    if (!m) return;
    if (m->store) {
        if (m->store->kind == GK_STORE_MAP) munmap(m->store->base, m->store->length);
        else gk_free(m->store->base);
        gk_free(m->store);
    }
    gk_free(m);
}

int gk_mat_clone(const gk_mat *a, gk_mat **out)
{
    GK_TRY(gk_mat_create(a->rows, a->cols, out));
    float *dst = (*out)->data;
    for (int64_t i = 0; i < a->rows; i++)
        for (int64_t j = 0; j < a->cols; j++) dst[i * a->cols + j] = gk_mat_at(a, i, j);
    return GK_OK;
}

gk_mat gk_mat_view_rows(const gk_mat *a, int64_t r0, int64_t nr)
{
    gk_mat v = {a->data + r0 * a->rs, nr, a->cols, a->rs, a->cs, NULL};
    return v;
}

int gk_mat_is_contiguous(const gk_mat *a)
{
    return a->cs == 1 && (a->rs == a->cols || a->rows <= 1);
}

int gk_mat_check_finite(const gk_mat *a)
{
    for (int64_t i = 0; i < a->rows; i++)
        for (int64_t j = 0; j < a->cols; j++) {
            float v = gk_mat_at(a, i, j);
            if (!isfinite(v))
                return gk_set_error(GK_ENUMERIC, "row %lld, column %lld is %s", (long long)i,
                                    (long long)j, isnan(v) ? "NaN" : "Inf");
        }
    return GK_OK;
}


/* Σ_j x_ij² of every row, in double, rows in parallel (each row's sum is
** computed by one thread in column order: the result is thread-independent). */
GK_SIMD_CLONES
static double dot_self(const float *x, int64_t n)
{
    double s = 0.0;
    /* simd: a fixed lane-wise order, the same on every run and thread count */
#pragma omp simd reduction(+ : s)
    for (int64_t j = 0; j < n; j++) s += (double)x[j] * x[j];
    return s;
}

static void row_sumsq(const gk_mat *a, double *sq)
{
#pragma omp parallel for schedule(static)
    for (int64_t i = 0; i < a->rows; i++) sq[i] = dot_self(gk_mat_row(a, i), a->cols);
}

int gk_mat_row_norms(const gk_mat *a, double *norms)
{
    if (a->cs == 1) { /* contiguous rows: the vectorised, parallel path */
        row_sumsq(a, norms);
        for (int64_t i = 0; i < a->rows; i++) norms[i] = sqrt(norms[i]);
        return GK_OK;
    }
    for (int64_t i = 0; i < a->rows; i++) {
        double s = 0.0;
        for (int64_t j = 0; j < a->cols; j++) {
            double v = gk_mat_at(a, i, j);
            s += v * v;
        }
        norms[i] = sqrt(s);
    }
    return GK_OK;
}

/* Σ x² of every row of a into *sq (caller frees), or the message naming the
** first row that is not finite or is all zeros. */
static int row_sumsq_checked(const gk_mat *a, double **sq)
{
    *sq = gk_malloc((size_t)(a->rows > 0 ? a->rows : 1) * sizeof **sq);
    GK_FAIL_IF(!*sq, GK_ENOMEM, "normalize: out of memory for %lld row norms",
               (long long)a->rows);
    row_sumsq(a, *sq);
    /* errors name the first bad row, whatever the thread count */
    for (int64_t i = 0; i < a->rows; i++) {
        int rc = GK_OK;
        if (!isfinite((*sq)[i]) && (rc = gk_mat_check_finite(a)) == GK_OK)
            rc = gk_set_error(GK_ENUMERIC, "row %lld has a norm that overflows", (long long)i);
        else if ((*sq)[i] == 0.0)
            rc = gk_set_error(GK_ENUMERIC, "row %lld is all zeros and cannot be normalised",
                              (long long)i);
        if (rc != GK_OK) return gk_free(*sq), *sq = NULL, rc;
    }
    return GK_OK;
}

/* A row already of unit length is left unwritten, so that a memory map of
** normalised embeddings is never copied page by page: |norm - 1| < 5e-7,
** a few float ulps. */
static int is_unit(double sq) { return fabs(sq - 1.0) < 1e-6; }

/* Row i of `dst` = row i of `src` / its norm (dst may be src). */
static void scale_rows(const gk_mat *src, const double *sq, gk_mat *dst)
{
#pragma omp parallel for schedule(static)
    for (int64_t i = 0; i < src->rows; i++) {
        const float *x = gk_mat_row(src, i);
        float *y = gk_mat_row(dst, i);
        if (is_unit(sq[i])) {
            if (y != x) memcpy(y, x, (size_t)src->cols * sizeof *y);
            continue;
        }
        const double inv = 1.0 / sqrt(sq[i]);
        for (int64_t j = 0; j < src->cols; j++) y[j] = (float)(x[j] * inv);
    }
}

int gk_mat_normalize_rows(gk_mat *a)
{
    GK_FAIL_IF(a->cs != 1, GK_ESHAPE, "normalize: rows must be contiguous (cs = %lld)",
               (long long)a->cs);
    double *sq;
    GK_TRY(row_sumsq_checked(a, &sq));
    scale_rows(a, sq, a);
    gk_free(sq);
    return GK_OK;
}

/* scale_rows(src, sq, dst) for a src inside a private file map, in chunks of
** about 32 MB: the map's pages of each chunk are dropped once it is copied, so
** the process holds the new rows plus one chunk of the file, not both whole. */
static void scale_rows_release(const gk_mat *src, const double *sq, gk_mat *dst)
{
    const size_t row = (size_t)src->rs * sizeof(float), page = (size_t)sysconf(_SC_PAGESIZE);
    const int64_t step = (int64_t)((32u << 20) / row) + 1;
    for (int64_t i0 = 0; i0 < src->rows; i0 += step) {
        const int64_t n = src->rows - i0 < step ? src->rows - i0 : step;
        gk_mat s = gk_mat_view_rows(src, i0, n), d = gk_mat_view_rows(dst, i0, n);
        scale_rows(&s, sq + i0, &d);
        /* whole pages inside the chunk only: its neighbours may share the ends */
        const uintptr_t lo = ((uintptr_t)s.data + page - 1) & ~(uintptr_t)(page - 1);
        const uintptr_t hi = ((uintptr_t)s.data + (size_t)n * row) & ~(uintptr_t)(page - 1);
        if (hi > lo) (void)madvise((void *)lo, hi - lo, MADV_DONTNEED);
    }
}

/* Advises transparent huge pages for the 2 MB pages inside [p, p + len):
** one fault per 2 MB instead of per 4 KB when the rows are first written.
** Advice only: an allocator whose memory cannot take it changes nothing. */
static void advise_huge(void *p, size_t len)
{
#ifdef MADV_HUGEPAGE
    const uintptr_t huge = (uintptr_t)2 << 20, lo = ((uintptr_t)p + huge - 1) & ~(huge - 1);
    const uintptr_t hi = ((uintptr_t)p + len) & ~(huge - 1);
    if (hi > lo) (void)madvise((void *)lo, hi - lo, MADV_HUGEPAGE);
#else
    (void)p, (void)len;
#endif
}

int mat_normalize_loaded(gk_mat **owner, gk_mat *view)
{
    const gk_mat *a = view ? view : *owner;
    GK_FAIL_IF(a->cs != 1, GK_ESHAPE, "normalize: rows must be contiguous (cs = %lld)",
               (long long)a->cs);
    double *sq;
    GK_TRY(row_sumsq_checked(a, &sq));
    int64_t scaled = 0;
    for (int64_t i = 0; i < a->rows; i++) scaled += !is_unit(sq[i]);
    /* Rescaling a private file map in place costs a copy-on-write fault per
    ** 4 KB page, and with several threads each fault flushes the TLB of every
    ** CPU running one (measured: comet fit on 2 × 100000 × 512 rows spent
    ** 5.7 s in the kernel on 2 threads, 1.1 s on one).  Writing the rows to
    ** fresh memory costs a fault per 2 MB and no flush. */
    const int remap = scaled > 0 && (*owner)->store && (*owner)->store->kind == GK_STORE_MAP;
    if (!remap) {
        if (scaled > 0) scale_rows(a, sq, (gk_mat *)a);
        gk_free(sq);
        return GK_OK;
    }
    gk_mat *fresh;
    int rc = mat_create(a->rows, a->cols, 0, &fresh);
    if (rc != GK_OK) return gk_free(sq), rc;
    advise_huge(fresh->data, (size_t)a->rows * (size_t)a->cols * sizeof(float));
    scale_rows_release(a, sq, fresh);
    gk_free(sq);
    gk_mat_free(*owner);
    *owner = fresh;
    if (view) *view = gk_mat_view_rows(fresh, 0, fresh->rows);
    return GK_OK;
}

int gk_mat_col_mean(const gk_mat *a, double *mean)
{
    GK_FAIL_IF(a->rows == 0, GK_EARG, "column mean of a matrix with zero rows");
    memset(mean, 0, (size_t)a->cols * sizeof *mean);
    for (int64_t i = 0; i < a->rows; i++)
        for (int64_t j = 0; j < a->cols; j++) mean[j] += gk_mat_at(a, i, j);
    for (int64_t j = 0; j < a->cols; j++) mean[j] /= (double)a->rows;
    return GK_OK;
}

int gk_mat_select_rows(const gk_mat *a, const int64_t *idx, int64_t n, gk_mat **out)
{
    *out = NULL;
    for (int64_t r = 0; r < n; r++)
        GK_FAIL_IF(idx[r] < 0 || idx[r] >= a->rows, GK_EARG,
                   "row index %lld outside [0, %lld)", (long long)idx[r], (long long)a->rows);
    GK_TRY(gk_mat_create(n, a->cols, out));
    for (int64_t r = 0; r < n; r++) {
        float *dst = gk_mat_row(*out, r);
        for (int64_t j = 0; j < a->cols; j++) dst[j] = gk_mat_at(a, idx[r], j);
    }
    return GK_OK;
}

int gk_mat_vstack(const gk_mat *a, const gk_mat *b, gk_mat **out)
{
    GK_FAIL_IF(a->cols != b->cols, GK_ESHAPE, "vstack: %lld columns vs %lld",
               (long long)a->cols, (long long)b->cols);
    GK_TRY(gk_mat_create(a->rows + b->rows, a->cols, out));
    float *dst = (*out)->data;
    for (int64_t i = 0; i < a->rows; i++)
        for (int64_t j = 0; j < a->cols; j++) *dst++ = gk_mat_at(a, i, j);
    for (int64_t i = 0; i < b->rows; i++)
        for (int64_t j = 0; j < b->cols; j++) *dst++ = gk_mat_at(b, i, j);
    return GK_OK;
}
