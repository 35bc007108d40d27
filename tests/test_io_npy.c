/*
** test_io_npy.c — .npy reading and writing: every dtype, byte order, order
** and version; (M,N,D) views; memory mapping; and every kind of broken
** header or body, checking the status code and a fragment of the message.
** Real-data checks compare with numbers computed by numpy (see each test).
*/
#include "io_test_util.h"

static unsigned char img[1 << 16];

/* Parses img[0..n) from memory; returns the status. */
static int parse(size_t n, const char *sel, gk_mat **m)
{
    return gk_npy_read_mem(img, n, sel, "t.npy", m);
}

static void expect_values(const gk_mat *m, const float *want, int64_t rows, int64_t cols)
{
    assert_int_equal(m->rows, rows);
    assert_int_equal(m->cols, cols);
    for (int64_t i = 0; i < rows; i++)
        for (int64_t j = 0; j < cols; j++) assert_close(gk_mat_at(m, i, j), want[i * cols + j], 0);
}

static const float vals[6] = {1.0f, -2.5f, 0.1f, 3.0f, 1e-3f, -7.25f};

static void test_f4_both_byte_orders(void **state)
{
    (void)state;
    float data[6];
    gk_mat *m;
    memcpy(data, vals, sizeof data);
    size_t n = make_npy(img, 1, "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }",
                        data, sizeof data);
    assert_gk_ok(parse(n, NULL, &m));
    expect_values(m, vals, 2, 3);
    gk_mat_free(m);
    swap_items(data, 6, 4);
    n = make_npy(img, 1, "{'descr': '>f4', 'fortran_order': False, 'shape': (2, 3)}", data,
                 sizeof data);
    assert_gk_ok(parse(n, NULL, &m));
    expect_values(m, vals, 2, 3);
    gk_mat_free(m);
    n = make_npy(img, 1, "{\"descr\": \"|f4\", \"fortran_order\": False, \"shape\": (2, 3)}",
                 vals, sizeof vals);
    assert_gk_ok(parse(n, NULL, &m)); /* '|' = native byte order */
    expect_values(m, vals, 2, 3);
    gk_mat_free(m);
}

static void test_f8_both_byte_orders(void **state)
{
    (void)state;
    double d[6];
    gk_mat *m;
    for (int i = 0; i < 6; i++) d[i] = vals[i];
    size_t n = make_npy(img, 1, "{'descr': '<f8', 'fortran_order': False, 'shape': (3, 2), }", d,
                        sizeof d);
    assert_gk_ok(parse(n, NULL, &m));
    expect_values(m, vals, 3, 2);
    gk_mat_free(m);
    swap_items(d, 6, 8);
    n = make_npy(img, 1, "{'descr': '>f8', 'fortran_order': False, 'shape': (3, 2), }", d,
                 sizeof d);
    assert_gk_ok(parse(n, NULL, &m));
    expect_values(m, vals, 3, 2);
    gk_mat_free(m);
}

/* binary16 bit patterns and their exact float32 values */
static const uint16_t half_bits[8] = {0x3c00, 0xc100, 0x0001, 0x03ff,
                                      0x0400, 0x7bff, 0x8000, 0x3555};
static const float half_vals[8] = {1.0f, -2.5f, 0x1p-24f, 1023 * 0x1p-24f,
                                   0x1p-14f, 65504.0f, -0.0f, 0.333251953125f};

static void test_f2_normal_subnormal_both_orders(void **state)
{
    (void)state;
    uint16_t h[8];
    gk_mat *m;
    memcpy(h, half_bits, sizeof h);
    size_t n = make_npy(img, 1, "{'descr': '<f2', 'fortran_order': False, 'shape': (2, 4), }", h,
                        sizeof h);
    assert_gk_ok(parse(n, NULL, &m));
    expect_values(m, half_vals, 2, 4);
    assert_true(signbit(m->data[6]));
    gk_mat_free(m);
    swap_items(h, 8, 2);
    n = make_npy(img, 1, "{'descr': '>f2', 'fortran_order': False, 'shape': (2, 4), }", h,
                 sizeof h);
    assert_gk_ok(parse(n, NULL, &m));
    expect_values(m, half_vals, 2, 4);
    gk_mat_free(m);
}

