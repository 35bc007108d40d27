/*
** head_apply.c — gk_heads_apply(): the inference pass of one view's head
** (no dropout) over blocks of rows.  BLAS is held single-threaded, so each
** row's bytes are those of the training kernels and do not depend on the
** thread count or on the other rows of the block.
*/
#include <string.h>

#include "core/error_internal.h"
#include "linalg/blas_threads_internal.h"
#include "train_internal.h"

#define HD_APPLY_BLOCK 1024

static int apply_blocks(const gk_heads *h, int view, const gk_mat *X, hd_acts *a, gk_mat *o)
{
    const int64_t n = X->rows, Din = h->din[view], D = h->dim;
    for (int64_t r0 = 0; r0 < n; r0 += HD_APPLY_BLOCK) {
        a->B = n - r0 < HD_APPLY_BLOCK ? n - r0 : HD_APPLY_BLOCK;
        for (int64_t i = 0; i < a->B; i++)
            memcpy(a->x + i * Din, gk_mat_row(X, r0 + i), (size_t)Din * sizeof(float));
        GK_TRY(hd_forward(h, view, a));
        memcpy(o->data + r0 * D, a->z, (size_t)(a->B * D) * sizeof(float));
    }
    return GK_OK;
}

int gk_heads_apply(const gk_heads *h, int view, const gk_mat *X, gk_mat **out)
{
    GK_FAIL_IF(!out, GK_EARG, "heads apply: NULL output");
    *out = NULL;
    GK_FAIL_IF(!h || !X, GK_EARG, "heads apply: NULL argument");
    GK_FAIL_IF(view < 0 || view >= h->n_views, GK_EARG, "heads apply: view %d outside 0..%d",
               view, h->n_views - 1);
    GK_FAIL_IF(X->cols != h->din[view], GK_ESHAPE, "heads apply: input has D = %lld but the "
               "head of view %d takes D = %lld", (long long)X->cols, view,
               (long long)h->din[view]);
    GK_FAIL_IF(X->cs != 1, GK_ESHAPE, "heads apply: input needs cs == 1");
    hd_acts a;
    const int64_t blk = X->rows < HD_APPLY_BLOCK ? (X->rows ? X->rows : 1) : HD_APPLY_BLOCK;
    GK_TRY(hd_acts_alloc(&a, blk, h->din[view], h->dim));
    gk_free(a.dgel); /* inference: no backward pass needs GELU' */
    a.dgel = NULL;
    gk_mat *o = NULL;
    int rc = gk_mat_create(X->rows, h->dim, &o);
    const int saved = gk_blas_serial();
    if (rc == GK_OK) rc = apply_blocks(h, view, X, &a, o);
    gk_blas_restore(saved);
    hd_acts_free(&a);
    if (rc != GK_OK) gk_mat_free(o);
    else *out = o;
    return rc;
}
