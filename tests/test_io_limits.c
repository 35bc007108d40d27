/*
** test_io_limits.c — hostile sizes and memory: a header that declares an
** absurd shape is refused before anything is allocated for it; a large
** .npy is memory-mapped (no heap copy), a converted one decoded once and a
** deflated .npz member inflated straight into its matrix.  Allocations are
** counted by the allocator of alloc_test_util.h; allocation failures are in
** test_io_oom.c.
*/
#include <zlib.h>

#include "alloc_test_util.h"

/*====  absurd declared sizes: refused before allocation  ====*/

static void test_npy_absurd_shape_allocates_nothing(void **state)
{
    (void)state;
    static const char *dicts[] = {
        "{'descr': '<f4', 'fortran_order': False, 'shape': (4611686018427387904, 8), }",
        "{'descr': '<f8', 'fortran_order': False, 'shape': (1000000, 512), }",
        "{'descr': '<f4', 'fortran_order': True, 'shape': (2097152, 2097152, 2097152), }",
        "{'descr': '<f2', 'fortran_order': False, 'shape': (99999999999999999, 1), }",
    };
    unsigned char buf[512], body[16] = {0};
    for (size_t i = 0; i < sizeof dicts / sizeof *dicts; i++) {
        size_t n = make_npy(buf, 1, dicts[i], body, sizeof body);
        gk_mat *m = NULL;
        count_from_here(-1);
        int rc = gk_npy_read_mem(buf, n, i == 2 ? "0" : NULL, "absurd.npy", &m);
        long allocs = n_alloc;
        gk_set_allocator(NULL);
        assert_int_equal(rc, GK_EFORMAT);
        assert_null(m);
        assert_int_equal(allocs, 0);
        assert_error_has("absurd.npy: ");
    }
    assert_error_has("but the file holds 16 bytes after the header");
}

/* Word vectors: the n·d of a header, or of the first line, against the file. */
static void test_wordvec_absurd_sizes_refused(void **state)
{
    (void)state;
    static char big[40000];
    size_t k = (size_t)sprintf(big, "w");
    for (int j = 0; j < 5000; j++) k += (size_t)sprintf(big + k, " 1");
    big[k++] = '\n';
    for (int i = 0; i < 5000 && k + 8 < sizeof big; i++) k += (size_t)sprintf(big + k, "x 1\n");
    struct { const char *text; size_t len; const char *msg; } cases[] = {
        {"1000000000 300\nthe \xff\xfe\xfd\xfc", 23, "more than the 8 bytes of the file can hold"},
        {"1 99999999999\nthe 1\n", 20, "cannot fit in"},
        {big, k, "cannot fit in"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        gk_mat *m = NULL;
        gk_vocab *v = NULL;
        count_from_here(-1);
        int rc = gk_wordvec_read_mem(cases[i].text, cases[i].len, "absurd.vec", &m, &v);
        size_t largest = max_block;
        gk_set_allocator(NULL);
        assert_int_equal(rc, GK_EFORMAT);
        assert_error_has(cases[i].msg);
        /* the in-place copy of the input and its line index, nothing sized by n·d */
        assert_true(largest <= 8 * (cases[i].len + 64));
    }
}

static void test_comet_absurd_dims_refused(void **state)
{
    (void)state;
    size_t len;
    unsigned char *b = slurp(corpus("fuzz_comet/bad_absurd_dims"), &len);
    gk_comet *m = NULL;
    count_from_here(-1);
    int rc = gk_comet_load_mem(b, len, "absurd.npz", &m);
    size_t total = bytes_alloc;
    gk_set_allocator(NULL);
    free(b);
    assert_int_equal(rc, GK_EFORMAT);
    assert_error_has("absurd.npz: header.json: r = 3 and has_align = 1 do not match");
    assert_true(total < 4 * len);
}

/* A deflated member whose declared size is beyond deflate's 1032:1 ratio. */
static void test_npz_inflated_size_refused(void **state)
{
    (void)state;
    size_t len;
    unsigned char *b = slurp(corpus("fuzz_npz/deflated_two"), &len);
    unsigned char *cd = NULL;
    for (size_t i = 0; i + 4 <= len && !cd; i++)
        if (!memcmp(b + i, "PK\x01\x02", 4)) cd = b + i;
    assert_non_null(cd);
    memcpy(cd + 24, "\x00\x00\x00\x70", 4); /* uncompressed size 1.8 GB */
    gk_mat *m = NULL;
    count_from_here(-1);
    int rc = gk_npz_read_mem(b, len, "x", "bomb.npz", &m);
    size_t largest = max_block;
    gk_set_allocator(NULL);
    free(b);
    assert_int_equal(rc, GK_EFORMAT);
    assert_error_has("claims 1879048192 bytes from");
    assert_true(largest < 4096);
}

/*====  large inputs are mapped, converted ones decoded once  ====*/

/* A (rows, cols) .npy whose every element is `value`. */
static const char *write_big(const char *name, const char *descr, size_t itemsize, int64_t rows,
                             int64_t cols, double value)
{
    char dict[128];
    unsigned char hdr[256];
    snprintf(dict, sizeof dict, "{'descr': '%s', 'fortran_order': False, 'shape': (%lld, %lld), }",
             descr, (long long)rows, (long long)cols);
    size_t off = make_npy(hdr, 1, dict, NULL, 0);
    const char *path = tmp_path(name);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(hdr, 1, off, f), off);
    size_t row_bytes = (size_t)cols * itemsize;
    unsigned char *row = calloc(1, row_bytes);
    for (int64_t j = 0; j < cols; j++) {
        if (itemsize == 4) memcpy(row + 4 * j, &(float){(float)value}, 4);
        else memcpy(row + 8 * j, &(double){value}, 8);
    }
    for (int64_t i = 0; i < rows; i++) assert_int_equal(fwrite(row, 1, row_bytes, f), row_bytes);
    free(row);
    assert_int_equal(fclose(f), 0);
    return path;
}

