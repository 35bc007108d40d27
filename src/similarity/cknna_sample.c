/*
** cknna_sample.c — CKNNA estimated from m sampled rows (methods.md,
** "sampled neighbourhood measures").  Every HSIC term of cknna.c is a sum
** over rows i of a quantity that needs only the neighbour lists of i and of
** i's neighbours l:
**   a_i  = Σ_{j∈S(i)} A_ij,   b_i = Σ_{j∈S(i)} B_ij,
**   t1_i = Σ_{j∈S(i)} A_ij B_ji  (B_ji = B_ij when i ∈ S(j), else 0),
**   t3_i = Σ_{l∈S(i)} A_il b_l,
** so with the row means ā, b̄, t̄1, t̄3 over the sample
**   HSIC_u = (t̄1 + N ā b̄ / ((N−1)(N−2)) − 2 t̄3 / (N−2)) / (N−3),
** which is cknna.c's formula divided through by N (m = N: the exact value).
** The interval is the t interval of the delta-method contribution of each
** row to value = h_xy / sqrt(h_xx h_yy).
*/
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/error_internal.h"
#include "nngs_internal.h"

enum { MASK_BOTH, MASK_X, MASK_Y, N_MASKS };
enum { T_A, T_B, T_1, T_3, N_TERMS }; /* a_i, b_i, t1_i, t3_i of one mask */

/* What the per-row terms read: both spaces, their kernels, and the sorted
** neighbour lists of the sampled rows (gx, gy) and of their neighbours u
** (gxu, gyu, rows of the ascending list u). */
typedef struct cknna_ctx {
    const gk_mat *X, *Y;
    const double *ix, *iy; /* 1/‖row‖ for cosine kernels, else NULL */
    int64_t k, nu;
    const int64_t *u, *gxu, *gyu;
} cknna_ctx;

