/*
** test_knn_rank.c — gk_knn_ranks (the rank of given gallery rows for every
** query row) against the naive twin's full order:
**   - data whose distances are exact in float (ties, duplicate rows): ranks
**     equal the positions in the naive order, for the four distances, for
**     a query set and for the gallery's own rows (itself excluded);
**   - random data spanning several tiles, with duplicated rows and targets
**     planted at near-ties: exact equality for ip and l1 (the engine's exact
**     distances are the naive ones), and for euclidean and cosine (computed
**     from centred / unit float rows) equality up to naive distances closer
**     than 1e-9;
**   - the top K of gk_knn_query() have ranks 1..K; thread independence;
**   - bad target lists.
*/
#include "knn_test_util.h"

/* 0..5 distinct random targets per row (never the row itself when self). */
static int64_t *random_targets(int64_t nq, int64_t N, int self, uint64_t seed, int64_t *tstart)
{
    gk_rng r;
    gk_rng_seed(&r, seed);
    int64_t *t = malloc((size_t)(nq * 5 + 1) * sizeof *t);
    tstart[0] = 0;
    for (int64_t i = 0; i < nq; i++) {
        int64_t m = (int64_t)gk_rng_below(&r, 6), a = tstart[i];
        for (int64_t p = 0; p < m; p++) {
            int64_t j, dup;
            do {
                j = (int64_t)gk_rng_below(&r, (uint64_t)N);
                dup = self && j == i;
                for (int64_t e = a; e < a + p; e++) dup |= t[e] == j;
            } while (dup);
            t[a + p] = j;
        }
        tstart[i + 1] = a + m;
    }
    return t;
}

/* Ranks of the engine and positions in the naive full order (of naive
** distances nd): equal, or (tol > 0) off only across naive distances
** within tol of the target's. */
static void expect_ranks(const gk_mat *G, const gk_mat *Q, gk_distance d, double tol,
                         uint64_t seed)
{
    const int self = Q == NULL;
    const int64_t N = G->rows, nq = self ? N : Q->rows, W = self ? N - 1 : N;
    int64_t *tstart = malloc((size_t)(nq + 1) * sizeof *tstart);
    int64_t *tg = random_targets(nq, N, self, seed, tstart);
    int64_t *rk = malloc((size_t)(tstart[nq] + 1) * sizeof *rk);
    int64_t *order = malloc((size_t)(nq * W) * sizeof *order);
    double *nd = malloc((size_t)(nq * W) * sizeof *nd);
    gk_knn *idx;
    assert_gk_ok(gk_knn_create(G, d, &idx));
    assert_gk_ok(gk_knn_ranks(idx, Q, tstart, tg, rk));
    if (self) assert_gk_ok(gk_knn_graph_naive(G, d, W, order, nd));
    else assert_gk_ok(gk_knn_query_naive(G, d, Q, W, order, nd));
    for (int64_t i = 0; i < nq; i++)
        for (int64_t e = tstart[i]; e < tstart[i + 1]; e++) {
            int64_t pos = 0;
            while (order[i * W + pos] != tg[e]) pos++;
            if (rk[e] == pos + 1) continue;
            const double dt = nd[i * W + pos], dr = nd[i * W + rk[e] - 1];
            if (tol > 0 && fabs(dt - dr) <= tol) continue;
            fail_msg("%s row %lld target %lld: rank %lld, naive position %lld (distances %.17g, "
                     "%.17g)", gk_distance_name(d), (long long)i, (long long)tg[e],
                     (long long)rk[e], (long long)pos + 1, dt, dr);
        }
    gk_knn_free(idx);
    free(tstart), free(tg), free(rk), free(order), free(nd);
}

static void test_ties_and_duplicates_exact(void **state)
{
    (void)state;
    gk_mat *X = tie_data(300, 1), *Q = tie_data(40, 2);
    for (int t = 0; t < 4; t++) {
        expect_ranks(X, NULL, all_dists[t], 0, 3);
        expect_ranks(X, Q, all_dists[t], 0, 4);
    }
    gk_mat_free(X);
    gk_mat_free(Q);
}

/* Gaussian rows over two gallery tiles and several query tiles, with rows
** duplicated and rows that differ from another in the last bit of one
** entry (near-ties far below the float keys' rounding). */
static gk_mat *near_tie_data(int64_t n, int64_t dim, uint64_t seed)
{
    gk_mat *X = gauss(n, dim, seed);
    for (int64_t i = 0; i + 40 < n; i += 97) {
        memcpy(gk_mat_row(X, i + 40), gk_mat_row(X, i), (size_t)dim * sizeof(float));
        memcpy(gk_mat_row(X, i + 20), gk_mat_row(X, i), (size_t)dim * sizeof(float));
        float *v = &gk_mat_row(X, i + 20)[i % dim];
        *v = nextafterf(*v, INFINITY);
    }
    return X;
}