static void test_large_npy_is_mapped_not_copied(void **state)
{
    (void)state;
    const int64_t rows = 16384, cols = 1024; /* 64 MiB of float32 */
    /* rows of unit length (1024 · (1/32)² = 1, exactly): nothing to write */
    const char *path = write_big("big.npy", "<f4", 4, rows, cols, 1.0 / 32.0);
    gk_mat *m = NULL;
    gk_array_info info;
    count_from_here(-1);
    assert_gk_ok(gk_load_matrix_ex(path, NULL, &m, &info)); /* with normalisation */
    size_t total = bytes_alloc;
    gk_set_allocator(NULL);
    assert_int_equal(info.mmapped, 1);
    /* the handles and one norm per row: the data stays in the map */
    assert_true(total < (size_t)rows * sizeof(double) + 64 * 1024);
    assert_true(gk_mat_at(m, rows - 1, cols - 1) == 1.0f / 32.0f);
    gk_mat_free(m);
    remove(path);
}

static void test_large_npy_to_rescale_is_written_once(void **state)
{
    (void)state;
    const int64_t rows = 16384, cols = 1024;
    const size_t data = (size_t)rows * (size_t)cols * sizeof(float);
    const char *path = write_big("big2.npy", "<f4", 4, rows, cols, 2.0);
    gk_mat *m = NULL;
    gk_array_info info;
    count_from_here(-1);
    assert_gk_ok(gk_load_matrix_ex(path, NULL, &m, &info));
    size_t total = bytes_alloc;
    gk_set_allocator(NULL);
    /* rescaled rows go to one heap block (not copy-on-write pages of the
    ** map, whose faults flush every thread's TLB): the rows, the norms, the
    ** handles */
    assert_int_equal(info.mmapped, 1);
    assert_true(total >= data);
    assert_true(total < data + (size_t)rows * sizeof(double) + 64 * 1024);
    assert_close(gk_mat_at(m, 0, 0), 1.0 / 32.0, 1e-7); /* 2/‖2·1‖ */
    assert_close(gk_mat_at(m, rows - 1, cols - 1), 1.0 / 32.0, 1e-7);
    gk_mat_free(m);
    remove(path);
}

static void test_converted_npy_decoded_once(void **state)
{
    (void)state;
    const int64_t rows = 4096, cols = 1024; /* 32 MiB of float64 -> 16 MiB of float32 */
    const char *path = write_big("big8.npy", "<f8", 8, rows, cols, 2.0);
    gk_mat *m = NULL;
    count_from_here(-1);
    assert_gk_ok(gk_load_matrix(path, NULL, &m));
    size_t total = bytes_alloc;
    gk_set_allocator(NULL);
    size_t mat = (size_t)rows * cols * 4;
    assert_true(total >= mat && total < mat + 64 * 1024); /* one float32 copy, no file copy */
    gk_mat_free(m);
    remove(path);
}

