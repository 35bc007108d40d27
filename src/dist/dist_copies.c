/*
** dist_copies.c — the global duplicate table of rows spread over the ranks:
** for every row its first copy (the lowest bit-for-bit equal global row) and
** its distinct index, numbered exactly as one process numbers them
** (knn_find_copies: first copies in row order), so that the kNN ring can
** take its products with one copy of each distinct row in the tiles of one
** process.
**
**  1. every rank hashes its rows (FNV-1a, the hash of gk_mat_first_rows) and
**     the hashes are all-gathered: 8·n bytes per rank;
**  2. every rank sorts the (hash, row) pairs (16·n bytes) and, for each of
**     its rows, takes the lower rows of equal hash as candidates; none
**     anywhere (the usual case): no copies, done;
**  3. candidates are confirmed byte for byte while the shards pass around
**     the ring (dist_ring), so a hash collision never merges different rows;
**     a row keeps the lowest confirmed candidate (or itself);
**  4. the first copies are all-gathered (8·n) and every rank numbers the
**     distinct rows and groups the copies as one process does;
**  5. each rank sends its first copies to the rank owning their distinct
**     index (gk_dist_row_range of nd: shard boundaries at multiples of
**     GK_CROSS_BLOCK distinct rows, where the tiles of one process fall).
*/
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "core/error_internal.h"
#include "core/matrix_internal.h"
#include "dist_internal.h"

typedef struct hrow {
    uint64_t h;
    int64_t r;
} hrow;

static int cmp_hrow(const void *a, const void *b)
{
    const hrow *x = a, *y = b;
    if (x->h != y->h) return x->h < y->h ? -1 : 1;
    return (x->r > y->r) - (x->r < y->r);
}

/* The state of step 3 for this rank's rows. */
typedef struct confirm {
    const gk_mat *own;
    const hrow *pair; /* (n,) sorted by (hash, row) */
    int64_t *gs, *at; /* (nl,) own row's group start and position in pair */
    int64_t *best;    /* (nl,) lowest confirmed equal global row so far */
} confirm;

/* Step 3 on one shard: each own row against its candidates in [r0, r0+nr),
** ascending, stopping at the first equal one (an all-equal block costs one
** comparison per row and shard). */
static int visit_confirm(void *ud, const gk_mat *rows, int64_t r0, int owner)
{
    const confirm *c = ud;
    (void)owner;
#pragma omp parallel for schedule(dynamic, 256)
    for (int64_t i = 0; i < c->own->rows; i++) {
        int64_t lo = c->gs[i], hi = c->at[i];
        if (lo == hi || c->best[i] <= r0) continue;
        while (lo < hi) { /* first candidate at or after r0 (rows ascend in a group) */
            const int64_t mid = lo + (hi - lo) / 2;
            if (c->pair[mid].r < r0) lo = mid + 1;
            else hi = mid;
        }
        for (int64_t p = lo; p < c->at[i]; p++) {
            const int64_t j = c->pair[p].r;
            if (j >= c->best[i] || j >= r0 + rows->rows) break;
            if (mat_rows_equal(c->own, i, rows, j - r0)) {
                c->best[i] = j;
                break;
            }
        }
    }
    return GK_OK;
}

/* Steps 1–3: first (nl,) = the first copy of each own row; *any = 0 when no
** two rows anywhere share a hash (every rank sees the same hashes). */
static int own_first(const gk_mat *G, int64_t n, int64_t g0, int64_t *first, int *any)
{
    const int64_t nl = G->rows;
    uint64_t *h = gk_malloc((size_t)(n ? n : 1) * sizeof *h);
    hrow *pair = gk_malloc((size_t)(n ? n : 1) * sizeof *pair);
    int64_t *gs = gk_malloc((size_t)(nl ? nl : 1) * 2 * sizeof *gs);
    int rc = h && pair && gs ? GK_OK : gk_set_error(GK_ENOMEM, "duplicate table: out of memory "
                                                    "for %lld rows (rank %d)", (long long)n,
                                                    gk_dist_rank());
    if ((rc = gk_dist_agree(rc, NULL)) != GK_OK) goto out;
#pragma omp parallel for schedule(static)
    for (int64_t i = 0; i < nl; i++) h[g0 + i] = mat_row_hash(G, i);
    if ((rc = dist_allgather_rows(h, n, sizeof *h, "duplicate table")) != GK_OK) goto out;
    for (int64_t i = 0; i < n; i++) pair[i] = (hrow){h[i], i};
    gk_free(h), h = NULL; /* the peak: 8·n hashes + 16·n pairs + 8·n first copies */
    qsort(pair, (size_t)n, sizeof *pair, cmp_hrow);
    *any = 0;
    int64_t *at = gs + nl;
    for (int64_t p = 0, s = 0; p < n; p++) {
        if (p > 0 && pair[p].h != pair[p - 1].h) s = p;
        if (p > s) *any = 1;
        if (pair[p].r >= g0 && pair[p].r < g0 + nl) gs[pair[p].r - g0] = s, at[pair[p].r - g0] = p;
    }
    for (int64_t i = 0; i < nl; i++) first[i] = g0 + i;
    if (*any) {
        confirm c = {G, pair, gs, at, first};
        rc = dist_ring(G, n, visit_confirm, &c);
    }
out:
    gk_free(h), gk_free(pair), gk_free(gs);
    return rc;
}

