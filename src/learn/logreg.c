/*
** logreg.c — L2-regularised logistic regression, binary (one weight vector,
** sigmoid) and multinomial (C vectors, softmax), fitted by L-BFGS with
** Armijo backtracking from zero weights: deterministic, no random choices.
**
** Objective, with W the weights and b the (unregularised) biases:
**   f(W,b) = (1/N) Σ_i −log p(y_i | x_i) + (λ/2) ‖W‖²_F
**   binary:      p(1|x) = σ(w·x + b)
**   multinomial: p(c|x) = exp(w_c·x + b_c) / Σ_c' exp(w_c'·x + b_c')
** Gradient: ∇_W = (1/N) Σ_i r_i x_iᵀ + λW, ∇_b = (1/N) Σ_i r_i with the
** residual r_ic = p(c|x_i) − [y_i = c].
*/
#include <math.h>
#include <string.h>

#include "core/error_internal.h"
#include "gapkit/learn.h"
#include "linalg/linalg_internal.h"

struct gk_logreg {
    int64_t d;      /* D */
    int32_t c;      /* classes C */
    int32_t nv;     /* weight vectors: 1 if C == 2, else C */
    double *theta;  /* (nv, D+1): row v = [w_v (D,), b_v] */
    int iters;
};

gk_logreg_opts gk_logreg_opts_default(void)
{
    gk_logreg_opts o = {1e-4, 200, 1e-6, 10};
    return o;
}

/* The training problem seen by the optimiser. */
typedef struct problem {
    const gk_mat *X;
    const int32_t *y;
    int64_t n, d;
    int32_t nv;
    double lambda;
    double *R;      /* (N, nv) residuals */
    double *Xd;     /* (N, D) the rows in double, for dgemm (fit only) */
    double *S;      /* (N, nv) scores (fit only) */
} problem;

/* s_v = w_v·x_i + b_v for each v. */
static void scores(const problem *p, const double *th, int64_t i, double *s)
{
    for (int32_t v = 0; v < p->nv; v++) {
        const double *w = th + v * (p->d + 1);
        double a = w[p->d];
        for (int64_t j = 0; j < p->d; j++) a += w[j] * gk_mat_at(p->X, i, j);
        s[v] = a;
    }
}

/* Loss of row i; writes its residuals into R[i]. */
static double row_loss(const problem *p, int64_t i)
{
    const double *s = p->S + i * p->nv;
    double *r = p->R + i * p->nv;
    if (p->nv == 1) {
        /* −log σ(z) for y = 1, −log(1 − σ(z)) = −log σ(−z) for y = 0 */
        double z = s[0], yy = p->y[i] == 1 ? 1.0 : 0.0, m = yy ? -z : z;
        double loss = m > 0 ? m + log1p(exp(-m)) : log1p(exp(m));
        r[0] = 1.0 / (1.0 + exp(-z)) - yy;
        return loss;
    }
    double mx = s[0], den = 0;
    for (int32_t v = 1; v < p->nv; v++) mx = s[v] > mx ? s[v] : mx;
    for (int32_t v = 0; v < p->nv; v++) den += exp(s[v] - mx);
    for (int32_t v = 0; v < p->nv; v++) r[v] = exp(s[v] - mx) / den - (p->y[i] == v);
    return -(s[p->y[i]] - mx - log(den));
}

/* f(θ) and its gradient g (nv·(D+1)).  The two products with the data go
** through dgemm: S = X Wᵀ (N,nv) and ∇_W = Rᵀ X (nv,D); the per-row losses
** and residuals in between are O(N·nv).  Deterministic for a thread count
** (the sum of f is taken in row order). */
static double objective(const problem *p, const double *th, double *g)
{
    const int64_t n = p->n, d = p->d, P = (int64_t)p->nv * (d + 1);
    double f = 0;
    gk_dgemm_rm(0, 1, n, p->nv, d, 1.0, p->Xd, d, th, d + 1, 0.0, p->S, p->nv);
    for (int64_t i = 0; i < n; i++)
        for (int32_t v = 0; v < p->nv; v++) p->S[i * p->nv + v] += th[v * (d + 1) + d];
    for (int64_t i = 0; i < n; i++) f += row_loss(p, i);
    gk_dgemm_rm(1, 0, p->nv, d, n, 1.0, p->R, p->nv, p->Xd, d, 0.0, g, d + 1);
    for (int32_t v = 0; v < p->nv; v++) {
        double b = 0;
        for (int64_t i = 0; i < n; i++) b += p->R[i * p->nv + v];
        g[v * (d + 1) + d] = b;
    }
    f /= (double)n;
    double reg = 0;
    for (int64_t q = 0; q < P; q++) {
        const int bias = (q % (d + 1)) == d;
        g[q] = g[q] / (double)n + (bias ? 0.0 : p->lambda * th[q]);
        reg += bias ? 0.0 : th[q] * th[q];
    }
    return f + 0.5 * p->lambda * reg;
}

