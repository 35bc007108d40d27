/*
** dedup.c — exact duplicate rows in a retrieval (methods.md §11): copies of
** one row tie exactly and are ordered by index, so a query whose true item
** has a copy earlier in the gallery loses rank for nothing but the row
** order.  The plan keeps one row per distinct row on each side and merges
** the groups that copies link: a query's true matches become every row
** paired with any copy of it (what --groups-x/-y would give by hand).
** Duplicates are found by gk_mat_first_rows (hash of the bytes, then an
** exact compare).
*/
#include <string.h>

#include "core/error_internal.h"
#include "retrieval/retrieval_internal.h"

void gk_dedup_plan_free(gk_dedup_plan *p)
{
    if (!p) return;
    gk_free(p->rows_x), gk_free(p->rows_y);
    gk_free(p->gx), gk_free(p->gy);
    memset(p, 0, sizeof *p);
}

static int64_t find(int64_t *parent, int64_t x)
{
    while (parent[x] != x) x = parent[x] = parent[parent[x]];
    return x;
}

static void unite(int64_t *parent, int64_t a, int64_t b)
{
    a = find(parent, a), b = find(parent, b);
    if (a != b) parent[a > b ? a : b] = a < b ? a : b;
}

/* Links the groups of the copies of each row of K; first (n,) receives
** gk_mat_first_rows.  g NULL: row i is in group i. */
static int link_copies(const gk_mat *K, const int32_t *g, int64_t *parent, int64_t *first,
                       int64_t *nd)
{
    GK_TRY(gk_mat_first_rows(K, first, nd));
    for (int64_t i = 0; i < K->rows; i++)
        if (first[i] != i) unite(parent, g ? g[i] : i, g ? g[first[i]] : first[i]);
    return GK_OK;
}

/* The first copy of each row of one side, with its merged group renumbered
** densely by label (shared by both sides). */
static int keep_side(const int64_t *first, int64_t n, int64_t nd, const int32_t *g,
                     int64_t *parent, int64_t *label, int32_t *next, int64_t **rows,
                     int32_t **gout)
{
    *rows = gk_malloc((size_t)(nd ? nd : 1) * sizeof **rows);
    *gout = gk_malloc((size_t)(nd ? nd : 1) * sizeof **gout);
    if (!*rows || !*gout) return GK_ENOMEM;
    for (int64_t i = 0, m = 0; i < n; i++) {
        if (first[i] != i) continue;
        const int64_t r = find(parent, g ? g[i] : i);
        if (label[r] < 0) label[r] = (*next)++;
        (*rows)[m] = i;
        (*gout)[m++] = (int32_t)label[r];
    }
    return GK_OK;
}

static int64_t n_groups(const int32_t *g, int64_t n)
{
    int64_t m = 0;
    for (int64_t i = 0; i < n; i++)
        if (g[i] + (int64_t)1 > m) m = g[i] + (int64_t)1;
    return m;
}

int gk_dedup_plan_make(const gk_mat *KX, const gk_mat *KY, const int32_t *gx,
                       const int32_t *gy, gk_dedup_plan *out)
{
    GK_FAIL_IF(!KX || !KY || !out || !gx != !gy, GK_EARG,
               "duplicates: give both key matrices, an output, and groups for both or neither");
    GK_FAIL_IF(!gx && KX->rows != KY->rows, GK_ESHAPE,
               "duplicates: %lld and %lld rows; without groups row i pairs with row i",
               (long long)KX->rows, (long long)KY->rows);
    memset(out, 0, sizeof *out);
    const int64_t nx = KX->rows, ny = KY->rows;
    int64_t ng = gx ? n_groups(gx, nx) : nx, ngy = gy ? n_groups(gy, ny) : ny;
    if (ngy > ng) ng = ngy;
    int64_t *parent = gk_malloc((size_t)(2 * ng + nx + ny + 1) * sizeof *parent), ndx, ndy;
    if (!parent) return GK_ENOMEM;
    int64_t *label = parent + ng, *fx = label + ng, *fy = fx + nx;
    for (int64_t g = 0; g < ng; g++) parent[g] = g, label[g] = -1;
    int32_t next = 0;
    int rc = link_copies(KX, gx, parent, fx, &ndx);
    if (rc == GK_OK) rc = link_copies(KY, gy, parent, fy, &ndy);
    if (rc == GK_OK)
        rc = keep_side(fx, nx, ndx, gx, parent, label, &next, &out->rows_x, &out->gx);
    if (rc == GK_OK)
        rc = keep_side(fy, ny, ndy, gy, parent, label, &next, &out->rows_y, &out->gy);
    out->nx = ndx, out->ny = ndy;
    out->merged_x = nx - ndx, out->merged_y = ny - ndy;
    gk_free(parent);
    if (rc != GK_OK) gk_dedup_plan_free(out);
    return rc == GK_ENOMEM ? gk_set_error(rc, "duplicates: out of memory for %lld + %lld rows",
                                          (long long)nx, (long long)ny) : rc;
}

