/*
** test_nbr_sample.c — sampled neighbourhood measures (gk_nbr_measure_sampled):
**   - a sample of all N rows is the exact measure (each sampled row's term
**     is the exact term), with an empty interval;
**   - coverage: over many seeds the 95 % interval holds the exact value at
**     the stated rate, within a binomial tolerance (±3 standard deviations
**     of the count: a too narrow AND a too wide interval fail);
**   - analyze samples NNGS above 50,000 rows and the page says so;
**   - the same seed gives the same bytes for 1 and 2 threads; bad input.
*/
#include <math.h>
#include <stdlib.h>

#include "analyze/analyze_internal.h"
#include "gapkit/report.h"
#include "knn_test_util.h"

#define N_ITEMS 1000
#define SEEDS 200

static gk_kspec K(int64_t k) { return (gk_kspec){k, 0}; }

/* X (N,16) Gaussian; Y = X + noise: partly shared neighbourhoods, so the
** per-row terms vary from row to row. */
static void spaces(gk_mat **X, gk_mat **Y)
{
    *X = gauss(N_ITEMS, 16, 1);
    *Y = gauss(N_ITEMS, 16, 2);
    for (int64_t i = 0; i < N_ITEMS * 16; i++)
        (*Y)->data[i] = (*X)->data[i] + 0.6f * (*Y)->data[i];
}

static const char *names[] = {"nngs", "mutual-knn", "cycle-knn", "cknna"};

static gk_distance dist_of(int i) { return i == 0 ? GK_DIST_EUCLIDEAN : GK_DIST_COSINE; }

static void test_all_rows_is_exact(void **state)
{
    (void)state;
    gk_mat *X, *Y;
    spaces(&X, &Y);
    for (int i = 0; i < 4; i++) {
        gk_nbr_result e, s;
        assert_gk_ok(gk_nbr_measure(names[i], X, Y, K(10), dist_of(i), &e));
        assert_gk_ok(gk_nbr_measure_sampled(names[i], X, Y, K(10), dist_of(i), N_ITEMS, 7, &s));
        assert_int_equal(s.sampled_rows, N_ITEMS);
        assert_int_equal(e.sampled_rows, 0);
        assert_true(isnan(e.ci_lo) && isnan(e.ci_hi));
        assert_close(s.value, e.value, 1e-12);
        assert_close(s.ci_lo, e.value, 1e-12);
        assert_close(s.ci_hi, e.value, 1e-12);
        if (i == 3) assert_close(s.hsic_xy, e.hsic_xy, 1e-12 * fabs(e.hsic_xy));
        if (i < 2) assert_close(s.raw, e.raw, 1e-12);
    }
    gk_mat_free(X);
    gk_mat_free(Y);
}

static void test_sweep(void **state)
{
    (void)state;
    gk_mat *X, *Y;
    gk_nbr_result e[8], s[8], one;
    int ne, ns;
    spaces(&X, &Y);
    assert_gk_ok(gk_nngs_sweep(X, Y, NULL, 0, GK_DIST_EUCLIDEAN, e, &ne));
    assert_gk_ok(gk_nngs_sweep_sampled(X, Y, NULL, 0, GK_DIST_EUCLIDEAN, N_ITEMS, 1, s, &ns));
    assert_int_equal(ns, ne);
    for (int p = 0; p < ns; p++) {
        assert_int_equal(s[p].k, e[p].k);
        assert_close(s[p].value, e[p].value, 1e-12);
        assert_close(s[p].ci_hi, e[p].value, 1e-12);
    }
    /* a sample: each scale as the single-scale estimate of the same rows */
    assert_gk_ok(gk_nngs_sweep_sampled(X, Y, NULL, 0, GK_DIST_EUCLIDEAN, 100, 5, s, &ns));
    assert_gk_ok(gk_nbr_measure_sampled("nngs", X, Y, K(s[3].k), GK_DIST_EUCLIDEAN, 100, 5,
                                        &one));
    assert_close(s[3].value, one.value, 1e-12);
    assert_close(s[3].ci_lo, one.ci_lo, 1e-12);
    gk_mat_free(X);
    gk_mat_free(Y);
}

