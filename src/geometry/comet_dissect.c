/*
** comet_dissect.c — per-axis summary of a COMET model and the similarity
** dissection of test pairs (methods.md §1):
**   t·a = t̄·ā + [t̄ᵀV â + āᵀU t̂] + Σ_j t̂_j â_j align_j + Σ_{l≠m} t̂_l â_m u_l·v_m
** averaged over true pairs and over non-pairs.  Non-pair averages use sums:
** for a bilinear term B(i,j) = f_iᵀ G g_j,
**   mean_{i≠j} B = ((Σ_i f_i)ᵀ G (Σ_j g_j) − Σ_i B(i,i)) / (N(N−1)),
** and for a term depending on one side only, mean_{i≠j} h(a_j) = mean_j h(a_j).
*/
#include <math.h>
#include <string.h>

#include "core/error_internal.h"
#include "comet_internal.h"
#include "linalg/linalg_internal.h"

/*====  per-axis summary  ====*/

void gk_comet_stats_free(gk_comet_axis_stats *s)
{
    if (!s) return;
    gk_free(s->sigma);
    gk_free(s->cov);
    gk_free(s->align);
    gk_free(s->net);
    gk_free(s->net_cum);
    gk_free(s->corr);
    gk_free(s);
}

static void fill_stats(const gk_comet *m, gk_comet_axis_stats *s)
{
    double net_total = 0, run = 0, ht = 0, ha = 0;
    for (int64_t j = 0; j < m->r; j++) {
        s->sigma[j] = m->sigma[j];
        s->cov[j] = m->sigma[j] / (double)m->n_fit;
        if (!m->align) continue;
        s->align[j] = m->align[j];
        s->net[j] = s->sigma[j] * s->align[j];
        net_total += s->net[j];
    }
    /* cumulative share Σ_{i<=j} net_i / Σ_i net_i */
    for (int64_t j = 0; m->align && j < m->r; j++) {
        run += s->net[j];
        s->net_cum[j] = net_total != 0 ? run / net_total : 0.0;
    }
    for (int64_t j = 0; j < m->k; j++) {
        s->corr[j] = m->corr[j];
        ht += m->t_var[j];
        ha += m->a_var[j];
    }
    s->head_t = m->t_total > 0 ? ht / m->t_total : 0.0;
    s->head_a = m->a_total > 0 ? ha / m->a_total : 0.0;
    s->tail_t = 1.0 - s->head_t;
    s->tail_a = 1.0 - s->head_a;
}

int gk_comet_stats(const gk_comet *m, gk_comet_axis_stats **out)
{
    GK_FAIL_IF(!m || !out, GK_EARG, "comet stats: NULL argument");
    *out = NULL;
    gk_comet_axis_stats *s = gk_calloc(1, sizeof *s);
    GK_FAIL_IF(!s, GK_ENOMEM, "comet stats: out of memory");
    s->k = m->k, s->r = m->r, s->nr = gk_comet_numerical_rank(m);
    size_t r = (size_t)m->r;
    s->sigma = gk_calloc(r, sizeof(double));
    s->cov = gk_calloc(r, sizeof(double));
    s->corr = gk_calloc((size_t)m->k, sizeof(double));
    if (m->align) {
        s->align = gk_calloc(r, sizeof(double));
        s->net = gk_calloc(r, sizeof(double));
        s->net_cum = gk_calloc(r, sizeof(double));
    }
    if (!s->sigma || !s->cov || !s->corr || (m->align && (!s->align || !s->net || !s->net_cum))) {
        gk_comet_stats_free(s);
        return gk_set_error(GK_ENOMEM, "comet stats: out of memory");
    }
    fill_stats(m, s);
    *out = s;
    return GK_OK;
}

/*====  dissection  ====*/

/* Data of one dissection: coordinates and sums over the test pairs. */
typedef struct dissect_work {
    int64_t n, k, d;
    gk_mat *th, *ah;      /* (N,K) coordinates t̂, â */
    float *z;             /* (N,K) Â_s G_sᵀ for the current scope */
    float *G;             /* (K,K) G = U_kᵀ V_k */
    double *st, *sa;      /* (K,) Σ_i t̂_i, Σ_i â_i */
    double *p, *q;        /* (K,) p = V_kᵀ t̄, q = U_kᵀ ā */
    double pos_total, neg_total;
} dissect_work;

static void dissect_work_free(dissect_work *w)
{
    gk_mat_free(w->th);
    gk_mat_free(w->ah);
    gk_free(w->z);
    gk_free(w->G);
    gk_free(w->st);
}

/* Mean cosine of true pairs and of non-pairs, O(N·D). */
static int total_cosines(const gk_mat *T, const gk_mat *A, dissect_work *w)
{
    double *s = gk_calloc(2 * (size_t)w->d, sizeof(double)), diag = 0;
    GK_FAIL_IF(!s, GK_ENOMEM, "comet dissect: out of memory");
    for (int64_t i = 0; i < w->n; i++)
        for (int64_t j = 0; j < w->d; j++) {
            double t = gk_mat_at(T, i, j), a = gk_mat_at(A, i, j);
            diag += t * a;
            s[j] += t, s[w->d + j] += a;
        }
    double cross = 0;
    for (int64_t j = 0; j < w->d; j++) cross += s[j] * s[w->d + j];
    gk_free(s);
    const double n = (double)w->n;
    w->pos_total = diag / n;
    w->neg_total = (cross - diag) / (n * (n - 1));
    return GK_OK;
}

