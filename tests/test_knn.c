/*
** test_knn.c — the exact kNN engine against its naive twin (double-precision
** distances from the definitions, qsort by (distance, index)):
**   - exact equality of the neighbour lists on data built so that every
**     distance is computed exactly in float (many ties, duplicate rows), for
**     the four distances, graph and query, contiguous and strided inputs;
**   - random float data: the same lists up to float rounding of near-ties;
**   - bit-identical results for 1, 2 and 3 threads;
**   - the streams: keys and full orders agree with the graph and the naive
**     order; bad input.
*/
#include "knn_test_util.h"

/* Graph (Q == NULL) or query of the engine and of the naive twin; ids must
** be identical and distances equal to float rounding. */
static void expect_exact(const gk_mat *G, const gk_mat *Q, gk_distance d, int64_t k)
{
    const int64_t n = Q ? Q->rows : G->rows;
    int64_t *a = malloc((size_t)(n * k) * sizeof *a), *b = malloc((size_t)(n * k) * sizeof *b);
    float *da = malloc((size_t)(n * k) * sizeof *da);
    double *db = malloc((size_t)(n * k) * sizeof *db);
    gk_knn *idx;
    assert_gk_ok(gk_knn_create(G, d, &idx));
    if (Q) {
        assert_gk_ok(gk_knn_query(idx, Q, k, a, da));
        assert_gk_ok(gk_knn_query_naive(G, d, Q, k, b, db));
    } else {
        assert_gk_ok(gk_knn_graph(idx, k, a, da));
        assert_gk_ok(gk_knn_graph_naive(G, d, k, b, db));
    }
    for (int64_t i = 0; i < n * k; i++) {
        if (a[i] != b[i])
            fail_msg("%s k=%lld: row %lld rank %lld: engine %lld, naive %lld", gk_distance_name(d),
                     (long long)k, (long long)(i / k), (long long)(i % k), (long long)a[i],
                     (long long)b[i]);
        assert_close(da[i], db[i], 1e-5 * (1 + fabs(db[i])));
    }
    gk_knn_free(idx);
    free(a), free(b), free(da), free(db);
}

static void test_ties_and_duplicates_exact(void **state)
{
    (void)state;
    gk_mat *X = tie_data(300, 1), *Q = tie_data(40, 2);
    for (int t = 0; t < 4; t++) {
        expect_exact(X, NULL, all_dists[t], 1);
        expect_exact(X, NULL, all_dists[t], 17);
        expect_exact(X, NULL, all_dists[t], 299); /* every other row */
        expect_exact(X, Q, all_dists[t], 300);    /* the whole gallery */
    }
    gk_mat_free(X);
    gk_mat_free(Q);
}

static void test_self_excluded_duplicates_first(void **state)
{
    (void)state;
    gk_mat *X = gauss(10, 3, 3);
    memcpy(gk_mat_row(X, 7), gk_mat_row(X, 2), 3 * sizeof(float)); /* row 7 = row 2 */
    memcpy(gk_mat_row(X, 9), gk_mat_row(X, 2), 3 * sizeof(float)); /* row 9 = row 2 */
    gk_knn *idx;
    int64_t ids[10 * 3];
    float dist[10 * 3];
    for (int t = 0; t < 4; t++) {
        assert_gk_ok(gk_knn_create(X, all_dists[t], &idx));
        assert_gk_ok(gk_knn_graph(idx, 3, ids, dist));
        /* row 2's nearest are its copies 7 and 9 (by index), never itself */
        assert_int_equal(ids[2 * 3 + 0], 7);
        assert_int_equal(ids[2 * 3 + 1], 9);
        assert_int_equal(ids[7 * 3 + 0], 2);
        assert_int_equal(ids[7 * 3 + 1], 9);
        for (int64_t i = 0; i < 10 * 3; i++) assert_true(ids[i] != i / 3);
        if (all_dists[t] != GK_DIST_IP) assert_close(dist[2 * 3], 0.0, 1e-6);
        gk_knn_free(idx);
    }
    gk_mat_free(X);
}

/* True distance (double) of rows i of Q and j of G. */
static double true_dist(const gk_mat *Q, int64_t i, const gk_mat *G, int64_t j, gk_distance d)
{
    int64_t id;
    double v;
    gk_mat qi = gk_mat_view_rows(Q, i, 1), gj = gk_mat_view_rows(G, j, 1);
    assert_gk_ok(gk_knn_query_naive(&gj, d, &qi, 1, &id, &v));
    return v;
}

