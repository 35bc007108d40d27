/*
** test_stats.c — the statistics module (stats.h) against
** tests/reference/stats_reference.py: numpy on the SAME resampling indices
** (the script re-implements gapkit's RNG stream), scipy's exact sign-flip
** test, a hand-checked Holm case, and numpy's permutation null of linear CKA.
*/
#include "test_util.h"

static const double HITS[20] = {1, 0, 1, 1, 0, 1, 1, 1, 0, 1, 0, 1, 1, 0, 1, 1, 1, 0, 1, 1};
static const double AP[20] = {1.0, 0.5, 0.25, 1.0, 0.2, 1.0, 0.333333, 0.5, 0.1, 1.0,
                              0.125, 1.0, 0.5, 0.05, 1.0, 1.0, 0.25, 0.0625, 1.0, 0.5};
static const double RANK[20] = {1, 2, 4, 1, 5, 1, 3, 2, 10, 1, 8, 1, 2, 20, 1, 1, 4, 16, 1, 2};

static const gk_boot_opts OPTS = {200, 0.95, 7};

static void ap_b(double *b)
{
    for (int i = 0; i < 20; i++) b[i] = AP[i] * 0.8 + 0.05 * (i % 3);
}

/* The index stream is the documented one: the script's first and last draws. */
static void test_bootstrap_indices(void **state)
{
    (void)state;
    int64_t *idx = malloc(200 * 20 * sizeof *idx);
    assert_gk_ok(gk_bootstrap_indices(20, 200, 7, idx));
    const int64_t first[8] = {14, 14, 18, 4, 4, 1, 16, 16}, last[4] = {0, 12, 3, 7};
    for (int i = 0; i < 8; i++) assert_int_equal(idx[i], first[i]);
    for (int i = 0; i < 4; i++) assert_int_equal(idx[199 * 20 + 16 + i], last[i]);
    free(idx);
}

static void test_bootstrap_ci_reference(void **state)
{
    (void)state;
    gk_ci c;
    assert_gk_ok(gk_bootstrap_ci(HITS, 20, GK_STAT_MEAN, &OPTS, &c));
    assert_close(c.value, 0.7, 1e-12);
    assert_close(c.lo, 0.5, 1e-12);
    assert_close(c.hi, 0.9, 1e-12);
    assert_gk_ok(gk_bootstrap_ci(AP, 20, GK_STAT_MEAN, &OPTS, &c));
    assert_close(c.value, 0.56854165, 1e-12);
    assert_close(c.lo, 0.42602597625, 1e-12);
    assert_close(c.hi, 0.75171350875, 1e-12);
    assert_gk_ok(gk_bootstrap_ci(RANK, 20, GK_STAT_MEDIAN, &OPTS, &c));
    assert_close(c.value, 2.0, 1e-12);
    assert_close(c.lo, 1.0, 1e-12);
    assert_close(c.hi, 4.0, 1e-12);
    /* scipy.stats.bootstrap (percentile, its own 20000 draws): 0.4025 .. 0.7350 */
    gk_boot_opts big = {20000, 0.95, 1};
    assert_gk_ok(gk_bootstrap_ci(AP, 20, GK_STAT_MEAN, &big, &c));
    assert_close(c.lo, 0.4025, 0.01);
    assert_close(c.hi, 0.7350, 0.01);
}

/* Identities: a constant sample has a zero-width interval; same seed → same bytes. */
static void test_bootstrap_identities(void **state)
{
    (void)state;
    double v[7] = {3, 3, 3, 3, 3, 3, 3};
    gk_ci a, b;
    assert_gk_ok(gk_bootstrap_ci(v, 7, GK_STAT_MEDIAN, NULL, &a));
    assert_true(a.value == 3 && a.lo == 3 && a.hi == 3);
    assert_gk_ok(gk_bootstrap_ci(AP, 20, GK_STAT_MEAN, NULL, &a));
    assert_gk_ok(gk_bootstrap_ci(AP, 20, GK_STAT_MEAN, NULL, &b));
    assert_memory_equal(&a, &b, sizeof a);
    assert_true(a.lo <= a.value && a.value <= a.hi);
}

static void test_paired_reference(void **state)
{
    (void)state;
    double b[20];
    ap_b(b);
    gk_paired p;
    assert_gk_ok(gk_paired_test(AP, b, 20, GK_STAT_MEAN, &OPTS, 999, &p));
    assert_close(p.diff.value, 0.06620833, 1e-12);
    assert_close(p.diff.lo, 0.03377083, 1e-12);
    assert_close(p.diff.hi, 0.11185208325, 1e-12);
    assert_close(p.p_value, 0.012, 1e-15);
    /* a method against itself: difference 0, every flip ties, p = 1 */
    assert_gk_ok(gk_paired_test(AP, AP, 20, GK_STAT_MEAN, &OPTS, 99, &p));
    assert_true(p.diff.value == 0 && p.diff.lo == 0 && p.diff.hi == 0);
    assert_close(p.p_value, 1.0, 0);
    /* the median: interval, no p-value */
    assert_gk_ok(gk_paired_test(RANK, RANK, 20, GK_STAT_MEDIAN, &OPTS, 9, &p));
    assert_true(isnan(p.p_value));
}

