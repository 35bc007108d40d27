/*
** cka_gram.c — the reference twins of the CKA measures: the textbook N×N
** Gram-matrix (HSIC) forms in double, with the median found by sorting.
** O(N²) memory and O(N²·D) time; the oracles of the tests, not for use.
*/
#include <math.h>
#include <stdlib.h>

#include "cka_internal.h"
#include "core/error_internal.h"

/* out (N,N): K_ij = a_i·a_j (linear) or ‖a_i − a_j‖² (sqdist), in double. */
static void pairwise(const gk_mat *A, int sqdist, double *out)
{
    const int64_t n = A->rows;
    for (int64_t i = 0; i < n; i++)
        for (int64_t j = 0; j < n; j++) {
            double s = 0;
            for (int64_t c = 0; c < A->cols; c++) {
                const double u = gk_mat_at(A, i, c), v = gk_mat_at(A, j, c);
                s += sqdist ? (u - v) * (u - v) : u * v;
            }
            out[i * n + j] = s;
        }
}

/* Biased: tr(KHLH)/(N−1)², Kc_ij = K_ij − r_i/N − r_j/N + R/N².
** Unbiased: Song et al. eq. 5 on K̃, L̃ (diagonals zeroed). */
static double hsic_full(const double *K, const double *L, int64_t n, int unbiased, double *r)
{
    const double nn = (double)n;
    double *q = r + n, R = 0, Q = 0, t = 0, dot = 0;
    for (int64_t i = 0; i < n; i++) {
        r[i] = q[i] = 0;
        for (int64_t j = 0; j < n; j++)
            if (!unbiased || j != i) r[i] += K[i * n + j], q[i] += L[i * n + j];
        R += r[i], Q += q[i], dot += r[i] * q[i];
    }
    if (unbiased) {
        for (int64_t i = 0; i < n; i++)
            for (int64_t j = 0; j < n; j++)
                if (j != i) t += K[i * n + j] * L[j * n + i];
        return (t + R * Q / ((nn - 1) * (nn - 2)) - 2 * dot / (nn - 2)) / (nn * (nn - 3));
    }
    for (int64_t i = 0; i < n; i++)
        for (int64_t j = 0; j < n; j++)
            t += (K[i * n + j] - r[i] / nn - r[j] / nn + R / (nn * nn)) * L[i * n + j];
    return t / ((nn - 1) * (nn - 1));
}

static double cka_full(const double *K, const double *L, int64_t n, int unbiased, double *r)
{
    const double xy = hsic_full(K, L, n, unbiased, r), xx = hsic_full(K, K, n, unbiased, r),
                 yy = hsic_full(L, L, n, unbiased, r);
    return xy / sqrt(xx * yy);
}

static int alloc_twins(const gk_mat *X, const gk_mat *Y, double **buf)
{
    GK_FAIL_IF(!X || !Y, GK_EARG, "cka naive: NULL argument");
    GK_FAIL_IF(X->rows != Y->rows, GK_ESHAPE, "cka naive: X has %lld rows, Y has %lld",
               (long long)X->rows, (long long)Y->rows);
    GK_FAIL_IF(X->rows < 4, GK_EARG, "cka naive: needs at least 4 rows");
    const size_t n = (size_t)X->rows;
    *buf = gk_malloc((2 * n * n + 2 * n) * sizeof **buf);
    GK_FAIL_IF(!*buf, GK_ENOMEM, "cka naive: out of memory for 2 (%zu,%zu) matrices", n, n);
    return GK_OK;
}

int gk_cka_linear_naive(const gk_mat *X, const gk_mat *Y, int unbiased, double *value)
{
    double *b;
    GK_TRY(alloc_twins(X, Y, &b));
    const int64_t n = X->rows;
    pairwise(X, 0, b), pairwise(Y, 0, b + n * n);
    *value = cka_full(b, b + n * n, n, unbiased, b + 2 * n * n);
    gk_free(b);
    return GK_OK;
}

static int cmp_double(const void *a, const void *b)
{
    const double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Median of sqrt(D_ij) over i < j, sorted in r (scratch of N(N−1)/2). */
static double median_distance(const double *D, int64_t n, double *r)
{
    int64_t m = 0;
    for (int64_t i = 0; i < n; i++)
        for (int64_t j = i + 1; j < n; j++) r[m++] = sqrt(D[i * n + j]);
    qsort(r, (size_t)m, sizeof *r, cmp_double);
    return (r[(m - 1) / 2] + r[m / 2]) / 2;
}

/* D (N,N) squared distances → K = exp(−D/(2σ²)), σ = factor × median. */
static int rbf_kernel(double *D, int64_t n, double factor)
{
    double *r = gk_malloc((size_t)(n * (n - 1) / 2) * sizeof *r);
    GK_FAIL_IF(!r, GK_ENOMEM, "cka naive: out of memory");
    const double s = factor * median_distance(D, n, r);
    gk_free(r);
    for (int64_t i = 0; i < n * n; i++) D[i] = exp(-D[i] / (2 * s * s));
    return GK_OK;
}

int gk_cka_rbf_naive(const gk_mat *X, const gk_mat *Y, const gk_cka_opts *opts, double *value)
{
    const gk_cka_opts o = opts ? *opts : gk_cka_opts_default();
    double *b;
    GK_TRY(alloc_twins(X, Y, &b));
    const int64_t n = X->rows;
    pairwise(X, 1, b), pairwise(Y, 1, b + n * n);
    int rc = rbf_kernel(b, n, o.sigma_factor);
    if (rc == GK_OK) rc = rbf_kernel(b + n * n, n, o.sigma_factor);
    if (rc == GK_OK) *value = cka_full(b, b + n * n, n, o.rbf_unbiased, b + 2 * n * n);
    gk_free(b);
    return rc;
}
