/*
** dist_cknna.c — CKNNA over MPI ranks (cknna.c, methods.md §3) with the
** value of one process, bit for bit.  Per mask (pairs k-NN in both spaces;
** X's graph; Y's graph) each rank holds the entries (i, j) of its rows i:
**  * the two kNN graphs come from the ring engine (gk_dist_knn);
**  * the kernel of (i, j) needs row j, held by j's rank: the X and then the
**    Y shards pass around the ring (dist_ring) and each rank computes the
**    kernels of its entries whose j is in the passing shard, with the
**    arithmetic of cknna_kernel();
**  * the unbiased HSIC needs, for entry (i, j), the value of entry (j, i),
**    and the column sums Σ_i A_ij: every entry travels to the rank of its
**    column j (one all-to-all).  Entries arrive in ascending i for each j
**    (rank order, then row order), so a column sum adds them in the order
**    of one process;
**  * t1, Σa, Σb (row order) and t3 (column order) are running sums passed
**    from rank to rank (dist_chain): the additions of one process.
*/
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "core/error_internal.h"
#include "dist_internal.h"
#include "similarity/nngs_internal.h"

/* One mask on this rank's rows: row i's columns col[start[i]..start[i+1]),
** ascending, global; kernels a, b. */
typedef struct dmask {
    int64_t *start, *col;
    double *a, *b;
} dmask;

/* An entry sent to the rank of its column. */
typedef struct dentry {
    int64_t i, j;
    double a, b;
} dentry;

