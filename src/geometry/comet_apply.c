/*
** comet_apply.c — PLSHead(W) coefficients of new rows (methods.md §1,
** "Spectral truncation"), unit coefficients of both sides of a pair of inputs,
** and the per-axis extreme items.
*/
#include <math.h>
#include <string.h>

#include "core/error_internal.h"
#include "comet_internal.h"
#include "gapkit/linalg.h"
#include "linalg/linalg_internal.h"

static int check_apply_args(const gk_comet *m, int side, const gk_mat *X, int64_t k,
                            gk_comet_weight w)
{
    GK_FAIL_IF(!m || !X, GK_EARG, "comet apply: NULL argument");
    GK_FAIL_IF(side != 0 && side != 1, GK_EARG, "comet apply: side must be 0 (text) or 1 "
               "(audio), got %d", side);
    GK_FAIL_IF(k < 0 || k > m->k, GK_EARG, "comet apply: k = %lld outside 0..%lld (kept axes)",
               (long long)k, (long long)m->k);
    GK_FAIL_IF(w != GK_COMET_W_NONE && w != GK_COMET_W_ALIGN && w != GK_COMET_W_CORR, GK_EARG,
               "comet apply: unknown weight %d", (int)w);
    GK_FAIL_IF(w == GK_COMET_W_ALIGN && !m->align, GK_EARG,
               "comet apply: align weights need D_T == D_A (model has %lld and %lld)",
               (long long)m->dt, (long long)m->da);
    const int64_t d = side ? m->da : m->dt;
    GK_FAIL_IF(X->cols != d, GK_ESHAPE, "comet apply: input has D = %lld but side %d of the "
               "model has D = %lld", (long long)X->cols, side, (long long)d);
    return gk_blas_check("comet apply", 2, X->cols, X->rs);
}

/* out(i,j) *= s_j with s_j = sqrt|w_j| on side 0 and sign(w_j) sqrt|w_j| on
** side 1, so that a side-0 row · a side-1 row = Σ_j w_j t̂_j â_j: with
** w = align that is exactly the head's direct term (methods.md §1), while
** both sides keep the same scale (a weight on one side only would make
** side-0 → side-0 similarities unweighted and side-1 → side-1 doubly so). */
static void apply_weights(gk_mat *out, const float *w, int side)
{
    for (int64_t j = 0; j < out->cols; j++) {
        double sj = sqrt(fabs((double)w[j]));
        if (side && w[j] < 0) sj = -sj;
        for (int64_t i = 0; i < out->rows; i++) out->data[i * out->cols + j] *= (float)sj;
    }
}

int gk_comet_apply(const gk_comet *m, int side, const gk_mat *X, int64_t k, gk_comet_weight w,
                   gk_mat **out)
{
    GK_FAIL_IF(!out, GK_EARG, "comet apply: NULL output");
    *out = NULL;
    GK_TRY(check_apply_args(m, side, X, k, w));
    if (k == 0) k = m->k;
    const float *mean = side ? m->a_mean : m->t_mean, *axes = side ? m->V : m->U;
    const int64_t n = X->rows, bs = n < GK_CROSS_BLOCK ? (n ? n : 1) : GK_CROSS_BLOCK;
    gk_mat *o = NULL;
    GK_TRY(gk_mat_create(n, k, &o));
    float *scratch = gk_malloc((size_t)bs * (size_t)X->cols * sizeof(float));
    if (!scratch) {
        gk_mat_free(o);
        return gk_set_error(GK_ENOMEM, "comet apply: out of memory");
    }
    /* out_i = U_kᵀ (x_i − t̄)  (or V_kᵀ (x_i − ā)), block by block */
    for (int64_t r0 = 0; r0 < n; r0 += bs) {
        const int64_t nr = n - r0 < bs ? n - r0 : bs;
        comet_project_block(X, mean, axes, m->k, k, r0, nr, scratch, o->data + r0 * k, k);
    }
    gk_free(scratch);
    if (w == GK_COMET_W_ALIGN) apply_weights(o, m->align, side);
    if (w == GK_COMET_W_CORR) apply_weights(o, m->corr, side);
    *out = o;
    return GK_OK;
}

/*====  extremes  ====*/

/* Inserts (v, i) into the sorted list (vals, ids) of length *len <= cap,
** ordered by descending sign·v; earlier rows win ties. */
static void insert_sorted(double *vals, int64_t *ids, int64_t *len, int64_t cap, double v,
                          int64_t i, double sign)
{
    int64_t p = *len;
    if (p == cap && !(sign * v > sign * vals[p - 1])) return;
    if (p == cap) p--;
    while (p > 0 && sign * v > sign * vals[p - 1]) {
        vals[p] = vals[p - 1];
        ids[p] = ids[p - 1];
        p--;
    }
    vals[p] = v;
    ids[p] = i;
    if (*len < cap) (*len)++;
}

int gk_comet_extremes(const gk_comet *m, int side, const gk_mat *X, int64_t ntop, int64_t *top,
                      int64_t *bottom)
{
    gk_mat *c = NULL;
    GK_FAIL_IF(!top || !bottom, GK_EARG, "comet extremes: NULL output");
    GK_FAIL_IF(!X || ntop < 1 || ntop > X->rows, GK_EARG,
               "comet extremes: ntop = %lld outside 1..N", (long long)ntop);
    GK_TRY(gk_comet_apply(m, side, X, 0, GK_COMET_W_NONE, &c));
    double *vals = gk_malloc((size_t)ntop * sizeof(double));
    if (!vals) {
        gk_mat_free(c);
        return gk_set_error(GK_ENOMEM, "comet extremes: out of memory");
    }
    for (int64_t j = 0; j < m->k; j++) {
        int64_t lt = 0, lb = 0;
        for (int64_t i = 0; i < X->rows; i++)
            insert_sorted(vals, top + j * ntop, &lt, ntop, c->data[i * m->k + j], i, 1.0);
        for (int64_t i = 0; i < X->rows; i++)
            insert_sorted(vals, bottom + j * ntop, &lb, ntop, c->data[i * m->k + j], i, -1.0);
    }
    gk_free(vals);
    gk_mat_free(c);
    return GK_OK;
}

int gk_comet_apply_pair(const gk_comet *m, int64_t k, gk_comet_weight w, const gk_mat *X,
                        const gk_mat *Y, gk_mat **X2, gk_mat **Y2)
{
    GK_FAIL_IF(!X2 || !Y2, GK_EARG, "comet apply pair: NULL output");
    *X2 = *Y2 = NULL;
    int rc;
    GK_TRY_GOTO(rc, gk_comet_apply(m, 0, X, k, w, X2), fail);
    GK_TRY_GOTO(rc, gk_comet_apply(m, 1, Y, k, w, Y2), fail);
    /* coefficients are compared by cosine: unit rows make inner products cosines */
    GK_TRY_GOTO(rc, gk_mat_normalize_rows(*X2), fail);
    GK_TRY_GOTO(rc, gk_mat_normalize_rows(*Y2), fail);
    return GK_OK;
fail:
    gk_mat_free(*X2);
    gk_mat_free(*Y2);
    *X2 = *Y2 = NULL;
    return rc;
}
