/*
** comet_fit.c — fitting COMET (methods.md §1): centre, M = Tcᵀ Ac by blocks,
** SVD with the u-based sign rule, per-axis σ/align, then one streaming pass
** (sgemm on the rows as they are, means subtracted afterwards) for
** corr_j and the variance on the kept axes.  Also the model's lifetime
** and getters.
*/
#include <math.h>
#include <string.h>

#include "core/error_internal.h"
#include "core/matrix_internal.h"
#include "comet_internal.h"
#include "core/progress_internal.h"
#include "gapkit/linalg.h"
#include "linalg/blas_threads_internal.h"
#include "linalg/linalg_internal.h"

#define BLOCK GK_CROSS_BLOCK

int comet_alloc(int64_t dt, int64_t da, int64_t k, int64_t r, int has_align, gk_comet **out)
{
    gk_comet *m = gk_calloc(1, sizeof *m);
    *out = NULL;
    GK_FAIL_IF(!m, GK_ENOMEM, "comet: out of memory");
    m->dt = dt, m->da = da, m->k = k, m->r = r;
    m->t_mean = gk_calloc((size_t)dt, sizeof(float));
    m->a_mean = gk_calloc((size_t)da, sizeof(float));
    m->U = gk_calloc((size_t)dt * (size_t)k, sizeof(float));
    m->V = gk_calloc((size_t)da * (size_t)k, sizeof(float));
    m->sigma = gk_calloc((size_t)r, sizeof(float));
    m->align = has_align ? gk_calloc((size_t)r, sizeof(float)) : NULL;
    m->corr = gk_calloc((size_t)k, sizeof(float));
    m->t_var = gk_calloc((size_t)k, sizeof(float));
    m->a_var = gk_calloc((size_t)k, sizeof(float));
    if (!m->t_mean || !m->a_mean || !m->U || !m->V || !m->sigma || (has_align && !m->align) ||
        !m->corr || !m->t_var || !m->a_var) {
        gk_comet_free(m);
        return gk_set_error(GK_ENOMEM, "comet: out of memory for a model with K = %lld",
                            (long long)k);
    }
    *out = m;
    return GK_OK;
}

void gk_comet_free(gk_comet *m)
{
    if (!m) return;
    gk_free(m->t_mean);
    gk_free(m->a_mean);
    gk_free(m->U);
    gk_free(m->V);
    gk_free(m->sigma);
    gk_free(m->align);
    gk_free(m->corr);
    gk_free(m->t_var);
    gk_free(m->a_var);
    gk_free(m);
}

void comet_project_block(const gk_mat *X, const float *mean, const float *axes, int64_t K,
                         int64_t kk, int64_t r0, int64_t nr, float *scratch, float *out,
                         int64_t ldo)
{
    const int64_t d = X->cols;
    /* scratch = X[r0:r0+nr] − 1 meanᵀ (difference taken in double, stored float) */
    for (int64_t i = 0; i < nr; i++)
        for (int64_t j = 0; j < d; j++)
            scratch[i * d + j] = (float)((double)gk_mat_at(X, r0 + i, j) - (double)mean[j]);
    /* out = scratch · axes[:, :kk]   (nr,D)·(D,kk) */
    gk_sgemm_rm(0, 0, nr, kk, d, 1.0f, scratch, d, axes, K, 0.0f, out, ldo);
}

/*====  fit  ====*/

void comet_fit_work_free(comet_fit_work *w)
{
    gk_free(w->mt);
    gk_free(w->ma);
    gk_free(w->M);
    gk_free(w->u);
    gk_free(w->s);
    gk_free(w->vt);
}

int comet_fit_work_alloc(comet_fit_work *w, int64_t dt, int64_t da, int64_t r)
{
    memset(w, 0, sizeof *w);
    w->dt = dt, w->da = da;
    w->mt = gk_malloc((size_t)dt * sizeof(double));
    w->ma = gk_malloc((size_t)da * sizeof(double));
    w->M = gk_malloc((size_t)dt * (size_t)da * sizeof(double));
    w->u = gk_malloc((size_t)dt * (size_t)r * sizeof(double));
    w->s = gk_malloc((size_t)r * sizeof(double));
    w->vt = gk_malloc((size_t)r * (size_t)da * sizeof(double));
    if (w->mt && w->ma && w->M && w->u && w->s && w->vt) return GK_OK;
    comet_fit_work_free(w);
    return gk_set_error(GK_ENOMEM, "comet fit: out of memory for D = %lld x %lld",
                        (long long)dt, (long long)da);
}

