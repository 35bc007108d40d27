/*
** cknna.c — CKNNA (Huh et al. 2024, platonic-rep `cknna`, unbiased): CKA
** with the kernels restricted to pairs of items that are k-nearest
** neighbours in both spaces, computed on the sparse masks (O(N·k) entries)
** instead of platonic-rep's N×N matrices.
**
** Sparse unbiased HSIC (Song et al. 2012, eq. 5) of A, B (N,N) that vanish
** off a mask S with an empty diagonal (the row itself is never a neighbour):
**   t1 = Σ_ij A_ij B_ji              (B_ji looked up in row j of S)
**   t2 = (Σ A)(Σ B) / ((N−1)(N−2))
**   t3 = 2/(N−2) · Σ_l (Σ_i A_il)(Σ_j B_lj)   (= 2/(N−2) · 1ᵀAB1)
**   HSIC_u = (t1 + t2 − t3) / (N(N−3)).
** Kernel values are recomputed in double from the data for the pairs kept.
** Sums run in row order on one thread, so the value is thread-independent.
*/
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error_internal.h"
#include "nngs_internal.h"
#include "core/sort_internal.h"

/* A mask in CSR form: row i's columns col[start[i] .. start[i+1]) ascending,
** with the two kernels' values a, b on each entry. */
typedef struct sparse_pair {
    int64_t *start; /* (N+1,) */
    int64_t *col;   /* (nnz,) */
    double *a, *b;  /* (nnz,) */
} sparse_pair;

static void sparse_free(sparse_pair *s)
{
    gk_free(s->start);
    gk_free(s->col);
    gk_free(s->a);
    gk_free(s->b);
}

static int sparse_alloc(sparse_pair *s, int64_t n, int64_t nnz)
{
    s->start = gk_malloc((size_t)(n + 1) * sizeof *s->start);
    s->col = gk_malloc((size_t)(nnz ? nnz : 1) * sizeof *s->col);
    s->a = gk_malloc((size_t)(nnz ? nnz : 1) * sizeof *s->a);
    s->b = gk_malloc((size_t)(nnz ? nnz : 1) * sizeof *s->b);
    if (s->start && s->col && s->a && s->b) return GK_OK;
    sparse_free(s);
    return gk_set_error(GK_ENOMEM, "cknna: out of memory for %lld kernel entries", (long long)nnz);
}

/* Kernel of rows i, j of A in double: the inner product, or the cosine
** (inv holds 1/‖row‖) when inv != NULL. */
double cknna_kernel(const gk_mat *A, const double *inv, int64_t i, int64_t j)
{
    double s = 0;
    for (int64_t d = 0; d < A->cols; d++) s += (double)gk_mat_at(A, i, d) * gk_mat_at(A, j, d);
    return inv ? s * inv[i] * inv[j] : s;
}

void cknna_inverse_norms(const gk_mat *A, double *inv)
{
    gk_mat_row_norms(A, inv);
    for (int64_t i = 0; i < A->rows; i++) inv[i] = 1.0 / inv[i];
}

/* The mask of one graph g (N,k), rows sorted by index; a = b = kernel of A. */
static int mask_of_graph(const int64_t *g, int64_t n, int64_t k, const gk_mat *A,
                         const double *inv, sparse_pair *s)
{
    GK_TRY(sparse_alloc(s, n, n * k));
    for (int64_t i = 0; i <= n; i++) s->start[i] = i * k;
    memcpy(s->col, g, (size_t)(n * k) * sizeof *g);
#pragma omp parallel for schedule(static)
    for (int64_t e = 0; e < n * k; e++) s->a[e] = s->b[e] = cknna_kernel(A, inv, e / k, s->col[e]);
    return GK_OK;
}

/* The mask of both graphs (rows sorted): row i = gx row ∩ gy row; a = K, b = L. */
static int mask_of_both(const int64_t *gx, const int64_t *gy, int64_t n, int64_t k,
                        const gk_mat *X, const double *ix, const gk_mat *Y, const double *iy,
                        sparse_pair *s)
{
    GK_TRY(sparse_alloc(s, n, n * k));
    int64_t nnz = 0;
    for (int64_t i = 0; i < n; i++) {
        const int64_t *p = gx + i * k, *q = gy + i * k;
        int64_t u = 0, v = 0;
        s->start[i] = nnz;
        while (u < k && v < k) {
            if (p[u] < q[v]) u++;
            else if (q[v] < p[u]) v++;
            else s->col[nnz++] = p[u++], v++;
        }
    }
    s->start[n] = nnz;
#pragma omp parallel for schedule(static)
    for (int64_t i = 0; i < n; i++)
        for (int64_t e = s->start[i]; e < s->start[i + 1]; e++) {
            s->a[e] = cknna_kernel(X, ix, i, s->col[e]);
            s->b[e] = cknna_kernel(Y, iy, i, s->col[e]);
        }
    return GK_OK;
}

/* b value of entry (j, i), 0 when (j, i) is not in the mask. */
static double b_at(const sparse_pair *s, int64_t j, int64_t i)
{
    const int64_t *row = s->col + s->start[j];
    const int64_t *hit = bsearch(&i, row, (size_t)(s->start[j + 1] - s->start[j]), sizeof i,
                                 gk_cmp_i64);
    return hit ? s->b[s->start[j] + (hit - row)] : 0.0;
}