/* scipy.stats.permutation_test, exact over all 2^12 sign flips of the first
** 12 differences: p = 0.041015625; the Monte-Carlo test with 20000 flips of
** seed 3 (the script: 0.043497825109) lies within 4 standard errors. */
static void test_paired_vs_exact(void **state)
{
    (void)state;
    double b[20];
    ap_b(b);
    gk_boot_opts o = {2, 0.95, 3};
    gk_paired p;
    assert_gk_ok(gk_paired_test(AP, b, 12, GK_STAT_MEAN, &o, 20000, &p));
    assert_close(p.p_value, 0.043497825109, 1e-11);
    assert_close(p.p_value, 0.041015625, 4 * sqrt(0.041 * 0.959 / 20000));
}

static void test_holm(void **state)
{
    (void)state;
    const double p[5] = {0.01, 0.04, 0.03, 0.005, 0.2}, want[5] = {0.04, 0.09, 0.09, 0.025, 0.2};
    double adj[5];
    assert_gk_ok(gk_holm(p, 5, adj));
    for (int i = 0; i < 5; i++) assert_close(adj[i], want[i], 1e-15);
    double one = 0.7;
    assert_gk_ok(gk_holm(&one, 1, &one));
    assert_close(one, 0.7, 0);
}

static int cka_fn(const gk_mat *X, const gk_mat *Y, void *ctx, double *value)
{
    (void)ctx;
    gk_cka_result r;
    int rc = gk_cka_linear(X, Y, &r);
    if (rc == GK_OK) *value = r.value;
    gk_cka_result_free(&r);
    return rc;
}

static void test_perm_null_cka(void **state)
{
    (void)state;
    gk_mat *X, *Y;
    assert_gk_ok(gk_mat_create(30, 4, &X));
    assert_gk_ok(gk_mat_create(30, 3, &Y));
    for (int i = 0; i < 30; i++) {
        for (int j = 0; j < 4; j++) gk_mat_row(X, i)[j] = (float)sin(1.3 * i + 0.7 * j);
        for (int j = 0; j < 3; j++)
            gk_mat_row(Y, i)[j] = (float)(cos(0.9 * i * (j + 1) + 0.3 * i) +
                                          0.5 * sin(1.3 * i + 0.7 * j));
    }
    gk_null_result r;
    double null[50];
    assert_gk_ok(gk_perm_null(cka_fn, NULL, X, Y, 50, 11, &r, null));
    assert_close(r.observed, 0.454226585885, 1e-6);
    assert_close(r.null_mean, 0.083873303866, 1e-6);
    assert_close(r.null_sd, 0.041777785849, 1e-6);
    assert_close(r.calibrated, 0.404259895036, 1e-6);
    assert_close(r.z, 8.864837484530, 1e-4);
    assert_close(r.p_value, 1.0 / 51, 1e-15);
    assert_int_equal(r.n_perm, 50);
    gk_mat_free(X), gk_mat_free(Y);
}

static void test_bad_arguments(void **state)
{
    (void)state;
    gk_ci c;
    gk_boot_opts o = {1, 0.95, 0};
    assert_int_equal(gk_bootstrap_ci(AP, 20, GK_STAT_MEAN, &o, &c), GK_EARG);
    assert_error_has("B = 1");
    o = (gk_boot_opts){100, 1.5, 0};
    assert_int_equal(gk_bootstrap_ci(AP, 20, GK_STAT_MEAN, &o, &c), GK_EARG);
    assert_error_has("level");
    assert_int_equal(gk_bootstrap_ci(AP, 0, GK_STAT_MEAN, NULL, &c), GK_EARG);
    gk_null_result r;
    double one = 0.5;
    assert_int_equal(gk_null_summary(0.5, &one, 1, &r), GK_EARG);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bootstrap_indices),
        cmocka_unit_test(test_bootstrap_ci_reference),
        cmocka_unit_test(test_bootstrap_identities),
        cmocka_unit_test(test_paired_reference),
        cmocka_unit_test(test_paired_vs_exact),
        cmocka_unit_test(test_holm),
        cmocka_unit_test(test_perm_null_cka),
        cmocka_unit_test(test_bad_arguments),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
