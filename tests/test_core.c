/*
** test_core.c — errors, allocation, RNG and the matrix helpers.
*/
#include "test_util.h"

static void test_error_text(void **state)
{
    (void)state;
    assert_int_equal(gk_set_error(GK_EARG, "k = %d is out of range", 7), GK_EARG);
    assert_string_equal(gk_last_error(), "k = 7 is out of range");
    gk_error_prepend(GK_EARG, "x.npy");
    assert_string_equal(gk_last_error(), "x.npy: k = 7 is out of range");
    assert_string_equal(gk_strerror(GK_ENOMEM), "out of memory");
    assert_string_equal(gk_strerror(12345), "unknown error");
}

static void test_rng_is_reproducible(void **state)
{
    (void)state;
    gk_rng a, b;
    gk_rng_seed(&a, 42);
    gk_rng_seed(&b, 42);
    for (int i = 0; i < 100; i++) assert_true(gk_rng_next(&a) == gk_rng_next(&b));
    /* mean and variance of 200k normals: within 5 standard errors */
    double s = 0, s2 = 0;
    int n = 200000;
    for (int i = 0; i < n; i++) {
        double z = gk_rng_normal(&a);
        s += z;
        s2 += z * z;
    }
    assert_close(s / n, 0.0, 5.0 / sqrt(n));
    assert_close(s2 / n, 1.0, 5.0 * sqrt(2.0 / n));
    for (int i = 0; i < 1000; i++) assert_true(gk_rng_below(&a, 7) < 7);
}

static void test_normalize_and_zero_row(void **state)
{
    (void)state;
    gk_mat *m;
    assert_gk_ok(gk_mat_create(3, 2, &m));
    float v[] = {3, 4, 0, 2, 1, 1};
    memcpy(m->data, v, sizeof v);
    assert_gk_ok(gk_mat_normalize_rows(m));
    assert_close(m->data[0], 0.6, 1e-7);
    assert_close(m->data[1], 0.8, 1e-7);
    assert_close(m->data[3], 1.0, 1e-7);
    m->data[2] = m->data[3] = 0;
    assert_int_equal(gk_mat_normalize_rows(m), GK_ENUMERIC);
    assert_error_has("row 1");
    m->data[5] = NAN;
    assert_int_equal(gk_mat_check_finite(m), GK_ENUMERIC);
    assert_error_has("row 2, column 1 is NaN");
    gk_mat_free(m);
    gk_mat_free(NULL);
}

static void test_col_mean_and_views(void **state)
{
    (void)state;
    gk_mat *m, *s;
    assert_gk_ok(gk_mat_create(4, 3, &m));
    for (int i = 0; i < 12; i++) m->data[i] = (float)i;
    double mean[3];
    assert_gk_ok(gk_mat_col_mean(m, mean));
    assert_close(mean[0], 4.5, 1e-12);
    assert_close(mean[2], 6.5, 1e-12);
    gk_mat v = gk_mat_view_rows(m, 2, 2);
    assert_close(gk_mat_at(&v, 0, 1), 7.0, 0);
    int64_t idx[] = {3, 0};
    assert_gk_ok(gk_mat_select_rows(m, idx, 2, &s));
    assert_close(s->data[0], 9.0, 0);
    assert_close(s->data[3], 0.0, 0);
    gk_mat_free(s);
    assert_int_equal(gk_mat_select_rows(m, (int64_t[]){4}, 1, &s), GK_EARG);
    assert_null(s);
    gk_mat_free(m);
}

static void test_allocation_failure_is_an_error(void **state)
{
    (void)state;
    /* gk_mat_create makes 3 allocations: failing any of them is ENOMEM, no leak */
    for (int k = 0; k < 4; k++) {
        count_from_here(k);
        gk_mat *m = (gk_mat *)0x1;
        int rc = gk_mat_create(10, 10, &m);
        if (k < 3) {
            assert_int_equal(rc, GK_ENOMEM);
            assert_null(m);
        } else {
            assert_gk_ok(rc);
            gk_mat_free(m);
        }
    }
    gk_set_allocator(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_error_text),
        cmocka_unit_test(test_rng_is_reproducible),
        cmocka_unit_test(test_normalize_and_zero_row),
        cmocka_unit_test(test_col_mean_and_views),
        cmocka_unit_test(test_allocation_failure_is_an_error),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
