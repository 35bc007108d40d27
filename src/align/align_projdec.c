/*
** align_projdec.c — projection decoding onto a memory of the anchor view
** (COMET paper's baseline, methods.md §1 and §4).
**
** Fit: the memory is the DISTINCT rows of the anchor view's calibration
** rows (exact duplicates, e.g. a class prompt paired with every clip of its
** class, are kept once so that they do not weigh more).  Under MPI every
** rank first receives all the anchor rows (al_sums.all_rows).
** Apply to a row x of another view, τ = temperature, s_i = x·m_i:
**   all rows  (topk = 0):  p_i = exp(τ(s_i − max s)) / Σ_l exp(τ(s_l − max s))
**   top-k     (topk = K):  the same softmax over the K largest s_i only
**                          (ties → lower memory index), 0 elsewhere: the
**                          K nearest memory rows by inner product, found by
**                          the kNN engine (gk_knn_query; their s_i recomputed
**                          in double), with no block of similarities
**   x' = normalize(Σ_i p_i m_i)
** Rows of the anchor view itself are only renormalised.
*/
#include <math.h>
#include <string.h>

#include "core/error_internal.h"
#include "align_internal.h"
#include "gapkit/knn.h"
#include "gapkit/linalg.h"
#include "linalg/linalg_internal.h"

/* The memory from the anchor view's rows A (all of them, in row order). */
static int keep_distinct(gk_align *a, const gk_mat *A)
{
    int64_t *first = gk_malloc((size_t)A->rows * sizeof *first), n = 0;
    GK_FAIL_IF(!first, GK_ENOMEM, "align projdec: out of memory");
    int rc = gk_mat_first_rows(A, first, &n);
    if (rc == GK_OK && !(a->memory = gk_malloc((size_t)n * (size_t)A->cols * sizeof(float))))
        rc = gk_set_error(GK_ENOMEM, "align projdec: out of memory for %lld memory rows",
                          (long long)n);
    for (int64_t i = 0, r = 0; rc == GK_OK && i < A->rows; i++)
        if (first[i] == i) memcpy(a->memory + (r++) * A->cols, gk_mat_row(A, i),
                                  (size_t)A->cols * sizeof(float));
    a->n_mem = n;
    a->d_mem = A->cols;
    gk_free(first);
    return rc;
}

int al_fit_projdec(gk_align *a, const gk_mat *const *views)
{
    const gk_mat *A = views[a->opts.anchor];
    if (!a->sums) return keep_distinct(a, A);
    gk_mat *all = NULL; /* rows spread over ranks: every rank takes them all */
    GK_TRY(a->sums->all_rows(A, a->sums->n, &all));
    int rc = keep_distinct(a, all);
    gk_mat_free(all);
    return rc;
}

/* Row of S (n,) replaced by its full softmax (in place). */
static void softmax_row(float *s, int64_t n, double tau)
{
    float mx = s[0];
    for (int64_t j = 1; j < n; j++) mx = s[j] > mx ? s[j] : mx;
    double sum = 0;
    for (int64_t j = 0; j < n; j++) sum += exp(tau * ((double)s[j] - mx));
    for (int64_t j = 0; j < n; j++) s[j] = (float)(exp(tau * ((double)s[j] - mx)) / sum);
}

/* out rows (nr, D): every memory row weighted by the softmax of the block's
** similarities S (nr, n_mem). */
static int decode_all(const gk_align *a, gk_mat *S, float *out, int64_t nr)
{
    const int64_t n = a->n_mem, d = a->d_mem;
#pragma omp parallel for schedule(static) if (nr * n > GK_OMP_MIN_WORK)
    for (int64_t i = 0; i < nr; i++) softmax_row(S->data + i * n, n, a->opts.temperature);
    gk_mat mem = {a->memory, n, d, d, 1, NULL}, o = {out, nr, d, d, 1, NULL};
    return gk_gemm_rows(0, 1.0f, S, &mem, 0.0f, &o);
}

