/*
** decomp.c — SVD (LAPACKE_dgesdd) and symmetric eigen-decomposition
** (LAPACKE_dsyevd) of small row-major double matrices, the orthonormal
** factor of a QR decomposition (dgeqrf + dorgqr), and the svd_flip sign rule.  LAPACK info != 0 becomes GK_EBLAS naming the routine.
**
** LAPACK runs with single-threaded BLAS: a threaded dsyevd or dgesdd splits
** its sums by the thread count, so results would differ in the last bits
** between machines (SVCCA did, on 24 × 24 matrices).  The matrices here are
** at most a few thousand wide and follow O(N·D²) passes over the data, so
** one thread costs little.
*/
#include <lapacke.h>
#include <math.h>
#include <string.h>

#include "core/error_internal.h"
#include "gapkit/linalg.h"
#include "linalg/blas_threads_internal.h"
#include "linalg/linalg_internal.h"

/* dgesdd on a copy of a (m,n): jobz 'S' with u (m,r), vt (r,n), or 'N' (values only). */
static int svd_run(const double *a, int64_t m, int64_t n, char jobz, double *u, double *s,
                   double *vt)
{
    GK_FAIL_IF(!a || !s || m < 1 || n < 1 || (jobz == 'S' && (!u || !vt)), GK_EARG,
               "svd: bad argument (m = %lld, n = %lld)", (long long)m, (long long)n);
    GK_TRY(gk_blas_check("svd", 2, m, n));
    const int64_t r = m < n ? m : n;
    double *w = gk_malloc((size_t)m * (size_t)n * sizeof *w);
    GK_FAIL_IF(!w, GK_ENOMEM, "svd: out of memory for a (%lld,%lld) copy", (long long)m,
               (long long)n);
    memcpy(w, a, (size_t)m * (size_t)n * sizeof *w);
    /* with 'N' LAPACKE still checks the leading dimensions: give valid ones */
    const int saved = gk_blas_serial();
    lapack_int info = LAPACKE_dgesdd(LAPACK_ROW_MAJOR, jobz, (lapack_int)m, (lapack_int)n, w,
                                     (lapack_int)n, s, u, (lapack_int)(jobz == 'S' ? r : m), vt,
                                     (lapack_int)n);
    gk_blas_restore(saved);
    gk_free(w);
    GK_FAIL_IF(info != 0, GK_EBLAS, "LAPACKE_dgesdd failed with info = %d (%lld x %lld)",
               (int)info, (long long)m, (long long)n);
    return GK_OK;
}

int gk_svd(const double *a, int64_t m, int64_t n, double *u, double *s, double *vt)
{
    return svd_run(a, m, n, 'S', u, s, vt);
}

int gk_svd_values(const double *a, int64_t m, int64_t n, double *s)
{
    return svd_run(a, m, n, 'N', NULL, s, NULL);
}

/* Reverses the order of eigenvalues w (n,) and of the columns of v (n,n). */
static void reverse_order(double *w, double *v, int64_t n)
{
    for (int64_t i = 0, j = n - 1; i < j; i++, j--) {
        double t = w[i];
        w[i] = w[j];
        w[j] = t;
        if (!v) continue;
        for (int64_t r = 0; r < n; r++) {
            t = v[r * n + i];
            v[r * n + i] = v[r * n + j];
            v[r * n + j] = t;
        }
    }
}

int gk_eigh(const double *a, int64_t n, double *w, double *vecs)
{
    GK_FAIL_IF(!a || !w || n < 1, GK_EARG, "eigh: bad argument (n = %lld)", (long long)n);
    GK_TRY(gk_blas_check("eigh", 1, n));
    double *z = vecs ? vecs : gk_malloc((size_t)n * (size_t)n * sizeof *z);
    GK_FAIL_IF(!z, GK_ENOMEM, "eigh: out of memory");
    if (z != a) memcpy(z, a, (size_t)n * (size_t)n * sizeof *z);
    const int saved = gk_blas_serial();
    lapack_int info = LAPACKE_dsyevd(LAPACK_ROW_MAJOR, vecs ? 'V' : 'N', 'U', (lapack_int)n, z,
                                     (lapack_int)n, w);
    gk_blas_restore(saved);
    if (!vecs) gk_free(z);
    GK_FAIL_IF(info != 0, GK_EBLAS, "LAPACKE_dsyevd failed with info = %d (n = %lld)",
               (int)info, (long long)n);
    reverse_order(w, vecs, n);
    return GK_OK;
}

int gk_qr_basis(double *Q, int64_t d)
{
    GK_FAIL_IF(!Q || d < 1, GK_EARG, "qr: bad argument (d = %lld)", (long long)d);
    GK_TRY(gk_blas_check("qr", 1, d));
    double *tau = gk_malloc((size_t)d * sizeof *tau);
    GK_FAIL_IF(!tau, GK_ENOMEM, "qr: out of memory");
    lapack_int info = LAPACKE_dgeqrf(LAPACK_COL_MAJOR, (lapack_int)d, (lapack_int)d, Q,
                                     (lapack_int)d, tau);
    if (info == 0)
        info = LAPACKE_dorgqr(LAPACK_COL_MAJOR, (lapack_int)d, (lapack_int)d, (lapack_int)d, Q,
                              (lapack_int)d, tau);
    gk_free(tau);
    GK_FAIL_IF(info != 0, GK_EBLAS, "LAPACKE_dgeqrf/dorgqr failed with info = %d (d = %lld)",
               (int)info, (long long)d);
    return GK_OK;
}

void gk_svd_flip_u(double *u, int64_t m, int64_t r, double *vt, int64_t n)
{
    /* sign_j = sign(u[argmax_i |u_ij|, j]); u_j *= sign_j, vt_j *= sign_j */
    for (int64_t j = 0; j < r; j++) {
        int64_t best = 0;
        for (int64_t i = 1; i < m; i++)
            if (fabs(u[i * r + j]) > fabs(u[best * r + j])) best = i;
        if (u[best * r + j] >= 0) continue;
        for (int64_t i = 0; i < m; i++) u[i * r + j] = -u[i * r + j];
        for (int64_t c = 0; c < n; c++) vt[j * n + c] = -vt[j * n + c];
    }
}
