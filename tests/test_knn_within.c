/*
** test_knn_within.c — the range query gk_knn_within() against a naive
** double-precision double loop over every pair (distances from their
** definitions): same pair set and order for the four distances, with exact
** ties and duplicate gallery rows, random data (pairs within 1e-6 of the
** radius may differ by the float preparation of the rows and are not
** compared), bit-identical results for 1 and 3 threads, and bad input.
*/
#include "knn_test_util.h"

static double naive_dist(const gk_mat *Q, int64_t i, const gk_mat *G, int64_t j, gk_distance d)
{
    double s = 0, qq = 0, gg = 0;
    for (int64_t c = 0; c < G->cols; c++) {
        const double a = gk_mat_at(Q, i, c), b = gk_mat_at(G, j, c);
        if (d == GK_DIST_EUCLIDEAN) s += (a - b) * (a - b);
        else if (d == GK_DIST_L1) s += fabs(a - b);
        else s += a * b;
        qq += a * a;
        gg += b * b;
    }
    if (d == GK_DIST_EUCLIDEAN) return sqrt(s);
    if (d == GK_DIST_COSINE) return 1 - s / sqrt(qq * gg);
    if (d == GK_DIST_IP) return -s;
    return s;
}

/* Every naive pair within r (not closer than `margin` to r) is found, in
** (query, gallery) order, and every found pair is naive-within r + margin. */
static void expect_naive(const gk_mat *G, const gk_mat *Q, gk_distance d, double r, double margin)
{
    gk_knn *idx;
    gk_knn_pairs p;
    assert_gk_ok(gk_knn_create(G, d, &idx));
    assert_gk_ok(gk_knn_within(idx, Q, r, &p));
    int64_t at = 0, checked = 0;
    for (int64_t i = 0; i < Q->rows; i++)
        for (int64_t j = 0; j < G->rows; j++) {
            const double nd = naive_dist(Q, i, G, j, d);
            const int found = at < p.n && p.q[at] == i && p.g[at] == j;
            if (fabs(nd - r) <= margin) {
                at += found;
                continue;
            }
            if ((nd <= r) != found)
                fail_msg("%s r=%g: pair (%lld,%lld) at %.9g %s", gk_distance_name(d), r,
                         (long long)i, (long long)j, nd, found ? "found" : "missed");
            if (found) assert_close(p.dist[at], nd, 1e-5 * (1 + fabs(nd)));
            at += found;
            checked += found;
        }
    assert_int_equal(at, p.n);
    assert_true(checked > 0 || p.n == 0);
    gk_knn_pairs_free(&p);
    gk_knn_free(idx);
}

static void test_ties_and_duplicates(void **state)
{
    (void)state;
    gk_mat *G = tie_data(300, 1), *Q = tie_data(40, 2);
    /* every distance is an exact dyadic: the radius can sit exactly on ties */
    expect_naive(G, Q, GK_DIST_COSINE, 0.5, 0);
    expect_naive(G, Q, GK_DIST_IP, -2, 0);
    expect_naive(G, Q, GK_DIST_EUCLIDEAN, 2, 0);
    expect_naive(G, Q, GK_DIST_L1, 4, 0);
    expect_naive(G, Q, GK_DIST_COSINE, 2, 0); /* every pair */
    expect_naive(G, Q, GK_DIST_COSINE, -1, 0); /* none */
    gk_mat_free(G);
    gk_mat_free(Q);
}

static void test_random_matches_naive(void **state)
{
    (void)state;
    gk_mat *G = gauss(2500, 12, 3), *Q = gauss(300, 12, 4); /* two gallery tiles, two query tiles */
    expect_naive(G, Q, GK_DIST_COSINE, 0.4, 1e-6);
    expect_naive(G, Q, GK_DIST_IP, -6, 1e-5);
    expect_naive(G, Q, GK_DIST_EUCLIDEAN, 3, 1e-5);
    expect_naive(G, Q, GK_DIST_L1, 6, 1e-5);
    gk_mat_free(G);
    gk_mat_free(Q);
}

static void test_threads_identical(void **state)
{
    (void)state;
    gk_mat *G = gauss(2100, 8, 5), *Q = gauss(700, 8, 6);
    gk_knn *idx;
    gk_knn_pairs a, b;
    assert_gk_ok(gk_knn_create(G, GK_DIST_COSINE, &idx));
    gk_set_threads(1);
    assert_gk_ok(gk_knn_within(idx, Q, 0.3, &a));
    gk_set_threads(3);
    assert_gk_ok(gk_knn_within(idx, Q, 0.3, &b));
    gk_set_threads(0);
    assert_true(a.n > 1000);
    assert_int_equal(a.n, b.n);
    assert_memory_equal(a.q, b.q, (size_t)a.n * sizeof *a.q);
    assert_memory_equal(a.g, b.g, (size_t)a.n * sizeof *a.g);
    assert_memory_equal(a.dist, b.dist, (size_t)a.n * sizeof *a.dist);
    gk_knn_pairs_free(&a);
    gk_knn_pairs_free(&b);
    gk_knn_free(idx);
    gk_mat_free(G);
    gk_mat_free(Q);
}

static void test_bad_input(void **state)
{
    (void)state;
    gk_mat *G = gauss(10, 4, 7), *Q = gauss(3, 5, 8);
    gk_knn *idx;
    gk_knn_pairs p;
    assert_gk_ok(gk_knn_create(G, GK_DIST_COSINE, &idx));
    assert_int_equal(gk_knn_within(idx, Q, 0.5, &p), GK_ESHAPE);
    assert_int_equal(p.n, 0);
    assert_int_equal(gk_knn_within(idx, G, NAN, &p), GK_EARG);
    assert_int_equal(gk_knn_within(NULL, G, 0.5, &p), GK_EARG);
    gk_knn_free(idx);
    gk_mat_free(G);
    gk_mat_free(Q);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ties_and_duplicates),
        cmocka_unit_test(test_random_matches_naive),
        cmocka_unit_test(test_threads_identical),
        cmocka_unit_test(test_bad_input),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
