/*
** test_eval_split.c — splits: sizes, disjointness and coverage, class
** disjointness, reproducibility with the seed, folds and the parser.
*/
#include "test_util.h"

/* train ∪ test = 0..n−1, disjoint, both ascending. */
static void assert_partition(const gk_split *s)
{
    uint8_t *seen = calloc((size_t)s->n, 1);
    assert_int_equal(s->n_train + s->n_test, s->n);
    for (int64_t i = 0; i < s->n_train; i++) {
        assert_true(i == 0 || s->train[i] > s->train[i - 1]);
        seen[s->train[i]]++;
    }
    for (int64_t i = 0; i < s->n_test; i++) {
        assert_true(i == 0 || s->test[i] > s->test[i - 1]);
        seen[s->test[i]]++;
    }
    for (int64_t i = 0; i < s->n; i++) assert_int_equal(seen[i], 1);
    free(seen);
}

static void test_random_split(void **state)
{
    (void)state;
    gk_split *a, *b, *c;
    assert_gk_ok(gk_split_random(1000, 0.2, 7, &a));
    assert_gk_ok(gk_split_random(1000, 0.2, 7, &b));
    assert_gk_ok(gk_split_random(1000, 0.2, 8, &c));
    assert_partition(a);
    assert_int_equal(a->n_test, 200);
    assert_memory_equal(a->test, b->test, 200 * sizeof(int64_t));
    assert_true(memcmp(a->test, c->test, 200 * sizeof(int64_t)) != 0);
    assert_string_equal(a->desc, "random:0.2 seed 7: 800 train / 200 test rows");
    gk_split_free(a);
    gk_split_free(b);
    gk_split_free(c);
    assert_gk_ok(gk_split_random(3, 0.01, 0, &a)); /* at least one test row */
    assert_int_equal(a->n_test, 1);
    gk_split_free(a);
    assert_int_equal(gk_split_random(10, 1.0, 0, &a), GK_EARG);
    assert_null(a);
    gk_split_free(NULL);
}

static void test_class_split(void **state)
{
    (void)state;
    int32_t cls[2000];
    for (int i = 0; i < 2000; i++) cls[i] = (i * 13) % 50;
    gk_split *a, *b;
    assert_gk_ok(gk_split_classes(cls, 2000, 50, 0.5, 0, &a));
    assert_gk_ok(gk_split_classes(cls, 2000, 50, 0.5, 0, &b));
    assert_partition(a);
    assert_int_equal(a->n_test_classes, 25);
    assert_int_equal(a->n_test, 1000);
    assert_memory_equal(a->test_class, b->test_class, 50);
    /* class-disjoint: no class has rows on both sides */
    for (int64_t i = 0; i < a->n_train; i++) assert_int_equal(a->test_class[cls[a->train[i]]], 0);
    for (int64_t i = 0; i < a->n_test; i++) assert_int_equal(a->test_class[cls[a->test[i]]], 1);
    assert_string_equal(a->desc,
                        "classes:0.5 seed 0: 25 train classes / 25 test classes, 1000/1000 rows");
    gk_split_free(a);
    gk_split_free(b);
    cls[5] = 50;
    assert_int_equal(gk_split_classes(cls, 2000, 50, 0.5, 0, &a), GK_EARG);
    assert_error_has("row 5");
}

static void test_fold_split_and_parse(void **state)
{
    (void)state;
    const char *v[] = {"1", "2", "1", "3", "2"};
    gk_split *s;
    gk_split_spec sp;
    assert_gk_ok(gk_split_parse("fold:fold=2", &sp));
    assert_int_equal(sp.kind, GK_SPLIT_FOLD);
    assert_string_equal(sp.column, "fold");
    assert_string_equal(sp.value, "2");
    assert_gk_ok(gk_split_make(&sp, 5, NULL, 0, v, 0, &s));
    assert_partition(s);
    assert_int_equal(s->n_test, 2);
    assert_int_equal(s->test[0], 1);
    assert_int_equal(s->test[1], 4);
    assert_string_equal(s->desc, "fold:fold=2: 3 train / 2 test rows");
    gk_split_free(s);
    assert_int_equal(gk_split_fold(v, 5, "fold", "9", &s), GK_EARG);
    assert_error_has("no row has fold = '9'");
    assert_gk_ok(gk_split_parse("fold:fold", &sp));
    assert_int_equal(sp.has_value, 0);
    assert_gk_ok(gk_split_parse("random:0.25", &sp));
    assert_close(sp.fraction, 0.25, 0);
    assert_gk_ok(gk_split_parse("classes:0.5", &sp));
    assert_int_equal(sp.kind, GK_SPLIT_CLASSES);
    assert_int_equal(gk_split_parse("random:1.5", &sp), GK_EARG);
    assert_int_equal(gk_split_parse("random:abc", &sp), GK_EARG);
    assert_int_equal(gk_split_parse("fold:", &sp), GK_EARG);
    assert_int_equal(gk_split_parse("halves", &sp), GK_EARG);
    assert_error_has("expected random:FRACTION");
    assert_int_equal(gk_split_make(&(gk_split_spec){GK_SPLIT_CLASSES, 0.5, "", "", 0}, 5, NULL,
                                   0, NULL, 0, &s), GK_EARG);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_random_split),
        cmocka_unit_test(test_class_split),
        cmocka_unit_test(test_fold_split_and_parse),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