static void test_f2_inf_nan_are_converted_then_reported(void **state)
{
    (void)state;
    uint16_t h[4] = {0x7c00, 0xfc00, 0x7e00, 0x3c00}; /* +Inf, -Inf, NaN, 1 */
    gk_mat *m;
    size_t n = make_npy(img, 1, "{'descr': '<f2', 'fortran_order': False, 'shape': (2, 2), }", h,
                        sizeof h);
    const char *path = write_bytes("half_inf.npy", img, n);
    gk_load_opts o = gk_load_opts_default();
    o.normalize = 0;
    o.allow_nonfinite = 1;
    assert_gk_ok(gk_load_matrix(path, &o, &m));
    assert_true(isinf(m->data[0]) && m->data[0] > 0);
    assert_true(isinf(m->data[1]) && m->data[1] < 0);
    assert_true(isnan(m->data[2]));
    assert_close(m->data[3], 1.0, 0);
    gk_mat_free(m);
    assert_int_equal(parse(n, NULL, &m), GK_ENUMERIC);
    assert_null(m);
    assert_error_has("t.npy: row 0, column 0 is Inf");
}

static void test_fortran_order(void **state)
{
    (void)state;
    /* column-major storage of [[1, -2.5, 0.1], [3, 1e-3, -7.25]] */
    float f[6] = {vals[0], vals[3], vals[1], vals[4], vals[2], vals[5]};
    gk_mat *m;
    size_t n = make_npy(img, 1, "{'descr': '<f4', 'fortran_order': True, 'shape': (2, 3), }", f,
                        sizeof f);
    assert_gk_ok(parse(n, NULL, &m));
    expect_values(m, vals, 2, 3);
    gk_mat_free(m);
}

static void test_versions_2_and_3(void **state)
{
    (void)state;
    gk_mat *m;
    for (int major = 2; major <= 3; major++) {
        size_t n = make_npy(img, major,
                            "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }", vals,
                            sizeof vals);
        assert_gk_ok(parse(n, NULL, &m));
        expect_values(m, vals, 2, 3);
        gk_mat_free(m);
    }
}

/* (2, 2, 3) array: view k, element (i, j) = 100k + 10i + j. */
static void fill_3d(double *d, int fortran)
{
    for (int k = 0; k < 2; k++)
        for (int i = 0; i < 2; i++)
            for (int j = 0; j < 3; j++) {
                int at = fortran ? k + 2 * i + 4 * j : k * 6 + i * 3 + j;
                d[at] = 100 * k + 10 * i + j;
            }
}

static void test_three_d_views(void **state)
{
    (void)state;
    double d[12];
    gk_mat *m;
    for (int fortran = 0; fortran <= 1; fortran++) {
        fill_3d(d, fortran);
        char dict[128];
        snprintf(dict, sizeof dict, "{'descr': '<f8', 'fortran_order': %s, 'shape': (2, 2, 3), }",
                 fortran ? "True" : "False");
        size_t n = make_npy(img, 1, dict, d, sizeof d);
        assert_gk_ok(parse(n, "1", &m));
        assert_int_equal(m->rows, 2);
        assert_int_equal(m->cols, 3);
        assert_close(gk_mat_at(m, 1, 2), 112, 0);
        assert_close(gk_mat_at(m, 0, 1), 101, 0);
        gk_mat_free(m);
        assert_int_equal(parse(n, NULL, &m), GK_EARG);
        assert_error_has("choose one of its 2 views");
        assert_int_equal(parse(n, "2", &m), GK_EARG);
        assert_error_has("selector '2' is not a view index in 0..1");
        assert_int_equal(parse(n, "x", &m), GK_EARG);
    }
}

static void test_three_d_view_is_memory_mapped(void **state)
{
    (void)state;
    float f[12];
    gk_mat *m;
    gk_array_info info;
    for (int i = 0; i < 12; i++) f[i] = (float)(i + 1);
    size_t n = make_npy(img, 1, "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 2, 3), }",
                        f, sizeof f);
    const char *path = write_bytes("three.npy", img, n);
    char spec[600];
    snprintf(spec, sizeof spec, "%s:1", path);
    gk_load_opts o = gk_load_opts_default();
    o.normalize = 0;
    assert_gk_ok(gk_load_matrix_ex(spec, &o, &m, &info));
    assert_int_equal(info.mmapped, 1);
    assert_int_equal(info.ndim, 3);
    assert_int_equal(info.view, 1);
    assert_close(gk_mat_at(m, 0, 0), 7, 0);
    assert_close(gk_mat_at(m, 1, 2), 12, 0);
    gk_mat_free(m);
    o.allow_mmap = 0;
    assert_gk_ok(gk_load_matrix_ex(spec, &o, &m, &info));
    assert_int_equal(info.mmapped, 0);
    assert_close(gk_mat_at(m, 1, 2), 12, 0);
    gk_mat_free(m);
}