/* The NNGS section analyze writes for X, Y, and the report page of it. */
static json_t *analyze_nngs(const gk_mat *X, const gk_mat *Y, char **html)
{
    const gk_mat *views[2] = {X, Y};
    gk_analyze_input in = {0};
    gk_analyze_opts o = gk_analyze_opts_default();
    json_t *doc = json_pack("{s:s,s:i}", "format", "gapkit-report", "version", 1);
    in.n_views = 2;
    in.views = views;
    assert_gk_ok(analyze_neighbours(&in, &o, doc));
    char *text = json_dumps(doc, 0);
    assert_gk_ok(gk_report_render_html(text, html));
    free(text);
    json_t *nn = json_incref(json_object_get(doc, "nngs"));
    json_decref(doc);
    return nn;
}

static void test_analyze_samples_large_inputs(void **state)
{
    (void)state;
    gk_mat *X = gauss(50001, 4, 1), *Y = gauss(50001, 4, 2), *x, *y;
    char *html;
    json_t *nn = analyze_nngs(X, Y, &html);
    assert_int_equal(json_integer_value(json_object_get(nn, "sampled_rows")), 2000);
    const double v = json_number_value(json_array_get(json_object_get(nn, "nngs"), 2));
    const double lo = json_number_value(json_array_get(json_object_get(nn, "ci_lo"), 2));
    const double hi = json_number_value(json_array_get(json_object_get(nn, "ci_hi"), 2));
    assert_true(lo < v && v < hi && hi - lo < 0.02); /* independent spaces: NNGS ≈ 0 */
    assert_true(lo < 0.001 && hi > -0.001);
    assert_non_null(strstr(html, "estimated from 2000 rows: 95% ["));
    json_decref(nn);
    gk_free(html);
    spaces(&x, &y); /* 1000 rows: exact */
    nn = analyze_nngs(x, y, &html);
    assert_null(json_object_get(nn, "sampled_rows"));
    assert_null(strstr(html, "estimated from"));
    json_decref(nn);
    gk_free(html);
    gk_mat_free(X), gk_mat_free(Y), gk_mat_free(x), gk_mat_free(y);
}

/* Intervals of SEEDS samples of m rows that hold the exact value. */
static int covered(const char *name, gk_distance d, const gk_mat *X, const gk_mat *Y,
                   int64_t m, double *mean_half)
{
    gk_nbr_result e, s;
    int hits = 0;
    double half = 0;
    assert_gk_ok(gk_nbr_measure(name, X, Y, K(10), d, &e));
    for (int seed = 0; seed < SEEDS; seed++) {
        assert_gk_ok(gk_nbr_measure_sampled(name, X, Y, K(10), d, m, (uint64_t)seed, &s));
        assert_true(s.ci_lo <= s.value && s.value <= s.ci_hi);
        hits += s.ci_lo <= e.value && e.value <= s.ci_hi;
        half += (s.ci_hi - s.ci_lo) / 2 / SEEDS;
    }
    *mean_half = half;
    return hits;
}

static void test_coverage(void **state)
{
    (void)state;
    gk_mat *X, *Y;
    spaces(&X, &Y);
    gk_set_threads(1); /* 800 small searches: no thread start-ups (seed_and_threads checks 2) */
    /* binomial(SEEDS, 0.95): mean 190, sd 3.08; ±3 sd */
    const double lo = SEEDS * 0.95 - 3 * sqrt(SEEDS * 0.95 * 0.05);
    const double hi = SEEDS * 0.95 + 3 * sqrt(SEEDS * 0.95 * 0.05);
    for (int i = 0; i < 4; i++) {
        double half;
        const int64_t m = i < 2 ? 100 : 200; /* Bernoulli / ratio terms want more */
        const int hits = covered(names[i], dist_of(i), X, Y, m, &half);
        print_message("%-10s m = %lld: %d of %d intervals cover (mean half-width %.4f)\n",
                      names[i], (long long)m, hits, SEEDS, half);
        assert_true(hits >= lo && hits <= hi);
        assert_true(half > 0);
    }
    gk_set_threads(0);
    gk_mat_free(X);
    gk_mat_free(Y);
}