/* Copies means, σ, align (all R axes) and the K kept axes into the model. */
static void store_axes(gk_comet *m, const comet_fit_work *w)
{
    for (int64_t j = 0; j < m->dt; j++) m->t_mean[j] = (float)w->mt[j];
    for (int64_t j = 0; j < m->da; j++) m->a_mean[j] = (float)w->ma[j];
    for (int64_t j = 0; j < m->r; j++) {
        m->sigma[j] = (float)w->s[j];
        if (!m->align) continue;
        /* align_j = u_j · v_j */
        double a = 0;
        for (int64_t i = 0; i < m->dt; i++) a += w->u[i * m->r + j] * w->vt[j * m->da + i];
        m->align[j] = (float)a;
    }
    for (int64_t i = 0; i < m->dt; i++)
        for (int64_t j = 0; j < m->k; j++) m->U[i * m->k + j] = (float)w->u[i * m->r + j];
    for (int64_t i = 0; i < m->da; i++)
        for (int64_t j = 0; j < m->k; j++) m->V[i * m->k + j] = (float)w->vt[j * m->da + i];
}

/* Running sums of the fit pass, per kept axis j. */
typedef struct axis_sums {
    double *st, *sa, *stt, *saa, *sta; /* Σ t̂_j, Σ â_j, Σ t̂_j², Σ â_j², Σ t̂_j â_j */
} axis_sums;

/* Adds one block's coordinates t̂ = tb − ct, â = ab − ca (N_b,K) to the sums. */
static void add_block_sums(axis_sums *s, const float *tb, const float *ab, int64_t nr, int64_t k,
                           const double *ct, const double *ca)
{
    for (int64_t i = 0; i < nr; i++)
        for (int64_t j = 0; j < k; j++) {
            double t = tb[i * k + j] - ct[j], a = ab[i * k + j] - ca[j];
            s->st[j] += t, s->sa[j] += a;
            s->stt[j] += t * t, s->saa[j] += a * a, s->sta[j] += t * a;
        }
}

/* corr_j = cov(t̂_j, â_j) / (sd(t̂_j) sd(â_j)), all moments with 1/N */
static void finish_corr(gk_comet *m, const axis_sums *s)
{
    const double n = (double)m->n_fit;
    for (int64_t j = 0; j < m->k; j++) {
        double ct = s->st[j] / n, ca = s->sa[j] / n;
        double vt = s->stt[j] / n - ct * ct, va = s->saa[j] / n - ca * ca;
        double cv = s->sta[j] / n - ct * ca;
        m->corr[j] = (vt > 0 && va > 0) ? (float)(cv / sqrt(vt * va)) : 0.0f;
        m->t_var[j] = (float)s->stt[j];
        m->a_var[j] = (float)s->saa[j];
    }
}

/* out (nr,K) = coordinates of rows [r0,r0+nr) of X on `axes` (D,K), minus c.
** Row-major input (cs == 1) is multiplied in place (sgemm with lda = rs) and
** *c = axesᵀ mean is subtracted later, in double; other layouts are centred
** into scratch first and c = 0. */
static void block_coords(const gk_mat *X, const float *mean, const float *axes, int64_t k,
                         int64_t r0, int64_t nr, float *scratch, float *out, double *c)
{
    if (X->cs != 1) {
        comet_project_block(X, mean, axes, k, k, r0, nr, scratch, out, k);
        memset(c, 0, (size_t)k * sizeof *c);
        return;
    }
    gk_sgemm_rm(0, 0, nr, k, X->cols, 1.0f, X->data + r0 * X->rs, X->rs, axes, k, 0.0f, out,
                k);
    for (int64_t j = 0; j < k; j++) {
        double v = 0;
        for (int64_t i = 0; i < X->cols; i++) v += (double)axes[i * k + j] * mean[i];
        c[j] = v;
    }
}

