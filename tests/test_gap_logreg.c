/*
** test_gap_logreg.c — the logistic regression behind the separability
** diagnostic: gradient-free sanity (separable data → ~100 %, identical
** distributions → ~chance), multinomial, determinism, argument checks.
*/
#include "test_util.h"

/* n rows per class, D = 4, class c centred at shift·e_c. */
static void blobs(int64_t n, int32_t c, double shift, gk_mat **X, int32_t **y)
{
    gk_rng g;
    gk_rng_seed(&g, 11);
    assert_gk_ok(gk_mat_create(n * c, 4, X));
    *y = malloc(n * c * sizeof **y);
    for (int64_t i = 0; i < n * c; i++) {
        (*y)[i] = (int32_t)(i % c);
        for (int j = 0; j < 4; j++)
            (*X)->data[i * 4 + j] = (float)(gk_rng_normal(&g) + (j == (*y)[i] ? shift : 0));
    }
}

static void test_binary_and_multinomial(void **state)
{
    (void)state;
    for (int32_t c = 2; c <= 3; c++) {
        gk_mat *X;
        int32_t *y, *pred;
        gk_logreg *m;
        blobs(200, c, 6.0, &X, &y);
        pred = malloc(X->rows * sizeof *pred);
        double *proba = malloc(X->rows * c * sizeof *proba);
        assert_gk_ok(gk_logreg_fit(X, y, c, NULL, &m));
        assert_gk_ok(gk_logreg_predict(m, X, pred, proba));
        int64_t ok = 0;
        for (int64_t i = 0; i < X->rows; i++) ok += pred[i] == y[i];
        assert_true(ok >= X->rows * 99 / 100);
        double s = 0;
        for (int32_t k = 0; k < c; k++) s += proba[k];
        assert_close(s, 1.0, 1e-12);
        gk_logreg_free(m);
        free(pred), free(proba), free(y);
        gk_mat_free(X);
    }
}

static void test_cv_chance_and_determinism(void **state)
{
    (void)state;
    gk_mat *X;
    int32_t *y;
    blobs(300, 2, 0.0, &X, &y); /* no signal */
    double a1[5], a2[5], mean = 0;
    assert_gk_ok(gk_logreg_cv_accuracy(X, y, 2, 5, 42, NULL, a1));
    assert_gk_ok(gk_logreg_cv_accuracy(X, y, 2, 5, 42, NULL, a2));
    for (int f = 0; f < 5; f++) {
        assert_true(a1[f] == a2[f]);
        mean += a1[f] / 5;
    }
    assert_true(mean > 0.35 && mean < 0.65);
    assert_int_equal(gk_logreg_cv_accuracy(X, y, 2, 1, 0, NULL, a1), GK_EARG);
    y[3] = 7;
    gk_logreg *m;
    assert_int_equal(gk_logreg_fit(X, y, 2, NULL, &m), GK_EARG);
    assert_error_has("row 3");
    assert_null(m);
    free(y);
    gk_mat_free(X);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_binary_and_multinomial),
        cmocka_unit_test(test_cv_chance_and_determinism),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
