/*
** test_compare_tests.c — the paired tests of gk_compare_run between named
** rows: `--test A,B` split at the comma that starts a method, names resolved
** to rows (unknown ones refused before anything is fitted), and identities
** of the tests themselves on synthetic data: a row tested against an equal
** row differs by exactly 0 with p = 1; B against A is A against B negated
** (interval mirrored, same p); a named pair equals the same pair's test
** against identity; and the Holm family counts every test.  The numbers
** against numpy on real data: tests/cli/compare_tests.sh.
*/
#include "test_util.h"

static void test_vs_parse(void **state)
{
    (void)state;
    gk_compare_vs v;
    assert_gk_ok(gk_compare_vs_parse("procrustes,comet", &v));
    assert_string_equal(v.a, "procrustes");
    assert_string_equal(v.b, "comet");
    assert_gk_ok(gk_compare_vs_parse("cca:k=32,ridge=0.1,comet:k=auto,weight=align", &v));
    assert_string_equal(v.a, "cca:k=32,ridge=0.1");
    assert_string_equal(v.b, "comet:k=auto,weight=align");
    assert_int_equal(gk_compare_vs_parse("procrustes", &v), GK_EARG);
    assert_int_equal(gk_compare_vs_parse("a,b,c", &v), GK_EARG);   /* two places to cut */
    assert_int_equal(gk_compare_vs_parse("cca:k=1,ridge=2", &v), GK_EARG); /* KEY=V only */
    assert_int_equal(gk_compare_vs_parse(",b", &v), GK_EARG);
}

static void test_check_versus(void **state)
{
    (void)state;
    gk_align_opts m[3];
    assert_gk_ok(gk_align_parse("identity", &m[0]));
    assert_gk_ok(gk_align_parse("center", &m[1]));
    assert_gk_ok(gk_align_parse("comet:k=auto", &m[2]));
    gk_compare_opts o = gk_compare_opts_default();
    gk_compare_vs v = {"comet", "identity"}; /* a bare method: its first row */
    o.versus = &v, o.n_versus = 1;
    assert_gk_ok(gk_compare_check_versus(m, 3, &o));
    snprintf(v.a, sizeof v.a, "cca");
    assert_int_equal(gk_compare_check_versus(m, 3, &o), GK_EARG);
    assert_non_null(strstr(gk_last_error(), "'cca' is not a row (rows: identity, center, "
                                            "comet:k=auto,weight=none)"));
    snprintf(v.a, sizeof v.a, "center");
    snprintf(v.b, sizeof v.b, "center");
    assert_int_equal(gk_compare_check_versus(m, 3, &o), GK_EARG);
}

static void assert_same(const gk_compare_test *x, const gk_compare_test *y, double sign)
{
    assert_int_equal(x->tested, y->tested);
    assert_close(x->d.diff.value, sign * y->d.diff.value, 1e-12);
    assert_close(x->d.diff.lo, sign > 0 ? y->d.diff.lo : -y->d.diff.hi, 1e-12);
    assert_close(x->d.diff.hi, sign > 0 ? y->d.diff.hi : -y->d.diff.lo, 1e-12);
    assert_close(x->d.p_value, y->d.p_value, 0);
    assert_close(x->p_holm, y->p_holm, 0);
}

static void test_identities(void **state)
{
    (void)state;
    gk_synth_opts so = gk_synth_opts_default();
    so.n = 400;
    gk_synth *s;
    assert_gk_ok(gk_synth_generate(&so, &s));
    const gk_mat *views[2] = {s->text, s->audio};
    gk_compare_input in = {2, views, NULL, NULL, 0, NULL, NULL, 0};
    gk_split_spec sp;
    gk_split *split;
    assert_gk_ok(gk_split_parse("random:0.5", &sp));
    assert_gk_ok(gk_split_make(&sp, so.n, NULL, 0, NULL, 1, &split));
    gk_align_opts m[3];
    assert_gk_ok(gk_align_parse("identity", &m[0]));
    assert_gk_ok(gk_align_parse("center", &m[1]));
    assert_gk_ok(gk_align_parse("identity", &m[2]));
    gk_compare_vs v[2] = {{"identity", "center"}, {"center", "identity"}};
    gk_compare_opts o = gk_compare_opts_default();
    o.split = split, o.versus = v, o.n_versus = 2, o.n_perm = 199, o.boot.B = 200;
    o.groups.do_cluster = o.groups.do_knn = o.groups.do_probe = 0;
    gk_compare_result *r;
    assert_gk_ok(gk_compare_run(&in, m, 3, &o, &r));
    assert_int_equal(r->baseline, 0);
    assert_int_equal(r->n_versus, 4);
    assert_int_equal(r->n_named, 2);
    assert_int_equal(r->n_tests, 4 * 2 * GK_CMP_N_RANKED); /* no prompts: no zero-shot */
    const gk_compare_tests *center = &r->tests[r->rows[1].vs_baseline];
    const gk_compare_tests *same = &r->tests[r->rows[2].vs_baseline];
    for (int dir = 0; dir < 2; dir++)
        for (int k = 0; k < GK_CMP_N_RANKED; k++) {
            const gk_compare_test *z = gk_compare_tests_at(same, 0, dir, k);
            assert_true(z->tested);
            assert_true(z->d.diff.value == 0 && z->d.diff.lo == 0 && z->d.diff.hi == 0);
            assert_true(z->d.p_value == 1 && z->p_holm == 1 && !z->significant);
            assert_same(gk_compare_tests_at(&r->tests[3], 0, dir, k),
                        gk_compare_tests_at(center, 0, dir, k), 1);
            assert_same(gk_compare_tests_at(&r->tests[2], 0, dir, k),
                        gk_compare_tests_at(center, 0, dir, k), -1);
            /* the R@1 difference is the difference of the rows' R@1 */
            const gk_retrieval_metrics *a = dir ? &r->rows[1].pairs[0].b2a
                                                : &r->rows[1].pairs[0].a2b;
            const gk_retrieval_metrics *b = dir ? &r->rows[0].pairs[0].b2a
                                                : &r->rows[0].pairs[0].a2b;
            const double want[GK_CMP_N_RANKED] = {a->r1 - b->r1, a->r5 - b->r5,
                                                  a->map10 - b->map10};
            assert_close(gk_compare_tests_at(center, 0, dir, k)->d.diff.value, want[k],
                                1e-12);
        }
    assert_false(center->zs_top1.tested);
    gk_compare_result_free(r);
    gk_split_free(split);
    gk_synth_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_vs_parse),
        cmocka_unit_test(test_check_versus),
        cmocka_unit_test(test_identities),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
