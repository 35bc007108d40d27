/*
** test_io_labels.c — labels from text files and CSV columns (quoted fields),
** matching row labels to prompt names, and the real ESC-50 metadata.
*/
#include "io_test_util.h"

static void test_text_labels_with_and_without_newline(void **state)
{
    (void)state;
    gk_labels *a, *b;
    assert_gk_ok(gk_labels_read(write_text("l1.txt", "dog\ncat\ndog\n"), &a));
    assert_gk_ok(gk_labels_read(write_text("l2.txt", "dog\r\ncat\r\ndog"), &b));
    for (int k = 0; k < 2; k++) {
        gk_labels *l = k ? b : a;
        assert_int_equal(l->n, 3);
        assert_int_equal(l->n_classes, 2);
        assert_string_equal(l->name[0], "dog");
        assert_string_equal(l->name[1], "cat");
        assert_int_equal(l->id[0], 0);
        assert_int_equal(l->id[1], 1);
        assert_int_equal(l->id[2], 0);
    }
    gk_labels_free(a);
    gk_labels_free(b);
    assert_int_equal(gk_labels_read(write_text("l3.txt", "dog\n\ncat\n"), &a), GK_EFORMAT);
    assert_null(a);
    assert_error_has("l3.txt: line 2 is empty");
    assert_int_equal(gk_labels_read(write_text("l4.txt", "dog\n\n"), &a), GK_EFORMAT);
    assert_error_has("line 2 is empty");
    assert_int_equal(gk_labels_read(write_text("l5.txt", ""), &a), GK_EFORMAT);
    assert_error_has("l5.txt: file is empty");
    assert_int_equal(gk_labels_read(tmp_path("none.txt"), &a), GK_EIO);
    assert_error_has("none.txt: cannot open");
}

static void test_csv_quoted_fields(void **state)
{
    (void)state;
    const char *csv = "id,\"name\",note\r\n"
                      "1,\"big, red dog\",x\r\n"
                      "2,\"say \"\"meow\"\"\",\"two\nlines\"\r\n"
                      "3,plain,\n";
    const char *path = write_text("q.csv", csv);
    char **v;
    int64_t n;
    assert_gk_ok(gk_csv_column(path, "name", &v, &n));
    assert_int_equal(n, 3);
    assert_string_equal(v[0], "big, red dog");
    assert_string_equal(v[1], "say \"meow\"");
    assert_string_equal(v[2], "plain");
    gk_strings_free(v, n);
    assert_gk_ok(gk_csv_column(path, "note", &v, &n));
    assert_string_equal(v[1], "two\nlines");
    assert_string_equal(v[2], "");
    gk_strings_free(v, n);
    char spec[600];
    snprintf(spec, sizeof spec, "%s:name", path);
    gk_labels *l;
    assert_gk_ok(gk_labels_read(spec, &l));
    assert_int_equal(l->n, 3);
    assert_int_equal(l->n_classes, 3);
    gk_labels_free(l);
}

static void test_csv_errors(void **state)
{
    (void)state;
    char **v;
    int64_t n;
    gk_labels *l;
    const char *path = write_text("m.csv", "a,b\n1,2\n3\n");
    assert_int_equal(gk_csv_column(path, "c", &v, &n), GK_EFORMAT);
    assert_null(v);
    assert_error_has("m.csv: no column 'c'; the header has: a, b");
    assert_int_equal(gk_csv_column(path, "b", &v, &n), GK_EFORMAT);
    assert_error_has("m.csv: line 3 has 1 fields; column 'b' is field 2");
    assert_int_equal(gk_labels_read(path, &l), GK_EARG);
    assert_error_has("name the label column");
    path = write_text("open.csv", "a,b\n1,\"unterminated\n");
    assert_int_equal(gk_csv_column(path, "b", &v, &n), GK_EFORMAT);
    assert_error_has("line 2: a quoted field is not closed");
    path = write_text("after.csv", "a,b\n1,\"x\"y\n");
    assert_int_equal(gk_csv_column(path, "b", &v, &n), GK_EFORMAT);
    assert_error_has("unexpected character 'y' after a closing quote");
}

static void test_match(void **state)
{
    (void)state;
    const char *rows_s[] = {"cat", "dog", "cat", "bird"};
    const char *names_s[] = {"bird", "cat", "dog"};
    gk_labels *rows, *names;
    int64_t idx[4];
    assert_gk_ok(gk_labels_from_strings(rows_s, 4, &rows));
    assert_gk_ok(gk_labels_from_strings(names_s, 3, &names));
    assert_gk_ok(gk_labels_match(rows, names, idx));
    assert_int_equal(idx[0], 1);
    assert_int_equal(idx[1], 2);
    assert_int_equal(idx[2], 1);
    assert_int_equal(idx[3], 0);
    gk_labels_free(names);
    assert_gk_ok(gk_labels_from_strings(names_s, 2, &names));
    assert_int_equal(gk_labels_match(rows, names, idx), GK_EFORMAT);
    assert_error_has("label 'dog' of row 1 has no prompt");
    gk_labels_free(rows);
    gk_labels_free(names);
    gk_labels_free(NULL);
}

/* Python's csv module: 2000 rows, 50 distinct class_name values, row 0
** "dog"; class_names.txt has 50 names (no trailing newline), "airplane"
** first, "wind" last, and "dog" at line index 18. */
/* Labels for the rows of a matrix: one per row, else a message naming both. */
static void test_read_rows(void **state)
{
    (void)state;
    const char *spec = shared_path("esc50-clap/class_names.txt");
    gk_labels *l = NULL;
    assert_gk_ok(gk_labels_read_rows(spec, 50, "class_text.npy", &l));
    assert_int_equal(l->n, 50);
    gk_labels_free(l);
    l = (gk_labels *)1;
    assert_int_equal(gk_labels_read_rows(spec, 2000, "audio.npy", &l), GK_ESHAPE);
    assert_null(l);
    assert_error_has("has 50 labels but audio.npy has 2000 rows");
}

static void test_real_esc50_labels(void **state)
{
    (void)state;
    char spec[4200];
    gk_labels *rows, *names;
    snprintf(spec, sizeof spec, "%s:class_name", shared_path("esc50-clap/meta.csv"));
    assert_gk_ok(gk_labels_read(spec, &rows));
    assert_int_equal(rows->n, 2000);
    assert_int_equal(rows->n_classes, 50);
    assert_string_equal(rows->name[rows->id[0]], "dog");
    assert_gk_ok(gk_labels_read(shared_path("esc50-clap/class_names.txt"), &names));
    assert_int_equal(names->n, 50);
    assert_int_equal(names->n_classes, 50);
    assert_string_equal(names->name[0], "airplane");
    assert_string_equal(names->name[49], "wind");
    int64_t *idx = malloc(2000 * sizeof *idx);
    assert_gk_ok(gk_labels_match(rows, names, idx));
    for (int64_t i = 0; i < 2000; i++) {
        assert_true(idx[i] >= 0 && idx[i] < 50);
        assert_string_equal(names->name[names->id[idx[i]]], rows->name[rows->id[i]]);
    }
    assert_int_equal(idx[0], 18);
    free(idx);
    gk_labels_free(rows);
    gk_labels_free(names);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_text_labels_with_and_without_newline),
        cmocka_unit_test(test_csv_quoted_fields),
        cmocka_unit_test(test_csv_errors),
        cmocka_unit_test(test_match),
        cmocka_unit_test(test_read_rows),
        cmocka_unit_test(test_real_esc50_labels),
    };
    return cmocka_run_group_tests(tests, scratch_setup, scratch_teardown);
}