static void test_normalise_is_copy_on_write(void **state)
{
    (void)state;
    float f[4] = {3, 4, 0, 2};
    gk_mat *m;
    gk_array_info info;
    size_t n = make_npy(img, 1, "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 2), }", f,
                        sizeof f);
    const char *path = write_bytes("cow.npy", img, n);
    assert_gk_ok(gk_load_matrix_ex(path, NULL, &m, &info)); /* defaults: normalise, mmap */
    assert_int_equal(info.mmapped, 1);
    assert_close(m->data[0], 0.6, 1e-7);
    assert_close(m->data[1], 0.8, 1e-7);
    gk_mat_free(m);
    gk_load_opts o = gk_load_opts_default();
    o.normalize = 0;
    assert_gk_ok(gk_load_matrix(path, &o, &m)); /* the file itself is unchanged */
    assert_close(m->data[0], 3, 0);
    gk_mat_free(m);
}

static void test_zero_norm_row_fails_normalisation(void **state)
{
    (void)state;
    float f[4] = {3, 4, 0, 0};
    gk_mat *m;
    size_t n = make_npy(img, 1, "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 2), }", f,
                        sizeof f);
    const char *path = write_bytes("zero_row.npy", img, n);
    assert_int_equal(gk_load_matrix(path, NULL, &m), GK_ENUMERIC);
    assert_null(m);
    assert_error_has("zero_row.npy: row 1 is all zeros");
}

/* Each case: a header dict, data size, expected code and message fragment. */
typedef struct bad_case {
    const char *dict;
    size_t data_bytes;
    int code;
    const char *msg;
} bad_case;

static const bad_case bad_headers[] = {
    {"{'descr': '<i4', 'fortran_order': False, 'shape': (2, 3), }", 24, GK_EFORMAT,
     "t.npy: dtype '<i4' is not supported; expected float16, float32 or float64"},
    {"{'descr': '<f4', 'fortran_order': False, 'shape': (6,), }", 24, GK_ESHAPE,
     "shape (6,) is 1-D; expected a 2-D (N, D) array"},
    {"{'descr': '<f4', 'fortran_order': False, 'shape': (), }", 4, GK_ESHAPE, "is 0-D"},
    {"{'descr': '<f4', 'fortran_order': False, 'shape': (1, 1, 1, 1), }", 4, GK_ESHAPE,
     "is 4-D"},
    {"{'descr': '<f4', 'fortran_order': False, 'shape': (0, 3), }", 0, GK_ESHAPE,
     "shape (0, 3) has zero rows"},
    {"{'descr': '<f4', 'fortran_order': False, 'shape': (3, 0), }", 0, GK_ESHAPE,
     "shape (3, 0) has zero columns"},
    {"{'descr': '<f4', 'fortran_order': False, 'shape': (1000, 768), }", 100, GK_EFORMAT,
     "t.npy: header says shape (1000, 768) of float32 = 3072000 bytes but the file holds 100 "
     "bytes after the header"},
    {"{'descr': '<f4', 'fortran_order': False, 'shape': (1, 2), }", 12, GK_EFORMAT,
     "= 8 bytes but the file holds 12 bytes"},
    {"{'descr': '<f4', 'fortran_order': False, 'shape': (4611686018427387904, 4611686018427387904"
     "), }", 16, GK_EFORMAT, "overflows the addressable size"},
    {"{'descr': '<f4', 'fortran_order': False, 'shape': (99999999999999999999, 2), }", 8,
     GK_EFORMAT, "overflows a 64-bit integer"},
    {"{'descr': '<f4', 'fortran_order': False, 'shape': (-1, 2), }", 8, GK_EFORMAT,
     "non-negative integers"},
    {"{'descr': '<f4', 'fortran_order': False, }", 8, GK_EFORMAT, "missing key 'shape'"},
    {"{'descr': '<f4', 'fortran_order': False, 'shape': (1, 2), 'x': 1}", 8, GK_EFORMAT,
     "unexpected key 'x'"},
    {"{'descr': '<f4', 'fortran_order': maybe, 'shape': (1, 2)}", 8, GK_EFORMAT,
     "fortran_order must be True or False"},
    {"{'descr': '<f4', 'fortran_order': False, 'shape': (1, 2)", 8, GK_EFORMAT,
     "malformed header: expected '}'"},
    {"['descr', '<f4']", 8, GK_EFORMAT, "expected '{' at the start"},
    {"{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (1, 2)}", 8, GK_EFORMAT,
     "structured dtype"},
    {"{'descr': '<f4, 'fortran_order': False, 'shape': (1, 2)}", 8, GK_EFORMAT,
     "malformed header"},
};