/* Scratch of the streaming pass: per thread a centred block, its
** coordinates on both sides, their centres and per-block sums ("lanes"). */
typedef struct pass_work {
    int64_t bs, nt;
    float *xb, *tb, *ab; /* (nt,bs,Dmax), (nt,bs,K), (nt,bs,K) */
    double *ct, *ca;     /* (nt,K), (nt,K) */
    double *lane;        /* (nt,5K): Σ t̂, Σ â, Σ t̂², Σ â², Σ t̂â of one block */
} pass_work;

static void pass_work_free(pass_work *p)
{
    gk_free(p->xb), gk_free(p->tb), gk_free(p->ab), gk_free(p->ct);
}

static int pass_work_alloc(pass_work *p, const gk_comet *m, int64_t n)
{
    const int64_t k = m->k, dmax = m->dt > m->da ? m->dt : m->da;
    p->bs = n < BLOCK ? (n > 0 ? n : 1) : BLOCK;
    p->nt = gk_get_threads() < (n + p->bs - 1) / p->bs ? gk_get_threads() : (n + p->bs - 1) / p->bs;
    if (p->nt < 1) p->nt = 1;
    p->xb = gk_malloc((size_t)p->nt * (size_t)p->bs * (size_t)dmax * sizeof(float));
    p->tb = gk_malloc((size_t)p->nt * (size_t)p->bs * (size_t)k * sizeof(float));
    p->ab = gk_malloc((size_t)p->nt * (size_t)p->bs * (size_t)k * sizeof(float));
    p->ct = gk_calloc(7 * (size_t)p->nt * (size_t)k, sizeof(double));
    p->ca = p->ct ? p->ct + p->nt * k : NULL, p->lane = p->ct ? p->ca + p->nt * k : NULL;
    if (p->xb && p->tb && p->ab && p->ct) return GK_OK;
    pass_work_free(p);
    return gk_set_error(GK_ENOMEM, "comet fit: out of memory");
}

/* lanes (nb,5K) = the sums of blocks b0..b0+nb−1 (nb ≤ nt), one per OpenMP
** thread, BLAS on one thread meanwhile. */
static void pass_round(const gk_comet *m, const gk_mat *T, const gk_mat *A, const pass_work *p,
                       int64_t b0, int64_t nb, double *lanes)
{
    const int64_t n = T->rows, k = m->k, bs = p->bs, dmax = m->dt > m->da ? m->dt : m->da;
#pragma omp parallel for num_threads(nb) schedule(static, 1)
    for (int64_t t = 0; t < nb; t++) {
        const int64_t r0 = (b0 + t) * bs, nr = n - r0 < bs ? n - r0 : bs;
        float *x = p->xb + t * bs * dmax, *tb = p->tb + t * bs * k, *ab = p->ab + t * bs * k;
        block_coords(T, m->t_mean, m->U, k, r0, nr, x, tb, p->ct + t * k);
        block_coords(A, m->a_mean, m->V, k, r0, nr, x, ab, p->ca + t * k);
        double *l = lanes + t * 5 * k;
        axis_sums ls = {l, l + k, l + 2 * k, l + 3 * k, l + 4 * k};
        memset(l, 0, 5 * (size_t)k * sizeof *l);
        add_block_sums(&ls, tb, ab, nr, k, p->ct + t * k, p->ca + t * k);
    }
}

void comet_fit_finish(gk_comet *m, const double *sums, double ss_t, double ss_a)
{
    const int64_t k = m->k;
    axis_sums s = {(double *)sums, (double *)sums + k, (double *)sums + 2 * k,
                   (double *)sums + 3 * k, (double *)sums + 4 * k};
    finish_corr(m, &s);
    m->t_total = ss_t;
    m->a_total = ss_a;
}

