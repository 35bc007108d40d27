/*
** dist_nbr.c — the neighbourhood measures over ranks (nngs.h): NNGS and
** mutual k-NN need only, per row, the overlap I_i of its k-NN lists in X
** and in Y.  Both graphs come from the ring engine (dist_knn.c: the lists
** of one process), each rank counts the overlaps of its rows, and the
** per-row terms I_i/(2k − I_i) and I_i are added in global row order
** (gk_dist_sum_blocks, one "block" per row), the additions of one process.
** Cycle k-NN asks whether row i is among the X-neighbours of one of its
** Y-neighbours j: every X-edge j → i travels to the rank of row i (one
** all-to-all of N·K pairs), which looks j up in i's sorted Y-list; the hit
** count is an integer.  CKNNA (dist_cknna.c) also needs the kernels of
** neighbour pairs held by other ranks.
*/
#include <limits.h>
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

int dist_owner_of(int64_t i, int64_t n)
{
    int lo = 0, hi = gk_dist_size() - 1;
    while (lo < hi) { /* the last rank whose first row is <= i */
        const int mid = (lo + hi + 1) / 2;
        int64_t r0, nr;
        gk_dist_row_range(n, mid, gk_dist_size(), &r0, &nr);
        if (r0 <= i && (nr > 0 || r0 < n)) lo = mid;
        else hi = mid - 1;
    }
    return lo;
}

/* The X-edges (i, j) of this rank's rows j (gx), sent to the ranks of i;
** *recv (*nrecv pairs) the edges into this rank's rows. */
static int exchange_edges(const int64_t *gx, int64_t nloc, int64_t r0, int64_t n, int64_t k,
                          int64_t **recv, int64_t *nrecv)
{
    const int P = gk_dist_size();
    int *cnt = gk_calloc((size_t)P * 2, sizeof *cnt), *off = cnt ? cnt + P : NULL;
    int64_t *send = gk_malloc((size_t)(nloc ? nloc * k : 1) * 2 * sizeof *send), bytes = 0;
    *recv = NULL;
    int rc = cnt && send && nloc * k * 16 <= INT_MAX ? GK_OK
             : gk_set_error(GK_ENOMEM, "cycle-knn: out of memory for %lld edges (rank %d)",
                            (long long)(nloc * k), gk_dist_rank());
    if ((rc = gk_dist_agree(rc, NULL)) != GK_OK) return gk_free(cnt), gk_free(send), rc;
    for (int64_t e = 0; e < nloc * k; e++) cnt[dist_owner_of(gx[e], n)] += 2;
    for (int s = 1; s < P; s++) off[s] = off[s - 1] + cnt[s - 1];
    for (int64_t e = 0; e < nloc * k; e++) {
        const int s = dist_owner_of(gx[e], n);
        send[off[s]++] = gx[e], send[off[s]++] = r0 + e / k;
    }
    for (int s = 0; s < P; s++) cnt[s] *= (int)sizeof *send;
    rc = dist_alltoall_bytes(send, cnt, (void **)recv, &bytes, "cycle-knn");
    *nrecv = bytes / 16;
    gk_free(cnt), gk_free(send);
    return rc;
}