static int cmp_i64(const void *a, const void *b)
{
    const int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* Each row of g (n,k) sorted by index, for intersections and lookups. */
static void sort_rows(int64_t *g, int64_t n, int64_t k)
{
    for (int64_t i = 0; i < n; i++) qsort(g + i * k, (size_t)k, sizeof *g, cmp_i64);
}

/* S (returns its size) = the mask row of item i with sorted lists x, y. */
static int64_t mask_row(int mask, const int64_t *x, const int64_t *y, int64_t k, int64_t *S)
{
    if (mask != MASK_BOTH) {
        memcpy(S, mask == MASK_X ? x : y, (size_t)k * sizeof *S);
        return k;
    }
    int64_t a = 0, b = 0, n = 0;
    while (a < k && b < k) {
        if (x[a] < y[b]) a++;
        else if (y[b] < x[a]) b++;
        else S[n++] = x[a++], b++;
    }
    return n;
}

/* Kernels A (the first) and B (the second) of a mask: K for X, L for Y. */
static double kern(const cknna_ctx *c, int mask, int second, int64_t i, int64_t j)
{
    const int use_y = mask == MASK_Y || (mask == MASK_BOTH && second);
    return use_y ? cknna_kernel(c->Y, c->iy, i, j) : cknna_kernel(c->X, c->ix, i, j);
}

/* The sorted lists of a neighbour l (a row of u). */
static void lists_of(const cknna_ctx *c, int64_t l, const int64_t **x, const int64_t **y)
{
    const int64_t *p = bsearch(&l, c->u, (size_t)c->nu, sizeof l, cmp_i64);
    *x = c->gxu + (p - c->u) * c->k;
    *y = c->gyu + (p - c->u) * c->k;
}

/* t (N_TERMS,) of one mask for item i with sorted lists x, y; S, Sl scratch (k,). */
static void mask_terms(const cknna_ctx *c, int mask, int64_t i, const int64_t *x,
                       const int64_t *y, int64_t *S, int64_t *Sl, double *t)
{
    const int64_t k = c->k, n = mask_row(mask, x, y, k, S);
    memset(t, 0, N_TERMS * sizeof *t);
    for (int64_t e = 0; e < n; e++) {
        const int64_t l = S[e];
        const int64_t *lx, *ly;
        const double A = kern(c, mask, 0, i, l), B = kern(c, mask, 1, i, l);
        lists_of(c, l, &lx, &ly);
        const int64_t nl = mask_row(mask, lx, ly, k, Sl);
        double bl = 0;
        for (int64_t f = 0; f < nl; f++) bl += kern(c, mask, 1, l, Sl[f]);
        t[T_A] += A;
        t[T_B] += B;
        if (bsearch(&i, Sl, (size_t)nl, sizeof i, cmp_i64)) t[T_1] += A * B;
        t[T_3] += A * bl;
    }
}

/* HSIC_u of one mask from the term means tm (N_TERMS,), N items. */
static double hsic_of(const double *tm, double N)
{
    return (tm[T_1] + N * tm[T_A] * tm[T_B] / ((N - 1) * (N - 2)) - 2 * tm[T_3] / (N - 2)) /
           (N - 3);
}

/* The linearised HSIC_u of one row: its terms t weighted by the partial
** derivatives of hsic_of at the means tm. */
static double hsic_lin(const double *t, const double *tm, double N)
{
    const double c = N / ((N - 1) * (N - 2) * (N - 3));
    return t[T_1] / (N - 3) + c * (tm[T_B] * t[T_A] + tm[T_A] * t[T_B]) -
           2 * t[T_3] / ((N - 2) * (N - 3));
}

/* Value, HSIC terms and interval from the per-row terms T (m, N_MASKS·N_TERMS). */
static int estimate(const double *T, int64_t m, int64_t n, gk_nbr_result *out)
{
    const int w = N_MASKS * N_TERMS;
    double tm[N_MASKS * N_TERMS] = {0}, h[N_MASKS], mean, half;
    for (int64_t r = 0; r < m; r++)
        for (int e = 0; e < w; e++) tm[e] += T[r * w + e] / (double)m;
    for (int s = 0; s < N_MASKS; s++) h[s] = hsic_of(tm + s * N_TERMS, (double)n);
    out->hsic_xy = h[MASK_BOTH];
    out->hsic_xx = h[MASK_X];
    out->hsic_yy = h[MASK_Y];
    GK_TRY(cknna_finish(out));
    double *z = gk_malloc((size_t)m * sizeof *z);
    if (!z) return gk_set_error(GK_ENOMEM, "cknna: out of memory");
    for (int64_t r = 0; r < m; r++) {
        double lin[N_MASKS];
        for (int s = 0; s < N_MASKS; s++)
            lin[s] = hsic_lin(T + r * w + s * N_TERMS, tm + s * N_TERMS, (double)n);
        z[r] = out->value * (lin[MASK_BOTH] / h[MASK_BOTH] - lin[MASK_X] / (2 * h[MASK_X]) -
                             lin[MASK_Y] / (2 * h[MASK_Y]));
    }
    nbr_interval(z, m, n, &mean, &half);
    out->ci_lo = out->value - half;
    out->ci_hi = out->value + half;
    gk_free(z);
    return GK_OK;
}

/* u (*nu,) = the distinct entries of gx and gy (m,k), ascending. */
static int neighbour_set(const int64_t *gx, const int64_t *gy, int64_t m, int64_t k,
                         int64_t **u, int64_t *nu)
{
    *u = gk_malloc((size_t)(2 * m * k) * sizeof **u);
    if (!*u) return gk_set_error(GK_ENOMEM, "cknna: out of memory");
    memcpy(*u, gx, (size_t)(m * k) * sizeof **u);
    memcpy(*u + m * k, gy, (size_t)(m * k) * sizeof **u);
    qsort(*u, (size_t)(2 * m * k), sizeof **u, cmp_i64);
    *nu = 0;
    for (int64_t e = 0; e < 2 * m * k; e++)
        if (e == 0 || (*u)[e] != (*u)[*nu - 1]) (*u)[(*nu)++] = (*u)[e];
    return GK_OK;
}

/* T (m, N_MASKS·N_TERMS) = every sampled row's terms. */
static int row_terms(const cknna_ctx *c, const int64_t *rows, const int64_t *gx,
                     const int64_t *gy, int64_t m, double *T)
{
    int64_t *S = gk_malloc((size_t)(2 * c->k) * sizeof *S);
    if (!S) return gk_set_error(GK_ENOMEM, "cknna: out of memory");
    for (int64_t r = 0; r < m; r++)
        for (int s = 0; s < N_MASKS; s++)
            mask_terms(c, s, rows[r], gx + r * c->k, gy + r * c->k, S, S + c->k,
                       T + (r * N_MASKS + s) * N_TERMS);
    gk_free(S);
    return GK_OK;
}

int cknna_sampled(const gk_mat *X, const gk_mat *Y, gk_kspec ks, gk_distance d,
                  const int64_t *rows, int64_t m, int64_t k, gk_nbr_result *out)
{
    const int64_t n = X->rows;
    cknna_ctx c = {X, Y, NULL, NULL, k, 0, NULL, NULL, NULL};
    int64_t *gx = NULL, *gy = NULL, *u = NULL, *gxu = NULL, *gyu = NULL;
    double *ix = NULL, *iy = NULL, *T = gk_malloc((size_t)m * N_MASKS * N_TERMS * sizeof *T);
    int rc = T ? nbr_sample_graphs(X, d, rows, m, k, "X", &gx) : GK_ENOMEM;
    if (rc == GK_OK) rc = nbr_sample_graphs(Y, d, rows, m, k, "Y", &gy);
    if (rc == GK_OK) rc = neighbour_set(gx, gy, m, k, &u, &c.nu);
    if (rc == GK_OK) rc = nbr_sample_graphs(X, d, u, c.nu, k, "X", &gxu);
    if (rc == GK_OK) rc = nbr_sample_graphs(Y, d, u, c.nu, k, "Y", &gyu);
    if (rc == GK_OK && d == GK_DIST_COSINE) {
        ix = gk_malloc((size_t)n * sizeof *ix);
        iy = gk_malloc((size_t)n * sizeof *iy);
        rc = ix && iy ? GK_OK : gk_set_error(GK_ENOMEM, "cknna: out of memory");
        if (rc == GK_OK) cknna_inverse_norms(X, ix), cknna_inverse_norms(Y, iy);
    }
    if (rc == GK_OK) {
        sort_rows(gx, m, k);
        sort_rows(gy, m, k);
        sort_rows(gxu, c.nu, k);
        sort_rows(gyu, c.nu, k);
        c.ix = ix, c.iy = iy, c.u = u, c.gxu = gxu, c.gyu = gyu;
        rc = row_terms(&c, rows, gx, gy, m, T);
    }
    if (rc == GK_OK) {
        nbr_result_init(out, GK_NBR_CKNNA, X, Y, k, ks, d);
        rc = estimate(T, m, n, out);
    }
    gk_free(gx), gk_free(gy), gk_free(u), gk_free(gxu), gk_free(gyu);
    gk_free(ix), gk_free(iy), gk_free(T);
    return rc;
}