static void test_bad_headers(void **state)
{
    (void)state;
    static unsigned char zeros[128];
    for (size_t i = 0; i < sizeof bad_headers / sizeof bad_headers[0]; i++) {
        const bad_case *c = &bad_headers[i];
        gk_mat *m = (gk_mat *)0x1;
        size_t n = make_npy(img, 1, c->dict, zeros, c->data_bytes);
        int rc = parse(n, NULL, &m);
        if (rc != c->code) fail_msg("case %zu: rc %d (%s), expected %d", i, rc, gk_last_error(),
                                    c->code);
        assert_null(m);
        assert_error_has(c->msg);
    }
}

static void test_bad_preambles(void **state)
{
    (void)state;
    gk_mat *m;
    size_t n = make_npy(img, 1, "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }",
                        vals, sizeof vals);
    assert_int_equal(parse(0, NULL, &m), GK_EFORMAT);
    assert_error_has("t.npy: file is empty (0 bytes)");
    img[0] = 'X';
    assert_int_equal(parse(n, NULL, &m), GK_EFORMAT);
    assert_error_has("not a .npy file");
    img[0] = 0x93;
    img[6] = 4;
    assert_int_equal(parse(n, NULL, &m), GK_EFORMAT);
    assert_error_has("unsupported .npy version 4.0; expected 1.0, 2.0 or 3.0");
    img[6] = 1;
    img[7] = 1;
    assert_int_equal(parse(n, NULL, &m), GK_EFORMAT);
    assert_error_has("version 1.1");
    img[7] = 0;
    assert_int_equal(parse(8, NULL, &m), GK_EFORMAT);
    assert_error_has("header is truncated (8 bytes)");
    assert_int_equal(parse(40, NULL, &m), GK_EFORMAT);
    assert_error_has("header is truncated: it announces 118 bytes but the file holds 30");
    img[9] = 0xff; /* 65535 + ... header length */
    assert_int_equal(parse(n, NULL, &m), GK_EFORMAT);
    assert_error_has("header is truncated");
}

static void test_truncated_body_in_file(void **state)
{
    (void)state;
    gk_mat *m;
    size_t n = make_npy(img, 1, "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }",
                        vals, sizeof vals);
    const char *path = write_bytes("short.npy", img, n - 5);
    assert_int_equal(gk_load_matrix(path, NULL, &m), GK_EFORMAT);
    assert_error_has("short.npy: header says shape (2, 3) of float32 = 24 bytes but the file "
                     "holds 19 bytes after the header");
    path = write_bytes("empty.npy", "", 0);
    assert_int_equal(gk_load_matrix(path, NULL, &m), GK_EFORMAT);
    assert_error_has("empty.npy: file is empty");
    assert_int_equal(gk_load_matrix(tmp_path("missing.npy"), NULL, &m), GK_EIO);
    assert_error_has("missing.npy: cannot open");
}

