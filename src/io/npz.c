/*
** npz.c — reading members of an .npz (a zip archive of .npy files), stored
** or deflated, from memory or a read-only memory map.
**
** Zip layout used here (APPNOTE.TXT): the end-of-central-directory record
** (EOCD, within the last 64 KiB + 22 bytes) gives the central directory; each
** central entry gives a member's name, method, CRC-32, sizes and the offset of
** its local header, after which (30 bytes + name + extra) the data starts.
** Sizes come from the central directory, which is reliable even when local
** headers carry zip64 extras (numpy's savez) or data descriptors.
** Zip64 archives (sizes or counts saturated at 0xFFFF...) are rejected.
** A deflated float32 little-endian C-order array is inflated straight into
** its matrix (the data is never held twice); other layouts are inflated whole,
** then decoded.
*/
#include <stdio.h>
#include <string.h>
#include <zlib.h>

#include "core/error_internal.h"
#include "io_internal.h"

#define EOCD_SIG 0x06054b50u
#define CDIR_SIG 0x02014b50u
#define LOCAL_SIG 0x04034b50u

typedef struct zip_member {
    char name[256];
    int method;      /* 0 stored, 8 deflate */
    uint32_t crc;
    size_t csize;    /* compressed bytes */
    size_t usize;    /* uncompressed bytes */
    size_t local;    /* offset of the local header */
} zip_member;

static uint32_t rd16(const unsigned char *p) { return (uint32_t)p[0] | (uint32_t)p[1] << 8; }
static uint32_t rd32(const unsigned char *p) { return rd16(p) | rd16(p + 2) << 16; }

/* Central directory bounds from the EOCD record. */
static int read_eocd(const unsigned char *b, size_t len, size_t *cd, size_t *count)
{
    GK_FAIL_IF(len == 0, GK_EFORMAT, "file is empty (0 bytes); expected an .npz (zip) archive");
    GK_FAIL_IF(len < 22, GK_EFORMAT, "not an .npz (zip) archive: only %zu bytes", len);
    size_t stop = len - 22 > 65535 ? len - 22 - 65535 : 0, e = len - 22 + 1;
    do e--;
    while (e > stop && rd32(b + e) != EOCD_SIG);
    GK_FAIL_IF(rd32(b + e) != EOCD_SIG, GK_EFORMAT,
               "not an .npz (zip) archive: no end-of-central-directory record");
    uint32_t n = rd16(b + e + 10), size = rd32(b + e + 12), off = rd32(b + e + 16);
    GK_FAIL_IF(n == 0xffff || size == 0xffffffffu || off == 0xffffffffu, GK_EFORMAT,
               "zip64 archives are not supported; save with numpy.savez on arrays < 4 GiB");
    GK_FAIL_IF((size_t)off + size > e, GK_EFORMAT,
               "corrupted archive: central directory (%u bytes at %u) runs past its end", size,
               off);
    *cd = off;
    *count = n;
    return GK_OK;
}

/* Parses the central entry at *pos and advances *pos past it. */
static int read_entry(const unsigned char *b, size_t end, size_t *pos, zip_member *m)
{
    const unsigned char *p = b + *pos;
    GK_FAIL_IF(end - *pos < 46 || rd32(p) != CDIR_SIG, GK_EFORMAT,
               "corrupted archive: bad central directory entry at byte %zu", *pos);
    size_t nlen = rd16(p + 28), xlen = rd16(p + 30), clen = rd16(p + 32);
    GK_FAIL_IF(end - *pos - 46 < nlen + xlen + clen, GK_EFORMAT,
               "corrupted archive: central directory entry at byte %zu is truncated", *pos);
    GK_FAIL_IF(nlen >= sizeof m->name, GK_EFORMAT, "member name of %zu bytes is too long", nlen);
    memcpy(m->name, p + 46, nlen);
    m->name[nlen] = '\0';
    GK_FAIL_IF(rd16(p + 8) & 1, GK_EFORMAT, "member '%s' is encrypted", m->name);
    m->method = (int)rd16(p + 10);
    m->crc = rd32(p + 16);
    uint32_t cs = rd32(p + 20), us = rd32(p + 24), lo = rd32(p + 42);
    GK_FAIL_IF(cs == 0xffffffffu || us == 0xffffffffu || lo == 0xffffffffu, GK_EFORMAT,
               "member '%s' uses zip64 sizes, which are not supported", m->name);
    m->csize = cs;
    m->usize = us;
    m->local = lo;
    *pos += 46 + nlen + xlen + clen;
    return GK_OK;
}