/* Random data: where the engine and the naive lists differ, the two chosen
** rows must be at the same true distance up to float rounding. */
static void expect_close(const gk_mat *G, const gk_mat *Q, gk_distance d, int64_t k)
{
    const int64_t n = Q->rows;
    int64_t *a = malloc((size_t)(n * k) * sizeof *a), *b = malloc((size_t)(n * k) * sizeof *b);
    double *db = malloc((size_t)(n * k) * sizeof *db);
    gk_knn *idx;
    assert_gk_ok(gk_knn_create(G, d, &idx));
    assert_gk_ok(gk_knn_query(idx, Q, k, a, NULL));
    assert_gk_ok(gk_knn_query_naive(G, d, Q, k, b, db));
    int64_t differ = 0;
    for (int64_t i = 0; i < n * k; i++) {
        if (a[i] == b[i]) continue;
        differ++;
        assert_close(true_dist(Q, i / k, G, a[i], d), db[i], 1e-5 * (1 + fabs(db[i])));
    }
    assert_true(differ <= n * k / 100);
    gk_knn_free(idx);
    free(a), free(b), free(db);
}

static void test_random_matches_naive(void **state)
{
    (void)state;
    gk_mat *G = gauss(450, 33, 4), *Q = gauss(70, 33, 5);
    for (int i = 0; i < 450 * 33; i++) G->data[i] += 3.0f; /* far from the origin */
    for (int t = 0; t < 4; t++) {
        expect_close(G, Q, all_dists[t], 10);
        expect_close(G, G, all_dists[t], 10); /* as queries, the row itself comes first */
    }
    gk_mat_free(G);
    gk_mat_free(Q);
}

static void test_strided_inputs(void **state)
{
    (void)state;
    /* the left half of a (300, 16) matrix (rs > cols), and a column-major copy */
    gk_mat *t300 = tie_data(300, 6), *wide, *cm;
    assert_gk_ok(gk_mat_create(300, 2 * TIE_D, &wide));
    assert_gk_ok(gk_mat_create(TIE_D, 300, &cm));
    for (int64_t i = 0; i < 300; i++)
        for (int d = 0; d < TIE_D; d++) {
            gk_mat_row(wide, i)[d] = gk_mat_row(t300, i)[d];
            gk_mat_row(wide, i)[TIE_D + d] = 100.0f; /* must never be read */
            cm->data[d * 300 + i] = gk_mat_row(t300, i)[d];
        }
    gk_mat left = {wide->data, 300, TIE_D, 2 * TIE_D, 1, NULL};
    gk_mat colmajor = {cm->data, 300, TIE_D, 1, 300, NULL};
    for (int t = 0; t < 4; t++) {
        expect_exact(&left, NULL, all_dists[t], 12);
        expect_exact(&colmajor, NULL, all_dists[t], 12);
        expect_exact(&left, &colmajor, all_dists[t], 12);
    }
    gk_mat_free(t300);
    gk_mat_free(wide);
    gk_mat_free(cm);
}

/* Several gallery tiles and query drives; the same bits for 1, 2, 3 threads. */
static void test_threads_deterministic(void **state)
{
    (void)state;
    const int64_t n = 2600, k = 7;
    gk_mat *X = gauss(n, 40, 7);
    int64_t *ids[3];
    float *dist[3];
    for (int t = 0; t < 4; t++) {
        for (int nt = 1; nt <= 3; nt++) {
            gk_set_threads(nt);
            gk_knn *idx;
            ids[nt - 1] = malloc((size_t)(n * k) * sizeof(int64_t));
            dist[nt - 1] = malloc((size_t)(n * k) * sizeof(float));
            assert_gk_ok(gk_knn_create(X, all_dists[t], &idx));
            assert_gk_ok(gk_knn_graph(idx, k, ids[nt - 1], dist[nt - 1]));
            gk_knn_free(idx);
        }
        for (int nt = 2; nt <= 3; nt++) {
            assert_memory_equal(ids[0], ids[nt - 1], (size_t)(n * k) * sizeof(int64_t));
            assert_memory_equal(dist[0], dist[nt - 1], (size_t)(n * k) * sizeof(float));
        }
        for (int nt = 0; nt < 3; nt++) free(ids[nt]), free(dist[nt]);
    }
    gk_set_threads(0);
    gk_mat_free(X);
}

