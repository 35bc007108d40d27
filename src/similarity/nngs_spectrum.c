/*
** nngs_spectrum.c — the NNGS spectrum (TAS): NNGS at every k = 1 .. N−2 in
** O(N²) after one ordering of each row, and its output as .npy or text.
**
** For row i let oX, oY be its full orders of the other W = N−1 rows (the kNN
** engine's ORDER stream) and rY(j) the position of j in oY.  The element
** oX[a] lies in both top-k sets iff a < k and rY(oX[a]) < k, i.e. iff
** k > max(a, rY(oX[a])).  So with h = the histogram of those maxima,
** I_i(k) = Σ_{r<k} h[r] for every k at once, and J_i(k) = I/(2k − I).
** Rows are summed in fixed chunks of SPEC_CHUNK rows (in parallel), and
** the chunk sums are added in chunk order: the same sums on any number of
** threads.
*/
#include <math.h>
#include <stdio.h>
#include <string.h>
#ifdef _OPENMP
#include <omp.h>
#endif

#include "core/error_internal.h"
#include "gapkit/io.h"
#include "nngs_internal.h"

#define SPEC_CHUNK 8

void gk_tas_free(gk_tas *t)
{
    if (!t) return;
    gk_free(t->raw);
    gk_free(t->normalized);
    gk_free(t);
}

/* Adds J_i(k), k = 1..N−2, of one row to part (N−2,); rank (N,), hist (W,). */
static void row_spectrum(const int64_t *ox, const int64_t *oy, int64_t n, int64_t *rank,
                         int64_t *hist, double *part)
{
    const int64_t W = n - 1;
    for (int64_t a = 0; a < W; a++) rank[oy[a]] = a;
    memset(hist, 0, (size_t)W * sizeof *hist);
    for (int64_t a = 0; a < W; a++) {
        const int64_t r = rank[ox[a]];
        hist[r > a ? r : a]++;
    }
    int64_t inter = 0;
    for (int64_t k = 1; k <= n - 2; k++) {
        inter += hist[k - 1];
        part[k - 1] += (double)inter / (double)(2 * k - inter);
    }
}

typedef struct spec_work {
    int64_t n, nt;
    int64_t *rank, *hist; /* (nt, N), (nt, W) */
    double *part;         /* (chunks per block, N−2) */
    double *total;        /* (N−2,) */
} spec_work;

/* Rows [r0, r0+nb) of both orders: chunk sums in parallel, then in order. */
static void block_spectrum(spec_work *w, const int64_t *ox, const int64_t *oy, int64_t nb)
{
    const int64_t n = w->n, W = n - 1, len = n - 2;
    const int64_t chunks = (nb + SPEC_CHUNK - 1) / SPEC_CHUNK;
    memset(w->part, 0, (size_t)(chunks * len) * sizeof *w->part);
#pragma omp parallel for num_threads((int)w->nt) schedule(dynamic, 1)
    for (int64_t c = 0; c < chunks; c++) {
        int tid = 0;
#ifdef _OPENMP
        tid = omp_get_thread_num();
#endif
        for (int64_t r = c * SPEC_CHUNK; r < nb && r < (c + 1) * SPEC_CHUNK; r++)
            row_spectrum(ox + r * W, oy + r * W, n, w->rank + tid * n, w->hist + tid * W,
                         w->part + c * len);
    }
    for (int64_t c = 0; c < chunks; c++)
        for (int64_t k = 0; k < len; k++) w->total[k] += w->part[c * len + k];
}

/* Scratch for N items and blocks of up to `block` rows. */
static int spec_work_init(spec_work *w, int64_t n, int64_t block)
{
    memset(w, 0, sizeof *w);
    w->n = n;
    w->nt = gk_get_threads() > 1 ? gk_get_threads() : 1;
    w->rank = gk_malloc((size_t)(w->nt * n) * sizeof *w->rank);
    w->hist = gk_malloc((size_t)(w->nt * n) * sizeof *w->hist);
    w->part = gk_malloc((size_t)((block + SPEC_CHUNK - 1) / SPEC_CHUNK * n) * sizeof *w->part);
    w->total = gk_calloc((size_t)n, sizeof *w->total);
    if (w->rank && w->hist && w->part && w->total) return GK_OK;
    return gk_set_error(GK_ENOMEM, "nngs spectrum: out of memory for N = %lld", (long long)n);
}

static void spec_work_free(spec_work *w)
{
    gk_free(w->rank);
    gk_free(w->hist);
    gk_free(w->part);
    gk_free(w->total);
}