static double dot(const double *a, const double *b, int64_t n)
{
    double s = 0;
    for (int64_t i = 0; i < n; i++) s += a[i] * b[i];
    return s;
}

static double norm_inf(const double *a, int64_t n)
{
    double m = 0;
    for (int64_t i = 0; i < n; i++) m = fabs(a[i]) > m ? fabs(a[i]) : m;
    return m;
}

/* L-BFGS state: history of (s, y) pairs in a ring. */
typedef struct lbfgs {
    int64_t P;
    int h, count, head;
    double *s, *y, *rho, *alpha; /* (h,P), (h,P), (h,), (h,) */
    double *g, *gn, *dir, *xn;   /* (P,) each */
} lbfgs;

/* dir = −H·g by the two-loop recursion. */
static void two_loop(lbfgs *L)
{
    const int64_t P = L->P;
    for (int64_t q = 0; q < P; q++) L->dir[q] = -L->g[q];
    for (int c = 0; c < L->count; c++) {
        int m = (L->head - 1 - c + L->h) % L->h;
        L->alpha[m] = L->rho[m] * dot(L->s + m * P, L->dir, P);
        for (int64_t q = 0; q < P; q++) L->dir[q] -= L->alpha[m] * L->y[m * P + q];
    }
    if (L->count > 0) {
        int m = (L->head - 1 + L->h) % L->h;
        double gamma = dot(L->s + m * P, L->y + m * P, P) / dot(L->y + m * P, L->y + m * P, P);
        for (int64_t q = 0; q < P; q++) L->dir[q] *= gamma;
    }
    for (int c = L->count - 1; c >= 0; c--) {
        int m = (L->head - 1 - c + L->h) % L->h;
        double beta = L->rho[m] * dot(L->y + m * P, L->dir, P);
        for (int64_t q = 0; q < P; q++) L->dir[q] += (L->alpha[m] - beta) * L->s[m * P + q];
    }
}

/* Armijo backtracking along dir from th; on success th, g, f are updated. */
static int line_search(const problem *p, lbfgs *L, double *th, double *f, double step0)
{
    const double slope = dot(L->g, L->dir, L->P);
    if (!(slope < 0)) return 0;
    for (double t = step0; t > 1e-12; t *= 0.5) {
        for (int64_t q = 0; q < L->P; q++) L->xn[q] = th[q] + t * L->dir[q];
        double fn = objective(p, L->xn, L->gn);
        if (fn <= *f + 1e-4 * t * slope) {
            int m = L->head;
            for (int64_t q = 0; q < L->P; q++) {
                L->s[m * L->P + q] = L->xn[q] - th[q];
                L->y[m * L->P + q] = L->gn[q] - L->g[q];
            }
            double sy = dot(L->s + m * L->P, L->y + m * L->P, L->P);
            if (sy > 1e-12) {
                L->rho[m] = 1.0 / sy;
                L->head = (L->head + 1) % L->h;
                L->count += L->count < L->h;
            }
            memcpy(th, L->xn, (size_t)L->P * sizeof *th);
            memcpy(L->g, L->gn, (size_t)L->P * sizeof *th);
            *f = fn;
            return 1;
        }
    }
    return 0;
}

static int lbfgs_run(const problem *p, const gk_logreg_opts *o, double *th, int *iters)
{
    lbfgs L = {0};
    L.P = (int64_t)p->nv * (p->d + 1);
    L.h = o->history > 0 ? o->history : 10;
    double *buf = gk_calloc((size_t)(2 * L.h + 4) * (size_t)L.P + 2 * (size_t)L.h, sizeof(double));
    GK_FAIL_IF(!buf, GK_ENOMEM, "logreg: out of memory for L-BFGS state");
    L.s = buf, L.y = L.s + L.h * L.P, L.g = L.y + L.h * L.P, L.gn = L.g + L.P;
    L.dir = L.gn + L.P, L.xn = L.dir + L.P, L.rho = L.xn + L.P, L.alpha = L.rho + L.h;
    double f = objective(p, th, L.g);
    int it = 0;
    for (; it < o->max_iter && norm_inf(L.g, L.P) >= o->tol; it++) {
        two_loop(&L);
        double step0 = L.count ? 1.0 : 1.0 / (1.0 + norm_inf(L.g, L.P));
        double fprev = f;
        if (!line_search(p, &L, th, &f, step0)) break;
        if (fabs(fprev - f) <= 1e-12 * (fabs(f) + 1e-12)) break;
    }
    *iters = it;
    gk_free(buf);
    return GK_OK;
}