/* "x" matches "x" and "x.npy"; NULL matches the only .npy member. */
static int name_matches(const char *name, const char *want)
{
    size_t n = strlen(want);
    return strcmp(name, want) == 0 || (strncmp(name, want, n) == 0 && !strcmp(name + n, ".npy"));
}

static void append_name(char *list, size_t cap, const char *name)
{
    size_t used = strlen(list);
    if (used < cap - 1) snprintf(list + used, cap - used, "%s%s", used ? ", " : "", name);
}

/* Finds the member `want` in the central directory. */
static int find_member(const unsigned char *b, size_t len, const char *want, zip_member *m)
{
    size_t pos = 0, count = 0, n_npy = 0;
    char list[512] = "";
    zip_member cur, only;
    GK_TRY(read_eocd(b, len, &pos, &count));
    for (size_t i = 0; i < count; i++) {
        GK_TRY(read_entry(b, len, &pos, &cur));
        if (want && name_matches(cur.name, want)) {
            *m = cur;
            return GK_OK;
        }
        size_t nl = strlen(cur.name);
        if (nl > 4 && !strcmp(cur.name + nl - 4, ".npy") && n_npy++ == 0) only = cur;
        append_name(list, sizeof list, cur.name);
    }
    if (!want && n_npy == 1) {
        *m = only;
        return GK_OK;
    }
    if (!want)
        return gk_set_error(GK_EARG, "the archive holds %zu arrays; choose one with FILE:MEMBER "
                                     "(members: %s)", n_npy, list);
    return gk_set_error(GK_EFORMAT, "no member '%s' (or '%s.npy'); the archive holds: %s", want,
                        want, count ? list : "nothing");
}

/* Inflates raw deflate data into out[0..usize). */
static int inflate_member(const zip_member *m, const unsigned char *src, unsigned char *out)
{
    z_stream z;
    memset(&z, 0, sizeof z);
    GK_FAIL_IF(inflateInit2(&z, -MAX_WBITS) != Z_OK, GK_EINTERNAL, "zlib inflateInit2 failed");
    z.next_in = (Bytef *)(uintptr_t)src;
    z.avail_in = (uInt)m->csize;
    z.next_out = out;
    z.avail_out = (uInt)m->usize;
    int zr = inflate(&z, Z_FINISH);
    size_t got = z.total_out;
    inflateEnd(&z);
    GK_FAIL_IF(zr != Z_STREAM_END || got != m->usize, GK_EFORMAT,
               "member '%s' is corrupted: deflate stream %s (%zu of %zu bytes)", m->name,
               zr == Z_STREAM_END ? "ends early" : zr == Z_BUF_ERROR ? "is longer than declared"
                                                                     : "is invalid",
               got, m->usize);
    return GK_OK;
}

/* Start of the member's data after its local header. */
static int member_start(const unsigned char *b, size_t len, const zip_member *m, size_t *start)
{
    GK_FAIL_IF(m->local > len || len - m->local < 30 || rd32(b + m->local) != LOCAL_SIG,
               GK_EFORMAT, "corrupted archive: bad local header of member '%s'", m->name);
    size_t s = m->local + 30 + rd16(b + m->local + 26) + rd16(b + m->local + 28);
    GK_FAIL_IF(s > len || len - s < m->csize, GK_EFORMAT,
               "corrupted archive: member '%s' (%zu bytes) runs past the end of the file",
               m->name, m->csize);
    *start = s;
    return GK_OK;
}

/* Deflate expands at most ~1032:1; more means a hostile size field. */
static int check_ratio(const zip_member *m)
{
    GK_FAIL_IF(m->usize / 1032 > m->csize + 1, GK_EFORMAT,
               "member '%s' claims %zu bytes from %zu compressed", m->name, m->usize, m->csize);
    return GK_OK;
}