static void le16(unsigned char *p, uint32_t v) { p[0] = (unsigned char)v, p[1] = (unsigned char)(v >> 8); }
static void le32(unsigned char *p, uint32_t v) { le16(p, v & 0xffff), le16(p + 2, v >> 16); }

/* A one-member zip "x.npy" holding npy[0..n) raw-deflated. */
static const char *write_deflated_npz(const char *name, const unsigned char *npy, size_t n)
{
    size_t cap = n / 2 + 4096, off = 30 + 5;
    unsigned char *zip = calloc(1, cap + 200);
    z_stream z;
    memset(&z, 0, sizeof z);
    assert_int_equal(deflateInit2(&z, 6, Z_DEFLATED, -MAX_WBITS, 8, Z_DEFAULT_STRATEGY), Z_OK);
    z.next_in = (Bytef *)npy, z.avail_in = (uInt)n;
    z.next_out = zip + off, z.avail_out = (uInt)cap;
    assert_int_equal(deflate(&z, Z_FINISH), Z_STREAM_END);
    size_t cs = z.total_out;
    deflateEnd(&z);
    uint32_t crc = (uint32_t)crc32(0L, npy, (uInt)n);
    unsigned char *l = zip, *c = zip + off + cs, *e = c + 46 + 5;
    le32(l, 0x04034b50u), le16(l + 4, 20), le16(l + 8, 8), le32(l + 14, crc);
    le32(l + 18, (uint32_t)cs), le32(l + 22, (uint32_t)n), le16(l + 26, 5);
    memcpy(l + 30, "x.npy", 5);
    le32(c, 0x02014b50u), le16(c + 4, 20), le16(c + 6, 20), le16(c + 10, 8), le32(c + 16, crc);
    le32(c + 20, (uint32_t)cs), le32(c + 24, (uint32_t)n), le16(c + 28, 5);
    memcpy(c + 46, "x.npy", 5);
    le32(e, 0x06054b50u), le16(e + 8, 1), le16(e + 10, 1), le32(e + 12, 51);
    le32(e + 16, (uint32_t)(off + cs));
    const char *path = write_bytes(name, zip, (size_t)(e + 22 - zip));
    free(zip);
    return path;
}

static void test_deflated_npz_inflated_into_matrix(void **state)
{
    (void)state;
    const int64_t rows = 8192, cols = 512; /* 16 MiB of float32 */
    size_t data = (size_t)rows * cols * 4;
    unsigned char *npy = malloc(data + 128);
    size_t off = make_npy(npy, 1, "{'descr': '<f4', 'fortran_order': False, 'shape': (8192, 512), }",
                          NULL, 0);
    for (size_t i = 0; i < data / 4; i++) memcpy(npy + off + 4 * i, &(float){0.5f}, 4);
    const char *path = write_deflated_npz("big.npz", npy, off + data);
    free(npy);
    gk_mat *m = NULL;
    count_from_here(-1);
    assert_gk_ok(gk_npz_read(path, "x", &m));
    size_t total = bytes_alloc;
    gk_set_allocator(NULL);
    /* the matrix and the 64 KiB header window: the inflated bytes are the matrix */
    assert_true(total >= data && total < data + 128 * 1024);
    assert_close(gk_mat_at(m, rows - 1, cols - 1), 0.5, 0);
    gk_mat_free(m);
    remove(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_npy_absurd_shape_allocates_nothing, restore_allocator),
        cmocka_unit_test_teardown(test_wordvec_absurd_sizes_refused, restore_allocator),
        cmocka_unit_test_teardown(test_comet_absurd_dims_refused, restore_allocator),
        cmocka_unit_test_teardown(test_npz_inflated_size_refused, restore_allocator),
        cmocka_unit_test_teardown(test_large_npy_is_mapped_not_copied, restore_allocator),
        cmocka_unit_test_teardown(test_large_npy_to_rescale_is_written_once, restore_allocator),
        cmocka_unit_test_teardown(test_converted_npy_decoded_once, restore_allocator),
        cmocka_unit_test_teardown(test_deflated_npz_inflated_into_matrix, restore_allocator),
    };
    return cmocka_run_group_tests(tests, scratch_setup, scratch_teardown);
}