/* G = U_kᵀ V_k, p = V_kᵀ t̄, q = U_kᵀ ā, column sums of the coordinates. */
static void dissect_prepare(const gk_comet *m, dissect_work *w)
{
    const int64_t k = m->k, d = m->dt;
    for (int64_t l = 0; l < k; l++)
        for (int64_t c = 0; c < k; c++) {
            double g = 0;
            for (int64_t i = 0; i < d; i++) g += (double)m->U[i * k + l] * m->V[i * k + c];
            w->G[l * k + c] = (float)g;
        }
    for (int64_t j = 0; j < k; j++) {
        double p = 0, q = 0;
        for (int64_t i = 0; i < d; i++) {
            p += (double)m->V[i * k + j] * m->t_mean[i];
            q += (double)m->U[i * k + j] * m->a_mean[i];
        }
        w->p[j] = p, w->q[j] = q;
    }
    for (int64_t i = 0; i < w->n; i++)
        for (int64_t j = 0; j < k; j++) {
            w->st[j] += w->th->data[i * k + j];
            w->sa[j] += w->ah->data[i * k + j];
        }
}

/* Fills pos/neg terms for the first s axes. */
static void dissect_scope(const gk_comet *m, dissect_work *w, int64_t s, gk_comet_terms *pos,
                          gk_comet_terms *neg)
{
    const int64_t k = w->k, n = w->n;
    const double nn = (double)n * (double)(n - 1);
    /* z_i = G_s â_i[:s]  →  Z = Â_s G_sᵀ (N,s), row stride K */
    gk_sgemm_rm(0, 1, n, s, s, 1.0f, w->ah->data, k, w->G, k, 0.0f, w->z, k);
    double mc = 0, dir = 0, bil = 0;
    for (int64_t i = 0; i < n; i++) {
        const float *t = w->th->data + i * k, *a = w->ah->data + i * k, *z = w->z + i * k;
        for (int64_t j = 0; j < s; j++) {
            mc += w->p[j] * a[j] + w->q[j] * t[j];
            dir += (double)t[j] * a[j] * m->align[j];
            bil += (double)t[j] * z[j];
        }
    }
    /* the same bilinear forms on the column sums */
    double sdir = 0, sbil = 0;
    for (int64_t l = 0; l < s; l++) {
        sdir += w->st[l] * w->sa[l] * m->align[l];
        double gz = 0;
        for (int64_t c = 0; c < s; c++) gz += (double)w->G[l * k + c] * w->sa[c];
        sbil += w->st[l] * gz;
    }
    double tbar_abar = 0;
    for (int64_t i = 0; i < m->dt; i++) tbar_abar += (double)m->t_mean[i] * m->a_mean[i];
    pos->total = w->pos_total, neg->total = w->neg_total;
    pos->mean = neg->mean = tbar_abar;
    pos->mean_coef = neg->mean_coef = mc / (double)n;
    pos->direct = dir / (double)n;
    pos->cross = (bil - dir) / (double)n;
    neg->direct = (sdir - dir) / nn;
    neg->cross = ((sbil - sdir) - (bil - dir)) / nn;
    pos->residual = pos->total - pos->mean - pos->mean_coef - pos->direct - pos->cross;
    neg->residual = neg->total - neg->mean - neg->mean_coef - neg->direct - neg->cross;
}

static int check_dissect_args(const gk_comet *m, const gk_mat *T, const gk_mat *A, int64_t head)
{
    GK_FAIL_IF(!m || !T || !A, GK_EARG, "comet dissect: NULL argument");
    GK_FAIL_IF(!m->align, GK_ESHAPE, "comet dissect: needs D_T == D_A (model has %lld and "
               "%lld)", (long long)m->dt, (long long)m->da);
    GK_FAIL_IF(T->rows != A->rows, GK_ESHAPE, "comet dissect: T has %lld rows, A has %lld",
               (long long)T->rows, (long long)A->rows);
    GK_FAIL_IF(T->rows < 2, GK_EARG, "comet dissect: needs at least 2 test pairs");
    GK_FAIL_IF(head < 0 || head > m->k, GK_EARG, "comet dissect: head = %lld outside 0..%lld",
               (long long)head, (long long)m->k);
    return gk_blas_check("comet dissect", 2, T->rows, m->k);
}

int gk_comet_dissect(const gk_comet *m, const gk_mat *T, const gk_mat *A, int64_t head,
                     gk_comet_dissection *out)
{
    dissect_work w;
    int rc;
    GK_TRY(check_dissect_args(m, T, A, head));
    memset(&w, 0, sizeof w);
    w.n = T->rows, w.k = m->k, w.d = m->dt;
    GK_TRY_GOTO(rc, gk_comet_apply(m, 0, T, 0, GK_COMET_W_NONE, &w.th), cleanup);
    GK_TRY_GOTO(rc, gk_comet_apply(m, 1, A, 0, GK_COMET_W_NONE, &w.ah), cleanup);
    w.z = gk_malloc((size_t)w.n * (size_t)w.k * sizeof(float));
    w.G = gk_malloc((size_t)w.k * (size_t)w.k * sizeof(float));
    w.st = gk_calloc(4 * (size_t)w.k, sizeof(double));
    if (!w.z || !w.G || !w.st) GK_FAIL_GOTO(rc, GK_ENOMEM, cleanup, "comet dissect: out of memory");
    w.sa = w.st + w.k, w.p = w.st + 2 * w.k, w.q = w.st + 3 * w.k;
    GK_TRY_GOTO(rc, total_cosines(T, A, &w), cleanup);
    dissect_prepare(m, &w);
    memset(out, 0, sizeof *out);
    out->n = w.n, out->k = m->k, out->head = head ? head : m->k;
    dissect_scope(m, &w, m->k, &out->pos_all, &out->neg_all);
    dissect_scope(m, &w, out->head, &out->pos_head, &out->neg_head);
cleanup:
    dissect_work_free(&w);
    return rc;
}