/* ORDER stream: the first K of each row are the graph; the full orders of
** the tie data equal the naive full order. */
static void test_order_stream(void **state)
{
    (void)state;
    gk_mat *X = tie_data(260, 8);
    const int64_t n = 260, k = 5, W = n - 1;
    int64_t *full = malloc((size_t)(n * W) * sizeof *full), *g = malloc((size_t)(n * k) * 8);
    for (int t = 0; t < 4; t++) {
        gk_knn *idx;
        gk_knn_stream *s;
        assert_gk_ok(gk_knn_create(X, all_dists[t], &idx));
        assert_gk_ok(gk_knn_graph(idx, k, g, NULL));
        assert_gk_ok(gk_knn_graph_naive(X, all_dists[t], W, full, NULL));
        assert_gk_ok(gk_knn_stream_open(idx, NULL, GK_KNN_ORDER, 100, &s)); /* whole tiles */
        int64_t r0, nr, w, seen = 0;
        const int64_t *order;
        for (;;) {
            assert_gk_ok(gk_knn_stream_next(s, &r0, &nr, &w, NULL, &order));
            if (nr == 0) break;
            assert_int_equal(w, W);
            assert_int_equal(r0, seen);
            assert_true((nr >= 100 && nr % 128 == 0) || r0 + nr == n);
            assert_memory_equal(order, full + r0 * W, (size_t)(nr * W) * sizeof *order);
            for (int64_t r = 0; r < nr; r++)
                assert_memory_equal(order + r * W, g + (r0 + r) * k, (size_t)k * sizeof *g);
            seen += nr;
        }
        assert_int_equal(seen, n);
        gk_knn_stream_close(s);
        gk_knn_free(idx);
    }
    free(full);
    free(g);
    gk_mat_free(X);
}

/* KEYS stream with ip: key = −q·g; the smallest key of a row is its top-1. */
static void test_keys_stream(void **state)
{
    (void)state;
    gk_mat *G = gauss(300, 16, 9), *Q = gauss(50, 16, 10);
    gk_knn *idx;
    gk_knn_stream *s;
    int64_t top[50], r0, nr, w;
    const float *keys;
    assert_gk_ok(gk_knn_create(G, GK_DIST_IP, &idx));
    assert_gk_ok(gk_knn_query(idx, Q, 1, top, NULL));
    assert_gk_ok(gk_knn_stream_open(idx, Q, GK_KNN_KEYS, 0, &s));
    assert_gk_ok(gk_knn_stream_next(s, &r0, &nr, &w, &keys, NULL));
    assert_int_equal(r0, 0);
    assert_int_equal(nr, 50);
    assert_int_equal(w, 300);
    for (int64_t i = 0; i < 50; i++) {
        int64_t best = 0;
        for (int64_t j = 0; j < 300; j++) {
            double dot = 0;
            for (int d = 0; d < 16; d++) dot += (double)gk_mat_row(Q, i)[d] * gk_mat_row(G, j)[d];
            assert_close(keys[i * 300 + j], -dot, 1e-5);
            if (keys[i * 300 + j] < keys[i * 300 + best]) best = j;
        }
        assert_int_equal(best, top[i]);
    }
    assert_gk_ok(gk_knn_stream_next(s, &r0, &nr, &w, &keys, NULL));
    assert_int_equal(nr, 0);
    gk_knn_stream_close(s);
    gk_knn_free(idx);
    gk_mat_free(G);
    gk_mat_free(Q);
}

static void test_bad_input(void **state)
{
    (void)state;
    gk_mat *X = gauss(20, 4, 11), *Q = gauss(3, 5, 12);
    gk_knn *idx;
    int64_t ids[20 * 20];
    gk_distance d;
    assert_int_equal(gk_distance_parse("hamming", &d), GK_EARG);
    assert_error_has("expected euclidean, cosine, ip or l1");
    assert_gk_ok(gk_distance_parse("l2", &d));
    assert_int_equal(d, GK_DIST_EUCLIDEAN);
    assert_gk_ok(gk_knn_create(X, GK_DIST_EUCLIDEAN, &idx));
    assert_int_equal(gk_knn_graph(idx, 0, ids, NULL), GK_EARG);
    assert_int_equal(gk_knn_graph(idx, 20, ids, NULL), GK_EARG);
    assert_error_has("k = 20 is out of range");
    assert_int_equal(gk_knn_query(idx, Q, 1, ids, NULL), GK_ESHAPE);
    assert_error_has("dimension 5");
    gk_knn_free(idx);
    X->data[13] = NAN;
    assert_int_equal(gk_knn_create(X, GK_DIST_IP, &idx), GK_ENUMERIC);
    assert_null(idx);
    assert_error_has("gallery: row 3, column 1 is NaN");
    X->data[13] = 0;
    memset(gk_mat_row(X, 5), 0, 4 * sizeof(float));
    assert_int_equal(gk_knn_create(X, GK_DIST_COSINE, &idx), GK_ENUMERIC);
    assert_error_has("row 5 is all zeros");
    assert_gk_ok(gk_knn_create(X, GK_DIST_L1, &idx)); /* a zero row is fine for l1 */
    gk_knn_free(idx);
    gk_mat_free(X);
    gk_mat_free(Q);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ties_and_duplicates_exact),
        cmocka_unit_test(test_self_excluded_duplicates_first),
        cmocka_unit_test(test_random_matches_naive),
        cmocka_unit_test(test_strided_inputs),
        cmocka_unit_test(test_threads_deterministic),
        cmocka_unit_test(test_order_stream),
        cmocka_unit_test(test_keys_stream),
        cmocka_unit_test(test_bad_input),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