/* out rows (nr, D) of a block from its K nearest memory rows ids (nr,K) at
** inner-product distances dist = −s (nr,K), nearest first; w (nr,K) scratch. */
static void decode_top(const gk_align *a, const int64_t *ids, const float *dist, double *w,
                       float *out, int64_t nr)
{
    const int64_t k = a->opts.topk, d = a->d_mem;
    const double tau = a->opts.temperature;
#pragma omp parallel for schedule(static) if (nr * k * d > GK_OMP_MIN_WORK)
    for (int64_t i = 0; i < nr; i++) {
        const int64_t *id = ids + i * k;
        const float *di = dist + i * k;
        double *wi = w + i * k, sum = 0;
        for (int64_t l = 0; l < k; l++) sum += (wi[l] = exp(tau * ((double)di[0] - di[l])));
        for (int64_t c = 0; c < d; c++) {
            double acc = 0;
            for (int64_t l = 0; l < k; l++) acc += wi[l] * a->memory[id[l] * d + c];
            out[i * d + c] = (float)(acc / sum);
        }
    }
}

/* The top-k path: the engine over the memory, in blocks of bs rows. */
static int apply_top(const gk_align *a, const gk_mat *X, int64_t bs, float *out)
{
    const int64_t k = a->opts.topk, d = a->d_mem;
    gk_mat mem = {a->memory, a->n_mem, d, d, 1, NULL};
    gk_knn *idx = NULL;
    int64_t *ids = gk_malloc((size_t)bs * (size_t)k * sizeof *ids);
    float *dist = gk_malloc((size_t)bs * (size_t)k * sizeof *dist);
    double *w = gk_malloc((size_t)bs * (size_t)k * sizeof *w);
    int rc = ids && dist && w ? gk_knn_create(&mem, GK_DIST_IP, &idx)
                              : gk_set_error(GK_ENOMEM, "align projdec: out of memory");
    for (int64_t r0 = 0; rc == GK_OK && r0 < X->rows; r0 += bs) {
        const int64_t nr = X->rows - r0 < bs ? X->rows - r0 : bs;
        gk_mat xb = gk_mat_view_rows(X, r0, nr);
        rc = gk_knn_query(idx, &xb, k, ids, dist);
        if (rc == GK_OK) decode_top(a, ids, dist, w, out + r0 * d, nr);
    }
    gk_knn_free(idx);
    gk_free(ids), gk_free(dist), gk_free(w);
    return rc;
}

/* The all-rows path: blocks of similarities by GEMM, then their softmax. */
static int apply_all(const gk_align *a, const gk_mat *X, int64_t bs, float *out)
{
    const int64_t n = a->n_mem, d = a->d_mem;
    float *sim = gk_malloc((size_t)bs * (size_t)n * sizeof *sim);
    int rc = sim ? GK_OK : gk_set_error(GK_ENOMEM, "align projdec: out of memory");
    gk_mat mem = {a->memory, n, d, d, 1, NULL};
    for (int64_t r0 = 0; rc == GK_OK && r0 < X->rows; r0 += bs) {
        const int64_t nr = X->rows - r0 < bs ? X->rows - r0 : bs;
        gk_mat xb = gk_mat_view_rows(X, r0, nr), S = {sim, nr, n, n, 1, NULL};
        rc = gk_gemm_rows(1, 1.0f, &xb, &mem, 0.0f, &S);
        if (rc == GK_OK) rc = decode_all(a, &S, out + r0 * d, nr);
    }
    gk_free(sim);
    return rc;
}

int al_apply_projdec(const gk_align *a, const gk_mat *X, gk_mat **out)
{
    const int64_t n = a->n_mem, d = a->d_mem, R = X->rows;
    /* similarity block of at most 16 MB; a power of two (<= 4096) so that
    ** gk_align_apply_npy's blocks cut the rows at the same places */
    int64_t bs = 4096;
    while (bs > 1 && bs * n > ((int64_t)1 << 22)) bs /= 2;
    gk_mat *o = NULL;
    GK_TRY(gk_mat_create(R, d, &o));
    const int top = a->opts.topk > 0 && a->opts.topk < n;
    int rc = top ? apply_top(a, X, bs, o->data) : apply_all(a, X, bs, o->data);
    if (rc == GK_OK) al_normalize_rows(o->data, R, d);
    if (rc != GK_OK) gk_mat_free(o);
    else *out = o;
    return rc;
}
