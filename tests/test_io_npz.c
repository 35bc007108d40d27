/*
** test_io_npz.c — .npz archives: members stored and deflated (made here
** with zlib), member look-up with and without ".npy", missing members,
** corruption (CRC, truncation, bad directory, zip64), and the writer.
*/
#include <zlib.h>

#include "io_test_util.h"

typedef struct member {
    const char *name;
    const unsigned char *data;
    size_t n;
    int deflate;
} member;

static unsigned char zip[1 << 16], npy1[4096], npy2[4096];
static size_t npy1_len, npy2_len;

static void put16(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char)v;
    p[1] = (unsigned char)(v >> 8);
}
static void put32(unsigned char *p, uint32_t v)
{
    put16(p, v & 0xffff);
    put16(p + 2, v >> 16);
}

/* Raw deflate (no zlib header), as zip stores it. */
static size_t raw_deflate(const unsigned char *src, size_t n, unsigned char *dst, size_t cap)
{
    z_stream z;
    memset(&z, 0, sizeof z);
    assert_int_equal(deflateInit2(&z, 9, Z_DEFLATED, -MAX_WBITS, 8, Z_DEFAULT_STRATEGY), Z_OK);
    z.next_in = (Bytef *)src;
    z.avail_in = (uInt)n;
    z.next_out = dst;
    z.avail_out = (uInt)cap;
    assert_int_equal(deflate(&z, Z_FINISH), Z_STREAM_END);
    size_t out = z.total_out;
    deflateEnd(&z);
    return out;
}

/* A zip archive of the members in zip[]; @return : its size. */
static size_t make_zip(const member *m, int count)
{
    uint32_t local[8], csz[8], crc[8];
    size_t pos = 0;
    for (int i = 0; i < count; i++) {
        size_t nl = strlen(m[i].name);
        unsigned char *h = zip + pos;
        memset(h, 0, 30);
        local[i] = (uint32_t)pos;
        crc[i] = (uint32_t)crc32(0L, m[i].data, (uInt)m[i].n);
        put32(h, 0x04034b50u);
        put16(h + 8, m[i].deflate ? 8 : 0);
        put16(h + 26, (uint32_t)nl);
        memcpy(h + 30, m[i].name, nl);
        pos += 30 + nl;
        if (m[i].deflate) csz[i] = (uint32_t)raw_deflate(m[i].data, m[i].n, zip + pos, 8192);
        else {
            memcpy(zip + pos, m[i].data, m[i].n);
            csz[i] = (uint32_t)m[i].n;
        }
        put32(h + 14, crc[i]);
        put32(h + 18, csz[i]);
        put32(h + 22, (uint32_t)m[i].n);
        pos += csz[i];
    }
    size_t cd = pos;
    for (int i = 0; i < count; i++) {
        size_t nl = strlen(m[i].name);
        unsigned char *c = zip + pos;
        memset(c, 0, 46);
        put32(c, 0x02014b50u);
        put16(c + 10, m[i].deflate ? 8 : 0);
        put32(c + 16, crc[i]);
        put32(c + 20, csz[i]);
        put32(c + 24, (uint32_t)m[i].n);
        put16(c + 28, (uint32_t)nl);
        put32(c + 42, local[i]);
        memcpy(c + 46, m[i].name, nl);
        pos += 46 + nl;
    }
    unsigned char *e = zip + pos;
    memset(e, 0, 22);
    put32(e, 0x06054b50u);
    put16(e + 8, (uint32_t)count);
    put16(e + 10, (uint32_t)count);
    put32(e + 12, (uint32_t)(pos - cd));
    put32(e + 16, (uint32_t)cd);
    return pos + 22;
}

static int setup(void **state)
{
    static float a[6] = {1, 2, 3, 4, 5, 6};
    static double b[4] = {0.5, -1, 2, 8};
    npy1_len = make_npy(npy1, 1, "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }",
                        a, sizeof a);
    npy2_len = make_npy(npy2, 1, "{'descr': '<f8', 'fortran_order': False, 'shape': (4, 1), }",
                        b, sizeof b);
    return scratch_setup(state);
}

static void test_stored_and_deflated_members(void **state)
{
    (void)state;
    gk_mat *m;
    for (int deflate = 0; deflate <= 1; deflate++) {
        member mm[2] = {{"text.npy", npy1, npy1_len, deflate}, {"audio.npy", npy2, npy2_len, deflate}};
        size_t n = make_zip(mm, 2);
        assert_gk_ok(gk_npz_read_mem(zip, n, "text", "t.npz", &m));
        assert_int_equal(m->rows, 2);
        assert_close(gk_mat_at(m, 1, 2), 6, 0);
        gk_mat_free(m);
        assert_gk_ok(gk_npz_read_mem(zip, n, "audio.npy", "t.npz", &m));
        assert_int_equal(m->rows, 4);
        assert_close(gk_mat_at(m, 3, 0), 8, 0);
        gk_mat_free(m);
        /* through a file and a spec */
        const char *path = write_bytes(deflate ? "d.npz" : "s.npz", zip, n);
        char spec[600];
        snprintf(spec, sizeof spec, "%s:audio", path);
        gk_load_opts o = gk_load_opts_default();
        o.normalize = 0;
        gk_array_info info;
        assert_gk_ok(gk_load_matrix_ex(spec, &o, &m, &info));
        assert_string_equal(info.format, "npz");
        assert_string_equal(info.dtype, "float64");
        assert_close(gk_mat_at(m, 0, 0), 0.5, 0);
        gk_mat_free(m);
        assert_gk_ok(gk_npz_read(path, "text", &m));
        gk_mat_free(m);
    }
}