static void test_nan_and_inf_are_errors(void **state)
{
    (void)state;
    float f[6] = {1, 2, 3, 4, NAN, 6};
    gk_mat *m;
    size_t n = make_npy(img, 1, "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }", f,
                        sizeof f);
    const char *path = write_bytes("nan.npy", img, n);
    gk_load_opts o = gk_load_opts_default();
    o.normalize = 0;
    assert_int_equal(gk_load_matrix(path, &o, &m), GK_ENUMERIC);
    assert_error_has("nan.npy: row 1, column 1 is NaN");
    f[4] = 5;
    f[2] = -INFINITY;
    n = make_npy(img, 1, "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }", f,
                 sizeof f);
    path = write_bytes("inf.npy", img, n);
    assert_int_equal(gk_load_matrix(path, &o, &m), GK_ENUMERIC);
    assert_error_has("inf.npy: row 0, column 2 is Inf");
    /* a finite float64 beyond the float32 range is an error called what it
    ** is (not "Inf"); a float64 Inf stays Inf */
    double d[2] = {1.0, 1e300};
    n = make_npy(img, 1, "{'descr': '<f8', 'fortran_order': False, 'shape': (1, 2), }", d,
                 sizeof d);
    assert_int_equal(parse(n, NULL, &m), GK_ENUMERIC);
    assert_error_has("row 0, column 1 is 1e+300, beyond the float32 range");
    d[1] = -INFINITY;
    n = make_npy(img, 1, "{'descr': '<f8', 'fortran_order': False, 'shape': (1, 2), }", d,
                 sizeof d);
    assert_int_equal(parse(n, NULL, &m), GK_ENUMERIC);
    assert_error_has("row 0, column 1 is Inf");
}

static void test_selector_rules(void **state)
{
    (void)state;
    gk_mat *m;
    size_t n = make_npy(img, 1, "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }",
                        vals, sizeof vals);
    const char *path = write_bytes("two.npy", img, n);
    char spec[600];
    snprintf(spec, sizeof spec, "%s:0", path);
    assert_int_equal(gk_load_matrix(spec, NULL, &m), GK_EARG);
    assert_error_has("two.npy:0: selector '0' given but the array is 2-D (2, 3)");
    /* a colon inside an existing file name is part of the name */
    path = write_bytes("a:b.npy", img, n);
    gk_load_opts o = gk_load_opts_default();
    o.normalize = 0;
    assert_gk_ok(gk_load_matrix(path, &o, &m));
    expect_values(m, vals, 2, 3);
    gk_mat_free(m);
    path = write_bytes("data.xyz", "hello", 5);
    assert_int_equal(gk_load_matrix(path, NULL, &m), GK_EFORMAT);
    assert_error_has("data.xyz: unknown file type");
    path = write_bytes("sniffed.dat", img, n); /* unknown extension, .npy magic */
    assert_gk_ok(gk_load_matrix(path, &o, &m));
    gk_mat_free(m);
}

static void test_write_roundtrip_and_atomicity(void **state)
{
    (void)state;
    gk_mat *a, *b;
    assert_gk_ok(gk_mat_create(3, 5, &a));
    for (int i = 0; i < 15; i++) a->data[i] = (float)i * 0.5f - 3.0f;
    const char *path = tmp_path("written.npy");
    assert_gk_ok(gk_npy_write(path, a));
    gk_load_opts o = gk_load_opts_default();
    o.normalize = 0;
    assert_gk_ok(gk_load_matrix(path, &o, &b));
    for (int i = 0; i < 15; i++) assert_close(b->data[i], a->data[i], 0);
    gk_mat_free(b);
    /* a strided view is written row-major */
    gk_mat v = gk_mat_view_rows(a, 1, 2);
    assert_gk_ok(gk_npy_write(path, &v));
    assert_gk_ok(gk_load_matrix(path, &o, &b));
    assert_int_equal(b->rows, 2);
    assert_close(b->data[0], a->data[5], 0);
    gk_mat_free(b);
    double d[4] = {1.5, -2, 1e-300, 4};
    assert_gk_ok(gk_npy_write_f64(tmp_path("f64.npy"), d, 2, 2));
    assert_gk_ok(gk_load_matrix(tmp_path("f64.npy"), &o, &b));
    assert_close(b->data[0], 1.5, 0);
    assert_close(b->data[2], 0.0, 1e-30);
    gk_mat_free(b);
    /* a failed write leaves nothing behind */
    assert_int_equal(gk_npy_write(tmp_path("no/such/dir/x.npy"), a), GK_EIO);
    assert_error_has("no/such/dir/x.npy");
    gk_mat_free(a);
}