static void test_random_near_ties(void **state)
{
    (void)state;
    gk_mat *G = near_tie_data(2300, 24, 5), *Q = near_tie_data(600, 24, 6);
    /* queries that ARE gallery rows: duplicates of the query at distance 0 */
    for (int64_t i = 0; i < 600; i += 7)
        memcpy(gk_mat_row(Q, i), gk_mat_row(G, 3 * i), 24 * sizeof(float));
    expect_ranks(G, Q, GK_DIST_IP, 0, 7);
    expect_ranks(G, Q, GK_DIST_L1, 0, 8);
    expect_ranks(G, NULL, GK_DIST_IP, 0, 9);
    expect_ranks(G, Q, GK_DIST_EUCLIDEAN, 1e-9, 10);
    expect_ranks(G, Q, GK_DIST_COSINE, 1e-9, 11);
    expect_ranks(G, NULL, GK_DIST_EUCLIDEAN, 1e-9, 12);
    gk_mat_free(G);
    gk_mat_free(Q);
}

/* On exact data the top K of a query are ranks 1..K; ranks are the same
** for 1 and 3 threads on random data. */
static void test_topk_and_threads(void **state)
{
    (void)state;
    gk_mat *X = tie_data(200, 13), *G = gauss(2200, 16, 14), *Q = gauss(300, 16, 15);
    enum { K = 9 };
    int64_t ids[200 * K], tstart[201], rk[200 * K];
    for (int t = 0; t < 4; t++) {
        gk_knn *idx;
        assert_gk_ok(gk_knn_create(X, all_dists[t], &idx));
        assert_gk_ok(gk_knn_graph(idx, K, ids, NULL));
        for (int64_t i = 0; i <= 200; i++) tstart[i] = i * K;
        assert_gk_ok(gk_knn_ranks(idx, NULL, tstart, ids, rk));
        for (int64_t e = 0; e < 200 * K; e++) assert_int_equal(rk[e], e % K + 1);
        gk_knn_free(idx);
    }
    int64_t ts[301], *tg = random_targets(300, 2200, 0, 16, ts);
    int64_t *r1 = malloc((size_t)ts[300] * sizeof *r1), *r3 = malloc((size_t)ts[300] * sizeof *r3);
    gk_knn *idx;
    assert_gk_ok(gk_knn_create(G, GK_DIST_EUCLIDEAN, &idx));
    gk_set_threads(1);
    assert_gk_ok(gk_knn_ranks(idx, Q, ts, tg, r1));
    gk_set_threads(3);
    assert_gk_ok(gk_knn_ranks(idx, Q, ts, tg, r3));
    gk_set_threads(0);
    assert_memory_equal(r1, r3, (size_t)ts[300] * sizeof *r1);
    gk_knn_free(idx);
    free(tg), free(r1), free(r3);
    gk_mat_free(X), gk_mat_free(G), gk_mat_free(Q);
}

static void test_bad_targets(void **state)
{
    (void)state;
    gk_mat *X = gauss(20, 4, 17), *Q = gauss(2, 4, 18);
    gk_knn *idx;
    int64_t ts[3] = {0, 1, 2}, tg[2] = {3, 20}, rk[2];
    assert_gk_ok(gk_knn_create(X, GK_DIST_EUCLIDEAN, &idx));
    assert_int_equal(gk_knn_ranks(idx, Q, ts, tg, rk), GK_EARG);
    assert_error_has("target 0 of row 1 is 20, outside the gallery's 0..19");
    tg[1] = 1;
    ts[1] = 2, ts[2] = 1;
    assert_int_equal(gk_knn_ranks(idx, Q, ts, tg, rk), GK_EARG);
    assert_error_has("tstart decreases at row 1");
    ts[0] = 1;
    assert_int_equal(gk_knn_ranks(idx, Q, ts, tg, rk), GK_EARG);
    assert_error_has("tstart[0] = 1");
    ts[0] = 0, ts[1] = 1, tg[0] = 0;
    /* the rows of X as queries: tstart has one entry per gallery row, plus one */
    int64_t ts_self[21] = {0}, rk_self[1];
    for (int i = 1; i <= 20; i++) ts_self[i] = 1; /* row 0 lists target 0, itself */
    assert_int_equal(gk_knn_ranks(idx, NULL, ts_self, tg, rk_self), GK_EARG);
    assert_error_has("row 0 lists itself");
    assert_int_equal(gk_knn_ranks(idx, Q, ts, NULL, rk), GK_EARG);
    Q->data[5] = NAN;
    assert_int_equal(gk_knn_ranks(idx, Q, ts, tg, rk), GK_ENUMERIC);
    assert_error_has("queries: row 1, column 1 is NaN");
    gk_knn_free(idx);
    gk_mat_free(X);
    gk_mat_free(Q);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ties_and_duplicates_exact),
        cmocka_unit_test(test_random_near_ties),
        cmocka_unit_test(test_topk_and_threads),
        cmocka_unit_test(test_bad_targets),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