/* The uncompressed bytes of m: borrowed from b when stored (*owned = 0),
** else a new gk_malloc block (*owned = 1).  The CRC-32 is verified. */
static int member_bytes(const unsigned char *b, size_t len, const zip_member *m,
                        const unsigned char **data, int *owned)
{
    size_t s = 0;
    *owned = 0;
    GK_TRY(member_start(b, len, m, &s));
    GK_FAIL_IF(m->method != 0 && m->method != 8, GK_EFORMAT,
               "member '%s' uses compression method %d; expected stored (0) or deflate (8)",
               m->name, m->method);
    if (m->method == 0) {
        GK_FAIL_IF(m->usize != m->csize, GK_EFORMAT,
                   "corrupted archive: stored member '%s' has two different sizes", m->name);
        *data = b + s;
    } else {
        GK_TRY(check_ratio(m));
        unsigned char *out = gk_malloc(m->usize ? m->usize : 1);
        if (!out) return GK_ENOMEM;
        int rc = inflate_member(m, b + s, out);
        if (rc != GK_OK) {
            gk_free(out);
            return rc;
        }
        *data = out;
        *owned = 1;
    }
    uint32_t crc = (uint32_t)crc32(0L, *data, (uInt)m->usize);
    if (crc == m->crc) return GK_OK;
    if (*owned) gk_free((void *)*data);
    return gk_set_error(GK_EFORMAT, "member '%s' is corrupted: CRC-32 0x%08x, expected 0x%08x",
                        m->name, crc, m->crc);
}

#define NPZ_HEAD_BYTES 65536u /* inflated first to find the .npy header */

/* Inflates up to n bytes into dst; *zr receives zlib's status.
** @return : bytes produced. */
static size_t pull(z_stream *z, unsigned char *dst, size_t n, int *zr)
{
    z->next_out = dst;
    z->avail_out = (uInt)n;
    *zr = inflate(z, Z_NO_FLUSH);
    return n - z->avail_out;
}

/* After all usize bytes the stream must end; then the CRC must match. */
static int finish_stream(z_stream *z, int zr, const zip_member *m, uint32_t crc)
{
    unsigned char extra;
    if (zr != Z_STREAM_END && pull(z, &extra, 1, &zr) > 0)
        return gk_set_error(GK_EFORMAT, "member '%s' is corrupted: deflate stream is longer "
                            "than declared (%zu bytes)", m->name, m->usize);
    GK_FAIL_IF(zr != Z_STREAM_END, GK_EFORMAT, "member '%s' is corrupted: deflate stream is "
               "invalid", m->name);
    GK_FAIL_IF(crc != m->crc, GK_EFORMAT, "member '%s' is corrupted: CRC-32 0x%08x, "
               "expected 0x%08x", m->name, crc, m->crc);
    return GK_OK;
}

/* The rows of the array whose first `first` bytes (header included) are in
** head: the rest is inflated directly into the new matrix. */
static int inflate_rows(z_stream *z, const zip_member *m, const unsigned char *head,
                        size_t first, const io_npy_header *h, gk_mat **out)
{
    int64_t rows, cols;
    int zr = Z_OK;
    io_npy_dims(h, &rows, &cols);
    GK_TRY(gk_mat_create(rows, cols, out));
    unsigned char *dst = (unsigned char *)(*out)->data;
    size_t have = first - h->data_offset, want = h->data_bytes - have;
    memcpy(dst, head + h->data_offset, have);
    size_t got = want ? pull(z, dst + have, want, &zr) : 0;
    uint32_t crc = (uint32_t)crc32(crc32(0L, head, (uInt)first), dst + have, (uInt)got);
    int rc = got == want ? finish_stream(z, zr, m, crc)
                         : gk_set_error(GK_EFORMAT, "member '%s' is corrupted: deflate stream "
                                        "ends early (%zu of %zu bytes)", m->name, first + got,
                                        m->usize);
    if (rc != GK_OK) {
        gk_mat_free(*out);
        *out = NULL;
    }
    return rc;
}

/* A deflated member decoded while inflating, when its header is within the
** first NPZ_HEAD_BYTES and its data can be used as it is (float32,
** little-endian, C order, 2-D).  @return : GK_OK, an error, or -1 when the
** member must be inflated whole and decoded instead. */
static int inflate_direct(const unsigned char *src, const zip_member *m, gk_mat **out,
                          gk_array_info *info)
{
    z_stream z;
    memset(&z, 0, sizeof z);
    GK_FAIL_IF(inflateInit2(&z, -MAX_WBITS) != Z_OK, GK_EINTERNAL, "zlib inflateInit2 failed");
    z.next_in = (Bytef *)(uintptr_t)src;
    z.avail_in = (uInt)m->csize;
    size_t first = m->usize < NPZ_HEAD_BYTES ? m->usize : NPZ_HEAD_BYTES;
    unsigned char *head = gk_malloc(first ? first : 1);
    int zr, rc = head ? -1 : GK_ENOMEM;
    io_npy_header h;
    if (head && pull(&z, head, first, &zr) == first &&
        io_npy_header_parse_part(head, first, m->usize, &h) == GK_OK && h.ndim == 2 &&
        io_npy_mappable(&h))
        rc = inflate_rows(&z, m, head, first, &h, out);
    inflateEnd(&z);
    gk_free(head);
    if (rc == GK_OK) io_npy_info(&h, -1, info);
    return rc;
}