/* Rows of this rank whose cycle closes: edge (i, j) with j in i's Y-list. */
static int cycle_hits(const int64_t *gx, int64_t *gy, int64_t nloc, int64_t r0, int64_t n,
                      int64_t k, int64_t *hits)
{
    int64_t *edges, ne = 0;
    GK_TRY(exchange_edges(gx, nloc, r0, n, k, &edges, &ne));
    char *hit = gk_calloc((size_t)(nloc ? nloc : 1), 1);
    GK_FAIL_IF(!hit, GK_ENOMEM, "cycle-knn: out of memory");
    for (int64_t i = 0; i < nloc; i++) qsort(gy + i * k, (size_t)k, sizeof *gy, cmp_i64);
    for (int64_t e = 0; e < ne; e++) {
        const int64_t li = edges[2 * e] - r0, j = edges[2 * e + 1];
        if (bsearch(&j, gy + li * k, (size_t)k, sizeof j, cmp_i64)) hit[li] = 1;
    }
    *hits = 0;
    for (int64_t i = 0; i < nloc; i++) *hits += hit[i];
    gk_free(hit), gk_free(edges);
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

/* Checks and k of a measure needing nmin rows, k in kmin..N − kgap. */
static int begin(const char *name, const gk_mat *X, const gk_mat *Y, gk_kspec ks, int64_t nmin,
                 int64_t kmin, int64_t kgap, int64_t *n, int64_t *k)
{
    const int64_t ny = dist_total(Y->rows);
    *n = dist_total(X->rows);
    int rc = *n == ny && X->rows == Y->rows ? GK_OK
             : gk_set_error(GK_ESHAPE, "%s: X has %lld rows but Y has %lld", name,
                            (long long)*n, (long long)ny);
    if (rc == GK_OK && *n < nmin)
        rc = gk_set_error(GK_EARG, "%s: needs at least %lld items, got %lld", name,
                          (long long)nmin, (long long)*n);
    if (rc == GK_OK) rc = gk_kspec_resolve(ks, *n, kmin, *n - kgap, k);
    return gk_dist_agree(rc, NULL) ? (rc ? rc : GK_EARG) : GK_OK;
}

static int dist_cycle(const gk_mat *X, const gk_mat *Y, gk_kspec ks, gk_distance d,
                      gk_nbr_result *out)
{
    int64_t n, k, r0, nr, hits = 0;
    GK_TRY(begin("cycle-knn", X, Y, ks, 2, 1, 1, &n, &k));
    gk_dist_row_range(n, gk_dist_rank(), gk_dist_size(), &r0, &nr);
    const int64_t len = (X->rows ? X->rows : 1) * k;
    int64_t *gx = gk_malloc((size_t)len * sizeof *gx), *gy = gk_malloc((size_t)len * sizeof *gy);
    int rc = gx && gy ? GK_OK : gk_set_error(GK_ENOMEM, "cycle-knn: out of memory");
    if ((rc = gk_dist_agree(rc, NULL)) == GK_OK) rc = gk_dist_knn(X, d, NULL, k, gx, NULL);
    if (rc == GK_OK) rc = gk_dist_knn(Y, d, NULL, k, gy, NULL);
    if (rc == GK_OK) rc = gk_dist_agree(cycle_hits(gx, gy, X->rows, r0, n, k, &hits), NULL);
    gk_free(gx), gk_free(gy);
    GK_TRY(rc);
    gk_mat fx = *X, fy = *Y;
    fx.rows = fy.rows = n;
    cycle_result(out, &fx, &fy, k, ks, d, (double)dist_total(hits) / (double)n);
    return GK_OK;
}

static int dist_cknna_measure(const gk_mat *X, const gk_mat *Y, gk_kspec ks, gk_distance d,
                              gk_nbr_result *out)
{
    GK_FAIL_IF(d != GK_DIST_COSINE && d != GK_DIST_IP, GK_EARG, "cknna: distance %s: the "
               "kernel is the inner product, so the neighbours must be by cosine (unit rows) "
               "or ip", gk_distance_name(d));
    int64_t n, k;
    GK_TRY(begin("cknna", X, Y, ks, 4, 2, 1, &n, &k));
    gk_mat fx = *X, fy = *Y;
    fx.rows = fy.rows = n;
    nbr_result_init(out, GK_NBR_CKNNA, &fx, &fy, k, ks, d);
    GK_TRY(dist_cknna(X, Y, n, k, d, out));
    return cknna_finish(out);
}

int gk_dist_nbr_measure(const char *name, const gk_mat *X, const gk_mat *Y, gk_kspec ks,
                        gk_distance d, gk_nbr_result *out)
{
    GK_FAIL_IF(!name || !X || !Y || !out, GK_EARG, "similarity: NULL argument");
    const int nngs = !strcmp(name, "nngs"), cycle = !strcmp(name, "cycle-knn");
    GK_FAIL_IF(!nngs && !cycle && strcmp(name, "mutual-knn") && strcmp(name, "cknna"), GK_EARG,
               "%s: not distributed (nngs, mutual-knn, cycle-knn and cknna are)", name);
    if (cycle) return dist_cycle(X, Y, ks, d, out);
    if (!strcmp(name, "cknna")) return dist_cknna_measure(X, Y, ks, d, out);
    int64_t n, k;
    GK_TRY(begin(name, X, Y, ks, nngs ? 3 : 2, 1, nngs ? 2 : 1, &n, &k));
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
    static const char *const names[] = {"cka-linear", "cka-unbiased", "svcca",
                                        "procrustes", "nngs", "mutual-knn",
                                        "cycle-knn", "cknna"};
    for (size_t i = 0; name && i < sizeof names / sizeof names[0]; i++)
        if (!strcmp(name, names[i])) return 1;
    return 0;
}
