/*
** knn_test_util.h — data makers shared by test_knn.c and test_nngs.c.
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

#endif