static int cmp_i64(const void *a, const void *b)
{
    const int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

static void mask_free(dmask *m)
{
    gk_free(m->start), gk_free(m->col), gk_free(m->a), gk_free(m->b);
}

/* Mask t of the rows (nl, k lists sorted): 0 both graphs, 1 gx, 2 gy. */
static int mask_build(int t, const int64_t *gx, const int64_t *gy, int64_t nl, int64_t k, dmask *m)
{
    const size_t cap = (size_t)(nl ? nl * k : 1);
    m->start = gk_malloc((size_t)(nl + 1) * sizeof *m->start);
    m->col = gk_malloc(cap * sizeof *m->col);
    m->a = gk_calloc(cap, sizeof *m->a);
    m->b = gk_calloc(cap, sizeof *m->b);
    if (!m->start || !m->col || !m->a || !m->b)
        return gk_set_error(GK_ENOMEM, "cknna: out of memory (rank %d)", gk_dist_rank());
    int64_t nnz = 0;
    for (int64_t i = 0; i < nl; i++) {
        const int64_t *p = gx + i * k, *q = gy + i * k;
        m->start[i] = nnz;
        if (t > 0) {
            memcpy(m->col + nnz, t == 1 ? p : q, (size_t)k * sizeof *p);
            nnz += k;
            continue;
        }
        for (int64_t u = 0, v = 0; u < k && v < k;) {
            if (p[u] < q[v]) u++;
            else if (q[v] < p[u]) v++;
            else m->col[nnz++] = p[u++], v++;
        }
    }
    m->start[nl] = nnz;
    return GK_OK;
}

/* The kernels of one space: which masks get it in a, which in b. */
typedef struct kern_ctx {
    const gk_mat *own; /* this rank's rows of the space */
    const double *inv; /* their 1/‖row‖, or NULL (inner product) */
    int64_t r0;        /* global row of own's row 0 */
    dmask *m[3];
    int into_a[3], into_b[3];
} kern_ctx;

/* cknna_kernel()'s arithmetic on two rows. */
static double kernel(const float *x, const float *y, int64_t d, const double *ii, const double *ij)
{
    double s = 0;
    for (int64_t l = 0; l < d; l++) s += (double)x[l] * y[l];
    return ii ? s * *ii * *ij : s;
}

static int visit_kernels(void *ud, const gk_mat *rows, int64_t r0, int owner)
{
    (void)owner;
    const kern_ctx *c = ud;
    double *inv = NULL;
    if (c->inv) {
        GK_FAIL_IF(!(inv = gk_malloc((size_t)(rows->rows ? rows->rows : 1) * sizeof *inv)),
                   GK_ENOMEM, "cknna: out of memory (rank %d)", gk_dist_rank());
        cknna_inverse_norms(rows, inv);
    }
    const int64_t d = rows->cols, nl = c->own->rows;
    for (int t = 0; t < 3; t++) {
        dmask *m = c->m[t];
        if (!c->into_a[t] && !c->into_b[t]) continue;
#pragma omp parallel for schedule(static)
        for (int64_t i = 0; i < nl; i++)
            for (int64_t e = m->start[i]; e < m->start[i + 1]; e++) {
                const int64_t j = m->col[e] - r0;
                if (j < 0 || j >= rows->rows) continue;
                const double v = kernel(gk_mat_row(c->own, i), gk_mat_row(rows, j), d,
                                        c->inv ? c->inv + i : NULL, inv ? inv + j : NULL);
                if (c->into_a[t]) m->a[e] = v;
                if (c->into_b[t]) m->b[e] = v;
            }
    }
    gk_free(inv);
    return GK_OK;
}

/* The kernels of every mask entry: X's shards around the ring, then Y's. */
static int fill_kernels(const gk_mat *X, const gk_mat *Y, int64_t n, int64_t r0, int cosine,
                        dmask m[3])
{
    const int64_t nl = X->rows;
    double *ix = gk_malloc((size_t)(nl ? nl : 1) * sizeof *ix);
    double *iy = gk_malloc((size_t)(nl ? nl : 1) * sizeof *iy);
    int rc = ix && iy ? GK_OK : gk_set_error(GK_ENOMEM, "cknna: out of memory (rank %d)",
                                             gk_dist_rank());
    if (rc == GK_OK && cosine) cknna_inverse_norms(X, ix), cknna_inverse_norms(Y, iy);
    kern_ctx cx = {X, cosine ? ix : NULL, r0, {&m[0], &m[1], &m[2]}, {1, 1, 0}, {0, 1, 0}};
    kern_ctx cy = {Y, cosine ? iy : NULL, r0, {&m[0], &m[1], &m[2]}, {0, 0, 1}, {1, 0, 1}};
    if ((rc = gk_dist_agree(rc, NULL)) == GK_OK) rc = dist_ring(X, n, visit_kernels, &cx);
    if (rc == GK_OK) rc = dist_ring(Y, n, visit_kernels, &cy);
    gk_free(ix), gk_free(iy);
    return rc;
}

/* Every entry to the rank of its column; *in (*nin) the entries (i, j) whose
** j is ours, in rank order then row order. */
static int exchange(const dmask *m, int64_t nl, int64_t r0, int64_t n, dentry **in, int64_t *nin)
{
    const int64_t nnz = m->start[nl];
    const int P = gk_dist_size();
    int *cnt = gk_calloc((size_t)P * 2, sizeof *cnt), *off = cnt ? cnt + P : NULL;
    dentry *send = gk_malloc((size_t)(nnz ? nnz : 1) * sizeof *send);
    int rc = cnt && send && nnz * (int64_t)sizeof *send <= INT_MAX ? GK_OK
             : gk_set_error(GK_ENOMEM, "cknna: out of memory for %lld entries (rank %d)",
                            (long long)nnz, gk_dist_rank());
    if ((rc = gk_dist_agree(rc, NULL)) != GK_OK) return gk_free(cnt), gk_free(send), rc;
    for (int64_t e = 0; e < nnz; e++) cnt[dist_owner_of(m->col[e], n)]++;
    for (int s = 1; s < P; s++) off[s] = off[s - 1] + cnt[s - 1];
    for (int64_t i = 0; i < nl; i++)
        for (int64_t e = m->start[i]; e < m->start[i + 1]; e++) {
            const dentry v = {r0 + i, m->col[e], m->a[e], m->b[e]};
            send[off[dist_owner_of(m->col[e], n)]++] = v;
        }
    for (int s = 0; s < P; s++) cnt[s] *= (int)sizeof *send;
    int64_t bytes = 0;
    rc = dist_alltoall_bytes(send, cnt, (void **)in, &bytes, "cknna");
    *nin = bytes / (int64_t)sizeof **in;
    gk_free(cnt), gk_free(send);
    return rc;
}

/* The running sums of one mask: [t1, Σa, Σb, t3] over this rank's rows. */
typedef struct hsic_ctx {
    const dmask *m;
    int64_t nl;
    const double *bt;   /* (nnz,) b of the transposed entry, 0 when absent */
    const double *colA; /* (nl,) Σ_i A_il of our columns l */
} hsic_ctx;

static void add_hsic(void *state, void *ud)
{
    const hsic_ctx *c = ud;
    double *s = state;
    for (int64_t i = 0; i < c->nl; i++) /* cknna.c's hsic_sparse(), our rows */
        for (int64_t e = c->m->start[i]; e < c->m->start[i + 1]; e++) {
            s[0] += c->m->a[e] * c->bt[e];
            s[1] += c->m->a[e];
            s[2] += c->m->b[e];
        }
    for (int64_t l = 0; l < c->nl; l++) {
        double rowB = 0;
        for (int64_t e = c->m->start[l]; e < c->m->start[l + 1]; e++) rowB += c->m->b[e];
        s[3] += c->colA[l] * rowB;
    }
}

/* bt and colA from the entries received (in ascending i for each column). */
static int transposed(const dmask *m, int64_t nl, int64_t r0, const dentry *in, int64_t nin,
                      double *bt, double *colA)
{
    int64_t *start = gk_calloc((size_t)nl + 2, sizeof *start), *row = NULL;
    double *b = NULL;
    GK_FAIL_IF(!start, GK_ENOMEM, "cknna: out of memory (rank %d)", gk_dist_rank());
    row = gk_malloc((size_t)(nin ? nin : 1) * sizeof *row);
    b = gk_malloc((size_t)(nin ? nin : 1) * sizeof *b);
    int rc = row && b ? GK_OK : gk_set_error(GK_ENOMEM, "cknna: out of memory (rank %d)",
                                             gk_dist_rank());
    for (int64_t e = 0; rc == GK_OK && e < nin; e++) {
        start[in[e].j - r0 + 2]++;
        colA[in[e].j - r0] += in[e].a;
    }
    for (int64_t l = 0; rc == GK_OK && l < nl; l++) start[l + 2] += start[l + 1];
    for (int64_t e = 0; rc == GK_OK && e < nin; e++) { /* by column, rows ascending */
        const int64_t p = start[in[e].j - r0 + 1]++;
        row[p] = in[e].i, b[p] = in[e].b;
    }
    for (int64_t l = 0; rc == GK_OK && l < nl; l++) /* entry (l, j) needs b of (j, l) */
        for (int64_t e = m->start[l]; e < m->start[l + 1]; e++) {
            const int64_t *lo = row + start[l], j = m->col[e];
            const int64_t *hit = bsearch(&j, lo, (size_t)(start[l + 1] - start[l]), sizeof j,
                                         cmp_i64);
            bt[e] = hit ? b[hit - row] : 0.0;
        }
    gk_free(start), gk_free(row), gk_free(b);
    return rc;
}

/* HSIC_u of one mask over all ranks (cknna.c's formula). */
static int hsic(const dmask *m, int64_t nl, int64_t r0, int64_t n, double *out)
{
    dentry *in = NULL;
    int64_t nin = 0;
    GK_TRY(exchange(m, nl, r0, n, &in, &nin));
    double *bt = gk_malloc((size_t)(m->start[nl] ? m->start[nl] : 1) * sizeof *bt);
    double *colA = gk_calloc((size_t)(nl ? nl : 1), sizeof *colA), s[4] = {0, 0, 0, 0};
    int rc = bt && colA ? transposed(m, nl, r0, in, nin, bt, colA)
                        : gk_set_error(GK_ENOMEM, "cknna: out of memory (rank %d)",
                                       gk_dist_rank());
    if ((rc = gk_dist_agree(rc, NULL)) == GK_OK) {
        hsic_ctx c = {m, nl, bt, colA};
        dist_chain(s, sizeof s, add_hsic, &c);
        const double t1 = s[0], sa = s[1], sb = s[2], t3 = s[3], mm = (double)n;
        *out = (t1 + sa * sb / ((mm - 1) * (mm - 2)) - 2 * t3 / (mm - 2)) / (mm * (mm - 3));
    }
    gk_free(in), gk_free(bt), gk_free(colA);
    return rc;
}

int dist_cknna(const gk_mat *X, const gk_mat *Y, int64_t n, int64_t k, gk_distance d,
               gk_nbr_result *out)
{
    const int64_t nl = X->rows, len = (nl ? nl : 1) * k;
    int64_t r0, nr;
    gk_dist_row_range(n, gk_dist_rank(), gk_dist_size(), &r0, &nr);
    int64_t *gx = gk_malloc((size_t)len * sizeof *gx), *gy = gk_malloc((size_t)len * sizeof *gy);
    dmask m[3];
    memset(m, 0, sizeof m);
    int rc = gx && gy ? GK_OK : gk_set_error(GK_ENOMEM, "cknna: out of memory (rank %d)",
                                             gk_dist_rank());
    if ((rc = gk_dist_agree(rc, NULL)) == GK_OK) rc = gk_dist_knn(X, d, NULL, k, gx, NULL);
    if (rc == GK_OK) rc = gk_dist_knn(Y, d, NULL, k, gy, NULL);
    for (int64_t i = 0; rc == GK_OK && i < nl; i++) {
        qsort(gx + i * k, (size_t)k, sizeof *gx, cmp_i64);
        qsort(gy + i * k, (size_t)k, sizeof *gy, cmp_i64);
    }
    for (int t = 0; rc == GK_OK && t < 3; t++) rc = mask_build(t, gx, gy, nl, k, &m[t]);
    rc = gk_dist_agree(rc, NULL);
    if (rc == GK_OK) rc = fill_kernels(X, Y, n, r0, d == GK_DIST_COSINE, m);
    if (rc == GK_OK) rc = hsic(&m[0], nl, r0, n, &out->hsic_xy);
    if (rc == GK_OK) rc = hsic(&m[1], nl, r0, n, &out->hsic_xx);
    if (rc == GK_OK) rc = hsic(&m[2], nl, r0, n, &out->hsic_yy);
    for (int t = 0; t < 3; t++) mask_free(&m[t]);
    gk_free(gx), gk_free(gy);
    return rc;
}
