/*
** align_apply.c — applying a fitted transform to new rows of one view (or of
** both sides of a pair).
**
** The affine path computes, block by block (GK_CROSS_BLOCK rows),
**   x' = normalize( ((x − offset) · proj) ⊙ scale )
** with the centring and scaling in OpenMP loops over rows and the
** projection as one gk_gemm_rows per block (fixed row tiles, single-threaded
** BLAS per tile), so memory is the output plus one block and every row's
** result depends only on that row (any thread count gives the same bytes).
*/
#include <math.h>
#include <string.h>

#include "core/error_internal.h"
#include "align_internal.h"
#include "gapkit/io.h"
#include "gapkit/linalg.h"
#include "linalg/linalg_internal.h"

void al_normalize_rows(float *a, int64_t rows, int64_t cols)
{
#pragma omp parallel for schedule(static) if (rows * cols > GK_OMP_MIN_WORK)
    for (int64_t i = 0; i < rows; i++) {
        float *r = a + i * cols;
        double ss = 0;
        for (int64_t j = 0; j < cols; j++) ss += (double)r[j] * r[j];
        if (ss > 0) {
            const float inv = (float)(1.0 / sqrt(ss));
            for (int64_t j = 0; j < cols; j++) r[j] *= inv;
        }
    }
}

/* dst (nr, d) = rows [r0, r0+nr) of X − offset (offset may be NULL). */
static void centre_block(const gk_mat *X, const float *offset, int64_t r0, int64_t nr,
                         float *dst)
{
    const int64_t d = X->cols;
#pragma omp parallel for schedule(static) if (nr * d > GK_OMP_MIN_WORK)
    for (int64_t i = 0; i < nr; i++) {
        const float *x = gk_mat_row(X, r0 + i);
        float *o = dst + i * d;
        if (offset)
            for (int64_t j = 0; j < d; j++) o[j] = x[j] - offset[j];
        else
            memcpy(o, x, (size_t)d * sizeof *o);
    }
}

/* rows (nr, c) ⊙ scale, then unit rows. */
static void finish_block(float *rows, int64_t nr, int64_t c, const float *scale)
{
    if (scale) {
#pragma omp parallel for schedule(static) if (nr * c > GK_OMP_MIN_WORK)
        for (int64_t i = 0; i < nr; i++)
            for (int64_t j = 0; j < c; j++) rows[i * c + j] *= scale[j];
    }
    al_normalize_rows(rows, nr, c);
}

int al_apply_linear(const al_view *v, const gk_mat *X, gk_mat **out)
{
    const int64_t n = X->rows, bs = GK_CROSS_BLOCK;
    gk_mat *o = NULL;
    GK_TRY(gk_mat_create(n, v->d_out, &o));
    float *scratch = NULL;
    if (v->proj && !(scratch = gk_malloc((size_t)bs * (size_t)v->d * sizeof *scratch))) {
        gk_mat_free(o);
        return gk_set_error(GK_ENOMEM, "align apply: out of memory");
    }
    int rc = GK_OK;
    gk_mat P = {v->proj, v->d, v->d_out, v->d_out, 1, NULL};
    for (int64_t r0 = 0; rc == GK_OK && r0 < n; r0 += bs) {
        const int64_t nr = n - r0 < bs ? n - r0 : bs;
        float *dst = o->data + r0 * v->d_out;
        centre_block(X, v->offset, r0, nr, v->proj ? scratch : dst);
        if (v->proj) {
            gk_mat S = {scratch, nr, v->d, v->d, 1, NULL}, D = {dst, nr, v->d_out, v->d_out, 1,
                                                                 NULL};
            rc = gk_gemm_rows(0, 1.0f, &S, &P, 0.0f, &D);
        }
        finish_block(dst, nr, v->d_out, v->scale);
    }
    gk_free(scratch);
    if (rc != GK_OK) gk_mat_free(o);
    else *out = o;
    return rc;
}

int gk_align_apply(const gk_align *a, int view, const gk_mat *X, gk_mat **out)
{
    GK_FAIL_IF(!out, GK_EARG, "align apply: NULL output");
    *out = NULL;
    GK_FAIL_IF(!a || !X, GK_EARG, "align apply: NULL argument");
    GK_FAIL_IF(view < 0 || view >= a->n_views, GK_EARG, "align apply: view %d outside 0..%d",
               view, a->n_views - 1);
    GK_FAIL_IF(X->cols != a->view[view].d, GK_ESHAPE, "align apply: input has D = %lld but view "
               "%d of the model has D = %lld", (long long)X->cols, view,
               (long long)a->view[view].d);
    GK_FAIL_IF(X->cs != 1, GK_ESHAPE, "align apply: input needs cs == 1");
    if (a->heads) return gk_heads_apply(a->heads, view, X, out);
    if (a->memory && view != a->opts.anchor) return al_apply_projdec(a, X, out);
    return al_apply_linear(&a->view[view], X, out);
}

int gk_align_apply_pair(const gk_align *a, const gk_mat *X, const gk_mat *Y, gk_mat **X2,
                        gk_mat **Y2)
{
    GK_FAIL_IF(!X2 || !Y2, GK_EARG, "align apply: NULL output");
    *X2 = *Y2 = NULL;
    int rc = gk_align_apply(a, 0, X, X2);
    if (rc == GK_OK) rc = gk_align_apply(a, 1, Y, Y2);
    if (rc != GK_OK) {
        gk_mat_free(*X2);
        *X2 = NULL;
    }
    return rc;
}

int gk_align_apply_npy(const gk_align *a, int view, const gk_mat *X, const char *path)
{
    gk_npy_stream *st = NULL;
    GK_FAIL_IF(!a || !X || !path, GK_EARG, "align apply: NULL argument");
    GK_FAIL_IF(view < 0 || view >= a->n_views, GK_EARG, "align apply: view %d outside 0..%d",
               view, a->n_views - 1);
    GK_TRY(gk_npy_stream_open(path, X->rows, gk_align_out_dim(a, view), &st));
    int rc = GK_OK;
    /* blocks are multiples of every internal block and tile, so each row meets
    ** the very same GEMM calls as in one gk_align_apply() of all rows */
    for (int64_t r0 = 0; rc == GK_OK && r0 < X->rows; r0 += GK_ALIGN_STREAM_ROWS) {
        const int64_t nr = X->rows - r0 < GK_ALIGN_STREAM_ROWS ? X->rows - r0
                                                               : GK_ALIGN_STREAM_ROWS;
        gk_mat xb = gk_mat_view_rows(X, r0, nr), *o = NULL;
        rc = gk_align_apply(a, view, &xb, &o);
        if (rc == GK_OK) rc = gk_npy_stream_write(st, o);
        gk_mat_free(o);
    }
    if (rc != GK_OK) {
        gk_npy_stream_abort(st);
        return rc;
    }
    return gk_npy_stream_commit(st);
}
