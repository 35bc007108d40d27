/*
** knn_test_util.h — data makers shared by test_knn.c, test_knn_rank.c and
** test_nngs.c.
*/
#ifndef GAPKIT_KNN_TEST_UTIL_H
#define GAPKIT_KNN_TEST_UTIL_H

#include "test_util.h"

/* An (n, d) matrix of standard normal draws from gk_rng(seed). */
static inline gk_mat *gauss(int64_t n, int64_t d, uint64_t seed)
{
    gk_mat *m;
    gk_rng r;
    gk_rng_seed(&r, seed);
    assert_gk_ok(gk_mat_create(n, d, &m));
    for (int64_t i = 0; i < n * d; i++) m->data[i] = (float)gk_rng_normal(&r);
    return m;
}

#define TIE_D 8

/* Rows of exactly four ±1 entries among TIE_D (norm 2, so unit rows are
** exact halves), each followed by its negation (column means exactly 0, so
** centring is exact): every product, norm and key is an exact small dyadic,
** hence exactly tied distances tie in the engine too.  n must be even. */
static inline gk_mat *tie_data(int64_t n, uint64_t seed)
{
    gk_mat *m;
    gk_rng r;
    gk_rng_seed(&r, seed);
    assert_gk_ok(gk_mat_create(n, TIE_D, &m));
    for (int64_t i = 0; i < n; i += 2) {
        int64_t pos[TIE_D];
        for (int d = 0; d < TIE_D; d++) pos[d] = d;
        gk_rng_shuffle(&r, pos, TIE_D);
        for (int u = 0; u < 4; u++) {
            const float v = gk_rng_below(&r, 2) ? 1.0f : -1.0f;
            gk_mat_row(m, i)[pos[u]] = v;
            gk_mat_row(m, i + 1)[pos[u]] = -v;
        }
    }
    return m;
}

/* The four distances of the engine. */
static const gk_distance all_dists[] __attribute__((unused)) = {
    GK_DIST_EUCLIDEAN, GK_DIST_COSINE, GK_DIST_IP, GK_DIST_L1};

#endif