static void test_missing_member_and_choice(void **state)
{
    (void)state;
    gk_mat *m;
    member mm[2] = {{"text.npy", npy1, npy1_len, 0}, {"audio.npy", npy2, npy2_len, 1}};
    size_t n = make_zip(mm, 2);
    assert_int_equal(gk_npz_read_mem(zip, n, "image", "t.npz", &m), GK_EFORMAT);
    assert_null(m);
    assert_error_has("t.npz: no member 'image' (or 'image.npy'); the archive holds: text.npy, "
                     "audio.npy");
    assert_int_equal(gk_npz_read_mem(zip, n, NULL, "t.npz", &m), GK_EARG);
    assert_error_has("the archive holds 2 arrays; choose one with FILE:MEMBER");
    n = make_zip(mm, 1); /* a single array needs no member name */
    assert_gk_ok(gk_npz_read_mem(zip, n, NULL, "t.npz", &m));
    gk_mat_free(m);
}

static void test_corrupted_archives(void **state)
{
    (void)state;
    gk_mat *m;
    member mm[1] = {{"x.npy", npy1, npy1_len, 1}};
    size_t n = make_zip(mm, 1);
    zip[40] ^= 0x55; /* inside the deflate stream */
    int rc = gk_npz_read_mem(zip, n, "x", "t.npz", &m);
    assert_int_equal(rc, GK_EFORMAT);
    assert_error_has("t.npz: member 'x.npy' is corrupted");
    mm[0].deflate = 0;
    n = make_zip(mm, 1);
    zip[30 + 5 + 100] ^= 1; /* a data byte of a stored member */
    assert_int_equal(gk_npz_read_mem(zip, n, "x", "t.npz", &m), GK_EFORMAT);
    assert_error_has("member 'x.npy' is corrupted: CRC-32");
    n = make_zip(mm, 1);
    assert_int_equal(gk_npz_read_mem(zip, n - 10, "x", "t.npz", &m), GK_EFORMAT);
    assert_error_has("no end-of-central-directory record");
    assert_int_equal(gk_npz_read_mem("hello", 5, "x", "t.npz", &m), GK_EFORMAT);
    assert_error_has("not an .npz (zip) archive");
    assert_int_equal(gk_npz_read_mem(zip, 0, "x", "t.npz", &m), GK_EFORMAT);
    assert_error_has("file is empty");
    /* zip64 marker in the central directory */
    n = make_zip(mm, 1);
    put32(zip + 30 + 5 + npy1_len + 20, 0xffffffffu);
    assert_int_equal(gk_npz_read_mem(zip, n, "x", "t.npz", &m), GK_EFORMAT);
    assert_error_has("zip64");
    /* central directory pointing past the end */
    n = make_zip(mm, 1);
    put32(zip + n - 6, 999999);
    assert_int_equal(gk_npz_read_mem(zip, n, "x", "t.npz", &m), GK_EFORMAT);
    assert_error_has("corrupted archive");
    /* a broken .npy inside a good archive names the member */
    unsigned char bad[256];
    size_t bn = make_npy(bad, 1, "{'descr': '<i4', 'fortran_order': False, 'shape': (1, 1), }",
                         "\0\0\0\0", 4);
    mm[0] = (member){"y.npy", bad, bn, 0};
    n = make_zip(mm, 1);
    assert_int_equal(gk_npz_read_mem(zip, n, "y", "t.npz", &m), GK_EFORMAT);
    assert_error_has("t.npz: member 'y.npy': dtype '<i4' is not supported");
}

static void test_writer_roundtrip(void **state)
{
    (void)state;
    gk_mat *a, *b, *m;
    assert_gk_ok(gk_mat_create(3, 2, &a));
    assert_gk_ok(gk_mat_create(1, 4, &b));
    for (int i = 0; i < 6; i++) a->data[i] = (float)i - 2.5f;
    for (int i = 0; i < 4; i++) b->data[i] = (float)(i * i);
    gk_npz_entry e[2] = {{"W", a}, {"mean", b}};
    const char *path = tmp_path("model.npz");
    assert_gk_ok(gk_npz_write(path, e, 2, "{\"kind\": \"test\"}"));
    assert_gk_ok(gk_npz_read(path, "W", &m));
    assert_int_equal(m->rows, 3);
    assert_close(gk_mat_at(m, 2, 1), 2.5, 0);
    gk_mat_free(m);
    assert_gk_ok(gk_npz_read(path, "mean.npy", &m));
    assert_close(gk_mat_at(m, 0, 3), 9, 0);
    gk_mat_free(m);
    char *json;
    assert_gk_ok(gk_npz_read_text(path, "header.json", &json));
    assert_string_equal(json, "{\"kind\": \"test\"}");
    gk_free(json);
    assert_int_equal(gk_npz_read_text(path, "nothing", &json), GK_EFORMAT);
    assert_null(json);
    assert_error_has("model.npz: no member 'nothing'");
    gk_mat_free(a);
    gk_mat_free(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_stored_and_deflated_members),
        cmocka_unit_test(test_missing_member_and_choice),
        cmocka_unit_test(test_corrupted_archives),
        cmocka_unit_test(test_writer_roundtrip),
    };
    return cmocka_run_group_tests(tests, setup, scratch_teardown);
}
