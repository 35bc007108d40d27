/*
** test_io_inspect.c — gk_inspect_file(): counts of NaN/Inf, zero rows,
** exact duplicate rows and row-norm statistics, and its JSON document.
*/
#include <jansson.h>

#include "io_test_util.h"

static void test_counts_and_norms(void **state)
{
    (void)state;
    unsigned char img[512];
    /* rows: (3,4) norm 5, duplicate of row 0, zero row, (NaN, Inf), (0,1) */
    float f[10] = {3, 4, 3, 4, 0, 0, NAN, INFINITY, 0, 1};
    size_t n = make_npy(img, 1, "{'descr': '<f4', 'fortran_order': False, 'shape': (5, 2), }", f,
                        sizeof f);
    const char *path = write_bytes("mixed.npy", img, n);
    gk_inspect r;
    assert_gk_ok(gk_inspect_file(path, &r));
    assert_int_equal(r.rows, 5);
    assert_int_equal(r.cols, 2);
    assert_int_equal(r.n_nan, 1);
    assert_int_equal(r.n_inf, 1);
    assert_int_equal(r.first_bad_row, 3);
    assert_int_equal(r.first_bad_col, 0);
    assert_int_equal(r.n_zero_rows, 1);
    assert_int_equal(r.n_duplicate_rows, 1);
    assert_close(r.norm_min, 0.0, 0);
    assert_close(r.norm_max, 5.0, 1e-12);
    assert_close(r.norm_mean, (5.0 + 5.0 + 0.0 + 1.0) / 4, 1e-12);
    assert_int_equal(r.info.mmapped, 1);
    char *json;
    assert_gk_ok(gk_inspect_json(&r, 1, &json));
    json_error_t err;
    json_t *doc = json_loads(json, 0, &err);
    assert_non_null(doc);
    json_t *f0 = json_array_get(json_object_get(doc, "files"), 0);
    assert_int_equal(json_integer_value(json_object_get(f0, "nan")), 1);
    assert_int_equal(json_integer_value(json_object_get(f0, "duplicate_rows")), 1);
    assert_string_equal(json_string_value(json_object_get(f0, "dtype")), "float32");
    assert_true(json_is_true(json_object_get(f0, "mmapped")));
    json_decref(doc);
    gk_free(json);
}

static void test_unreadable_file_is_an_error(void **state)
{
    (void)state;
    gk_inspect r;
    assert_int_equal(gk_inspect_file(write_bytes("empty.npy", "", 0), &r), GK_EFORMAT);
    assert_error_has("empty.npy: file is empty");
}

/* numpy: np.load("clip-coco-liang/features_clip.npy")[1] has 500 rows of norm
** within 1 ± 6e-4 and no exact duplicate rows. */
static void test_real_clip_text_view(void **state)
{
    (void)state;
    char spec[4200];
    snprintf(spec, sizeof spec, "%s:1", shared_path("clip-coco-liang/features_clip.npy"));
    gk_inspect r;
    assert_gk_ok(gk_inspect_file(spec, &r));
    assert_int_equal(r.rows, 500);
    assert_int_equal(r.info.view, 1);
    assert_int_equal(r.n_nan + r.n_inf, 0);
    assert_close(r.norm_mean, 1.0, 1e-3);
    assert_int_equal(r.n_duplicate_rows, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_counts_and_norms),
        cmocka_unit_test(test_unreadable_file_is_an_error),
        cmocka_unit_test(test_real_clip_text_view),
    };
    return cmocka_run_group_tests(tests, scratch_setup, scratch_teardown);
}
