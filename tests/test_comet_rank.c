/*
** test_comet_rank.c — COMET's numerical rank and its noise axes against
** tests/reference/comet_rank_reference.py (numpy.linalg.matrix_rank of the
** centred cross-covariance): COCO CLIP with 500 pairs (rank 499 < D = 512)
** and with 20 pairs (rank 19); the JSON names the rank and marks the noise
** axes without align or corr values.
*/
#include "test_util.h"

static gk_mat *load_rows(const char *rel, int64_t n)
{
    gk_mat *m = NULL, *s = NULL;
    gk_load_opts o = gk_load_opts_default();
    assert_gk_ok(gk_load_matrix(shared_path(rel), &o, &m));
    if (n >= m->rows) return m;
    int64_t *idx = malloc((size_t)n * sizeof *idx);
    for (int64_t i = 0; i < n; i++) idx[i] = i;
    assert_gk_ok(gk_mat_select_rows(m, idx, n, &s));
    free(idx);
    gk_mat_free(m);
    return s;
}

static void check_rank(int64_t n, int64_t want)
{
    gk_mat *t = load_rows("clip-coco-liang/features_clip.npy:0", n);
    gk_mat *a = load_rows("clip-coco-liang/features_clip.npy:1", n);
    gk_comet *m;
    assert_gk_ok(gk_comet_fit(t, a, 8, &m));
    assert_int_equal(gk_comet_rank(m), 512);
    assert_int_equal(gk_comet_numerical_rank(m), want);
    char *json;
    assert_gk_ok(gk_comet_to_json(m, NULL, 0, &json));
    char key[32];
    snprintf(key, sizeof key, "\"rank\": %lld", (long long)want);
    assert_non_null(strstr(json, key));
    /* the last real axis has align; the first noise axis says noise and has none */
    snprintf(key, sizeof key, "\"axis\": %lld,", (long long)want + 1);
    const char *noise = strstr(json, key), *next = noise ? strstr(noise, "}") : NULL;
    assert_non_null(noise);
    assert_non_null(strstr(noise, "\"noise\": true"));
    assert_true(strstr(noise, "\"noise\": true") < next);
    const char *al = strstr(noise, "\"align\"");
    assert_true(!al || al > next);
    gk_free(json);
    gk_comet_free(m);
    gk_mat_free(t), gk_mat_free(a);
}

static void test_rank_500_pairs(void **state)
{
    (void)state;
    check_rank(500, 499);
}

static void test_rank_20_pairs(void **state)
{
    (void)state;
    check_rank(20, 19);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rank_500_pairs),
        cmocka_unit_test(test_rank_20_pairs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