static void test_seed_and_threads(void **state)
{
    (void)state;
    gk_mat *X, *Y;
    spaces(&X, &Y);
    for (int i = 0; i < 4; i++) {
        gk_nbr_result a, b, c;
        gk_set_threads(1);
        assert_gk_ok(gk_nbr_measure_sampled(names[i], X, Y, K(5), dist_of(i), 200, 3, &a));
        gk_set_threads(2);
        assert_gk_ok(gk_nbr_measure_sampled(names[i], X, Y, K(5), dist_of(i), 200, 3, &b));
        assert_gk_ok(gk_nbr_measure_sampled(names[i], X, Y, K(5), dist_of(i), 200, 4, &c));
        assert_memory_equal(&a.value, &b.value, sizeof a.value);
        assert_memory_equal(&a.ci_lo, &b.ci_lo, sizeof a.ci_lo);
        assert_true(a.value != c.value); /* other rows */
    }
    gk_set_threads(0);
    gk_mat_free(X);
    gk_mat_free(Y);
}

static void test_json(void **state)
{
    (void)state;
    gk_mat *X, *Y;
    gk_nbr_result r;
    char *json;
    spaces(&X, &Y);
    assert_gk_ok(gk_nbr_measure_sampled("nngs", X, Y, K(10), GK_DIST_EUCLIDEAN, 50, 1, &r));
    assert_gk_ok(gk_nbr_to_json(&r, &json));
    assert_non_null(strstr(json, "\"sampled_rows\": 50"));
    assert_non_null(strstr(json, "\"ci_lo\""));
    assert_non_null(strstr(r.estimator, "ESTIMATED from 50 of 1000 rows"));
    gk_free(json);
    assert_gk_ok(gk_nngs(X, Y, K(10), GK_DIST_EUCLIDEAN, &r));
    assert_gk_ok(gk_nbr_to_json(&r, &json));
    assert_null(strstr(json, "ci_lo"));
    gk_free(json);
    gk_mat_free(X);
    gk_mat_free(Y);
}

static void test_bad_input(void **state)
{
    (void)state;
    gk_mat *X, *Y;
    gk_nbr_result r;
    spaces(&X, &Y);
    assert_int_equal(gk_nbr_measure_sampled("nngs", X, Y, K(10), GK_DIST_EUCLIDEAN, 19, 0, &r),
                     GK_EARG);
    assert_non_null(strstr(gk_last_error(), "20..1000"));
    assert_int_equal(gk_nbr_measure_sampled("nngs", X, Y, K(10), GK_DIST_EUCLIDEAN, 1001, 0, &r),
                     GK_EARG);
    assert_int_equal(gk_nbr_measure_sampled("tas", X, Y, K(10), GK_DIST_EUCLIDEAN, 50, 0, &r),
                     GK_EARG);
    assert_int_equal(gk_nbr_measure_sampled("cknna", X, Y, K(10), GK_DIST_EUCLIDEAN, 50, 0, &r),
                     GK_EARG);
    assert_int_equal(gk_nbr_measure_sampled("nngs", X, Y, K(999), GK_DIST_EUCLIDEAN, 50, 0, &r),
                     GK_EARG);
    gk_mat *Z = gauss(999, 16, 3);
    assert_int_equal(gk_nbr_measure_sampled("nngs", X, Z, K(10), GK_DIST_EUCLIDEAN, 50, 0, &r),
                     GK_ESHAPE);
    Y->data[5 * 16] = NAN;
    assert_int_equal(gk_nbr_measure_sampled("nngs", X, Y, K(10), GK_DIST_EUCLIDEAN, 50, 0, &r),
                     GK_ENUMERIC);
    gk_mat_free(Z);
    gk_mat_free(X);
    gk_mat_free(Y);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_all_rows_is_exact),
        cmocka_unit_test(test_sweep),
        cmocka_unit_test(test_analyze_samples_large_inputs),
        cmocka_unit_test(test_coverage),
        cmocka_unit_test(test_seed_and_threads),
        cmocka_unit_test(test_json),
        cmocka_unit_test(test_bad_input),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