int comet_fit_parts(const gk_comet *m, const gk_mat *T, const gk_mat *A, double *parts)
{
    pass_work p;
    GK_TRY(pass_work_alloc(&p, m, T->rows));
    const int64_t nblocks = (T->rows + p.bs - 1) / p.bs;
    const int saved = gk_blas_serial();
    for (int64_t b0 = 0; b0 < nblocks; b0 += p.nt)
        pass_round(m, T, A, &p, b0, nblocks - b0 < p.nt ? nblocks - b0 : p.nt,
                   parts + b0 * 5 * m->k);
    gk_blas_restore(saved);
    pass_work_free(&p);
    return GK_OK;
}

/* The streaming pass over the fit pairs on the kept axes: corr_j and the
** per-axis energies.  Blocks go in rounds of T (one per OpenMP thread); their
** sums are added in block order, so the result does not depend on T.  The
** totals Σ_i ‖t_i − t̄‖² come from the cross-product pass (gk_cross_moments). */
static int fit_pass(gk_comet *m, const gk_mat *T, const gk_mat *A, const comet_fit_work *fw)
{
    const int64_t n = T->rows, k = m->k;
    pass_work p;
    double *buf = gk_calloc(5 * (size_t)k, sizeof(double));
    GK_FAIL_IF(!buf, GK_ENOMEM, "comet fit: out of memory");
    if (pass_work_alloc(&p, m, n) != GK_OK) return gk_free(buf), GK_ENOMEM;
    const int64_t nblocks = (n + p.bs - 1) / p.bs;
    const int saved = gk_blas_serial();
    for (int64_t b0 = 0; b0 < nblocks; b0 += p.nt) {
        const int64_t nb = nblocks - b0 < p.nt ? nblocks - b0 : p.nt;
        pass_round(m, T, A, &p, b0, nb, p.lane);
        for (int64_t t = 0; t < nb; t++) /* block order: independent of T */
            for (int64_t q = 0; q < 5 * k; q++) buf[q] += p.lane[t * 5 * k + q];
        gk_progress("comet fit: per-axis statistics (rows)",
                    (b0 + nb) * p.bs < n ? (b0 + nb) * p.bs : n, n);
    }
    gk_blas_restore(saved);
    comet_fit_finish(m, buf, fw->ss_t, fw->ss_a);
    pass_work_free(&p);
    gk_free(buf);
    return GK_OK;
}

static int check_fit_args(const gk_mat *T, const gk_mat *A)
{
    GK_FAIL_IF(!T || !A, GK_EARG, "comet fit: NULL input");
    GK_FAIL_IF(T->rows != A->rows, GK_ESHAPE,
               "comet fit: T has %lld rows but A has %lld (rows are pairs)", (long long)T->rows,
               (long long)A->rows);
    GK_FAIL_IF(T->rows < 2, GK_EARG, "comet fit: needs at least 2 pairs (got %lld)",
               (long long)T->rows);
    GK_FAIL_IF(T->cols < 1 || A->cols < 1, GK_ESHAPE, "comet fit: zero-dimensional input");
    GK_TRY(gk_blas_check("comet fit", 4, T->cols, A->cols, T->rs, A->rs));
    GK_TRY(gk_mat_check_magnitude(T, "comet fit: T"));
    return gk_mat_check_magnitude(A, "comet fit: A");
}

/* σ_1 ≤ sqrt(ss_t·ss_a) (Cauchy–Schwarz); σ_1 at rounding level of that bound
** means there is no shared axis: every axis would be an arbitrary basis vector. */
static int check_cross_covariance(const comet_fit_work *w)
{
    if (w->s[0] > 1e-12 * sqrt(w->ss_t * w->ss_a)) return GK_OK;
    return gk_set_error(GK_ENUMERIC, "comet fit: the cross-covariance of T and A is zero (%s): "
                        "there is no shared axis to fit",
                        w->ss_t == 0 ? "every row of T is the same"
                        : w->ss_a == 0 ? "every row of A is the same"
                                       : "T and A are uncorrelated");
}