static int check_fit_args(const gk_mat *X, const int32_t *y, int32_t c)
{
    GK_FAIL_IF(!X || !y, GK_EARG, "logreg: NULL argument");
    GK_FAIL_IF(X->rows < 1, GK_EARG, "logreg: no rows to fit");
    GK_FAIL_IF(c < 2 || c > 256, GK_EARG, "logreg: n_classes = %d outside 2..256", (int)c);
    for (int64_t i = 0; i < X->rows; i++)
        GK_FAIL_IF(y[i] < 0 || y[i] >= c, GK_EARG, "logreg: label %d of row %lld outside "
                   "[0, %d)", (int)y[i], (long long)i, (int)c);
    return gk_blas_check("logreg", 2, X->rows, X->cols + 1);
}

int gk_logreg_fit(const gk_mat *X, const int32_t *y, int32_t n_classes,
                  const gk_logreg_opts *opts, gk_logreg **out)
{
    gk_logreg_opts o = opts ? *opts : gk_logreg_opts_default();
    GK_FAIL_IF(!out, GK_EARG, "logreg: NULL output");
    *out = NULL;
    GK_TRY(check_fit_args(X, y, n_classes));
    gk_logreg *m = gk_calloc(1, sizeof *m);
    problem p = {X, y, X->rows, X->cols, n_classes == 2 ? 1 : n_classes, o.lambda, NULL, NULL, NULL};
    int rc = GK_OK;
    p.R = gk_malloc((size_t)p.n * (size_t)p.nv * sizeof(double));
    p.S = gk_malloc((size_t)p.n * (size_t)p.nv * sizeof(double));
    p.Xd = gk_malloc((size_t)p.n * (size_t)p.d * sizeof(double));
    if (m) m->theta = gk_calloc((size_t)p.nv * (size_t)(p.d + 1), sizeof(double));
    if (!m || !p.R || !p.S || !p.Xd || !m->theta)
        GK_FAIL_GOTO(rc, GK_ENOMEM, cleanup, "logreg: out of memory");
    for (int64_t i = 0; i < p.n; i++)
        for (int64_t j = 0; j < p.d; j++) p.Xd[i * p.d + j] = gk_mat_at(X, i, j);
    m->d = p.d, m->c = n_classes, m->nv = p.nv;
    GK_TRY_GOTO(rc, lbfgs_run(&p, &o, m->theta, &m->iters), cleanup);
    *out = m;
    m = NULL;
cleanup:
    gk_free(p.R);
    gk_free(p.S);
    gk_free(p.Xd);
    gk_logreg_free(m);
    return rc;
}

int gk_logreg_predict(const gk_logreg *m, const gk_mat *X, int32_t *pred, double *proba)
{
    GK_FAIL_IF(!m || !X || !pred, GK_EARG, "logreg predict: NULL argument");
    GK_FAIL_IF(X->cols != m->d, GK_ESHAPE, "logreg predict: input has D = %lld, model %lld",
               (long long)X->cols, (long long)m->d);
    problem p = {X, NULL, X->rows, X->cols, m->nv, 0, NULL, NULL, NULL};
#pragma omp parallel for schedule(static)
    for (int64_t i = 0; i < X->rows; i++) {
        double s[256], pr[256], mx, den = 0;
        scores(&p, m->theta, i, s);
        if (m->nv == 1) s[1] = s[0], s[0] = 0; /* binary: logits (0, z) */
        mx = s[0];
        for (int32_t c = 1; c < m->c; c++) mx = s[c] > mx ? s[c] : mx;
        for (int32_t c = 0; c < m->c; c++) den += (pr[c] = exp(s[c] - mx));
        int32_t best = 0;
        for (int32_t c = 0; c < m->c; c++) {
            if (pr[c] > pr[best]) best = c;
            if (proba) proba[i * m->c + c] = pr[c] / den;
        }
        pred[i] = best;
    }
    return GK_OK;
}

int gk_logreg_iterations(const gk_logreg *m) { return m ? m->iters : 0; }

void gk_logreg_free(gk_logreg *m)
{
    if (!m) return;
    gk_free(m->theta);
    gk_free(m);
}