/* Step 4: first (n,) becomes dc, the distinct index of every row; cstart and
** copies group the rows as knn_find_copies() does. */
static int number_rows(dist_copies *t, int64_t *first)
{
    const int64_t n = t->n;
    int64_t nd = 0;
    for (int64_t i = 0; i < n; i++) /* first[i] <= i: already a distinct index when < i */
        first[i] = first[i] == i ? nd++ : first[first[i]];
    t->nd = nd, t->dc = first;
    if (nd == n) return GK_OK;
    t->cstart = gk_calloc((size_t)nd + 1, sizeof *t->cstart);
    t->copies = gk_malloc((size_t)n * sizeof *t->copies);
    GK_FAIL_IF(!t->cstart || !t->copies, GK_ENOMEM, "duplicate table: out of memory for %lld "
               "rows (rank %d)", (long long)n, gk_dist_rank());
    for (int64_t i = 0; i < n; i++) t->cstart[first[i] + 1]++;
    for (int64_t c = 0; c < nd; c++) t->cstart[c + 1] += t->cstart[c];
    for (int64_t i = 0; i < n; i++) t->copies[t->cstart[first[i]]++] = i;
    for (int64_t c = nd; c > 0; c--) t->cstart[c] = t->cstart[c - 1]; /* undo the ++ */
    t->cstart[0] = 0;
    return GK_OK;
}

/* Step 5: this rank's first copies to the shards of the distinct rows. */
static int move_rows(dist_copies *t, const gk_mat *G, int64_t g0)
{
    const int P = gk_dist_size();
    const int64_t D = G->cols, nl = G->rows;
    int64_t dn, nsend = 0, bytes = 0;
    gk_dist_row_range(t->nd, gk_dist_rank(), P, &t->d0, &dn);
    for (int64_t i = 0; i < nl; i++) nsend += t->copies[t->cstart[t->dc[g0 + i]]] == g0 + i;
    int *cnt = gk_calloc((size_t)P, sizeof *cnt);
    float *send = gk_malloc((size_t)(nsend ? nsend : 1) * (size_t)D * sizeof *send);
    int rc = cnt && send ? GK_OK : gk_set_error(GK_ENOMEM, "duplicate table: out of memory "
                                                "(rank %d)", gk_dist_rank());
    for (int64_t i = 0, m = 0; rc == GK_OK && i < nl; i++) {
        const int64_t c = t->dc[g0 + i];
        if (t->copies[t->cstart[c]] != g0 + i) continue; /* not a first copy */
        const int s = dist_owner_of(c, t->nd);
        if ((int64_t)cnt[s] + D * 4 > INT_MAX) {
            rc = gk_set_error(GK_EARG, "duplicate table: over 2 GB of distinct rows for rank "
                              "%d; use more ranks", s);
            break;
        }
        cnt[s] += (int)(D * 4);
        for (int64_t j = 0; j < D; j++) send[m * D + j] = gk_mat_at(G, i, j);
        m++;
    }
    void *recv = NULL;
    if ((rc = gk_dist_agree(rc, NULL)) == GK_OK)
        rc = dist_alltoall_bytes(send, cnt, &recv, &bytes, "duplicate table");
    gk_free(cnt), gk_free(send);
    GK_TRY(rc);
    if (bytes != dn * D * 4) { /* cannot happen: every rank numbered the same rows */
        gk_free(recv);
        return gk_set_error(GK_EARG, "duplicate table: rank %d received %lld bytes, not %lld",
                            gk_dist_rank(), (long long)bytes, (long long)(dn * D * 4));
    }
    t->rows = (gk_mat){recv, dn, D, D, 1, NULL};
    return GK_OK;
}

int dist_copies_build(const gk_mat *G, int64_t n, int want_rows, dist_copies *t)
{
    memset(t, 0, sizeof *t);
    t->n = t->nd = n;
    int64_t g0, nl, *first = gk_malloc((size_t)(n ? n : 1) * sizeof *first);
    int any = 0;
    gk_dist_row_range(n, gk_dist_rank(), gk_dist_size(), &g0, &nl);
    int rc = first ? GK_OK : gk_set_error(GK_ENOMEM, "duplicate table: out of memory for %lld "
                                          "rows (rank %d)", (long long)n, gk_dist_rank());
    if (rc == GK_OK && nl != G->rows)
        rc = gk_set_error(GK_EARG, "duplicate table: rank %d holds %lld rows, not its "
                          "gk_dist_row_range() share %lld", gk_dist_rank(), (long long)G->rows,
                          (long long)nl);
    if ((rc = gk_dist_agree(rc, NULL)) == GK_OK) rc = own_first(G, n, g0, first + g0, &any);
    if (rc == GK_OK && any) rc = dist_allgather_rows(first, n, sizeof *first, "duplicate table");
    if (rc != GK_OK || !any) return gk_free(first), rc;
    rc = gk_dist_agree(number_rows(t, first), NULL);
    if (rc == GK_OK && t->nd < n && want_rows) rc = move_rows(t, G, g0);
    if (rc == GK_OK && t->nd == n) gk_free(t->dc), t->dc = NULL;
    if (rc != GK_OK) dist_copies_free(t);
    return rc;
}

void dist_copies_free(dist_copies *t)
{
    gk_free(t->dc), gk_free(t->cstart), gk_free(t->copies), gk_free(t->rows.data);
    memset(t, 0, sizeof *t);
}

int gk_dist_distinct_rows(const gk_mat *G, int64_t *nd)
{
    GK_FAIL_IF(!G || !nd, GK_EARG, "distinct rows: NULL argument");
    dist_copies t;
    GK_TRY(dist_copies_build(G, dist_total(G->rows), 0, &t));
    *nd = t.nd;
    dist_copies_free(&t);
    return GK_OK;
}