static void test_outfile_abort_keeps_old_file(void **state)
{
    (void)state;
    const char *path = tmp_path("keep.txt");
    assert_gk_ok(gk_write_text_atomic(path, "old\n"));
    gk_outfile *f;
    assert_gk_ok(gk_outfile_open(path, &f));
    fputs("new, half written", gk_outfile_stream(f));
    gk_outfile_abort(f);
    char buf[16] = {0};
    FILE *in = fopen(path, "r");
    assert_non_null(in);
    assert_int_equal(fread(buf, 1, sizeof buf - 1, in), 4);
    fclose(in);
    assert_string_equal(buf, "old\n");
    /* only keep.txt and nothing named keep.txt.tmp.* */
    char cmd[700];
    snprintf(cmd, sizeof cmd, "ls %s | grep -q 'keep.txt.tmp'", scratch_dir);
    assert_int_not_equal(system(cmd), 0);
}

static int exists(const char *path) { return access(path, F_OK) == 0; }

/* An output set flushed midway keeps what was written before the flush when
** the set is then discarded (train's NaN stop), and only that. */
static void test_outfile_set_flush(void **state)
{
    (void)state;
    const char *a = tmp_path("flush_a.txt");
    char b[600];
    snprintf(b, sizeof b, "%s", tmp_path("flush_b.txt"));
    assert_gk_ok(gk_outfile_set_flush()); /* no set: nothing to do */
    assert_gk_ok(gk_outfile_set_begin());
    assert_gk_ok(gk_write_text_atomic(a, "kept\n"));
    assert_false(exists(a)); /* deferred until the set ends or flushes */
    assert_gk_ok(gk_outfile_set_flush());
    assert_true(exists(a));
    assert_gk_ok(gk_write_text_atomic(b, "discarded\n"));
    assert_int_equal(gk_outfile_set_begin(), GK_EARG); /* the set is still open */
    assert_gk_ok(gk_outfile_set_end(0));
    assert_true(exists(a));
    assert_false(exists(b));
    char cmd[700];
    snprintf(cmd, sizeof cmd, "ls %s | grep -q 'flush_.*tmp'", scratch_dir);
    assert_int_not_equal(system(cmd), 0);
}

/* Allocation failures at every step: ENOMEM, no leak, *out NULL. */
static void test_parse_survives_allocation_failures(void **state)
{
    (void)state;
    size_t n = make_npy(img, 1, "{'descr': '>f8', 'fortran_order': True, 'shape': (2, 3), }",
                        NULL, 0);
    memset(img + n, 0, 48);
    n += 48;
    int ok = 0;
    for (int k = 0; k < 8 && !ok; k++) {
        count_from_here(k);
        gk_mat *m = (gk_mat *)0x1;
        int rc = parse(n, NULL, &m);
        if (rc == GK_OK) {
            ok = 1;
            gk_mat_free(m);
        } else {
            assert_int_equal(rc, GK_ENOMEM);
            assert_null(m);
        }
    }
    gk_set_allocator(NULL);
    assert_true(ok);
}

/* Expected numbers from /usr/bin/python3 + numpy 1.24:
**   f = np.load("clip-coco-liang/features_clip.npy")   # (2, 500, 512) float32
**   f[0,0,0] = -0.005355835, f[0,499,511] = 0.033050537
**   f[1,0,0] = -0.008003235, f[1,499,511] = 0.02859497, f[1,250,100] = 0.009841919 */
static void test_real_clip_views(void **state)
{
    (void)state;
    gk_mat *x, *y;
    gk_array_info info;
    char spec[4200];
    gk_load_opts o = gk_load_opts_default();
    o.normalize = 0;
    snprintf(spec, sizeof spec, "%s:0", shared_path("clip-coco-liang/features_clip.npy"));
    assert_gk_ok(gk_load_matrix_ex(spec, &o, &x, &info));
    assert_int_equal(info.mmapped, 1);
    snprintf(spec, sizeof spec, "%s:1", shared_path("clip-coco-liang/features_clip.npy"));
    assert_gk_ok(gk_load_matrix(spec, &o, &y));
    assert_int_equal(x->rows, 500);
    assert_int_equal(x->cols, 512);
    assert_int_equal(y->rows, 500);
    assert_int_equal(y->cols, 512);
    assert_close(gk_mat_at(x, 0, 0), -0.005355835, 1e-9);
    assert_close(gk_mat_at(x, 499, 511), 0.033050537, 1e-9);
    assert_close(gk_mat_at(y, 0, 0), -0.008003235, 1e-9);
    assert_close(gk_mat_at(y, 499, 511), 0.02859497, 1e-9);
    assert_close(gk_mat_at(y, 250, 100), 0.009841919, 1e-9);
    gk_mat_free(x);
    gk_mat_free(y);
    assert_int_equal(gk_load_matrix(shared_path("clip-coco-liang/features_clip.npy"), &o, &x),
                     GK_EARG);
    assert_error_has("features_clip.npy: array has shape (2, 500, 512)");
}

