/*
** cka_median.c — the exact median of the pairwise distances of each of two
** spaces without storing the N(N−1)/2 distances: a radix selection on the
** bits of the float squared distances, two passes of cka_pairs_run.
**
** A non-negative IEEE float's bit pattern, read as an unsigned integer, sorts
** like the float.  Pass 1 counts the pairs by the high 16 bits; the bins
** holding the two middle ranks are found from the cumulative counts.  Pass 2
** counts, inside those bins only, by the low 16 bits: that pins the two
** middle values exactly.  Counts are integers, so the result is the same for
** any thread count.  sqrt is monotone, so the middle distances are the square
** roots of the middle squared distances.
*/
#include <math.h>
#include <string.h>

#include "cka_internal.h"
#include "core/error_internal.h"

#define BINS 65536

typedef struct median_ctx {
    int64_t n;
    int pass;          /* 1: high bits, 2: low bits inside the target bins */
    uint32_t hi[2][2]; /* pass 2: target high bits of rank k1, k2 per space */
    int64_t *hist;     /* (T, 2 spaces, 2 targets, BINS) counts per thread */
} median_ctx;

static inline uint32_t float_bits(float f)
{
    uint32_t u;
    memcpy(&u, &f, sizeof u);
    return u;
}

static inline int64_t *hist_of(const median_ctx *c, int t, int s, int k)
{
    return c->hist + (((int64_t)t * 2 + s) * 2 + k) * BINS;
}

/* Counts the pairs (i, j > i) of row i; d2[s] starts at column j0 == i's block start. */
static void count_row(void *ctx, int64_t i, int64_t j0, const float *const *d2, int t)
{
    median_ctx *c = ctx;
    for (int s = 0; s < 2; s++) {
        const float *p = d2[s] - j0;
        int64_t *h0 = hist_of(c, t, s, 0), *h1 = hist_of(c, t, s, 1);
        if (c->pass == 1) {
            for (int64_t j = i + 1; j < c->n; j++) h0[float_bits(p[j]) >> 16]++;
            continue;
        }
        for (int64_t j = i + 1; j < c->n; j++) {
            const uint32_t u = float_bits(p[j]), hi = u >> 16;
            if (hi == c->hi[s][0]) h0[u & 0xffff]++;
            if (hi == c->hi[s][1]) h1[u & 0xffff]++;
        }
    }
}

/* Sums the threads' histograms of (s, k) into thread 0's. */
static void reduce(median_ctx *c, int nt, int s, int k)
{
    int64_t *h = hist_of(c, 0, s, k);
    for (int t = 1; t < nt; t++) {
        const int64_t *o = hist_of(c, t, s, k);
        for (int b = 0; b < BINS; b++) h[b] += o[b];
    }
}

/* Bin holding 0-based rank *k of h; *k becomes the rank inside the bin. */
static uint32_t find_bin(const int64_t *h, int64_t *k)
{
    for (uint32_t b = 0; b < BINS; b++) {
        if (*k < h[b]) return b;
        *k -= h[b];
    }
    return BINS - 1; /* unreachable when *k < Σh */
}

int cka_median_distances(const cka_space *sp, double med[2])
{
    const int64_t n = sp[0].a->rows, m = n * (n - 1) / 2;
    const int nt = cka_pairs_threads();
    median_ctx c = {n, 1, {{0}}, NULL};
    int64_t rank[2][2];
    c.hist = gk_calloc((size_t)nt * 4 * BINS, sizeof *c.hist);
    GK_FAIL_IF(!c.hist, GK_ENOMEM, "median distance: out of memory");
    int rc = cka_pairs_run(sp, 1, count_row, &c);
    for (int s = 0; rc == GK_OK && s < 2; s++) {
        reduce(&c, nt, s, 0);
        rank[s][0] = (m - 1) / 2, rank[s][1] = m / 2;
        c.hi[s][0] = find_bin(hist_of(&c, 0, s, 0), &rank[s][0]);
        c.hi[s][1] = find_bin(hist_of(&c, 0, s, 0), &rank[s][1]);
    }
    if (rc == GK_OK) {
        memset(c.hist, 0, (size_t)nt * 4 * BINS * sizeof *c.hist);
        c.pass = 2;
        rc = cka_pairs_run(sp, 1, count_row, &c);
    }
    for (int s = 0; rc == GK_OK && s < 2; s++) {
        double d[2];
        for (int k = 0; k < 2; k++) {
            reduce(&c, nt, s, k);
            const uint32_t lo = find_bin(hist_of(&c, 0, s, k), &rank[s][k]);
            const uint32_t u = c.hi[s][k] << 16 | lo;
            float f;
            memcpy(&f, &u, sizeof f);
            d[k] = sqrt((double)f);
        }
        med[s] = (d[0] + d[1]) / 2;
    }
    gk_free(c.hist);
    return rc;
}