/* Decodes array member `member` of the archive b[0..len). */
static int npz_decode(const unsigned char *b, size_t len, const char *member, gk_mat **out,
                      gk_array_info *info)
{
    zip_member m;
    const unsigned char *data;
    int owned, rc = -1;
    size_t start;
    GK_TRY(find_member(b, len, member, &m));
    if (m.method == 8) {
        GK_TRY(member_start(b, len, &m, &start));
        GK_TRY(check_ratio(&m));
        rc = inflate_direct(b + start, &m, out, info);
    }
    if (rc != -1) return rc; /* zip-level messages name the member themselves */
    GK_TRY(member_bytes(b, len, &m, &data, &owned));
    rc = io_npy_from_buffer(data, m.usize, NULL, out, info);
    if (rc != GK_OK) {
        char pre[300];
        snprintf(pre, sizeof pre, "member '%s'", m.name);
        gk_error_prepend(rc, pre);
    }
    if (owned) gk_free((void *)data);
    return rc;
}

int io_npz_load(const char *path, const char *member, gk_mat **out, gk_array_info *info)
{
    void *base;
    size_t len;
    *out = NULL;
    GK_TRY(io_file_map(path, 0, &base, &len));
    int rc = npz_decode(base, len, member, out, info);
    io_file_unmap(base, len);
    if (info) snprintf(info->format, sizeof info->format, "npz");
    return rc;
}

int gk_npz_read_mem(const void *buf, size_t len, const char *member, const char *name,
                    gk_mat **out)
{
    const char *nm = name ? name : "<memory>";
    GK_FAIL_IF(!out, GK_EARG, "%s: gk_npz_read_mem: out is NULL", nm);
    *out = NULL;
    GK_FAIL_IF(!buf && len, GK_EARG, "%s: gk_npz_read_mem: buf is NULL", nm);
    return io_array_finish(npz_decode(buf ? buf : "", len, member, out, NULL), out, member, nm);
}

int gk_npz_read(const char *path, const char *member, gk_mat **out)
{
    GK_FAIL_IF(!path || !out, GK_EARG, "gk_npz_read: path and out must not be NULL");
    return io_array_finish(io_npz_load(path, member, out, NULL), out, member, path);
}

int io_array_finish(int rc, gk_mat **out, const char *member, const char *name)
{
    if (rc == GK_OK && (rc = gk_mat_check_finite(*out)) != GK_OK && member)
        gk_error_prepend(rc, member); /* "U: row 3, column 1 is NaN" */
    if (rc != GK_OK) {
        gk_mat_free(*out);
        *out = NULL;
        gk_error_prepend(rc, name);
    }
    return rc;
}

/* Copies member `member` (exact name, or with ".npy") as a C string. */
static int npz_text(const unsigned char *b, size_t len, const char *member, char **out)
{
    zip_member m;
    const unsigned char *data;
    int owned;
    GK_TRY(find_member(b, len, member, &m));
    GK_TRY(member_bytes(b, len, &m, &data, &owned));
    *out = gk_malloc(m.usize + 1);
    if (*out) {
        memcpy(*out, data, m.usize);
        (*out)[m.usize] = '\0';
    }
    if (owned) gk_free((void *)data);
    return *out ? GK_OK : GK_ENOMEM;
}

int gk_npz_read_text(const char *path, const char *member, char **out)
{
    GK_FAIL_IF(!path || !member || !out, GK_EARG, "gk_npz_read_text: arguments must not be NULL");
    *out = NULL;
    void *base;
    size_t len;
    int rc = io_file_map(path, 0, &base, &len);
    if (rc == GK_OK) {
        rc = npz_text(base, len, member, out);
        io_file_unmap(base, len);
    }
    return rc == GK_OK ? GK_OK : gk_error_prepend(rc, path);
}

int gk_npz_read_text_mem(const void *buf, size_t len, const char *member, const char *name,
                         char **out)
{
    const char *nm = name ? name : "<memory>";
    GK_FAIL_IF(!member || !out || (!buf && len), GK_EARG,
               "%s: gk_npz_read_text_mem: arguments must not be NULL", nm);
    *out = NULL;
    int rc = npz_text(buf ? buf : "", len, member, out);
    return rc == GK_OK ? GK_OK : gk_error_prepend(rc, nm);
}
