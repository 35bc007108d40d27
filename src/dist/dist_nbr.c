/*
** dist_nbr.c — the neighbourhood measures over ranks (nngs.h): NNGS and
** mutual k-NN need only, per row, the overlap I_i of its k-NN lists in X
** and in Y.  Both graphs come from the ring engine (dist_knn.c: the lists
** of one process), each rank counts the overlaps of its rows, and the
** per-row terms I_i/(2k − I_i) and I_i are added in global row order
** (gk_dist_sum_blocks, one "block" per row), the additions of one process.
** CKNNA also needs the kernels of neighbour pairs held by other ranks, and
** cycle k-NN a second search: neither runs here.
*/
#include <stdlib.h>
#include <string.h>

#include "core/error_internal.h"
#include "dist_internal.h"
#include "similarity/nngs_internal.h"

static int cmp_i64(const void *a, const void *b)
{
    const int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* terms (n,2) = (I_i/(2k − I_i), I_i) of this rank's rows: |gx_i ∩ gy_i|
** by merging the two sorted lists (global ids: no N-sized stamp array). */
static int overlap_terms(int64_t *gx, int64_t *gy, int64_t n, int64_t k, double *terms)
{
#pragma omp parallel for schedule(static)
    for (int64_t i = 0; i < n; i++) {
        int64_t *x = gx + i * k, *y = gy + i * k, a = 0, b = 0, I = 0;
        qsort(x, (size_t)k, sizeof *x, cmp_i64);
        qsort(y, (size_t)k, sizeof *y, cmp_i64);
        while (a < k && b < k) {
            if (x[a] == y[b]) I++, a++, b++;
            else if (x[a] < y[b]) a++;
            else b++;
        }
        terms[2 * i] = (double)I / (double)(2 * k - I);
        terms[2 * i + 1] = (double)I;
    }
    return GK_OK;
}

/* The mean terms over all N rows: tot (2,) in global row order. */
static int mean_terms(const gk_mat *X, const gk_mat *Y, int64_t k, gk_distance d, double *tot)
{
    const int64_t n = X->rows, len = (n ? n : 1) * k;
    int64_t *gx = gk_malloc((size_t)len * sizeof *gx), *gy = gk_malloc((size_t)len * sizeof *gy);
    double *terms = gk_malloc((size_t)(n ? n : 1) * 2 * sizeof *terms);
    int rc = gx && gy && terms ? GK_OK : gk_set_error(GK_ENOMEM, "out of memory (rank %d)",
                                                      gk_dist_rank());
    if ((rc = gk_dist_agree(rc, NULL)) == GK_OK) rc = gk_dist_knn(X, d, NULL, k, gx, NULL);
    if (rc != GK_OK) gk_error_prepend(rc, "X");
    if (rc == GK_OK && (rc = gk_dist_knn(Y, d, NULL, k, gy, NULL)) != GK_OK)
        gk_error_prepend(rc, "Y");
    if (rc == GK_OK) rc = overlap_terms(gx, gy, n, k, terms);
    if (rc == GK_OK) rc = gk_dist_sum_blocks(terms, n, 2, tot);
    gk_free(gx), gk_free(gy), gk_free(terms);
    return rc;
}

int gk_dist_nbr_measure(const char *name, const gk_mat *X, const gk_mat *Y, gk_kspec ks,
                        gk_distance d, gk_nbr_result *out)
{
    GK_FAIL_IF(!name || !X || !Y || !out, GK_EARG, "similarity: NULL argument");
    const int nngs = !strcmp(name, "nngs");
    GK_FAIL_IF(!nngs && strcmp(name, "mutual-knn"), GK_EARG,
               "%s: not distributed (nngs and mutual-knn are)", name);
    const int64_t n = dist_total(X->rows), ny = dist_total(Y->rows);
    int64_t k = 0;
    int rc = n == ny && X->rows == Y->rows ? GK_OK
             : gk_set_error(GK_ESHAPE, "%s: X has %lld rows but Y has %lld", name,
                            (long long)n, (long long)ny);
    if (rc == GK_OK && n < (nngs ? 3 : 2))
        rc = gk_set_error(GK_EARG, "%s: needs at least %d items, got %lld", name, nngs ? 3 : 2,
                          (long long)n);
    if (rc == GK_OK) rc = gk_kspec_resolve(ks, n, 1, n - (nngs ? 2 : 1), &k);
    GK_TRY(gk_dist_agree(rc, NULL) ? (rc ? rc : GK_EARG) : GK_OK);
    double tot[2];
    GK_TRY(mean_terms(X, Y, k, d, tot));
    gk_mat fx = *X, fy = *Y; /* the result describes all N rows */
    fx.rows = fy.rows = n;
    if (nngs) nngs_result_from_raw(out, &fx, &fy, k, ks, d, tot[0] / (double)n);
    else mutual_result(out, &fx, &fy, k, ks, d, tot[1] / ((double)n * (double)k));
    return GK_OK;
}

int gk_dist_similarity_supported(const char *name)
{
    static const char *const names[] = {"cka-linear", "procrustes", "nngs", "mutual-knn"};
    for (size_t i = 0; name && i < sizeof names / sizeof names[0]; i++)
        if (!strcmp(name, names[i])) return 1;
    return 0;
}
