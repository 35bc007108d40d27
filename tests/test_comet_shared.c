/*
** test_comet_shared.c — the step-down permutation test counts the shared
** axes the generator put in, finds none between independent modalities, and
** its p-values follow the definition; the recovered axes span the true ones.
*/
#include "test_util.h"

/* Generator with K shared axes, fitted with every axis kept. */
static void fit_synth(int64_t K, uint64_t seed, gk_synth **s, gk_comet **m)
{
    gk_synth_opts o = gk_synth_opts_default();
    o.k_shared = K;
    o.seed = seed;
    assert_gk_ok(gk_synth_generate(&o, s));
    assert_gk_ok(gk_comet_fit((*s)->text, (*s)->audio, 0, m));
}

static void test_counts_the_shared_axes_given(void **state)
{
    (void)state;
    const int64_t Ks[] = {3, 8, 12};
    for (int c = 0; c < 3; c++) {
        gk_synth *s;
        gk_comet *m;
        fit_synth(Ks[c], 11 + c, &s, &m);
        double p[64];
        int64_t n_shared;
        assert_gk_ok(gk_comet_permutation_test(m, s->text, s->audio, 49, 0.05, 1, p, &n_shared));
        printf("  K = %lld: %lld shared axes, p of axis K+1 = %.3f\n", (long long)Ks[c],
               (long long)n_shared, p[Ks[c]]);
        assert_int_equal(n_shared, Ks[c]);
        /* every shared axis beat all 49 permutations: p = 1/50 */
        for (int64_t j = 0; j < Ks[c]; j++) assert_close(p[j], 1.0 / 50, 1e-12);
        assert_true(p[Ks[c]] > 0.05);
        assert_true(isnan(p[Ks[c] + 1])); /* the test stopped */
        /* the recovered subspace holds the true axes */
        gk_synth_recovery *r;
        gk_comet *mk;
        assert_gk_ok(gk_comet_fit(s->text, s->audio, n_shared, &mk));
        assert_gk_ok(gk_synth_recovery_compare(s, mk, n_shared, &r));
        for (int64_t j = 0; j < Ks[c]; j++) assert_true(r->subspace[j] > 0.9);
        gk_synth_recovery_free(r);
        gk_comet_free(mk);
        gk_comet_free(m);
        gk_synth_free(s);
    }
}

static void test_independent_modalities_share_nothing(void **state)
{
    (void)state;
    gk_synth_opts o = gk_synth_opts_default();
    gk_synth *s1, *s2;
    gk_comet *m;
    /* no classes: with classes, row i of both draws would share a class id,
    ** a real (class-level) link that the test rightly finds */
    o.n_classes = 0;
    o.seed = 3;
    assert_gk_ok(gk_synth_generate(&o, &s1));
    o.seed = 4;
    assert_gk_ok(gk_synth_generate(&o, &s2));
    /* text of one draw with audio of another: no item-level link at all */
    assert_gk_ok(gk_comet_fit(s1->text, s2->audio, 0, &m));
    double p[64];
    int64_t n_shared;
    assert_gk_ok(gk_comet_permutation_test(m, s1->text, s2->audio, 49, 0.05, 2, p, &n_shared));
    printf("  independent: %lld shared axes, p_1 = %.3f\n", (long long)n_shared, p[0]);
    assert_int_equal(n_shared, 0);
    assert_true(p[0] > 0.05);
    gk_comet_free(m);
    gk_synth_free(s1), gk_synth_free(s2);
}

/* Items paired with a class-level row (as ESC-50 clips with their class
** prompt): the cross-covariance has rank C − 1 at most, and the axes beyond
** it are rounding noise that the test must not count. */
static void test_rank_limited_side_stops_at_its_rank(void **state)
{
    (void)state;
    gk_synth_opts o = gk_synth_opts_default();
    gk_synth *s;
    gk_comet *m;
    assert_gk_ok(gk_synth_generate(&o, &s));
    gk_mat *proto;
    assert_gk_ok(gk_mat_clone(s->audio, &proto));
    for (int64_t i = 0; i < proto->rows; i++) /* row i := audio row of its class's first item */
        for (int64_t f = 0; f < i; f++)
            if (s->label[f] == s->label[i]) {
                memcpy(gk_mat_row(proto, i), gk_mat_row(s->audio, f), 64 * sizeof(float));
                break;
            }
    assert_gk_ok(gk_comet_fit(s->text, proto, 0, &m));
    double p[64];
    int64_t n_shared;
    assert_gk_ok(gk_comet_permutation_test(m, s->text, proto, 19, 0.05, 4, p, &n_shared));
    printf("  %d classes: %lld shared axes\n", o.n_classes, (long long)n_shared);
    assert_true(n_shared <= o.n_classes - 1);
    assert_true(n_shared >= 5);
    assert_close(p[n_shared], 1.0, 1.0 - 0.05); /* the axis that stopped the test */
    gk_comet_free(m);
    gk_mat_free(proto);
    gk_synth_free(s);
}

static void test_bad_arguments(void **state)
{
    (void)state;
    gk_synth *s;
    gk_comet *m;
    fit_synth(4, 5, &s, &m);
    double p[64];
    int64_t n;
    assert_int_equal(gk_comet_permutation_test(m, s->text, s->audio, 0, 0.05, 0, p, &n),
                     GK_EARG);
    assert_int_equal(gk_comet_permutation_test(m, s->text, s->audio, 9, 1.5, 0, p, &n), GK_EARG);
    gk_mat head = gk_mat_view_rows(s->audio, 0, 10);
    assert_int_equal(gk_comet_permutation_test(m, s->text, &head, 9, 0.05, 0, p, &n),
                     GK_ESHAPE);
    assert_error_has("do not match");
    gk_comet_free(m);
    gk_synth_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_counts_the_shared_axes_given),
        cmocka_unit_test(test_independent_modalities_share_nothing),
        cmocka_unit_test(test_rank_limited_side_stops_at_its_rank),
        cmocka_unit_test(test_bad_arguments),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
