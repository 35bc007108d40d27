/*
** knn_stream.c — streams over blocks of query rows: every ranking key of a
** block (GK_KNN_KEYS, for rank-based retrieval metrics), or every row's full
** ORDER of the gallery (GK_KNN_ORDER, for the NNGS spectrum).
**
** A block is computed by the same tile driver as the top-k search, with the
** key tiles copied into the (rows, N) block, so the keys are the very keys
** the top-k search ranks.  Each row is then ordered by an LSD radix
** sort of (key, index): the float key is mapped to an unsigned integer of the
** same order (sign bit flipped, negatives complemented; −0 taken as +0 so
** that it ties with +0 as in float comparisons), packed above the 32-bit
** index, and sorted stably on the key bits in three 11-bit passes; rows enter
** in ascending index, so equal keys stay in index order.  O(N) per row.
*/
#include <string.h>
#ifdef _OPENMP
#include <omp.h>
#endif

#include "core/error_internal.h"
#include "knn_internal.h"

#define STREAM_ELEMS ((int64_t)1 << 24) /* automatic block: about this many keys */
#define RADIX_BITS 11
#define RADIX_SIZE (1 << RADIX_BITS)

struct gk_knn_stream {
    const gk_knn *idx;
    gk_mat q;            /* the query rows (a view; the gallery for self) */
    int self;            /* queries are the gallery: exclude row == query */
    gk_knn_stream_kind kind;
    int64_t block, next; /* rows per block, first row of the next block */
    knn_work w;
    float *keys;         /* (block, N) */
    int64_t *order;      /* (block, W), GK_KNN_ORDER only */
    uint64_t *sortbuf;   /* (threads, 2N) radix scratch */
    int64_t *hist;       /* (threads, RADIX_SIZE) */
};

typedef struct keys_ctx {
    float *keys;
    int64_t r0, n;
} keys_ctx;

/* Copies the tile's keys into the block, adding ‖g‖² for euclidean (the
** same float addition the top-k scan makes).  With duplicate gallery rows
** the tile holds distinct rows: each key goes to every copy. */
static void keys_visit(void *ud, const knn_work *w, const knn_lane *L, int64_t q0, int64_t nq,
                       int64_t g0, int64_t ng)
{
    const keys_ctx *c = ud;
    const gk_knn *idx = w->idx;
    const float *gn = idx->dist == GK_DIST_EUCLIDEAN ? L->gn : NULL;
    for (int64_t r = 0; r < nq; r++) {
        const float *t = L->keys + r * ng;
        float *out = c->keys + (q0 - c->r0 + r) * c->n;
        for (int64_t j = 0; j < ng; j++) {
            const float v = gn ? t[j] + gn[j] : t[j];
            if (!idx->copies) out[g0 + j] = v;
            else
                for (int64_t e = idx->cstart[g0 + j]; e < idx->cstart[g0 + j + 1]; e++)
                    out[idx->copies[e]] = v;
        }
    }
}

/* An unsigned integer with the order of the float f (−0 as +0). */
static inline uint32_t sortable(float f)
{
    uint32_t u;
    if (f == 0.0f) f = 0.0f;
    memcpy(&u, &f, sizeof u);
    return (u & 0x80000000u) ? ~u : (u | 0x80000000u);
}

/* out (m,) = indices of keys (N,) without `skip`, in (key, index) order. */
static void radix_row(const float *keys, int64_t N, int64_t skip, uint64_t *a, uint64_t *b,
                      int64_t *hist, int64_t *out)
{
    int64_t m = 0;
    for (int64_t j = 0; j < N; j++)
        if (j != skip) a[m++] = (uint64_t)sortable(keys[j]) << 32 | (uint64_t)j;
    for (int shift = 32; shift < 64; shift += RADIX_BITS) {
        memset(hist, 0, RADIX_SIZE * sizeof *hist);
        for (int64_t i = 0; i < m; i++) hist[(a[i] >> shift) & (RADIX_SIZE - 1)]++;
        if (hist[(a[0] >> shift) & (RADIX_SIZE - 1)] == m) continue; /* one bucket: no-op */
        for (int64_t v = 0, sum = 0; v < RADIX_SIZE; v++) {
            const int64_t c = hist[v];
            hist[v] = sum;
            sum += c;
        }
        for (int64_t i = 0; i < m; i++) b[hist[(a[i] >> shift) & (RADIX_SIZE - 1)]++] = a[i];
        uint64_t *t = a;
        a = b;
        b = t;
    }
    for (int64_t i = 0; i < m; i++) out[i] = (int64_t)(a[i] & 0xffffffffu);
}

static void order_block(gk_knn_stream *s, int64_t r0, int64_t nb)
{
    const int64_t N = s->idx->g.rows, W = s->self ? N - 1 : N;
#pragma omp parallel for num_threads(s->w.nt) schedule(dynamic, 4)
    for (int64_t r = 0; r < nb; r++) {
        int tid = 0;
#ifdef _OPENMP
        tid = omp_get_thread_num();
#endif
        uint64_t *a = s->sortbuf + (int64_t)tid * 2 * N;
        radix_row(s->keys + r * N, N, s->self ? r0 + r : -1, a, a + N,
                  s->hist + (int64_t)tid * RADIX_SIZE, s->order + r * W);
    }
}