/* keep (n,): the rows of K that are the first of their copies. */
static int first_copies(const gk_mat *K, int64_t *keep, int64_t *n_keep)
{
    int64_t *first = gk_malloc((size_t)(K->rows ? K->rows : 1) * sizeof *first), nd = 0, m = 0;
    int rc = first ? gk_mat_first_rows(K, first, &nd) : GK_ENOMEM;
    for (int64_t i = 0; rc == GK_OK && i < K->rows; i++)
        if (first[i] == i) keep[m++] = i;
    *n_keep = m;
    gk_free(first);
    return rc == GK_ENOMEM ? gk_set_error(rc, "duplicates: out of memory") : rc;
}

int rt_linked_sets(const gk_mat *KX, const gk_mat *KY, int32_t *set)
{
    GK_FAIL_IF(KX->rows != KY->rows, GK_ESHAPE, "duplicates: %lld and %lld rows; row i pairs "
               "with row i", (long long)KX->rows, (long long)KY->rows);
    const int64_t n = KX->rows;
    int64_t *fx = gk_malloc((size_t)(5 * n + 1) * sizeof *fx), nd;
    if (!fx) return gk_set_error(GK_ENOMEM, "duplicates: out of memory for %lld items",
                                 (long long)n);
    int64_t *fy = fx + n, *parent = fy + n, *label = parent + 2 * n; /* (2n,): X then Y rows */
    int rc = gk_mat_first_rows(KX, fx, &nd);
    if (rc == GK_OK) rc = gk_mat_first_rows(KY, fy, &nd);
    for (int64_t x = 0; x < 2 * n; x++) parent[x] = x;
    for (int64_t i = 0; rc == GK_OK && i < n; i++) unite(parent, fx[i], n + fy[i]);
    /* the label of a set is given at its smallest item, so ids follow item order */
    int32_t next = 0;
    for (int64_t i = 0; i < n; i++) label[i] = -1;
    for (int64_t i = 0; rc == GK_OK && i < n; i++) {
        const int64_t r = find(parent, fx[i]); /* a root is the smallest node: an X row */
        if (label[r] < 0) label[r] = next++;
        set[i] = (int32_t)label[r];
    }
    gk_free(fx);
    return rc;
}

int gk_dedup_items(const gk_mat *KX, const gk_mat *KY, int64_t *keep, int64_t *n_keep)
{
    GK_FAIL_IF(!KX || !keep || !n_keep, GK_EARG, "duplicates: arguments must not be NULL");
    if (!KY) return first_copies(KX, keep, n_keep);
    int32_t *set = gk_malloc((size_t)(KX->rows ? KX->rows : 1) * sizeof *set);
    GK_FAIL_IF(!set, GK_ENOMEM, "duplicates: out of memory");
    int rc = rt_linked_sets(KX, KY, set);
    /* set ids are given in item order: a new id is its set's smallest item */
    int32_t seen = 0;
    int64_t m = 0;
    for (int64_t i = 0; rc == GK_OK && i < KX->rows; i++)
        if (set[i] == seen) seen++, keep[m++] = i;
    if (rc == GK_OK) *n_keep = m;
    gk_free(set);
    return rc;
}

int gk_dedup_pair_rows(const gk_mat *X, const gk_mat *Y, int link_y, gk_mat **kx, gk_mat **ky,
                       int64_t *merged)
{
    GK_FAIL_IF(!X || !Y || !kx || !ky || !merged, GK_EARG,
               "duplicates: arguments must not be NULL");
    *kx = *ky = NULL;
    *merged = 0;
    const int64_t n = X->rows;
    int64_t *keep = gk_malloc((size_t)(n ? n : 1) * sizeof *keep), m = n;
    GK_FAIL_IF(!keep, GK_ENOMEM, "duplicates: out of memory");
    int rc = gk_dedup_items(X, link_y ? Y : NULL, keep, &m);
    if (rc == GK_OK && m < n) rc = gk_mat_select_rows(X, keep, m, kx);
    if (rc == GK_OK && m < n) rc = gk_mat_select_rows(Y, keep, m, ky);
    gk_free(keep);
    if (rc != GK_OK) {
        gk_mat_free(*kx), gk_mat_free(*ky);
        *kx = *ky = NULL;
        return rc;
    }
    *merged = n - m;
    return GK_OK;
}

int gk_dedup_labelled(const gk_mat *K, const int32_t *y, int64_t *keep, int64_t *n_keep)
{
    GK_FAIL_IF(!K || !y || !keep || !n_keep, GK_EARG, "duplicates: arguments must not be NULL");
    /* the key of an item: its row, then its class as one more float (exact
    ** below 2^24 classes), so equal keys mean same row and same class */
    gk_mat *A = NULL;
    int rc = gk_mat_create(K->rows, K->cols + 1, &A);
    for (int64_t i = 0; rc == GK_OK && i < K->rows; i++) {
        float *a = gk_mat_row(A, i);
        for (int64_t j = 0; j < K->cols; j++) a[j] = gk_mat_at(K, i, j);
        a[K->cols] = (float)y[i];
    }
    if (rc == GK_OK) rc = first_copies(A, keep, n_keep);
    gk_mat_free(A);
    return rc;
}
