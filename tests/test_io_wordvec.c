/*
** test_io_wordvec.c — GloVe text, word2vec text and binary (written here),
** the vocabulary, and broken files.
*/
#include "io_test_util.h"

static void check_two_words(const gk_mat *m, const gk_vocab *v)
{
    assert_int_equal(m->rows, 2);
    assert_int_equal(m->cols, 3);
    assert_int_equal(v->n, 2);
    assert_string_equal(v->word[0], "the");
    assert_string_equal(v->word[1], "cat");
    assert_close(gk_mat_at(m, 0, 0), 0.5, 1e-7);
    assert_close(gk_mat_at(m, 0, 2), -1.25, 1e-7);
    assert_close(gk_mat_at(m, 1, 1), 3e-3, 1e-9);
    assert_int_equal(gk_vocab_find(v, "cat"), 1);
    assert_int_equal(gk_vocab_find(v, "dog"), -1);
}

static void test_glove_and_w2v_text(void **state)
{
    (void)state;
    gk_mat *m;
    gk_vocab *v;
    const char *path = write_text("glove.txt", "the 0.5 2 -1.25\ncat 1 3e-3 -4\n");
    assert_gk_ok(gk_wordvec_read(path, &m, &v));
    check_two_words(m, v);
    gk_mat_free(m);
    gk_vocab_free(v);
    path = write_text("w2v.vec", "2 3\r\nthe 0.5 2 -1.25\r\ncat 1 3e-3 -4"); /* CRLF, no final \n */
    assert_gk_ok(gk_wordvec_read(path, &m, &v));
    check_two_words(m, v);
    gk_mat_free(m);
    gk_vocab_free(v);
    gk_array_info info;
    gk_load_opts o = gk_load_opts_default();
    assert_gk_ok(gk_load_matrix_ex(path, &o, &m, &info)); /* normalised */
    assert_string_equal(info.format, "word2vec-text");
    double n2 = 0.25 + 4 + 1.5625;
    assert_close(gk_mat_at(m, 0, 1), 2 / sqrt(n2), 1e-6);
    gk_mat_free(m);
}

static void test_w2v_binary(void **state)
{
    (void)state;
    unsigned char buf[256];
    size_t k = (size_t)sprintf((char *)buf, "2 3\n");
    const float r0[3] = {0.5f, 2.0f, -1.25f}, r1[3] = {1.0f, 3e-3f, -4.0f};
    memcpy(buf + k, "the ", 4);
    memcpy(buf + k + 4, r0, 12); /* little-endian host */
    k += 16;
    memcpy(buf + k, "\ncat ", 5);
    memcpy(buf + k + 5, r1, 12);
    k += 17;
    buf[k++] = '\n';
    gk_mat *m;
    gk_vocab *v;
    const char *path = write_bytes("w2v.bin", buf, k);
    assert_gk_ok(gk_wordvec_read(path, &m, &v));
    check_two_words(m, v);
    gk_mat_free(m);
    gk_vocab_free(v);
    gk_array_info info;
    gk_load_opts o = gk_load_opts_default();
    o.normalize = 0;
    assert_gk_ok(gk_load_matrix_ex(path, &o, &m, &info));
    assert_string_equal(info.format, "word2vec-binary");
    gk_mat_free(m);
    path = write_bytes("short.bin", buf, k - 6);
    assert_int_equal(gk_wordvec_read(path, &m, &v), GK_EFORMAT);
    assert_null(m);
    assert_null(v);
    assert_error_has("short.bin: record 2 ('cat') is truncated");
    buf[0] = '9'; /* header claims more words than the bytes can hold */
    path = write_bytes("lying.bin", buf, k);
    assert_int_equal(gk_wordvec_read(path, &m, &v), GK_EFORMAT);
    assert_error_has("header says 9 words of 3 dimensions");
}

static void test_broken_text(void **state)
{
    (void)state;
    gk_mat *m;
    gk_vocab *v;
    const char *path = write_text("ragged.txt", "a 1 2 3\nb 1 2\n");
    assert_int_equal(gk_wordvec_read(path, &m, &v), GK_EFORMAT);
    assert_error_has("ragged.txt: line 2 has 2 values; expected 3");
    path = write_text("word.txt", "a 1 2 3\nb 1 x 3\n");
    assert_int_equal(gk_wordvec_read(path, &m, &v), GK_EFORMAT);
    assert_error_has("line 2: 'x 3' is not a number");
    path = write_text("count.txt", "3 2\na 1 2\nb 3 4\n");
    assert_int_equal(gk_wordvec_read(path, &m, &v), GK_EFORMAT);
    assert_error_has("header says 3 words but 2 lines follow it");
    path = write_text("nan.txt", "a 1 nan\nb 3 4\n");
    assert_int_equal(gk_wordvec_read(path, &m, &v), GK_ENUMERIC);
    assert_error_has("nan.txt: row 0, column 1 is NaN");
    path = write_text("empty.txt", "");
    assert_int_equal(gk_wordvec_read(path, &m, &v), GK_EFORMAT);
    assert_error_has("empty.txt: file is empty");
    path = write_text("noval.txt", "a\nb\n");
    assert_int_equal(gk_wordvec_read(path, &m, &v), GK_ESHAPE);
    assert_error_has("line 1 has a word but no values");
}

static void test_vocab_file(void **state)
{
    (void)state;
    gk_vocab *v;
    assert_gk_ok(gk_vocab_read(shared_path("glove-6b-100d/vocab.txt"), &v));
    assert_int_equal(v->n, 30000);
    assert_string_equal(v->word[0], "the");
    assert_string_equal(v->word[1], ",");
    assert_int_equal(gk_vocab_find(v, "the"), 0);
    gk_vocab_free(v);
    const char *path = write_text("gap.txt", "a\n\nb\n");
    assert_int_equal(gk_vocab_read(path, &v), GK_EFORMAT);
    assert_null(v);
    assert_error_has("gap.txt: line 2 is empty");
    gk_vocab_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_glove_and_w2v_text),
        cmocka_unit_test(test_w2v_binary),
        cmocka_unit_test(test_broken_text),
        cmocka_unit_test(test_vocab_file),
    };
    return cmocka_run_group_tests(tests, scratch_setup, scratch_teardown);
}
