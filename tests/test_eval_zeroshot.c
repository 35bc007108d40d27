/*
** test_eval_zeroshot.c — zero-shot classification: the ESC-50 reference
** (../shared/data/esc50-clap/README: top-1 0.9150 = 1830/2000, top-5 0.9935),
** prompt ensembles, ties, the confusion matrix and the class-disjoint protocol.
*/
#include "esc_test_util.h"

static void test_esc50_reference(void **state)
{
    (void)state;
    esc e;
    esc_load(&e);
    gk_zeroshot_result *r;
    assert_gk_ok(gk_zeroshot_eval(e.audio, e.prompts, e.y, &r));
    assert_int_equal(r->n, 2000);
    assert_int_equal(r->n_classes, 50);
    assert_close(r->top1, 0.9150, 1e-12);
    assert_close(r->top5, 0.9935, 1e-12);
    /* 40 clips per class, so balanced accuracy equals top-1 (eval_reference.py) */
    assert_close(r->mean_class_acc, 0.9150, 1e-12);
    int64_t diag = 0, total = 0;
    for (int t = 0; t < 50; t++) {
        assert_int_equal(r->class_n[t], 40);
        for (int p = 0; p < 50; p++) total += r->confusion[t * 50 + p];
        diag += r->confusion[t * 50 + t];
    }
    assert_int_equal(diag, 1830);
    assert_int_equal(total, 2000);
    char *json;
    assert_gk_ok(gk_zeroshot_to_json(r, (const char *const *)e.names->name, 1, &json));
    assert_non_null(strstr(json, "\"top1\": 0.915"));
    assert_non_null(strstr(json, "\"confusion\""));
    gk_free(json);
    gk_zeroshot_result_free(r);
    esc_free(&e);
}

/* An ensemble of a prompt with itself (twice, scaled) is that prompt. */
static void test_ensemble(void **state)
{
    (void)state;
    float p[] = {3, 4, 6, 8, 0, 1, 1, 0};
    int32_t cls[] = {0, 0, 1, 1};
    gk_mat *P, *E;
    assert_gk_ok(gk_mat_wrap(p, 4, 2, &P));
    assert_gk_ok(gk_zeroshot_ensemble(P, cls, 2, &E));
    assert_close(E->data[0], 0.6, 1e-7);
    assert_close(E->data[1], 0.8, 1e-7);
    assert_close(E->data[2], sqrt(0.5), 1e-7); /* mean of (0,1) and (1,0), renormalised */
    assert_close(E->data[3], sqrt(0.5), 1e-7);
    gk_mat_free(E);
    int32_t bad[] = {0, 0, 0, 0};
    assert_int_equal(gk_zeroshot_ensemble(P, bad, 2, &E), GK_EARG);
    assert_error_has("class 1 has no prompt");
    assert_null(E);
    gk_mat_free(P);
}

/* Equal similarities: prediction and rank favour the lower class index. */
static void test_ties_go_to_lower_class(void **state)
{
    (void)state;
    float x[] = {1, 0}, p[] = {0.5f, 1, 0.5f, -1, 0.2f, 0};
    int32_t y[] = {1};
    gk_mat *X, *P;
    gk_zeroshot_result *r;
    assert_gk_ok(gk_mat_wrap(x, 1, 2, &X));
    assert_gk_ok(gk_mat_wrap(p, 3, 2, &P));
    assert_gk_ok(gk_zeroshot_eval(X, P, y, &r));
    assert_int_equal(r->pred[0], 0);
    assert_close(r->top1, 0, 0);
    assert_close(r->top5, 1, 0);
    assert_true(isnan(r->class_acc[0]));
    assert_close(r->class_acc[1], 0, 0);
    gk_zeroshot_result_free(r);
    y[0] = 3;
    assert_int_equal(gk_zeroshot_eval(X, P, y, &r), GK_EARG);
    gk_mat_free(X);
    gk_mat_free(P);
}

/* Class-disjoint split: only the test classes are candidates, and a COMET
** transform fitted on the train classes is applied before scoring. */
static void test_class_split_protocol(void **state)
{
    (void)state;
    esc e;
    esc_load(&e);
    gk_split *s;
    assert_gk_ok(gk_split_classes(e.y, 2000, 50, 0.5, 0, &s));
    gk_zeroshot_result *r;
    assert_gk_ok(gk_zeroshot_protocol(e.audio, e.y, e.prompts, s, NULL, NULL, 0, &r));
    assert_int_equal(r->n_classes, 25);
    assert_int_equal(r->n, 1000);
    for (int c = 0; c < 25; c++) assert_true(s->test_class[r->class_id[c]]);
    assert_true(r->top1 >= 0.915); /* fewer candidates: at least as easy */
    assert_non_null(strstr(r->split, "25 train classes / 25 test classes, 1000/1000 rows"));
    gk_zeroshot_result_free(r);
    gk_align_opts xf;
    assert_gk_ok(gk_align_parse("comet:k=16", &xf));
    assert_gk_ok(gk_zeroshot_protocol(e.audio, e.y, e.prompts, s, &xf, NULL, 0, &r));
    assert_int_equal(r->n_classes, 25);
    assert_true(r->top1 > 1.0 / 25); /* far above chance on unseen classes */
    assert_non_null(strstr(r->transform, "comet:k=16"));
    gk_zeroshot_result_free(r);
    /* a fit without a split would leak */
    assert_int_equal(gk_zeroshot_protocol(e.audio, e.y, e.prompts, NULL, &xf, NULL, 0, &r),
                     GK_EARG);
    assert_error_has("needs a split");
    gk_split_free(s);
    esc_free(&e);
}

/* Two folds scoring different classes add into one table by original class. */
static void test_confusion_add(void **state)
{
    (void)state;
    int64_t conf_a[4] = {2, 1, 0, 4}, conf_b[4] = {3, 0, 1, 1}, sum[16] = {0};
    int32_t ids_a[2] = {1, 3}, ids_b[2] = {0, 3};
    gk_zeroshot_result a, b;
    memset(&a, 0, sizeof a), memset(&b, 0, sizeof b);
    a.n_classes = 2, a.confusion = conf_a, a.class_id = ids_a;
    b.n_classes = 2, b.confusion = conf_b, b.class_id = ids_b;
    gk_zeroshot_confusion_add(&a, sum, 4);
    gk_zeroshot_confusion_add(&b, sum, 4);
    const int64_t want[16] = {3, 0, 0, 0, /**/ 0, 2, 0, 1, /**/ 0, 0, 0, 0, /**/ 1, 0, 0, 5};
    assert_memory_equal(sum, want, sizeof want);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_confusion_add),
        cmocka_unit_test(test_esc50_reference),
        cmocka_unit_test(test_ensemble),
        cmocka_unit_test(test_ties_go_to_lower_class),
        cmocka_unit_test(test_class_split_protocol),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