/* The unbiased HSIC of the masked kernels (see the top of the file). */
static int hsic_sparse(const sparse_pair *s, int64_t n, double *out)
{
    double *colA = gk_calloc((size_t)n, sizeof *colA);
    if (!colA) return gk_set_error(GK_ENOMEM, "cknna: out of memory");
    double t1 = 0, sa = 0, sb = 0, t3 = 0;
    for (int64_t i = 0; i < n; i++)
        for (int64_t e = s->start[i]; e < s->start[i + 1]; e++) {
            t1 += s->a[e] * b_at(s, s->col[e], i);
            sa += s->a[e];
            sb += s->b[e];
            colA[s->col[e]] += s->a[e];
        }
    for (int64_t l = 0; l < n; l++) {
        double rowB = 0;
        for (int64_t e = s->start[l]; e < s->start[l + 1]; e++) rowB += s->b[e];
        t3 += colA[l] * rowB;
    }
    const double m = (double)n;
    *out = (t1 + sa * sb / ((m - 1) * (m - 2)) - 2 * t3 / (m - 2)) / (m * (m - 3));
    gk_free(colA);
    return GK_OK;
}

/* HSIC_u of the three masks: xy (both), xx (X's), yy (Y's). */
static int cknna_terms(int64_t *gx, int64_t *gy, int64_t n, int64_t k, const gk_mat *X,
                       const gk_mat *Y, int cosine, gk_nbr_result *out)
{
    sparse_pair m[3] = {{0}};
    double *ix = NULL, *iy = NULL;
    int rc = GK_OK;
    if (cosine) {
        ix = gk_malloc((size_t)n * sizeof *ix);
        iy = gk_malloc((size_t)n * sizeof *iy);
        if (!ix || !iy) GK_FAIL_GOTO(rc, GK_ENOMEM, cleanup, "cknna: out of memory");
        cknna_inverse_norms(X, ix);
        cknna_inverse_norms(Y, iy);
    }
    for (int64_t i = 0; i < n; i++) {
        qsort(gx + i * k, (size_t)k, sizeof *gx, gk_cmp_i64);
        qsort(gy + i * k, (size_t)k, sizeof *gy, gk_cmp_i64);
    }
    GK_TRY_GOTO(rc, mask_of_both(gx, gy, n, k, X, ix, Y, iy, &m[0]), cleanup);
    GK_TRY_GOTO(rc, mask_of_graph(gx, n, k, X, ix, &m[1]), cleanup);
    GK_TRY_GOTO(rc, mask_of_graph(gy, n, k, Y, iy, &m[2]), cleanup);
    GK_TRY_GOTO(rc, hsic_sparse(&m[0], n, &out->hsic_xy), cleanup);
    GK_TRY_GOTO(rc, hsic_sparse(&m[1], n, &out->hsic_xx), cleanup);
    GK_TRY_GOTO(rc, hsic_sparse(&m[2], n, &out->hsic_yy), cleanup);
cleanup:
    for (int t = 0; t < 3; t++) sparse_free(&m[t]);
    gk_free(ix);
    gk_free(iy);
    return rc;
}

int cknna_finish(gk_nbr_result *r)
{
    GK_FAIL_IF(!(r->hsic_xx > 0 && r->hsic_yy > 0), GK_ENUMERIC, "cknna: HSIC of X with "
               "itself is %g and of Y with itself %g; both must be > 0", r->hsic_xx,
               r->hsic_yy);
    char kt[64];
    r->value = r->hsic_xy / sqrt(r->hsic_xx * r->hsic_yy);
    nbr_k_text(kt, sizeof kt, r->k, r->k_frac);
    snprintf(r->estimator, sizeof r->estimator,
             "CKNNA (Huh et al. 2024, platonic-rep cknna): unbiased HSIC (Song et al. 2012) of "
             "the %s kernels restricted to pairs that are k-NN in both spaces, %s, self "
             "excluded, ties by lower index; no +1e-6 in the denominator",
             r->distance == GK_DIST_COSINE ? "cosine (unit-row inner product)" : "inner-product",
             kt);
    return GK_OK;
}

int gk_cknna(const gk_mat *X, const gk_mat *Y, gk_kspec ks, gk_distance d, gk_nbr_result *out)
{
    GK_FAIL_IF(!out, GK_EARG, "cknna: out is NULL");
    GK_FAIL_IF(d != GK_DIST_COSINE && d != GK_DIST_IP, GK_EARG, "cknna: distance %s: the "
               "kernel is the inner product, so the neighbours must be by cosine (unit rows) "
               "or ip", gk_distance_name(d));
    int64_t k, *gx, *gy;
    GK_TRY(nbr_begin("cknna", X, Y, ks, d, 4, 2, 1, &k, &gx, &gy));
    nbr_result_init(out, GK_NBR_CKNNA, X, Y, k, ks, d);
    int rc = cknna_terms(gx, gy, X->rows, k, X, Y, d == GK_DIST_COSINE, out);
    gk_free(gx);
    gk_free(gy);
    if (rc != GK_OK) return rc;
    return cknna_finish(out);
}