/* numpy: a = np.load("esc50-clap/audio.npy"); a[0,0] = -0.057554953,
** a[1999,511] = -0.011775632, a[1000,256] = 0.032171402 (rows unit length). */
static void test_real_audio_is_memory_mapped(void **state)
{
    (void)state;
    gk_mat *m;
    gk_array_info info;
    assert_gk_ok(gk_load_matrix_ex(shared_path("esc50-clap/audio.npy"), NULL, &m, &info));
    assert_int_equal(info.mmapped, 1);
    assert_string_equal(info.dtype, "float32");
    assert_int_equal(m->rows, 2000);
    assert_int_equal(m->cols, 512);
    assert_close(gk_mat_at(m, 0, 0), -0.057554953, 1e-7);
    assert_close(gk_mat_at(m, 1999, 511), -0.011775632, 1e-7);
    assert_close(gk_mat_at(m, 1000, 256), 0.032171402, 1e-7);
    gk_mat_free(m);
}

/* numpy: g = np.load("glove-6b-100d/vectors.npy"); g[0,0] = -0.038194,
** g[0,1] = -0.24487, g[29999,99] = -0.02874, g[123,45] = 0.045871,
** np.linalg.norm(g[0].astype(np.float64)) = 5.821153648478409 */
static void test_real_glove_not_normalised(void **state)
{
    (void)state;
    gk_mat *m;
    gk_load_opts o = gk_load_opts_default();
    o.normalize = 0;
    assert_gk_ok(gk_load_matrix(shared_path("glove-6b-100d/vectors.npy"), &o, &m));
    assert_int_equal(m->rows, 30000);
    assert_int_equal(m->cols, 100);
    assert_close(gk_mat_at(m, 0, 0), -0.038194, 1e-7);
    assert_close(gk_mat_at(m, 0, 1), -0.24487, 1e-7);
    assert_close(gk_mat_at(m, 29999, 99), -0.02874, 1e-7);
    assert_close(gk_mat_at(m, 123, 45), 0.045871, 1e-7);
    double norm;
    gk_mat row0 = gk_mat_view_rows(m, 0, 1);
    gk_mat_row_norms(&row0, &norm);
    assert_close(norm, 5.821153648478409, 1e-6);
    gk_mat_free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_f4_both_byte_orders),
        cmocka_unit_test(test_f8_both_byte_orders),
        cmocka_unit_test(test_f2_normal_subnormal_both_orders),
        cmocka_unit_test(test_f2_inf_nan_are_converted_then_reported),
        cmocka_unit_test(test_fortran_order),
        cmocka_unit_test(test_versions_2_and_3),
        cmocka_unit_test(test_three_d_views),
        cmocka_unit_test(test_three_d_view_is_memory_mapped),
        cmocka_unit_test(test_normalise_is_copy_on_write),
        cmocka_unit_test(test_zero_norm_row_fails_normalisation),
        cmocka_unit_test(test_bad_headers),
        cmocka_unit_test(test_bad_preambles),
        cmocka_unit_test(test_truncated_body_in_file),
        cmocka_unit_test(test_nan_and_inf_are_errors),
        cmocka_unit_test(test_selector_rules),
        cmocka_unit_test(test_outfile_set_flush),
        cmocka_unit_test(test_write_roundtrip_and_atomicity),
        cmocka_unit_test(test_outfile_abort_keeps_old_file),
        cmocka_unit_test(test_parse_survives_allocation_failures),
        cmocka_unit_test(test_real_clip_views),
        cmocka_unit_test(test_real_audio_is_memory_mapped),
        cmocka_unit_test(test_real_glove_not_normalised),
    };
    return cmocka_run_group_tests(tests, scratch_setup, scratch_teardown);
}