/* Streams both spaces' orders in lockstep into w->total; w is set up at
** the first block, the largest (both streams cut the same blocks: same N). */
static int stream_both(gk_knn_stream *sx, gk_knn_stream *sy, int64_t n, spec_work *w)
{
    for (;;) {
        int64_t r0x, nbx, wx, r0y, nby, wy;
        const int64_t *ox, *oy;
        GK_TRY(gk_knn_stream_next(sx, &r0x, &nbx, &wx, NULL, &ox));
        GK_TRY(gk_knn_stream_next(sy, &r0y, &nby, &wy, NULL, &oy));
        GK_FAIL_IF(r0x != r0y || nbx != nby, GK_EINTERNAL, "nngs spectrum: streams out of step");
        if (nbx == 0) return GK_OK;
        if (r0x == 0) GK_TRY(spec_work_init(w, n, nbx));
        block_spectrum(w, ox, oy, nbx);
    }
}

static int open_stream(const gk_mat *A, gk_distance d, const char *name, gk_knn **idx,
                       gk_knn_stream **s)
{
    int rc = gk_knn_create(A, d, idx);
    if (rc == GK_OK) rc = gk_knn_stream_open(*idx, NULL, GK_KNN_ORDER, 0, s);
    return rc == GK_OK ? GK_OK : gk_error_prepend(rc, name);
}

/* A spectrum with its arrays for N items, from the row sums. */
static int tas_from_total(const double *total, int64_t n, gk_distance d, gk_tas **out)
{
    gk_tas *t = gk_calloc(1, sizeof *t);
    if (!t) return GK_ENOMEM;
    t->n = n;
    t->len = n - 2;
    t->distance = d;
    t->raw = gk_malloc((size_t)t->len * sizeof *t->raw);
    t->normalized = gk_malloc((size_t)t->len * sizeof *t->normalized);
    if (!t->raw || !t->normalized) {
        gk_tas_free(t);
        return GK_ENOMEM;
    }
    double s = 0;
    for (int64_t k = 1; k <= t->len; k++) {
        const double h = gk_nngs_chance(k, n);
        t->raw[k - 1] = total[k - 1] / (double)n;
        t->normalized[k - 1] = (t->raw[k - 1] - h) / (1 - h);
        s += t->normalized[k - 1];
    }
    t->mean_normalized = s / (double)t->len;
    *out = t;
    return GK_OK;
}

int gk_nngs_spectrum(const gk_mat *X, const gk_mat *Y, gk_distance d, gk_tas **out)
{
    GK_FAIL_IF(!out, GK_EARG, "nngs spectrum: out is NULL");
    *out = NULL;
    GK_TRY(nbr_check("nngs spectrum", X, Y, 3));
    gk_knn *ix = NULL, *iy = NULL;
    gk_knn_stream *sx = NULL, *sy = NULL;
    spec_work w = {0};
    int rc;
    GK_TRY_GOTO(rc, open_stream(X, d, "X", &ix, &sx), cleanup);
    GK_TRY_GOTO(rc, open_stream(Y, d, "Y", &iy, &sy), cleanup);
    GK_TRY_GOTO(rc, stream_both(sx, sy, X->rows, &w), cleanup);
    rc = tas_from_total(w.total, X->rows, d, out);
cleanup:
    spec_work_free(&w);
    gk_knn_stream_close(sx);
    gk_knn_stream_close(sy);
    gk_knn_free(ix);
    gk_knn_free(iy);
    return rc;
}

/* The text table: a header and one line per k. */
static int write_table(const gk_tas *t, const char *path)
{
    const size_t cap = 64 + (size_t)t->len * 80;
    char *buf = gk_malloc(cap);
    if (!buf) return GK_ENOMEM;
    size_t at = (size_t)snprintf(buf, cap, "k\tchance\traw\tnormalized\n");
    for (int64_t k = 1; k <= t->len; k++)
        at += (size_t)snprintf(buf + at, cap - at, "%lld\t%.9g\t%.9g\t%.9g\n", (long long)k,
                               gk_nngs_chance(k, t->n), t->raw[k - 1], t->normalized[k - 1]);
    int rc = gk_write_text_atomic(path, buf);
    gk_free(buf);
    return rc;
}

int gk_tas_write(const gk_tas *t, const char *path)
{
    GK_FAIL_IF(!t || !path, GK_EARG, "tas write: NULL argument");
    const size_t len = strlen(path);
    if (len < 4 || strcmp(path + len - 4, ".npy")) return write_table(t, path);
    double *a = gk_malloc((size_t)t->len * 4 * sizeof *a);
    if (!a) return GK_ENOMEM;
    for (int64_t k = 1; k <= t->len; k++) {
        double *row = a + (k - 1) * 4;
        row[0] = (double)k;
        row[1] = gk_nngs_chance(k, t->n);
        row[2] = t->raw[k - 1];
        row[3] = t->normalized[k - 1];
    }
    int rc = gk_npy_write_f64(path, a, t->len, 4);
    gk_free(a);
    return rc;
}