int comet_fit_axes(comet_fit_work *w, int64_t n, int64_t k, gk_comet **out)
{
    gk_comet *m = NULL;
    const int64_t dt = w->dt, da = w->da, r = dt < da ? dt : da;
    *out = NULL;
    /* M = U Σ Vᵀ; flip (u_j, v_j) on u */
    GK_TRY(gk_svd(w->M, dt, da, w->u, w->s, w->vt));
    GK_TRY(check_cross_covariance(w));
    gk_svd_flip_u(w->u, dt, r, w->vt, da);
    GK_TRY(comet_alloc(dt, da, k, r, dt == da, &m));
    m->n_fit = n;
    store_axes(m, w);
    *out = m;
    return GK_OK;
}

int comet_fit_run(const gk_mat *T, const gk_mat *A, int64_t n, int64_t k,
                  const comet_fit_passes *p, gk_comet **out)
{
    comet_fit_work w;
    gk_comet *m = NULL;
    int rc;
    const int64_t dt = T->cols, da = A->cols, r = dt < da ? dt : da;
    if (k <= 0 || k > r) k = r;
    GK_TRY(p->agree(comet_fit_work_alloc(&w, dt, da, r)));
    /* t̄, ā; M = (T − 1t̄ᵀ)ᵀ(A − 1āᵀ) */
    GK_TRY_GOTO(rc, p->moments(T, A, n, &w), cleanup);
    /* every rank (or the one process): the same SVD of the same bits */
    GK_TRY_GOTO(rc, comet_fit_axes(&w, n, k, &m), cleanup);
    GK_TRY_GOTO(rc, p->axis_stats(m, T, A, &w), cleanup);
    *out = m;
    m = NULL;
cleanup:
    comet_fit_work_free(&w);
    gk_comet_free(m);
    return rc;
}

static int local_moments(const gk_mat *T, const gk_mat *A, int64_t n, comet_fit_work *w)
{
    (void)n;
    return gk_cross_moments(T, A, w->mt, w->ma, &w->ss_t, &w->ss_a, w->M);
}

static int same_code(int rc) { return rc; }

int gk_comet_fit(const gk_mat *T, const gk_mat *A, int64_t k, gk_comet **out)
{
    static const comet_fit_passes one_process = {local_moments, fit_pass, same_code};
    GK_FAIL_IF(!out, GK_EARG, "comet fit: NULL output");
    *out = NULL;
    GK_TRY(check_fit_args(T, A));
    return comet_fit_run(T, A, T->rows, k, &one_process, out);
}

/*====  getters  ====*/

int64_t gk_comet_k(const gk_comet *m) { return m ? m->k : 0; }
int64_t gk_comet_rank(const gk_comet *m) { return m ? m->r : 0; }

int64_t gk_comet_numerical_rank(const gk_comet *m)
{
    if (!m || m->r < 1) return 0;
    const int64_t cap = m->n_fit - 1 < m->r ? m->n_fit - 1 : m->r;
    int64_t j = 0;
    while (j < cap && (double)m->sigma[j] > GK_COMET_NOISE_TOL * (double)m->sigma[0]) j++;
    return j;
}
int64_t gk_comet_n_fit(const gk_comet *m) { return m ? m->n_fit : 0; }
/* Getters accept NULL (docs/library.md): counts 0, arrays NULL. */
int64_t gk_comet_dim(const gk_comet *m, int side) { return m ? (side ? m->da : m->dt) : 0; }
const float *gk_comet_sigma(const gk_comet *m) { return m ? m->sigma : NULL; }
const float *gk_comet_align(const gk_comet *m) { return m ? m->align : NULL; }
const float *gk_comet_corr(const gk_comet *m) { return m ? m->corr : NULL; }
const float *gk_comet_mean(const gk_comet *m, int side)
{
    return m ? (side ? m->a_mean : m->t_mean) : NULL;
}
const float *gk_comet_axes(const gk_comet *m, int side) { return m ? (side ? m->V : m->U) : NULL; }

const float *gk_comet_var(const gk_comet *m, int side, double *total)
{
    if (total) *total = !m ? 0 : side ? m->a_total : m->t_total;
    return !m ? NULL : side ? m->a_var : m->t_var;
}
