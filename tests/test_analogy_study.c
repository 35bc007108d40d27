/*
** test_analogy_study.c — Pearson / Spearman with p-values (eval.h) against
** scipy.stats (values below printed by scipy 1.10, /usr/bin/python3:
** pearsonr, spearmanr), and the NNGS paper's analogy case study on
** ../shared/data against tests/reference/analogy_study_reference.py (numpy
** float64 kNN graphs and CKA, scipy correlations).
*/
#include "test_util.h"

static void test_correlations(void **state)
{
    (void)state;
    const double x[] = {1, 2, 3, 4, 5, 6, 7}, y[] = {2, 1, 4, 3, 7, 5, 6};
    double r, p;
    assert_gk_ok(gk_pearson(x, y, 7, &r, &p));
    assert_close(r, 0.8214285714285714, 1e-12);
    assert_close(p, 0.023448808345691526, 1e-12);
    assert_gk_ok(gk_spearman(x, y, 7, &r, &p));
    assert_close(r, 0.8214285714285715, 1e-12);
    assert_close(p, 0.023448808345691505, 1e-12);
    /* ties: mean ranks */
    const double a[] = {1, 2, 2, 3, 3, 3, 4, 10}, b[] = {5, 3, 3, 1, 2, 2, 0, -4};
    assert_gk_ok(gk_pearson(a, b, 8, &r, &p));
    assert_close(r, -0.9622504486493763, 1e-12);
    assert_close(p, 0.00013070665033946722, 1e-15);
    assert_gk_ok(gk_spearman(a, b, 8, &r, &p));
    assert_close(r, -0.981536873554092, 1e-12);
    assert_close(p, 1.551752333245785e-05, 1e-16);
    /* n = 3 (df = 1) and a heavy outlier */
    const double c[] = {1, 3, 2}, e[] = {0, 0.1, -0.1, 0.2, 5};
    assert_gk_ok(gk_pearson(x, c, 3, &r, &p));
    assert_close(p, 0.6666666666666667, 1e-12);
    assert_gk_ok(gk_pearson((const double[]){0, 1, 2, 3, 4}, e, 5, &r, &p));
    assert_close(r, 0.7204734743726362, 1e-12);
    assert_close(p, 0.16977105996269679, 1e-12);
    assert_close(gk_corr_pvalue(1.0, 10), 0.0, 0);
    assert_true(isnan(gk_corr_pvalue(0.5, 2)));
    /* bad input */
    assert_int_equal(gk_pearson(x, y, 2, &r, &p), GK_EARG);
    assert_error_has("at least 3 pairs");
    const double flat[] = {1, 1, 1, 1};
    assert_int_equal(gk_pearson(x, flat, 4, &r, &p), GK_ENUMERIC);
    assert_error_has("y values are all equal");
    assert_int_equal(gk_spearman(x, (const double[]){1, NAN, 2}, 3, &r, &p), GK_ENUMERIC);
}

static void test_glove_study(void **state)
{
    (void)state;
    gk_mat *W;
    gk_vocab *v;
    gk_analogy_questions *q;
    gk_analogy_study *s;
    gk_load_opts o = gk_load_opts_default();
    o.normalize = 0;
    assert_gk_ok(gk_load_matrix(shared_path("glove-6b-100d/vectors.npy"), &o, &W));
    assert_gk_ok(gk_vocab_read(shared_path("glove-6b-100d/vocab.txt"), &v));
    assert_gk_ok(gk_analogy_read(shared_path("analogy/questions-words.txt"), &q));
    assert_gk_ok(gk_analogy_study_run(W, v, q, NULL, &s));
    assert_int_equal(s->n_rows, 14);
    assert_int_equal(s->n_used, 14);
    /* analogy_study_reference.py: pairs, k, NNGS raw, linear CKA of three sections */
    assert_string_equal(s->rows[1].name, "capital-world");
    assert_int_equal(s->rows[1].n_pairs, 92);
    assert_int_equal(s->rows[1].k, 18);
    assert_close(s->rows[1].nngs_raw, 0.5111340774, 1e-9);
    assert_close(s->rows[1].nngs, 0.4508629363, 1e-9);
    assert_close(s->rows[1].cka, 0.8621531046, 1e-6);
    assert_int_equal(s->rows[2].n_pairs, 17);
    assert_close(s->rows[2].nngs_raw, 0.2764705882, 1e-9);
    assert_close(s->rows[3].cka, 0.4116098108, 1e-6);
    assert_close(s->rows[4].acc_add, 0.8736842105, 1e-9);
    /* correlations across the 14 sections (reference script) */
    assert_close(s->corr[0][0].pearson, 0.8489438063, 1e-6);
    assert_close(s->corr[0][0].pearson_p, 0.0001228648791, 1e-9);
    assert_close(s->corr[0][0].spearman, 0.8021978022, 1e-9);
    assert_close(s->corr[0][0].spearman_p, 0.0005563056128, 1e-9);
    assert_close(s->corr[1][0].pearson, 0.8485282292, 1e-6);
    assert_close(s->corr[2][0].pearson, 0.6706679293, 1e-6);
    assert_close(s->corr[2][0].spearman, 0.8065934066, 1e-9);
    assert_close(s->corr[2][1].pearson, 0.6866991496, 1e-6);
    char *json;
    assert_gk_ok(gk_analogy_study_to_json(s, &json));
    assert_non_null(strstr(json, "\"task\": \"analogy-nngs-study\""));
    assert_non_null(strstr(json, "\"measure\": \"cka-linear\""));
    gk_free(json);
    gk_analogy_study_free(s);
    gk_analogy_questions_free(q);
    gk_vocab_free(v);
    gk_mat_free(W);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_correlations),
        cmocka_unit_test(test_glove_study),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
