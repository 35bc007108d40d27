/*
** test_eval_kfold.c — k-fold evaluation and the summary over folds: the
** Student t quantile against scipy, the t interval against numpy/scipy, the
** fold values of a column, and ESC-50's five folds of zero-shot (per-fold
** accuracies, summary and summed confusion against numpy, see below).
*/
#include "esc_test_util.h"

/* scipy.stats.t.ppf(p, df), scipy 1.x:
**   for p, df in [(0.975, 1), (0.975, 4), (0.975, 29), (0.995, 2), (0.9, 7.5),
**                 (0.025, 4), (0.6, 3), (1 - 1e-10, 1), (0.975, 1e6)]:
**       print(repr(stats.t.ppf(p, df))) */
static void test_t_quantile(void **state)
{
    (void)state;
    const double p[9] = {0.975, 0.975, 0.975, 0.995, 0.9, 0.025, 0.6, 1 - 1e-10, 0.975};
    const double df[9] = {1, 4, 29, 2, 7.5, 4, 3, 1, 1e6};
    const double ref[9] = {12.706204736432095, 2.7764451051977987, 2.045229642132703,
                           9.92484320091807,   1.4052118464151129, -2.7764451051977996,
                           0.27667066230490933, 3183098598.467146, 1.9599663568141066};
    for (int i = 0; i < 9; i++)
        assert_close(gk_t_quantile(p[i], df[i]), ref[i], 1e-9 * fabs(ref[i]));
    assert_true(gk_t_quantile(0.5, 3) == 0);
    assert_true(isnan(gk_t_quantile(0, 3)) && isnan(gk_t_quantile(1, 3)));
    assert_true(isnan(gk_t_quantile(0.9, 0)) && isnan(gk_t_quantile(NAN, 3)));
}

/* v = [0.9125, 0.9175, 0.91, 0.92, 0.905]; m = v.mean(); s = v.std(ddof=1);
** h = stats.t.ppf(0.975, 4) * s / sqrt(5) -> m, s, m - h, m + h; and
** [3, 7] at level 0.9: t.ppf(0.95, 1). */
static void test_t_interval(void **state)
{
    (void)state;
    const double v[5] = {0.9125, 0.9175, 0.91, 0.92, 0.905};
    gk_t_ci c;
    assert_gk_ok(gk_t_interval(v, 5, 0.95, &c));
    assert_int_equal(c.n, 5);
    assert_close(c.mean, 0.913, 1e-15);
    assert_close(c.sd, 0.005968668193156657, 1e-15);
    assert_close(c.lo, 0.9055889195873335, 1e-12);
    assert_close(c.hi, 0.9204110804126666, 1e-12);
    const double w[2] = {3, 7};
    assert_gk_ok(gk_t_interval(w, 2, 0.9, &c));
    assert_close(c.sd, 2.8284271247461903, 1e-14);
    assert_close(c.lo, -7.627503029601863, 1e-9);
    assert_close(c.hi, 17.62750302960186, 1e-9);
    assert_gk_ok(gk_t_interval(w, 1, 0.95, &c)); /* one run: no spread */
    assert_close(c.mean, 3, 0);
    assert_true(isnan(c.sd) && isnan(c.lo) && isnan(c.hi));
    assert_int_equal(gk_t_interval(w, 0, 0.95, &c), GK_EARG);
    assert_int_equal(gk_t_interval(w, 2, 1, &c), GK_EARG);
}

static void test_fold_values(void **state)
{
    (void)state;
    const char *v[7] = {"b", "a", "b", "c", "a", "a", "c"}, *out[7];
    assert_int_equal(gk_split_fold_values(v, 7, out), 3);
    assert_string_equal(out[0], "b");
    assert_string_equal(out[1], "a");
    assert_string_equal(out[2], "c");
    assert_int_equal(gk_split_fold_values(NULL, 7, out), 0);
}