static int stream_alloc(gk_knn_stream *s)
{
    const int64_t N = s->idx->g.rows, W = s->self ? N - 1 : N;
    GK_TRY(knn_work_init(&s->w, s->idx, &s->q));
    s->keys = gk_malloc((size_t)s->block * (size_t)N * sizeof *s->keys);
    if (!s->keys) return GK_ENOMEM;
    if (s->kind != GK_KNN_ORDER) return GK_OK;
    s->order = gk_malloc((size_t)s->block * (size_t)(W ? W : 1) * sizeof *s->order);
    s->sortbuf = gk_malloc((size_t)s->w.nt * 2 * (size_t)N * sizeof *s->sortbuf);
    s->hist = gk_malloc((size_t)s->w.nt * RADIX_SIZE * sizeof *s->hist);
    return s->order && s->sortbuf && s->hist ? GK_OK : GK_ENOMEM;
}

/* Rows per block in whole tiles: block_rows rounded up, or (0) at most
** about STREAM_ELEMS keys, rounded down (one tile at least). */
static int64_t block_rows_for(int64_t asked, int64_t N, int64_t nq)
{
    int64_t b = asked > 0 ? (asked + KNN_QT - 1) / KNN_QT * KNN_QT
                          : STREAM_ELEMS / N / KNN_QT * KNN_QT;
    if (b < KNN_QT) b = KNN_QT;
    const int64_t all = (nq + KNN_QT - 1) / KNN_QT * KNN_QT;
    return b < all ? b : all;
}

int gk_knn_stream_open(const gk_knn *idx, const gk_mat *Q, gk_knn_stream_kind kind,
                       int64_t block_rows, gk_knn_stream **out)
{
    GK_FAIL_IF(!out, GK_EARG, "knn stream: out is NULL");
    *out = NULL;
    GK_FAIL_IF(!idx, GK_EARG, "knn stream: index is NULL");
    GK_FAIL_IF(kind != GK_KNN_KEYS && kind != GK_KNN_ORDER, GK_EARG,
               "knn stream: unknown kind %d", (int)kind);
    const int64_t N = idx->g.rows;
    GK_FAIL_IF(kind == GK_KNN_ORDER && !Q && N < 2, GK_EARG,
               "knn stream: a gallery of %lld row has no other rows to order", (long long)N);
    GK_FAIL_IF(kind == GK_KNN_ORDER && N > (int64_t)UINT32_MAX, GK_EARG,
               "knn stream: orders need N < 2^32 (N = %lld)", (long long)N);
    if (Q) GK_TRY(knn_check_rows(idx, Q, "queries"));
    gk_knn_stream *s = gk_calloc(1, sizeof *s);
    if (!s) return GK_ENOMEM;
    s->idx = idx;
    s->q = Q ? *Q : idx->g;
    s->q.store = NULL;
    s->self = Q == NULL;
    s->kind = kind;
    s->block = block_rows_for(block_rows, N, s->q.rows > 0 ? s->q.rows : 1);
    int rc = stream_alloc(s);
    if (rc != GK_OK) {
        gk_knn_stream_close(s);
        return rc == GK_ENOMEM ? gk_set_error(GK_ENOMEM, "knn stream: out of memory for blocks "
                                              "of %lld × %lld", (long long)s->block,
                                              (long long)N) : rc;
    }
    *out = s;
    return GK_OK;
}

int gk_knn_stream_next(gk_knn_stream *s, int64_t *row0, int64_t *nrows, int64_t *width,
                       const float **keys, const int64_t **order)
{
    GK_FAIL_IF(!s || !row0 || !nrows || !width, GK_EARG, "knn stream: NULL argument");
    const int64_t N = s->idx->g.rows, r0 = s->next;
    const int64_t nb = s->q.rows - r0 < s->block ? s->q.rows - r0 : s->block;
    *row0 = r0;
    *nrows = nb;
    *width = s->kind == GK_KNN_ORDER && s->self ? N - 1 : N;
    if (keys) *keys = s->keys;
    if (order) *order = s->order;
    if (nb <= 0) {
        *nrows = 0;
        return GK_OK;
    }
    keys_ctx c = {s->keys, r0, N};
    const int saved = gk_blas_serial();
    knn_run(&s->w, r0, nb, keys_visit, NULL, &c);
    gk_blas_restore(saved);
    if (s->kind == GK_KNN_ORDER) order_block(s, r0, nb);
    s->next = r0 + nb;
    return GK_OK;
}

void gk_knn_stream_close(gk_knn_stream *s)
{
    if (!s) return;
    knn_work_free(&s->w);
    gk_free(s->keys);
    gk_free(s->order);
    gk_free(s->sortbuf);
    gk_free(s->hist);
    gk_free(s);
}