/* References from numpy/scipy in float64 (unit rows, class of a clip = its
** class_name's line in class_names.txt, rank = 1 + #{classes scoring higher}):
**   S = A @ P.T; rank = 1 + (S > S[i, y][:, None]).sum(1); pred = S.argmax(1)
**   per fold f: top1 = (rank[m] == 1).mean(), top5 = (rank[m] <= 5).mean(),
**               np.add.at(conf, (y[m], pred[m]), 1)
**   summary: v.mean(), v.std(ddof=1), mean ∓ stats.t.ppf(0.975, 4)·sd/√5
** gives top-1 per fold 0.9175 0.915 0.92 0.9075 0.915, top-5 0.995 0.995 0.995
** 0.99 0.9925, trace(conf) 1830 of 2000. */
static void test_esc50_zeroshot_folds(void **state)
{
    (void)state;
    esc e;
    esc_load(&e);
    gk_score_opts so = gk_score_opts_default();
    so.intervals = 0;
    gk_zeroshot_folds *r;
    assert_gk_ok(gk_zeroshot_kfold(e.audio, e.y, e.prompts, (const char *const *)e.fold, "fold",
                                   NULL, NULL, 0, &so, &r));
    assert_int_equal(r->n_folds, 5);
    const double top1[5] = {0.9175, 0.915, 0.92, 0.9075, 0.915};
    const double top5[5] = {0.995, 0.995, 0.995, 0.99, 0.9925};
    for (int f = 0; f < 5; f++) {
        char want[2] = {(char)('1' + f), 0};
        assert_string_equal(r->value[f], want);
        assert_int_equal(r->fold[f]->n, 400);
        assert_close(r->fold[f]->top1, top1[f], 1e-12);
        assert_close(r->fold[f]->top5, top5[f], 1e-12);
    }
    assert_close(r->top1.mean, 0.915, 1e-12);
    assert_close(r->top1.sd, 0.004677071733467446, 1e-12);
    assert_close(r->top1.lo, 0.909192648411537, 1e-11);
    assert_close(r->top1.hi, 0.920807351588463, 1e-11);
    assert_close(r->top5.mean, 0.9934999999999998, 1e-12);
    assert_close(r->top5.sd, 0.0022360679774997855, 1e-12);
    assert_close(r->top5.lo, 0.990723554894802, 1e-11);
    assert_close(r->top5.hi, 0.9962764451051976, 1e-11);
    assert_int_equal(r->top1.n, 5);
    /* the summed confusion is the sum of the folds' (identity class ids here) */
    int64_t diag = 0, total = 0;
    for (int64_t i = 0; i < 2500; i++) {
        int64_t s = 0;
        for (int f = 0; f < 5; f++) s += r->fold[f]->confusion[i];
        assert_int_equal(r->confusion[i], s);
        total += s, diag += i % 51 == 0 ? s : 0;
    }
    assert_int_equal(diag, 1830);
    assert_int_equal(total, 2000);
    char *json;
    assert_gk_ok(gk_zeroshot_folds_to_json(r, (const char *const *)e.names->name, &json));
    assert_non_null(strstr(json, "\"folds\""));
    assert_non_null(strstr(json, "\"n_folds\": 5"));
    assert_non_null(strstr(json, "\"confusion\""));
    gk_free(json);
    gk_zeroshot_folds_free(r);
    /* a column with one value leaves no fold to train on */
    char *same[2000];
    for (int i = 0; i < 2000; i++) same[i] = "1";
    assert_int_equal(gk_zeroshot_kfold(e.audio, e.y, e.prompts, (const char *const *)same,
                                       "fold", NULL, NULL, 0, &so, &r), GK_EARG);
    assert_null(r);
    assert_error_has("no fold to train on");
    esc_free(&e);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_t_quantile),
        cmocka_unit_test(test_t_interval),
        cmocka_unit_test(test_fold_values),
        cmocka_unit_test(test_esc50_zeroshot_folds),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
